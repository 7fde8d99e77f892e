"""The `careerbot` command line, as a user runs it: answers, JSON, explanations, validation,
evaluation, exit codes and error messages."""

from __future__ import annotations

import io
import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from careerbot.frontends.cli import main

SHARED_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.yaml"


def run(argv: list[str], stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def test_ask_prints_the_answer_with_its_sources():
    """`careerbot ask` prints the answer, then the titles of its sources."""
    code, out = run(["ask", "how", "much", "does", "a", "computer", "vision", "engineer", "make"])
    assert code == 0
    assert "$121,000 – $205,000" in out and "Source" in out and "Machine Learning Engineer Jobs" in out


def test_ask_json_is_the_contract_object():
    """`--json` prints exactly one contract object."""
    code, out = run(["ask", "--json", "what does an MLOps engineer earn"])
    data = json.loads(out)
    assert code == 0 and data["intent"] == "salary" and data["entities"]["roles"] == ["mlops-engineer"]
    assert set(data) == {"text", "intent", "confidence", "entities", "sources", "suggestions", "parts", "blocks",
                         "references", "full_text"}


def test_ask_explain_shows_why():
    """`--explain` adds the scored intents, entities and the calibrated decision."""
    code, out = run(["ask", "--explain", "MLE pay?"])
    assert code == 0 and "Why this answer:" in out and "top intents:" in out and "answerable: probability" in out


def test_ask_reads_one_independent_question_a_line_from_stdin():
    """With no question, `ask` answers each line of standard input on its own, skipping blanks."""
    code, out = run(["ask", "--json"], stdin="tell me about NLP engineers\n\nhow much do they make?\n")
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(answers) == 2
    assert answers[1]["entities"]["roles"] == []          # no conversation: "they" is nobody


def test_empty_question_is_a_usage_error(capsys):
    """An empty question exits 2 with a prompt on standard error, never a traceback."""
    code, out = run(["ask", "  "])
    err = capsys.readouterr().err
    assert code == 2 and out == "" and "Ask me something" in err and "Traceback" not in err


def test_validate_ok_and_broken(data_copy, capsys):
    """`validate` says OK for the shipped files and lists file:line problems (exit 1) for broken ones."""
    code, out = run(["validate"])
    assert code == 0 and out.startswith("OK: 12 roles")
    intents, knowledge = data_copy
    role = knowledge / "roles" / "nlp-engineer.yaml"
    role.write_text(role.read_text().replace("low: 123000", "low: 999000"))
    code, out = run(["validate", "--knowledge", str(knowledge), "--intents", str(intents)])
    assert code == 1 and "knowledge/roles/nlp-engineer.yaml:" in out and "above the high figure" in out


def test_eval_reports_and_enforces_min_accuracy(tmp_path, capsys):
    """`eval` prints accuracy per part and exits 1 below `--min-accuracy`."""
    labelled = tmp_path / "small.yaml"
    labelled.write_text(
        "questions:\n"
        "  - {q: 'what does a data engineer do', intent: role_overview, roles: [data-engineer]}\n"
        "  - {q: 'cloud architect salary', intent: salary, roles: [cloud-architect], expect: ['218']}\n"
        "  - {q: 'what does a data engineer do', intent: salary, roles: [data-engineer]}\n"
        "dialogues:\n"
        "  - name: follow-up\n"
        "    turns:\n"
        "      - {q: 'tell me about NLP engineers', intent: role_overview, roles: [nlp-engineer]}\n"
        "      - {q: 'and their pay?', intent: salary, roles: [nlp-engineer]}\n"
        "out_of_scope:\n  - 'wake me up at 6:30 tomorrow'\n")
    code, out = run(["eval", str(labelled)])
    assert code == 0 and "overall accuracy: 83.3% (5/6)" in out and "dialogue turns" in out
    assert "salary → role_overview: 1" in out and "intent role_overview (expected salary)" in out
    code, _ = run(["eval", str(labelled), "--min-accuracy", "0.9"])
    assert code == 1 and "below the minimum" in capsys.readouterr().err
    code, out = run(["eval", str(labelled), "--json"])
    assert json.loads(out)["summary"]["dialogue_turn_accuracy"] == 1.0


def test_eval_on_a_missing_file_is_a_clear_error(tmp_path, capsys):
    """A missing evaluation file is reported plainly with a non-zero exit."""
    code, _ = run(["eval", str(tmp_path / "nope.yaml")])
    assert code == 2 and "cannot be read" in capsys.readouterr().err


@pytest.mark.skipif(not SHARED_DEV.exists(), reason="the shared development set is not beside the checkout")
def test_dev_set_scores_above_the_ci_bar():
    """The shipped engine keeps its accuracy on the development set."""
    code, out = run(["eval", str(SHARED_DEV), "--min-accuracy", "0.9"])
    assert code == 0


def test_python_dash_m_runs_the_cli():
    """`python -m careerbot` is the same command."""
    result = subprocess.run([sys.executable, "-m", "careerbot", "ask", "--json", "help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and json.loads(result.stdout)["intent"] == "help"


def test_a_piped_conversation_echoes_a_pick_as_its_question_and_more_gives_the_rest():
    """Piped, a number that picks a suggestion is echoed as the question it stands for, and "more"
    prints the whole of the last answer."""
    from careerbot import Engine
    engine = Engine.load()
    chat = engine.conversation()
    second = chat.ask("tell me about NLP engineers").suggestions[1]
    question = "how would I go about becoming a machine learning engineer"
    whole = engine.ask(question).full_text
    code, out = run([], stdin=f"tell me about NLP engineers\n2\n{question}\nmore\n")
    assert code == 0 and f"\n> {second}\n" in out
    assert out.count(whole) == 1 and "\n> more\n" in out


# --- a short answer from a one-shot `ask` points at --full, not at a "more" that cannot follow -----------

LONG = "how would I go about becoming a machine learning engineer"
SHORT_FORM = "That is the short answer."


def closing_notices(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(SHORT_FORM)]


@pytest.mark.parametrize("options, question", [
    ([], LONG),
    ([], "how would I go about becoming a machine learning engineer!"),
    ([], "what's the way to become a machine learning engineer"),
    (["--knowledge", "knowledge dir"], LONG),
], ids=["plain", "exclamation mark", "apostrophe", "own folder"])
def test_a_short_answer_from_ask_names_the_command_that_prints_the_rest(engine, data_copy, options, question):
    """`careerbot ask` answers once: its short answer's closing notice names the command for the
    rest, which a shell reads back as this question with --full (and the same folder), instead of
    saying "more". The rest of the answer, and what the notice says was left out, are unchanged."""
    if options:
        Path("knowledge").rename("knowledge dir")
    code, out = run(["ask", *options, question])
    own = engine.ask(question).display().splitlines()
    changed = [(mine, theirs) for mine, theirs in zip(out.splitlines(), own) if mine != theirs]
    assert code == 0 and len(out.splitlines()) == len(own) and len(changed) == 1, out
    notice, engine_notice = changed[0]
    left_out = engine_notice[engine_notice.index(" ("):-1]
    assert notice.startswith(f"{SHORT_FORM} For the rest{left_out}: careerbot ask --full ")
    assert '"more"' not in out
    command = shlex.split(notice.split(": ", 1)[1])
    assert command == ["careerbot", "ask", "--full", *options, question]
    code, whole = run(command[1:])
    assert code == 0 and closing_notices(whole) == [] and whole == engine.ask(question).whole().display() + "\n"


def test_a_long_question_is_not_repeated_in_the_closing_notice():
    """A question too long to copy is not repeated: the notice says to ask again with --full."""
    question = f"I have been a web developer for many years and I know Python well, so {LONG}"
    code, out = run(["ask", question])
    assert code == 0 and len(question) > 100
    assert closing_notices(out) == [closing_notices(out)[0]]
    assert closing_notices(out)[0].startswith(f"{SHORT_FORM} Ask again with --full for the rest (")


def test_questions_read_by_ask_each_name_their_own_command():
    """`careerbot ask < questions`: each short answer names the command for its own question."""
    code, out = run(["ask"], stdin=f"{LONG}\nhi\nwhat does an ML engineer earn\n")
    assert code == 0 and [notice.rsplit(": ", 1)[1] for notice in closing_notices(out)] == [
        f'careerbot ask --full "{LONG}"', 'careerbot ask --full "what does an ML engineer earn"']


def test_a_piped_conversation_still_offers_more(engine):
    """Piped to `careerbot` (one conversation), a next line can say "more": the notice is the engine's."""
    code, out = run([], stdin=f"{LONG}\n")
    assert code == 0 and closing_notices(out) == closing_notices(engine.ask(LONG).display())
    assert "--full" not in out


def test_serve_on_a_busy_port_exits_3():
    """`careerbot serve` on a port another program holds says so and exits 3, as the README lists."""
    import socket
    import subprocess
    import sys

    pytest.importorskip("uvicorn")
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "careerbot", "serve", "--port", str(port)],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 3 and "address already in use" in done.stderr


@pytest.mark.parametrize("argv, code, said", [
    (["--version"], 0, "careerbot "),
    (["ask", "--help"], 0, "usage: careerbot ask"),
    (["ask", "--bogus", "hi"], 2, "unrecognized arguments: --bogus"),
    (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
    (["eval"], 2, "give either a labelled FILE or --cross-validate K"),
    (["eval", "labelled.yaml", "--cross-validate", "2"], 2, "give either a labelled FILE or --cross-validate K"),
    (["eval", "labelled.yaml"], 2, "labelled.yaml:1: YAML error"),
    (["ask", "--knowledge", "no-such-folder", "hi"], 1, "no-such-folder: the knowledge folder does not exist"),
], ids=["version", "help", "unknown-option", "unknown-command", "eval-without-file", "eval-with-both",
        "eval-malformed", "missing-folder"])
def test_each_exit_code_is_the_one_the_readme_lists(tmp_path, monkeypatch, capsys, argv, code, said):
    """Help and the version exit 0; an option or command careerbot does not know, `eval` given
    neither or both of FILE and --cross-validate, and a malformed evaluation file are usage errors
    (2); a data folder that is not there is a data problem (1). Each says so, never with a traceback."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "labelled.yaml").write_text("questions: [\n")
    assert run(argv)[0] == code
    printed = capsys.readouterr()
    assert said in printed.out + printed.err and "Traceback" not in printed.err


def test_ctrl_c_exits_130():
    """Ctrl-C while careerbot reads its questions ends it with 130, the shell's code for SIGINT."""
    class Interrupted(io.StringIO):
        def __iter__(self):
            raise KeyboardInterrupt

        def readline(self, *_):
            raise KeyboardInterrupt

    assert main(["ask"], stdin=Interrupted(), stdout=io.StringIO()) == 130


# --- a plain `careerbot ask`, read without argparse ------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["ask", "what", "does", "an", "MLOps", "engineer", "earn"],
    ["ask", "what does an MLOps engineer earn"],
    ["ask"],
    ["ask", ""],
    ["ask", "validate", "eval"],
    ["ask", "what's", "a", "data-scientist", "worth", "$150k?"],
])
def test_a_plain_ask_is_read_exactly_as_argparse_reads_it(argv):
    """Unit test of the command line's internals: `careerbot ask WORDS` without options skips the
    parser, and gives the same arguments the parser gives."""
    from careerbot.frontends.cli import _plain_ask, build_parser
    assert vars(_plain_ask(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [
    ["ask", "--json", "hi"], ["ask", "hi", "--explain"], ["ask", "-h"], ["ask", "--", "-x"], ["ask", "hi", "--log"],
    ["--json", "ask", "hi"], ["validate"], ["eval", "file"], [], ["--version"], ["asks", "hi"],
])
def test_anything_but_a_plain_ask_goes_to_the_parser(argv):
    from careerbot.frontends.cli import _plain_ask
    assert _plain_ask(argv) is None


def test_a_plain_ask_imports_neither_argparse_nor_yaml():
    """`careerbot ask QUESTION` starts without importing argparse (nor YAML, nor the chat's
    prompt_toolkit); with an option it is read by argparse as before."""
    script = ("import io, sys\n"
              "from careerbot.frontends.cli import main\n"
              "main(['ask', 'what', 'does', 'an', 'MLOps', 'engineer', 'earn'], stdout=io.StringIO())\n"
              "print(sorted(name for name in ('argparse', 'yaml', 'prompt_toolkit') if name in sys.modules))\n"
              "main(['ask', '--json', 'hi'], stdout=io.StringIO())\n"
              "print('argparse' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split("\n")[:2] == ["[]", "True"]


def test_the_command_keeps_only_its_last_engine():
    """Unit test of the command line's internals: the engine is kept to the end of the process (not
    freed object by object at exit), and a second command in the same process replaces it."""
    from careerbot import frontends
    run(["ask", "hi"])
    first = frontends._kept[1]
    run(["ask", "thanks"])
    assert len(frontends._kept) == 2 and frontends._kept[0] is frontends._kept and frontends._kept[1] is not first
