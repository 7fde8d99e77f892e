"""The terminal chat, driven without a terminal: prompt_toolkit's pipe input and DummyOutput for the
prompt, and a StringIO-backed output for what the chat prints."""

from __future__ import annotations

import io
import json
import re
import stat
import subprocess
import sys

import pytest
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.data_structures import Size
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.plain_text import PlainTextOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from careerbot import Engine
from careerbot.frontends.repl import (
    ChatApp,
    ShortAutoSuggest,
    color_enabled,
    history_path,
    make_completer,
    make_toolbar,
    run,
)

SGR = re.compile(r"\x1b\[([0-9;]*)m")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch):
    """Every test keeps its history in its own folder, never in the real ~/.local/state."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path / "state"


class Printed:
    """What the chat printed, as plain text."""

    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.output = PlainTextOutput(self.stream)

    @property
    def text(self) -> str:
        return self.stream.getvalue().replace("\r\n", "\n")    # the output writes terminal line ends

    def take(self) -> str:
        """The text printed since the last take."""
        text = self.text
        self.stream.seek(0)
        self.stream.truncate()
        return text


@pytest.fixture
def printed() -> Printed:
    return Printed()


@pytest.fixture
def app(engine, printed) -> ChatApp:
    return ChatApp(engine, color=False, output=DummyOutput(), print_output=printed.output)


def chat(engine, keys: str, printed: Printed, *, color: bool = False) -> int:
    """Run the whole chat on scripted keystrokes; returns its exit code."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        return run(engine, color=color, input=pipe, output=DummyOutput(), print_output=printed.output)


def colour_codes(raw: str) -> list[str]:
    """The SGR parameters in `raw` that set a colour (foreground or background)."""
    codes = []
    for params in SGR.findall(raw):
        parts = params.split(";")
        index = 0
        while index < len(parts):
            part = parts[index]
            if part in ("38", "48"):
                codes.append(";".join(parts[index:index + 3]))
                index += 3
                continue
            if part.isdigit() and (30 <= int(part) <= 37 or 40 <= int(part) <= 47 or 90 <= int(part) <= 107):
                codes.append(part)
            index += 1
    return codes


# --- the loop ------------------------------------------------------------------------------------

def test_scripted_conversation_keeps_the_role_for_a_follow_up(engine, printed):
    """A follow-up ("how much do they make?") answers for the role of the previous question, and the
    chat shows the answer, its sources and numbered suggestions."""
    code = chat(engine, "tell me about NLP engineers\nhow much do they make?\n\x04", printed)
    assert code == 0
    out = printed.text
    follow_up = out.split("NLP Engineer salary", 1)[1]
    assert "123,000" in follow_up
    assert "Sources:" in follow_up and "You could ask next:\n  1. " in follow_up


def test_welcome_names_the_roles_examples_help_and_quit(engine, printed):
    """The welcome says what careerbot knows (every role), gives two example questions and says how
    to get help and leave."""
    chat(engine, "\x04", printed)
    welcome = " ".join(printed.text.split())
    for role in engine.catalogue().roles:
        assert role.label in welcome
    assert welcome.count('"') >= 4
    assert "/help" in welcome and "/quit" in welcome and "Ctrl-D" in welcome


def test_ctrl_d_ends_with_exit_code_0(engine, printed):
    """Ctrl-D on an empty line ends the chat cleanly, with exit code 0 and a goodbye."""
    assert chat(engine, "\x04", printed) == 0
    assert printed.text.rstrip().endswith("Goodbye, and good luck!")


def test_ctrl_c_drops_the_line_and_keeps_the_chat(engine, printed):
    """Ctrl-C throws the half-typed line away (it is not asked) and the chat goes on."""
    code = chat(engine, "hello there\x03tell me about NLP engineers\n\x04", printed)
    assert code == 0
    shown = " ".join(printed.text.split())
    assert " ".join(engine.ask("hello there").text.split()) not in shown
    assert " ".join(engine.ask("tell me about NLP engineers").text.split()) in shown


@pytest.mark.parametrize("line", ["exit", "quit", "QUIT", "/quit"])
def test_exit_words_end_the_chat(app, printed, line):
    """"exit", "quit" (any case) and /quit end the chat."""
    assert app.handle_line(line) is False
    assert "Goodbye" in printed.text


def test_bye_prints_the_bots_goodbye_then_ends(engine, printed):
    """"bye" is answered by the bot's own goodbye, then the chat ends with exit code 0."""
    code = chat(engine, "bye\nwhat does a data scientist actually do?\n", printed)
    assert code == 0
    goodbye = engine.ask("bye")
    assert goodbye.intent == "goodbye"
    assert printed.text.rstrip().endswith(goodbye.text)


def test_a_number_alone_asks_that_suggestion(engine, app):
    """A number typed alone goes to the conversation, which asks the previous answer's suggestion."""
    app.handle_line("tell me about NLP engineers")
    suggestion = app.last_answer.suggestions[1]
    expected = engine.conversation()
    expected.ask("tell me about NLP engineers")
    assert app.handle_line("2") is True
    assert app.last_answer.text == expected.ask(suggestion).text


class NarrowOutput(PlainTextOutput):
    """A plain-text output that says the terminal is `columns` wide."""

    def __init__(self, stream, columns: int):
        super().__init__(stream)
        self.columns = columns

    def get_size(self) -> Size:
        return Size(rows=40, columns=self.columns)


def test_answers_are_wrapped_to_a_narrow_terminal(engine):
    """On a 60-column terminal, prose wraps at word boundaries (bullets with a hanging indent,
    citations whole) and a comparison's columns narrow to fit; nothing is lost."""
    stream = io.StringIO()
    app = ChatApp(engine, color=False, output=DummyOutput(), print_output=NarrowOutput(stream, 60))
    app.handle_line("what does a data scientist actually do")
    overview = stream.getvalue().replace("\r\n", "\n")
    answer = engine.ask("what does a data scientist actually do")
    lines = overview.split("\n\nSource")[0].splitlines()
    assert all(len(line) <= 59 for line in lines)
    assert " ".join(overview.split()).startswith(" ".join(answer.text.split()))
    wrapped = [i for i, line in enumerate(lines[:-1]) if line.startswith("- ") and lines[i + 1].startswith("  ")]
    assert wrapped, "a long bullet wraps under its own text"
    assert sum(line.count("[1, 2]") for line in lines) == answer.text.count("[1, 2]")
    stream.truncate(0)
    stream.seek(0)
    app.handle_line("data scientist vs ML engineer")
    table = stream.getvalue().replace("\r\n", "\n").split("\n\nSource")[0]
    assert all(len(line) <= 59 for line in table.splitlines() if "█" not in line and "·" not in line)
    assert "environments." in table and "Data Scientist" in table.splitlines()[0]


def test_every_kind_of_answer_is_drawn_from_its_blocks(engine, app, printed, every_kind_of_answer, texts_of):
    """Every kind of answer, a question back, a "did you mean …?" and out-of-scope answers print in
    the chat with what each of their blocks holds: headings, paragraphs, notices, list titles, items
    and notes, a table's header and row labels, each bar's label and value."""
    from careerbot.knowledge.model import ANSWER_KINDS
    chat = engine.conversation()
    kinds, types = set(), set()
    for question in every_kind_of_answer:
        expected = chat.ask(question)
        app.handle_line(question)
        shown = " ".join(printed.take().split())
        for block in expected.blocks:
            types.add(block.type)
            for text in texts_of(block, cells=False):
                assert " ".join(text.split()) in shown, (question, text)
        if expected.shortened:         # and the rest, on "more"
            whole = chat.ask("more")
            app.handle_line("more")
            shown = " ".join(printed.take().split())
            for block in whole.blocks:
                types.add(block.type)
                for text in texts_of(block, cells=False):
                    assert " ".join(text.split()) in shown, (question, text)
        intent = engine.catalogue().intent(expected.intent)
        kinds.add(intent.answer if intent else expected.intent)
    assert kinds >= set(ANSWER_KINDS) and types == {"heading", "paragraph", "notice", "list", "table", "chart"}


def test_blank_lines_are_ignored(app, printed):
    """An empty or blank line asks nothing and prints nothing."""
    assert app.handle_line("   ") is True
    assert printed.text == "" and app.last_answer is None


# --- slash commands ------------------------------------------------------------------------------

def test_help_is_generated_from_the_command_registry(app, printed):
    """/help lists every registered command with its summary."""
    app.handle_line("/help")
    for command in app.commands:
        assert f"/{command.name}" in printed.text and command.summary in printed.text
    assert {c.name for c in app.commands} == {"help", "roles", "reset", "explain", "sources", "json", "clear", "pager",
                                             "quit"}


def test_roles_lists_every_role_with_aliases(engine, app, printed):
    """/roles names every role and some of the names the user can type for it."""
    app.handle_line("/roles")
    for role in engine.catalogue().roles:
        assert role.label in printed.text
    assert "MLE" in printed.text and "CV engineer" in printed.text


def test_reset_forgets_the_role_in_context(app, printed):
    """/reset clears the conversation: a follow-up no longer refers to the earlier role."""
    app.handle_line("tell me about NLP engineers")
    assert app.chat.roles == ("nlp-engineer",)
    app.handle_line("/reset")
    assert app.chat.roles == () and "cleared" in printed.take()
    app.handle_line("how much do they make?")
    assert "nlp-engineer" not in app.last_answer.roles


def test_explain_shows_why_the_last_answer(app, printed):
    """/explain shows the engine's explanation of the last answer (intents, entities, decision)."""
    app.handle_line("/explain")
    assert "ask a question first" in printed.take()
    app.handle_line("tell me about NLP engineers")
    printed.take()
    app.handle_line("/explain")
    out = printed.take()
    assert 'Why I answered "tell me about NLP engineers"' in out
    for line in str(app.last_answer.explain).splitlines():
        assert line in out


def test_sources_lists_the_last_answers_sources(engine, app, printed):
    """/sources shows the titles and files of the last answer's sources."""
    app.handle_line("/sources")
    assert "ask a question first" in printed.take()
    app.handle_line("what does an NLP engineer earn?")
    printed.take()
    app.handle_line("/sources")
    out = printed.take()
    assert app.last_answer.sources
    for reference in app.last_answer.references:
        assert reference.title in out and reference.file in out


def test_json_toggles_json_output(app, printed):
    """/json makes answers print as the JSON answer object; /json again goes back to text."""
    app.handle_line("/json")
    printed.take()
    app.handle_line("what does an NLP engineer earn?")
    data = json.loads(printed.take().strip())
    assert data["intent"] == "salary" and data["entities"]["roles"] == ["nlp-engineer"]
    app.handle_line("/json")
    printed.take()
    app.handle_line("what does an NLP engineer earn?")
    assert printed.take().startswith("An NLP Engineer earns")


def test_a_command_typo_gets_did_you_mean(app, printed):
    """A mistyped command suggests the closest one; one that is close to nothing points to /help."""
    assert app.handle_line("/rols") is True
    assert "did you mean /roles?" in printed.take()
    app.handle_line("/xyzzy")
    out = printed.take()
    assert "Unknown command /xyzzy" in out and "/help" in out and "did you mean" not in out


def test_unknown_command_echo_strips_terminal_control_sequences(app, printed):
    """A typed command is echoed back without its escape sequences (no terminal injection)."""
    app.handle_line("/\x1b[2Jrols")
    assert "\x1b" not in printed.text and "did you mean /roles?" in printed.text


# --- history -------------------------------------------------------------------------------------

def test_history_is_kept_in_the_xdg_state_folder(engine, printed, state_home):
    """Questions are remembered in $XDG_STATE_HOME/careerbot/history."""
    chat(engine, "tell me about NLP engineers\n\x04", printed)
    history = (state_home / "careerbot" / "history").read_text()
    assert "+tell me about NLP engineers" in history


def test_history_path_falls_back_to_local_state(tmp_path, monkeypatch):
    """Without XDG_STATE_HOME (or with a relative one, which the spec says to ignore) the history
    lives in ~/.local/state/careerbot/history."""
    monkeypatch.setenv("HOME", str(tmp_path))
    expected = tmp_path / ".local" / "state" / "careerbot" / "history"
    assert history_path({}) == expected
    assert history_path({"XDG_STATE_HOME": "relative/state"}) == expected
    assert history_path({"XDG_STATE_HOME": "/xdg"}).as_posix() == "/xdg/careerbot/history"


def test_unwritable_history_warns_once_and_the_chat_goes_on(engine, printed, tmp_path, monkeypatch):
    """A history folder that cannot be created gives exactly one warning; the chat still answers,
    follow-ups included."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    code = chat(engine, "tell me about NLP engineers\nhow much do they make?\n\x04", printed)
    assert code == 0
    assert printed.text.count("history off for this chat") == 1
    assert "123,000" in printed.text


def test_a_history_write_failing_mid_chat_warns_once_and_the_chat_goes_on(engine, printed, monkeypatch):
    """When writing the history fails during the chat (disk full), one warning, and no crash."""
    def disk_full(self, string):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(FileHistory, "store_string", disk_full)
    code = chat(engine, "tell me about NLP engineers\nhow much do they make?\n\x04", printed)
    assert code == 0
    assert printed.text.count("No space left on device") == 1
    assert "123,000" in printed.text


# --- completion and toolbar ----------------------------------------------------------------------

def completions(app: ChatApp, text: str) -> list[str]:
    event = CompleteEvent(completion_requested=True)
    return [c.text for c in make_completer(app).get_completions(Document(text), event)]


def test_completion_offers_role_names_and_aliases_for_a_prefix(app):
    """Tab after a prefix offers the roles (names and aliases) it starts, over several words."""
    assert "NLP Engineer" in completions(app, "tell me about nl")
    assert "NLP" in completions(app, "tell me about nl")
    assert "Data Scientist" in completions(app, "what does a data sc")
    found = completions(app, "what does a data sc")
    assert all(name.lower().startswith(("data sc", "sc")) for name in found)


def test_completion_offers_skills(app):
    """Skill names complete too."""
    assert {"PyTorch", "Python"} <= set(completions(app, "which roles use py"))


def test_completion_offers_the_last_answers_suggestions(app):
    """On an empty line (or the start of one), Tab offers the last answer's follow-up questions."""
    assert completions(app, "") == []
    app.handle_line("tell me about NLP engineers")
    assert completions(app, "") == list(app.last_answer.suggestions)
    assert completions(app, "What does an NLP")[0] == app.last_answer.suggestions[0]


def test_completion_offers_slash_commands(app):
    """A slash at the start of the line completes the commands."""
    assert completions(app, "/r") == ["/roles", "/reset"]
    assert completions(app, "/explain now") == []


def test_toolbar_shows_the_role_in_context_and_hints(app):
    """The bottom toolbar names the roles in context and the key hints."""
    toolbar = make_toolbar(app)
    before = "".join(text for _, text in toolbar())
    assert "no role yet" in before and "/help" in before and "Ctrl-D" in before
    app.handle_line("data scientist vs ML engineer")
    after = "".join(text for _, text in toolbar())
    assert "Data Scientist & ML Engineer" in after


# --- colour --------------------------------------------------------------------------------------

class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_is_on_only_for_a_terminal_without_no_color():
    """Colours need a terminal, no --no-color and no (non-empty) NO_COLOR."""
    tty, pipe = FakeTerminal(), io.StringIO()
    assert color_enabled(True, {}, tty) is True
    assert color_enabled(True, {"NO_COLOR": "1"}, tty) is False
    assert color_enabled(True, {"NO_COLOR": ""}, tty) is True
    assert color_enabled(False, {}, tty) is False
    assert color_enabled(True, {}, pipe) is False


@pytest.mark.parametrize("no_color, coloured", [(None, True), ("1", False)])
def test_no_color_env_disables_colour_in_the_chat(engine, monkeypatch, no_color, coloured):
    """With NO_COLOR set the chat prints no colour codes, even on a terminal."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", no_color)
    monkeypatch.setattr(sys, "stdout", FakeTerminal())
    raw = io.StringIO()
    output = Vt100_Output(raw, lambda: Size(rows=40, columns=120), term="xterm-256color")
    with create_pipe_input() as pipe:
        pipe.send_text("tell me about NLP engineers\n\x04")
        assert run(engine, color=True, input=pipe, output=DummyOutput(), print_output=output) == 0
    assert "NLP Engineer" in raw.getvalue()
    assert bool(colour_codes(raw.getvalue())) is coloured


def test_no_color_option_disables_colour(engine, monkeypatch):
    """--no-color (color=False) prints no colour codes on a terminal."""
    monkeypatch.setattr(sys, "stdout", FakeTerminal())
    raw = io.StringIO()
    output = Vt100_Output(raw, lambda: Size(rows=40, columns=120), term="xterm-256color")
    with create_pipe_input() as pipe:
        pipe.send_text("/rols\n\x04")
        run(engine, color=False, input=pipe, output=DummyOutput(), print_output=output)
    assert "did you mean" in raw.getvalue() and colour_codes(raw.getvalue()) == []


# --- start-up cost -------------------------------------------------------------------------------

def test_ask_does_not_import_prompt_toolkit():
    """`careerbot ask` stays fast: prompt_toolkit is imported only for the chat."""
    script = ("import io, sys\n"
              "from careerbot.frontends.cli import main\n"
              "main(['ask', 'hi'], stdout=io.StringIO())\n"
              "print('prompt_toolkit' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- keeping up (picks echo, readable JSON, /clear, private and short history, the pager) -----------


def test_a_picked_number_echoes_the_question_it_stands_for(app, printed):
    """"2" prints the question it picks, and /explain then explains that question, not "2"."""
    app.handle_line("tell me about NLP engineers")
    second = app.last_answer.suggestions[1]
    printed.take()
    app.handle_line("2")
    assert printed.take().startswith(f"> {second}\n")
    app.handle_line("/explain")
    assert f'Why I answered "{second}"' in printed.take()


def test_json_is_pretty_printed(app, printed):
    """/json prints the answer object indented over several lines."""
    app.handle_line("/json")
    printed.take()
    app.handle_line("what does an NLP engineer earn?")
    shown = printed.take()
    assert json.loads(shown)["intent"] == "salary" and '\n  "intent": "salary"' in shown


def json_shown(engine, *, terminal: bool) -> str:
    """What /json then a question print: on a (fake) terminal, as the chat decides for one, or
    through a pipe."""
    stream = FakeTerminal() if terminal else io.StringIO()
    raw = io.StringIO()
    output = Vt100_Output(raw, lambda: Size(rows=40, columns=120), term="xterm-256color")
    app = ChatApp(engine, color=color_enabled(True, {}, stream), output=DummyOutput(), print_output=output)
    app.handle_line("/json")
    raw.seek(0)
    raw.truncate()
    app.handle_line("what does an NLP engineer earn?")
    return raw.getvalue().replace("\r\n", "\n")


def without_escapes(shown: str) -> str:
    return re.sub(r"\x1b\[[?0-9;]*[A-Za-z]", "", shown)


def test_json_is_coloured_on_a_terminal(engine):
    """On a terminal /json colours the object: keys one colour, text values another, numbers and
    true/false/null their own; without its colour codes it is the same indented JSON."""
    shown = json_shown(engine, terminal=True)
    data = json.loads(without_escapes(shown))
    assert data["intent"] == "salary" and '\n  "intent": "salary"' in without_escapes(shown)

    def colour_before(text: str) -> list[str]:
        return colour_codes(SGR.findall(shown[:shown.index(text)])[-1].join(("\x1b[", "m")))

    key, value = colour_before('"intent"'), colour_before('"salary"')
    number, constant = colour_before(str(data["confidence"])), colour_before("null")
    assert key and value and number and constant and len({*map(tuple, (key, value, number, constant))}) == 4


def test_json_is_plain_when_not_on_a_terminal(engine):
    """Through a pipe /json prints the indented JSON with no colour codes at all."""
    shown = json_shown(engine, terminal=False)
    assert colour_codes(shown) == [] and json.loads(without_escapes(shown))["intent"] == "salary"


def test_clear_clears_the_screen_and_keeps_the_conversation(engine, printed):
    """/clear erases the screen; the role in context stays."""
    class Recording(DummyOutput):
        erased = False

        def erase_screen(self):
            Recording.erased = True

    app = ChatApp(engine, color=False, output=DummyOutput(), print_output=Recording())
    app.handle_line("tell me about NLP engineers")
    assert app.handle_line("/clear") is True and Recording.erased
    assert app.chat.roles == ("nlp-engineer",)


def test_long_history_entries_are_not_suggested():
    """A pasted 2,900-character question is never offered as greyed-out text; a short one is."""
    history = InMemoryHistory()
    for entry in ("what does a data scientist earn", "what " + "x" * 2900):
        history.append_string(entry)
    buffer = Buffer(history=history)
    suggest = ShortAutoSuggest()
    assert suggest.get_suggestion(buffer, Document("what")).text == " does a data scientist earn"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_history_file_is_private(engine, printed, state_home):
    """The history file can be read and written by its owner only (mode 0600)."""
    chat(engine, "tell me about NLP engineers\n\x04", printed)
    mode = stat.S_IMODE((state_home / "careerbot" / "history").stat().st_mode)
    assert mode == 0o600


def test_a_long_answer_goes_through_the_pager(engine, printed, tmp_path, monkeypatch):
    """With the pager on, an answer longer than the terminal is handed to $PAGER whole; /pager off
    prints it instead."""
    received = tmp_path / "paged.txt"
    pager = tmp_path / "pager"
    pager.write_text(f"#!/bin/sh\ncat > '{received}'\n")
    pager.chmod(0o755)
    monkeypatch.setenv("PAGER", str(pager))
    app = ChatApp(engine, color=False, output=DummyOutput(), print_output=printed.output, pager=True)
    app.handle_line("which is better paid, cloud architect or ML engineer")     # 40 rows: more than fit
    app.handle_line("more")
    paged = received.read_text()
    assert "Cloud Architect" in paged and "You could ask next" in paged and "█" in paged
    assert "█" not in printed.take()
    received.unlink()
    app.handle_line("/pager off")
    app.handle_line("which is better paid, cloud architect or ML engineer")
    app.handle_line("more")
    assert not received.exists() and "█" in printed.take()
