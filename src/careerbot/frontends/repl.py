"""The terminal chat: a prompt_toolkit REPL around one conversation.

Shaped like pgcli: `ChatApp.handle_line` handles one line and is what the tests call; `ChatApp.run`
is the tiny loop (Ctrl-C → keep going, Ctrl-D → goodbye). The prompt session, completer, toolbar
and key bindings are small factories that take the app. Slash commands live in a per-instance
registry and `/help` is generated from it.

This is the only module that imports prompt_toolkit (it costs ~80 ms of start-up), and the command
line imports it only for the chat.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.application.current import get_app
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.filters import Condition, completion_is_selected
from prompt_toolkit.formatted_text import FormattedText, StyleAndTextTuples
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.output import ColorDepth, Output, create_output
from prompt_toolkit.styles import Style
from rapidfuzz import fuzz, process

from .. import clean_echo

if TYPE_CHECKING:
    from .. import Answer, Engine
    from .questionlog import QuestionLog

EXIT_OK = 0
EXIT_WORDS = frozenset({"exit", "quit"})
EXAMPLE_QUESTIONS = ("what does an NLP engineer earn?", "data scientist vs ML engineer")
GOODBYE = "Goodbye, and good luck!"
MAX_TEXT_WIDTH = 100
LONGEST_SUGGESTED = 200
"""History entries longer than this (a pasted job ad) are never offered as greyed-out text."""
DEFAULT_PAGER = "less -SRXF"
"""As pgcli: quits at once when the text fits one screen, keeps colours, leaves the text on screen."""

STYLE = Style.from_dict({
    "prompt": "ansicyan bold",
    "title": "bold",
    "example": "ansigreen",
    "command": "ansicyan",
    "citation": "ansibrightblack",
    "source": "ansibrightblack dim",
    "heading": "bold",
    "notice": "italic",
    "number": "ansicyan bold",
    "warning": "ansiyellow",
    "error": "ansired",
    "explain": "",
    "json.key": "ansicyan",
    "json.string": "ansigreen",
    "json.number": "ansiyellow",
    "json.constant": "ansimagenta",
    "bottom-toolbar": "noreverse bg:#303030 #d0d0d0",
    "bottom-toolbar.role": "bold",
    "bottom-toolbar.hint": "#a0a0a0",
})

# --- colour and history: decided once, at start-up ---------------------------------------------

def color_enabled(requested: bool, environ: Mapping[str, str], stream) -> bool:
    """Colours unless --no-color, NO_COLOR (set and not empty, per no-color.org) or not a terminal."""
    isatty = getattr(stream, "isatty", None)
    return bool(requested and not environ.get("NO_COLOR") and isatty is not None and isatty())


def history_path(environ: Mapping[str, str]) -> Path | None:
    """`$XDG_STATE_HOME/careerbot/history`, or `~/.local/state/careerbot/history`; None without a
    home folder (HOME unset and no passwd entry): the chat then keeps its history in memory.

    The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
    """
    state = environ.get("XDG_STATE_HOME", "")
    if state and os.path.isabs(state):
        return Path(state) / "careerbot" / "history"
    home = os.path.expanduser("~")      # no home (HOME unset, no passwd entry): "~" comes back as it is
    return Path(home) / ".local" / "state" / "careerbot" / "history" if os.path.isabs(home) else None


class ShortAutoSuggest(AutoSuggestFromHistory):
    """Suggests from the history as prompt_toolkit does, but never an entry of more than
    `LONGEST_SUGGESTED` characters or of several lines: greyed-out text must not fill the screen."""

    def get_suggestion(self, buffer, document):
        history = buffer.history
        text = document.text.rsplit("\n", 1)[-1]
        if not text.strip():
            return None
        from prompt_toolkit.auto_suggest import Suggestion
        for string in reversed(list(history.get_strings())):
            if len(string) > LONGEST_SUGGESTED or "\n" in string:
                continue
            if string.startswith(text) and string != text:
                return Suggestion(string[len(text):])
        return None


class _ForgivingFileHistory(FileHistory):
    """A FileHistory that, when a write fails mid-chat (disk full, folder removed), warns once and
    keeps the rest of the chat in memory instead of crashing the prompt."""

    def __init__(self, filename: Path, warn: Callable[[str], None]):
        super().__init__(filename)
        self._warn = warn
        self._broken = False

    def store_string(self, string: str) -> None:
        if self._broken:
            return
        try:
            super().store_string(string)
        except OSError as error:
            self._broken = True
            self._warn(_history_warning(Path(self.filename), error))


def _history_warning(path: Path, error: OSError) -> str:
    reason = error.strerror or str(error)
    return f"history off for this chat: cannot write {path} ({reason})."


def open_history(path: Path | None, warn: Callable[[str], None]) -> History:
    """A file history at `path`, or, when its folder cannot be written, one warning and memory only;
    no path (no home folder), memory only and no warning."""
    if path is None:
        return InMemoryHistory()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # questions are private: the file is the user's alone (0600), however the umask is set
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        os.chmod(path, 0o600)
    except OSError as error:
        warn(_history_warning(path, error))
        return InMemoryHistory()
    return _ForgivingFileHistory(path, warn)


# --- slash commands ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Command:
    name: str                              # without the slash
    summary: str
    handler: Callable[[str], bool]         # gets the rest of the line; False ends the chat


class Commands:
    """The slash commands of one chat (pgcli's PGSpecial, in small)."""

    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}

    def add(self, name: str, summary: str, handler: Callable[[str], bool]) -> None:
        self._commands[name] = Command(name, summary, handler)

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())

    def get(self, name: str) -> Command | None:
        return self._commands.get(name.lower())

    def closest(self, name: str) -> str | None:
        """The command a typo most likely meant, or None when nothing is close."""
        match = process.extractOne(name.lower(), list(self._commands), scorer=fuzz.ratio,
                                   processor=None, score_cutoff=60)
        return match[0] if match else None


# --- the app -------------------------------------------------------------------------------------

class ChatApp:
    """One terminal chat: a conversation with the engine, its slash commands and its prompt.

    `input`/`output` are prompt_toolkit's, for the prompt (tests pass a pipe input and a
    DummyOutput); `print_output` receives everything the chat prints (by default `output`).
    """

    def __init__(self, engine: Engine, *, color: bool = True, input: Input | None = None,
                 output: Output | None = None, print_output: Output | None = None,
                 history_file: Path | None = None, question_log: QuestionLog | None = None,
                 pager: bool = False):
        self.engine = engine
        self.catalogue = engine.catalogue()
        self.chat = engine.conversation()
        self.color = color
        self.color_depth = None if color else ColorDepth.DEPTH_1_BIT
        self.input = input
        self.output = output
        self.print_output = print_output or output
        self.history_file = history_file if history_file is not None else history_path(os.environ)
        self.last_answer: Answer | None = None
        self.last_question = ""
        self.json_output = False
        self.pager = pager              # long answers through $PAGER (on for a terminal; /pager off)
        self.question_log = question_log
        self.last_answer_id: str | None = None
        self.commands = make_commands(self)
        self._session: PromptSession | None = None

    # printing -----------------------------------------------------------------------------------

    def print(self, text: str | StyleAndTextTuples = "", style: str = "") -> None:
        fragments = [(style, text)] if isinstance(text, str) else text
        print_formatted_text(FormattedText(fragments), style=STYLE, output=self.print_output,
                             color_depth=self.color_depth, include_default_pygments_style=False)

    def text_width(self) -> int:
        """The terminal's width, up to MAX_TEXT_WIDTH columns (long lines are hard to read)."""
        try:
            columns = self.print_output.get_size().columns if self.print_output else 80
        except OSError:
            columns = 80
        return max(40, min(columns - 1, MAX_TEXT_WIDTH))

    def warn(self, message: str) -> None:
        self.print(f"careerbot: {message}", "class:warning")

    def print_welcome(self) -> None:
        # No-break spaces keep each role name on one line; textwrap only breaks at ASCII spaces.
        labels = ", ".join(role.label.replace(" ", "\xa0") for role in self.catalogue.roles)
        roles = textwrap.fill(f"Roles I know: {labels}.", width=78).replace("\xa0", " ")
        one, two = EXAMPLE_QUESTIONS
        self.print([
            ("class:title", "careerbot"),
            ("", " answers questions about machine learning careers: what each\n"
                 "role does, salaries, skills, projects, how to get in, and the outlook.\n"),
            ("", f"{roles}\n"),
            ("", "Try "), ("class:example", f'"{one}"'), ("", " or "), ("class:example", f'"{two}"'), ("", ".\n"),
            ("class:command", "/help"), ("", " lists the commands, Tab completes, "),
            ("class:command", "/quit"), ("", " or Ctrl-D leaves."),
        ])

    def print_answer(self, answer: Answer) -> None:
        if self.json_output:
            text = json.dumps(answer.to_dict(), indent=2, ensure_ascii=False)
            self.print(json_fragments(text))          # plain where the chat has no colours
            return
        width = self.text_width()
        if self.pager and self.page("".join(text for _, text in answer.spans(width))):
            return
        self.print(answer_fragments(answer, width))

    def page(self, text: str) -> bool:
        """Show `text` through `$PAGER` (default `less -SRXF`) when it is longer than the terminal;
        False when it fits, or when the pager cannot be run (the text is then printed)."""
        try:
            rows = self.print_output.get_size().rows if self.print_output else 24
        except OSError:
            return False
        if text.count("\n") + 2 < rows:
            return False
        command = shlex.split(os.environ.get("PAGER") or DEFAULT_PAGER)
        if not command:
            return False
        try:
            subprocess.run(command, input=text + "\n", text=True, check=False)
        except OSError:
            return False
        return True

    # one line -----------------------------------------------------------------------------------

    def handle_line(self, text: str) -> bool:
        """Handle one line the user typed; False when the chat should end."""
        text = text.strip()
        if not text:
            return True
        if text.startswith("/"):
            keep_going = self.run_command(text)
        elif text.lower().rstrip("!.") in EXIT_WORDS:
            keep_going = self.quit()
        else:
            picked = self.picked_suggestion(text)
            if picked:                    # the question a number stands for, as if typed
                self.print([("class:prompt", "> "), ("", picked)])
            answer = self.chat.ask(text)
            self.last_answer, self.last_question = answer, picked or text
            if self.question_log is not None:
                self.last_answer_id = self.question_log.record(text, answer, "chat")
            # "bye", "goodbye", "see you": the bot says goodbye and the chat ends, without
            # suggesting what to ask next (the intent declares `ends_chat`).
            intent = self.catalogue.intent(answer.intent)
            keep_going = not (intent is not None and intent.ends_chat)
            if keep_going or self.json_output:
                self.print_answer(answer)
            else:
                self.print(answer.text)
        self.print_log_warnings()
        self.print()
        return keep_going

    def picked_suggestion(self, text: str) -> str | None:
        """The suggestion of the last answer that a bare number ("2", "2.") picks, if any."""
        number = text.strip().rstrip(".)")
        suggestions = self.last_answer.suggestions if self.last_answer is not None else ()
        if number.isascii() and number.isdigit() and 0 < int(number) <= len(suggestions):
            return suggestions[int(number) - 1]
        return None

    def run_command(self, text: str) -> bool:
        name, _, argument = text[1:].partition(" ")
        command = self.commands.get(name)
        if command is not None:
            return command.handler(argument.strip())
        typed = clean_echo(name)
        suggestion = self.commands.closest(typed) if typed else None
        if suggestion:
            self.print([("class:error", f"Unknown command /{typed}: did you mean "),
                        ("class:command", f"/{suggestion}"), ("class:error", "?")])
        else:
            self.print([("class:error", f"Unknown command /{typed}. "), ("", "Type "),
                        ("class:command", "/help"), ("", " for the list.")])
        return True

    # slash commands ------------------------------------------------------------------------------

    def show_help(self, _: str = "") -> bool:
        width = max(len(command.name) for command in self.commands) + 2
        fragments: StyleAndTextTuples = [("class:heading", "Commands:\n")]
        for command in self.commands:
            fragments += [("class:command", f"  /{command.name:<{width}}"), ("", f"{command.summary}\n")]
        fragments += [
            ("class:heading", "\nTips:\n"),
            ("", "  Ask in your own words; follow-ups like \"and their salary?\" keep the role.\n"
                 "  A number alone (1, 2, 3) asks that suggested question.\n"
                 "  Tab completes roles, skills, suggestions and commands; → takes the greyed-out\n"
                 "  suggestion from your history; ↑/↓ browse it.\n"
                 "  Ctrl-C clears the line; Ctrl-D, /quit, exit or bye leave."),
        ]
        self.print(fragments)
        return True

    def show_roles(self, _: str = "") -> bool:
        roles = list(self.catalogue.roles)
        width = max(len(role.label) for role in roles) + 2
        fragments: StyleAndTextTuples = [("class:heading", f"The {len(roles)} roles I know:\n")]
        for role in roles:
            fragments += [("class:title", f"  {role.label:<{width}}"),
                          ("class:source", f"{', '.join(_short_aliases(role))}\n")]
        fragments.append(("", 'Ask about any of them, e.g. "what does a Data Scientist do?"'))
        self.print(fragments)
        return True

    def reset(self, _: str = "") -> bool:
        self.chat.reset()
        self.last_answer, self.last_question = None, ""
        self.print("Conversation cleared: the next question starts afresh.")
        return True

    def explain(self, _: str = "") -> bool:
        answer = self.last_answer
        if answer is None or answer.explain is None:
            self.print("Nothing to explain yet: ask a question first.")
            return True
        lines = str(answer.explain).splitlines()
        self.print([("class:heading", f'Why I answered "{clean_echo(self.last_question)}" that way:\n'),
                    ("class:explain", "\n".join(f"  {line}" for line in lines))])
        return True

    def sources(self, _: str = "") -> bool:
        if self.last_answer is None:
            self.print("No sources yet: ask a question first.")
        elif not self.last_answer.sources:
            self.print("The last answer cites no sources.")
        else:
            self.print([("class:heading", "Sources of the last answer:\n"),
                        ("", "\n".join(f"  {line}" for line in self.last_answer.source_lines()))])
        return True

    def toggle_json(self, _: str = "") -> bool:
        self.json_output = not self.json_output
        self.print("JSON output on: answers print as the JSON object of `careerbot ask --json`."
                   if self.json_output else "JSON output off.")
        return True

    def clear_screen(self, _: str = "") -> bool:
        output = self.print_output
        if output is not None:
            output.erase_screen()
            output.cursor_goto(0, 0)
            output.flush()
        return True

    def toggle_pager(self, argument: str = "") -> bool:
        wanted = argument.lower()
        if wanted not in ("", "on", "off"):
            self.print("Use /pager on or /pager off.")
            return True
        self.pager = (not self.pager) if not wanted else wanted == "on"
        self.print(f"Pager {'on: long answers open in $PAGER' if self.pager else 'off'}.")
        return True

    def quit(self, _: str = "") -> bool:
        self.print(GOODBYE)
        return False

    # the question log (only with --log) -----------------------------------------------------------

    def good(self, comment: str = "") -> bool:
        return self.give_feedback(True, comment)

    def bad(self, comment: str = "") -> bool:
        return self.give_feedback(False, comment)

    def give_feedback(self, helpful: bool, comment: str) -> bool:
        if self.question_log is None or self.last_answer_id is None:
            self.print("Nothing to rate yet: ask a question first.")
            return True
        if not self.question_log.may_give_feedback(self.last_answer_id):
            self.print("That answer has had its feedback already.")
            return True
        self.question_log.feedback(self.last_answer_id, helpful, comment or None)
        self.print("Thanks: noted as helpful." if helpful else
                   "Thanks: noted as unhelpful. The maintainers review these to improve the answers.")
        return True

    def print_log_warnings(self) -> None:
        if self.question_log is not None:
            for warning in self.question_log.take_warnings():
                self.warn(warning)

    # the loop ------------------------------------------------------------------------------------

    @property
    def session(self) -> PromptSession:
        if self._session is None:
            self._session = make_session(self, open_history(self.history_file, self.warn))
        return self._session

    def run(self) -> int:
        self.print_welcome()
        session = self.session          # may warn that the history cannot be kept
        self.print()
        while True:
            try:
                text = session.prompt()
            except KeyboardInterrupt:     # Ctrl-C: the line is dropped, the chat goes on
                continue
            except EOFError:              # Ctrl-D on an empty line
                self.print(GOODBYE)
                return EXIT_OK
            if not self.handle_line(text):
                return EXIT_OK


def make_commands(app: ChatApp) -> Commands:
    commands = Commands()
    commands.add("help", "this list", app.show_help)
    commands.add("roles", "the roles I know, with the names you can use", app.show_roles)
    commands.add("reset", "clear the conversation (forget the role in context)", app.reset)
    commands.add("explain", "why the last answer: what I understood and how sure I was", app.explain)
    commands.add("sources", "the sources of the last answer", app.sources)
    commands.add("json", "toggle JSON output (pretty-printed)", app.toggle_json)
    commands.add("clear", "clear the screen (the conversation goes on)", app.clear_screen)
    commands.add("pager", "long answers through $PAGER: /pager on, /pager off", app.toggle_pager)
    if app.question_log is not None:
        commands.add("good", "the last answer helped (a comment may follow: /good clear and short)", app.good)
        commands.add("bad", "the last answer did not help (a comment may follow: /bad no figures)", app.bad)
    commands.add("quit", "leave (so do Ctrl-D, exit and bye)", app.quit)
    return commands


def _short_aliases(role, limit: int = 4) -> list[str]:
    """A few names the user can type for a role, besides the one shown."""
    shown = {role.label.lower(), role.name.lower()}
    aliases = [alias for alias in role.aliases if alias.lower() not in shown]
    return sorted(aliases, key=len)[:limit]


def answer_fragments(answer: Answer, width: int = 100) -> StyleAndTextTuples:
    """The answer drawn from its blocks, wrapped to `width`, then its sources dimmed and the numbered
    suggestions: the layout of `careerbot ask`, with each part's style as a prompt_toolkit class."""
    return [(f"class:{style}" if style else "", text) for style, text in answer.spans(width)]


_JSON_TOKEN = re.compile(r'("(?:[^"\\]|\\.)*")(?=(:)?)|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)')
"""In JSON as `json.dumps` writes it: a string (a key when a colon follows), a number, a constant."""


def json_fragments(text: str) -> StyleAndTextTuples:
    """JSON text in colour: keys, strings, numbers and true/false/null each in a style of their own,
    punctuation and spaces plain (prompt_toolkit lexes JSON only through Pygments, which it does
    not require)."""
    fragments: StyleAndTextTuples = []
    end = 0
    for token in _JSON_TOKEN.finditer(text):
        string, key, number, _ = token.groups()
        style = ("class:json.key" if key else "class:json.string") if string else (
            "class:json.number" if number else "class:json.constant")
        fragments += [("", text[end:token.start()]), (style, token.group())]
        end = token.end()
    return [*fragments, ("", text[end:])]


# --- prompt parts: small factories that take the app ---------------------------------------------

class ChatCompleter(Completer):
    """Completes role names and aliases, skills, the last answer's suggestions and slash commands.

    Names can be several words ("data sci" → "data scientist"), so each word-start suffix of the
    text before the cursor is tried as the beginning of a name, longest first.
    """

    MAX_WORDS = 6        # longer than any role or skill name

    def __init__(self, app: ChatApp):
        self.app = app
        names: dict[str, tuple[str, str]] = {}
        for role in app.catalogue.roles:
            for name in (role.label, role.name):
                names.setdefault(name.lower(), (name, "role"))
            for alias in role.aliases:
                names.setdefault(alias.lower(), (alias, role.label))
        for skill in app.catalogue.skills:
            names.setdefault(skill.lower(), (skill, "skill"))
        self.names = tuple(names.values())

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        text = document.text_before_cursor
        if text.startswith("/"):
            if " " not in text:
                yield from self._commands(text[1:])
            return
        yield from self._suggestions(text)
        yield from self._names(text)

    def _commands(self, typed: str) -> Iterator[Completion]:
        for command in self.app.commands:
            if command.name.startswith(typed.lower()):
                yield Completion(f"/{command.name}", -len(typed) - 1, display_meta=command.summary)

    def _suggestions(self, text: str) -> Iterator[Completion]:
        """The follow-up questions of the last answer, on an empty line or as the line's start."""
        if self.app.last_answer is None:
            return
        typed = text.lstrip().lower()
        for suggestion in self.app.last_answer.suggestions:
            if suggestion.lower().startswith(typed) and suggestion.lower() != typed:
                yield Completion(suggestion, -len(text), display_meta="suggested question")

    def _names(self, text: str) -> Iterator[Completion]:
        starts = [m.start() for m in re.finditer(r"(?<!\S)\S", text)][-self.MAX_WORDS:]
        suffixes = [text[start:] for start in starts]          # longest first
        seen: set[str] = set()
        for suffix in suffixes:
            typed = suffix.lower()
            for name, meta in self.names:
                lowered = name.lower()
                if lowered in seen or lowered == typed or not lowered.startswith(typed):
                    continue
                seen.add(lowered)
                yield Completion(name, -len(suffix), display_meta=meta)


def make_completer(app: ChatApp) -> Completer:
    return ChatCompleter(app)


def make_toolbar(app: ChatApp) -> Callable[[], StyleAndTextTuples]:
    def toolbar() -> StyleAndTextTuples:
        labels = {role.id: role.label for role in app.catalogue.roles}
        roles = [labels[r] for r in app.chat.roles if r in labels]
        fragments: StyleAndTextTuples = [
            ("class:bottom-toolbar", " Talking about: "),
            ("class:bottom-toolbar.role", " & ".join(roles) if roles else "no role yet"),
        ]
        if app.json_output:
            fragments.append(("class:bottom-toolbar", "  [JSON]"))
        hints = ["Tab completes"]
        if app.last_answer is not None and app.last_answer.suggestions:
            hints.append(f"1–{len(app.last_answer.suggestions)} asks a suggestion")
        hints += ["/help", "Ctrl-D quits"]
        fragments.append(("class:bottom-toolbar.hint", "   │  " + " · ".join(hints) + " "))
        return fragments
    return toolbar


def make_key_bindings(app: ChatApp) -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add("enter", filter=completion_is_selected)
    def _close_menu(event) -> None:
        """Enter on a highlighted completion takes it and closes the menu (pgcli); Enter again asks."""
        event.current_buffer.complete_state = None

    return bindings


def make_session(app: ChatApp, history: History) -> PromptSession:
    typing_a_command = Condition(lambda: get_app().current_buffer.text.startswith("/"))
    return PromptSession(
        message=[("class:prompt", "> ")],
        history=history,
        auto_suggest=ShortAutoSuggest(),
        completer=make_completer(app),
        complete_while_typing=typing_a_command,     # prose only completes on Tab
        bottom_toolbar=make_toolbar(app),
        key_bindings=make_key_bindings(app),
        style=STYLE,
        include_default_pygments_style=False,
        color_depth=app.color_depth,
        input=app.input,
        output=app.output,
    )


def run(engine: Engine, color: bool = True, *, input: Input | None = None, output: Output | None = None,
        print_output: Output | None = None, question_log: QuestionLog | None = None) -> int:
    """The chat on the terminal (or on the given prompt_toolkit input and output); returns the exit code."""
    output = output or create_output()
    app = ChatApp(engine, color=color_enabled(color, os.environ, sys.stdout), input=input, output=output,
                  print_output=print_output, question_log=question_log,
                  pager=input is None and print_output is None and sys.stdout.isatty())
    return app.run()
