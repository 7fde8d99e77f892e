"""The `careerbot` command line. It only calls the engine; exit codes are decided here."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, NoReturn, TextIO

from .. import CareerbotError, __version__
from . import kept_engine

if TYPE_CHECKING:
    import argparse

    from .. import Answer

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
EMPTY_QUESTION = "Ask me something about machine learning careers, e.g. careerbot ask \"what does an MLOps engineer earn\""
MAX_LINE_CHARS = 4_000
"""The longest line read from standard input (the API's limit for a question's text); a longer line
is cut there, with a message on standard error, so input without newlines cannot fill the memory."""


class UsageError(CareerbotError):
    exit_code = EXIT_USAGE


class StreamError(CareerbotError):
    """Standard input or output cannot be used: closed, full, failing, or a pipe whose reader left."""

    def __init__(self, message: str, broken_pipe: bool = False):
        super().__init__(message)
        self.broken_pipe = broken_pipe


class Output:
    """Standard output as the commands write to it: a write that fails (a closed descriptor, a full
    disk, a pipe whose reader left) is a `StreamError` with a plain message, never an OSError
    surfacing as a traceback."""

    def __init__(self, stream: TextIO | None):
        self.stream = stream
        encoding = (getattr(stream, "encoding", None) or "utf-8").replace("_", "-").lower()
        self.utf8 = encoding in ("utf-8", "utf8")
        """Whether everything can be written as it is; else JSON is written as ASCII escapes."""

    def write(self, text: str) -> None:
        self._do("write", text)

    def flush(self) -> None:
        self._do("flush")

    def isatty(self) -> bool:
        try:
            return self.stream is not None and self.stream.isatty()
        except (OSError, ValueError):
            return False

    def _do(self, method: str, *args) -> None:
        if self.stream is None:
            raise StreamError("cannot write to standard output: it is closed")
        try:
            getattr(self.stream, method)(*args)
        except BrokenPipeError:
            raise StreamError("standard output was closed by its reader", broken_pipe=True) from None
        except (OSError, ValueError) as error:     # ValueError: the file object itself was closed
            reason = getattr(error, "strerror", None) or str(error)
            raise StreamError(f"cannot write to standard output: {reason}") from None


def _data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge folder (default: the shipped one)")
    parser.add_argument("--intents", metavar="DIR", help="intents folder (default: the shipped one)")


def _parser_types() -> tuple[type, type]:
    """careerbot's argparse parser and help formatter. argparse (with gettext and locale) is imported
    only when arguments need it: a plain `careerbot ask QUESTION` is read without it (`_plain_ask`)."""
    import argparse

    class _Formatter(argparse.HelpFormatter):
        """argparse's formatter, sized with `os.get_terminal_size` (argparse's own imports shutil on
        every run, for help that is rarely printed)."""

        def __init__(self, prog: str, *args, **kwargs) -> None:
            if kwargs.get("width") is None:
                try:
                    kwargs["width"] = max(40, os.get_terminal_size().columns - 2)
                except OSError:
                    kwargs["width"] = 78
            super().__init__(prog, *args, **kwargs)

    class _Parser(argparse.ArgumentParser):
        """argparse's parser, except that help and the version written to a standard output that fails
        are a `StreamError` (argparse itself drops the error, and the text, without a word)."""

        def _print_message(self, message: str, file: TextIO | None = None) -> None:
            if not message:
                return
            if file is not None and file is sys.stderr:     # usage errors
                _write_stderr(message)
            elif file is not None or sys.stdout is None:    # help and version (None: stdout is closed)
                Output(file).write(message)
            # else a usage error with standard error closed: there is nowhere to say it

    return _Parser, _Formatter


def _ask_options(ask: argparse.ArgumentParser) -> None:
    ask.add_argument("question", nargs="*", metavar="QUESTION", help="the question (quotes optional)")
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    ask.add_argument("--explain", action="store_true",
                     help="show why: intents, keyword weights, entities, the evidence and the decision")
    ask.add_argument("--full", action="store_true",
                     help="the whole answer, not its short form (--json always carries it as full_text)")
    _log_option(ask)


def _eval_options(evaluate: argparse.ArgumentParser) -> None:
    evaluate.add_argument("file", metavar="FILE", nargs="?", help="the labelled file (not with --cross-validate)")
    evaluate.add_argument("--cross-validate", type=_positive, metavar="K",
                          help="instead of a file: score the intents' own examples K-fold (an engine built "
                               "without each fold answers it)")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.add_argument("--min-accuracy", type=float, metavar="X", help="exit 1 when overall accuracy is below X")


def _serve_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--workers", type=_positive, default=1, metavar="N", help="worker processes (default: 1)")
    serve.add_argument("--allowed-host", action="append", metavar="NAME",
                       help="a Host name to answer for, again for more ('*.example.com' for sub-domains, '*' for "
                            "any; default: localhost, 127.0.0.1, ::1 and --host)")
    _log_option(serve)


# --- the question log (opt-in): --log, CAREERBOT_LOG and `careerbot review` ------------------------

LOG_HELP = ("record questions and decisions in a database for `careerbot review`: sqlite:///PATH or "
            "postgresql://...; alone, a file in the state folder (default: off, or $CAREERBOT_LOG)")


_SUPPRESS = object()
"""The default of an option that sets no attribute at all when it is not given (argparse.SUPPRESS)."""


def _log_option(parser: argparse.ArgumentParser, default: object = _SUPPRESS) -> None:
    import argparse
    default = argparse.SUPPRESS if default is _SUPPRESS else default
    parser.add_argument("--log", nargs="?", const="", default=default, metavar="URL", help=LOG_HELP)


def _review_options(review: argparse.ArgumentParser) -> None:
    review.add_argument("--log", metavar="URL", help="the log to read (default: $CAREERBOT_LOG, else the file "
                                                     "`--log` alone writes)")
    review.add_argument("--since", metavar="WHEN", help="only questions since then: 7d, 12h, 2w or a date "
                                                        "(2026-11-30)")
    review.add_argument("--json", action="store_true", help="print the clusters as JSON")
    review.add_argument("--export", metavar="FILE", help="write the clusters as a labelled evaluation file "
                                                         "for `careerbot eval`, to check by hand")
    review.add_argument("--purge", action="store_true", help="delete the records older than --before")
    review.add_argument("--before", metavar="WHEN", help="with --purge: a date (2026-11-01) or an age (30d)")


def _log_flag_alone(argv: list[str]) -> list[str]:
    """`--log` followed by something that is not a database URL is `--log` on its own: in
    `careerbot ask --log "what does an MLE earn"` the question is the question."""
    argv = list(argv)
    for index, word in enumerate(argv[:-1]):
        if word == "--log" and "://" not in argv[index + 1]:
            argv[index] = "--log="
    return argv


def _log_url(args: argparse.Namespace) -> str | None:
    """The question log's URL, or None when it is off: --log, else $CAREERBOT_LOG. With the log off
    nothing of it is imported (a cold `careerbot ask` would pay for threading and queue)."""
    url = getattr(args, "log", None)
    if url is None:
        url = os.environ.get("CAREERBOT_LOG") or None      # _questionlog.ENV_LOG
    if url == "":
        from .questionlog import default_log_url
        url = default_log_url(os.environ)
    return url


_open_logs: list = []
"""The question logs this command opened; `main` writes and closes them before it returns."""


def _question_log(args: argparse.Namespace):
    """The opened question log, or None when it is off. A URL that cannot work is an error now;
    a database that does not answer only costs warnings later (answering goes on)."""
    url = _log_url(args)
    if url is None:
        return None
    from .questionlog import QuestionLog, stderr_warning
    question_log = QuestionLog.open(url, warn=stderr_warning)
    _open_logs.append(question_log)
    return question_log


def _close_logs() -> None:
    while _open_logs:
        _open_logs.pop().close()


def run_review(args: argparse.Namespace, stdout: TextIO) -> int:
    from .review import review
    return review(args, _log_url(args), stdout, _engine)


COMMANDS = {
    "ask": ("answer one question (or one a line from standard input)",
            "Answer a question. With no QUESTION, read standard input: one independent question a line, "
            "blank lines skipped.", _ask_options),
    "validate": ("check the knowledge and intent files",
                 "Check the knowledge and intent files; print file:line: message for each problem and exit 1 "
                 "when there are any.", None),
    "eval": ("score the engine on a labelled file", "Score the engine on a labelled evaluation file.",
             _eval_options),
    "serve": ("the HTTP API and the web chat page (needs careerbot[web])",
              "Serve POST /v1/ask, GET /v1/roles, GET /healthz, /openapi.json and the chat page at /. Needs the "
              "web extra: pip install 'careerbot[web]'.", _serve_options),
    "review": ("what people asked that careerbot could not answer (needs careerbot[log])",
               "Read the question log: questions answered out of scope, clarifications, low-confidence answers "
               "and answers marked unhelpful, grouped by need, most frequent first. --export writes them as an "
               "evaluation file to label; --purge --before deletes old records.", _review_options),
}
"""Each command: its one-line help, its description, and the function adding its own options."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, the sub-command parsers other than that one are left out (they
    are not needed to parse its arguments, and building each costs time on every start)."""
    _Parser, _Formatter = _parser_types()
    parser = _Parser(
        prog="careerbot", formatter_class=_Formatter,
        description="Answers questions about machine-learning careers: roles, salaries, skills, projects, "
                    "how to get in, industries and outlook. With no command: a chat on a terminal, or one "
                    "question a line (one conversation) from standard input.",
    )
    parser.add_argument("--version", action="version", version=f"careerbot {__version__}")
    parser.add_argument("--json", action="store_true", help="print one JSON object a line")
    parser.add_argument("--no-color", action="store_true", help="no colours in the chat")
    _log_option(parser, default=None)
    _data_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="careerbot")
    for name, (summary, description, add_options) in COMMANDS.items():
        if only is None or name == only:
            command = commands.add_parser(name, help=summary, description=description, formatter_class=_Formatter)
            if add_options:
                add_options(command)
            _data_options(command)
    return parser


def _plain_ask(argv: list[str]) -> SimpleNamespace | None:
    """`careerbot ask WORDS...` with no option (no word starting with "-"): the arguments argparse
    would give, without argparse (importing it and building the parser is more than a third of
    what a cold `careerbot ask` spends above Python's own start). None for anything else, which
    argparse reads. `tests/test_cli.py` holds the two to the same result."""
    if not argv or argv[0] != "ask" or any(word[:1] == "-" for word in argv[1:]):
        return None
    return SimpleNamespace(json=False, no_color=False, log=None, knowledge=None, intents=None, command="ask",
                           question=argv[1:], explain=False, full=False)


def _port(text: str) -> int:
    import argparse
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return int(text)


def _positive(text: str) -> int:
    import argparse
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {text!r}")
    return int(text)


def _engine(args: argparse.Namespace):
    """The engine of this command, kept to the end of the process (see `kept_engine`)."""
    return kept_engine(args.intents, args.knowledge)


def _lines(stream: TextIO) -> Iterable[str]:
    """The non-blank lines of `stream`, stripped, each cut at MAX_LINE_CHARS (saying so on stderr)."""
    number = 0
    while True:
        try:
            line = stream.readline(MAX_LINE_CHARS + 1)
            number += 1
            if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
                rest = line
                while rest and not rest.endswith("\n"):      # the rest of the line, read and dropped
                    rest = stream.readline(MAX_LINE_CHARS)
                _say(f"line {number:,} is longer than {MAX_LINE_CHARS:,} characters: only the first "
                     f"{MAX_LINE_CHARS:,} are read")
                line = line[:MAX_LINE_CHARS]
        except OSError as error:
            raise StreamError(f"cannot read standard input: {error.strerror or error}") from None
        if not line:
            return
        line = line.strip()
        if line:
            yield line


def _say(message: str) -> None:
    """A message on standard error."""
    _write_stderr(f"careerbot: {message}\n")


def _write_stderr(text: str) -> None:
    """Write to standard error; nothing when standard error itself cannot be written."""
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass


def run_ask(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    question = " ".join(args.question).strip()
    if args.question and not question:
        raise UsageError(EMPTY_QUESTION)
    if not args.question and stdin.isatty():
        raise UsageError(EMPTY_QUESTION)
    engine = _engine(args)
    question_log = _question_log(args)
    questions = [question] if question else _lines(stdin)
    first = True
    for text in questions:
        answer = engine.ask(text)
        if question_log is not None:
            question_log.record(text, answer, "ask")
        if args.full and not args.json:
            answer = answer.whole()
        elif not args.json:
            answer = _pointing_at_full(answer, text, args)
        if args.json:
            stdout.write(answer.to_json(explain=args.explain, ascii_only=not stdout.utf8) + "\n")
        else:
            stdout.write(("" if first else "\n") + answer.display(explain=args.explain) + "\n")
        first = False
    return EXIT_OK


FULL_COMMAND_MAX_CHARS = 100
"""The longest question a short answer's closing notice repeats in a `careerbot ask --full` command."""


def _pointing_at_full(answer: Answer, question: str, args: argparse.Namespace) -> Answer:
    """A short answer as a one-shot `ask` shows it. Its closing notice (`LeftOut`) says "more" gets
    the rest, but no next question follows here: it names `careerbot ask --full` instead."""
    from .. import LeftOut
    at = next((i for i, block in enumerate(answer.blocks) if isinstance(block, LeftOut)), None)
    if at is None:
        return answer
    notice = answer.blocks[at]
    folders = [word for option in ("knowledge", "intents") if getattr(args, option, None)
               for word in (f"--{option}", getattr(args, option))]
    command = " ".join(["careerbot ask --full", *map(_shell_word, folders), _shell_word(question)])
    if len(question) <= FULL_COMMAND_MAX_CHARS and command.isprintable():
        text = f"That is the short answer. For the rest{notice.names()}: {command}"
    else:
        text = f"That is the short answer. Ask again with --full for the rest{notice.names()}."
    return answer._replace(blocks=(*answer.blocks[:at], notice._replace(text=text), *answer.blocks[at + 1:]),
                           text=answer.text.replace(notice.text, text, 1))


def _shell_word(text: str) -> str:
    """`text` as one word of a command to copy into a shell: as it is when no shell reads anything
    into it, else in double quotes, which most shells read alike, unless it holds a character some
    shell treats specially even there."""
    if text and all(character.isalnum() or character in "@+=:,./_-" for character in text):
        return text
    if not set('"$`\\!%') & set(text):
        return f'"{text}"'
    import shlex
    return shlex.quote(text)


def run_conversation(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """Standard input that is not a terminal: one question a line, as one conversation."""
    from .. import clean_echo
    engine = _engine(args)
    question_log = _question_log(args)
    chat = engine.conversation()
    first = True
    for text in _lines(stdin):
        offers = chat.offers
        answer = chat.ask(text)
        if question_log is not None:
            question_log.record(text, answer, "chat")
        if args.json:
            stdout.write(answer.to_json(ascii_only=not stdout.utf8) + "\n")
        else:
            number = text.strip().rstrip(".)")
            picked = number.isascii() and number.isdigit() and 0 < int(number) <= len(offers)
            # a number that picks a suggestion is echoed as the question it stands for
            echo = clean_echo(offers[int(number) - 1].text if picked else text)
            stdout.write(("" if first else "\n") + f"> {echo}\n" + answer.display() + "\n")
        first = False
        stdout.flush()
    return EXIT_OK


def run_validate(args: argparse.Namespace, stdout: TextIO) -> int:
    from .. import Engine, validate
    problems = validate(intents=args.intents, knowledge=args.knowledge)
    if problems:
        for problem in problems:
            stdout.write(f"{problem}\n")
        if problems.unlisted:
            stdout.write(f"… and {problems.unlisted:,} more problems not listed\n")
        stdout.write(f"{problems.total:,} problem{'s' if problems.total != 1 else ''} found.\n")
        return EXIT_FAILURE
    catalogue = Engine.load(intents=args.intents, knowledge=args.knowledge).catalogue()
    examples = sum(len(intent.examples) for intent in catalogue.intents)
    stdout.write(f"OK: {len(catalogue.roles)} roles, {len(catalogue.topics)} topics, {len(catalogue.sources)} sources, "
                 f"{len(catalogue.intents)} intents with {examples} example phrases.\n")
    return EXIT_OK


def run_eval(args: argparse.Namespace, stdout: TextIO) -> int:
    import json

    from .. import EvalFileError, cross_validate, evaluate
    if (args.file is None) == (args.cross_validate is None):
        raise EvalFileError("give either a labelled FILE or --cross-validate K")
    engine = _engine(args)
    if args.cross_validate:
        report, name = cross_validate(engine, args.cross_validate), f"{args.cross_validate}-fold cross-validation"
    else:
        report, name = evaluate(engine, args.file), str(args.file)
    if args.json:
        stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=not stdout.utf8) + "\n")
    else:
        stdout.write(report.render(name) + "\n")
    accuracy = report.summary()["overall_accuracy"]
    if args.min_accuracy is not None and accuracy < args.min_accuracy:
        sys.stderr.write(f"careerbot: overall accuracy {accuracy:.1%} is below the minimum {args.min_accuracy:.1%}\n")
        return EXIT_FAILURE
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    try:
        from .server import serve
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] not in ("starlette", "uvicorn"):
            raise
        raise CareerbotError(f"the server needs the web extra ({error.name} is not installed): "
                             "install careerbot[web], e.g. pip install 'careerbot[web]'") from None
    log_url = _log_url(args)
    if log_url is not None:
        from .questionlog import open_store
        open_store(log_url).check()     # a log that cannot work stops here, before the server starts
    logging = {"log": log_url} if log_url is not None else {}
    serve(args.host, args.port, args.workers, intents=args.intents, knowledge=args.knowledge,
          allowed_hosts=args.allowed_host, **logging)
    return EXIT_OK


def run_chat(args: argparse.Namespace) -> int:
    from .repl import run
    engine = _engine(args)
    url = _log_url(args)
    if url is None:
        return run(engine, color=not args.no_color)
    from .questionlog import QuestionLog
    question_log = QuestionLog.open(url)       # its warnings are printed by the chat, between answers
    _open_logs.append(question_log)
    return run(engine, color=not args.no_color, question_log=question_log)


def _standard_streams() -> tuple[TextIO, TextIO | None]:
    """The process's standard input and output, made safe: undecodable input bytes and output
    characters the encoding lacks (LANG=C, PYTHONIOENCODING=latin-1) are replaced, not raised; a
    closed standard input reads as empty."""
    stdin, stdout = sys.stdin, sys.stdout
    for stream in (stdin, stdout):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, OSError, ValueError):
            pass
    return (stdin if stdin is not None else io.StringIO()), stdout


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    process_streams = stdout is None
    if stdin is None or process_streams:
        default_stdin, default_stdout = _standard_streams()
        stdin = default_stdin if stdin is None else stdin
        stdout = default_stdout if process_streams else stdout
    output = Output(stdout)
    try:
        code = _run(argv, stdin, output)
        if process_streams:
            output.flush()          # buffered answers fail here, not in Python's flush at exit
        return code
    except StreamError as error:
        if not error.broken_pipe:   # a reader that left early (`| head`) is no error of ours to report
            _say(str(error))
            return EXIT_FAILURE
        return EXIT_OK


def _run(argv: Sequence[str] | None, stdin: TextIO, stdout: Output) -> int:
    argv = _log_flag_alone(sys.argv[1:] if argv is None else list(argv))
    args = _plain_ask(argv)
    if args is None:
        first_word = next((word for word in argv if not word.startswith("-")), None)
        try:
            args = build_parser(only=first_word if first_word in COMMANDS else None).parse_args(argv)
        except SystemExit as stop:      # --help, --version and usage errors: printed, now their exit code
            return stop.code if isinstance(stop.code, int) else EXIT_FAILURE
    try:
        if args.command == "ask":
            return run_ask(args, stdin, stdout)
        if args.command == "validate":
            return run_validate(args, stdout)
        if args.command == "eval":
            return run_eval(args, stdout)
        if args.command == "serve":
            return run_serve(args)
        if args.command == "review":
            return run_review(args, stdout)
        if stdin.isatty() and stdout.isatty():
            return run_chat(args)
        return run_conversation(args, stdin, stdout)
    except StreamError:
        raise
    except CareerbotError as error:
        _say(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    finally:
        _close_logs()


def run() -> NoReturn:
    """The `careerbot` command: `main` on the process's own streams, then the process ends at once.

    When `main` returns, the command has done all it does: its output is written and flushed
    (a failure was reported), its question log written and closed, the engine cache renamed into
    place. What Python does at exit after that (clearing every module and the objects they hold,
    a last collection) only frees memory that the operating system takes back at once anyway: it
    took 2 to 3 ms, a twelfth of a cold `careerbot ask`. The standard streams are flushed once more
    first, for anything written to them directly; when that fails, the process exits as usual."""
    code = main()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
