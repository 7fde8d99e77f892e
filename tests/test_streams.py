"""Standard streams as an unlucky operator leaves them: closed, full, a pipe whose reader left, an
encoding that is not UTF-8, input without newlines. careerbot says what is wrong on standard error
and exits non-zero, or carries on; it never shows a traceback."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from careerbot.frontends.cli import MAX_LINE_CHARS, main

CAREERBOT = Path(sys.executable).with_name("careerbot")
QUESTION = "what does an NLP engineer earn"
posix_shell = pytest.mark.skipif(os.name != "posix", reason="closes descriptors with a POSIX shell")


def shell(command: str, **env: str) -> subprocess.CompletedProcess:
    """`careerbot` run by a shell with `command` as its arguments and redirections."""
    environment = {**os.environ, "CAREERBOT": str(CAREERBOT), **env}
    return subprocess.run(["sh", "-c", f'"$CAREERBOT" {command}'], capture_output=True, timeout=60, env=environment)


def assert_no_traceback(done: subprocess.CompletedProcess) -> None:
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr, done.stderr.decode()


@posix_shell
@pytest.mark.parametrize("command", [f'ask "{QUESTION}" >&-', f'ask --json "{QUESTION}" >&-', "--version >&-",
                                     f'ask "{QUESTION}" >/dev/full', f'ask "{QUESTION}" <&- >/dev/full',
                                     "validate >/dev/full", "--help >/dev/full"],
                         ids=["closed", "closed-json", "version-closed", "full", "full-no-stdin", "validate-full",
                              "help-full"])
def test_standard_output_that_cannot_be_written_is_a_message_and_exit_1(command):
    """Standard output closed (`>&-`) or full (`>/dev/full`): one line on standard error saying so,
    exit 1, no traceback (and no "Exception ignored" from Python's flush at exit)."""
    if "/dev/full" in command and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    done = shell(command)
    assert_no_traceback(done)
    assert done.returncode == 1 and done.stderr.decode().startswith("careerbot: cannot write to standard output")


@pytest.mark.parametrize("args", [["ask"], ["ask", "--json"], []], ids=["ask", "json", "conversation"])
def test_a_reader_that_leaves_early_ends_the_run_quietly(tmp_path, args):
    """`careerbot ask < questions | head -c 10`: once the reader has gone, careerbot stops without a
    traceback or a message (the reader chose to stop)."""
    questions = tmp_path / "questions.txt"
    questions.write_text((QUESTION + "\n") * 2000)
    with open(questions, "rb") as stdin, subprocess.Popen([str(CAREERBOT), *args], stdin=stdin,
                                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout.read(10)
        process.stdout.close()
        err = process.stderr.read()
        process.wait(timeout=60)
    assert process.returncode == 0 and b"Traceback" not in err and b"Exception ignored" not in err, err


@posix_shell
@pytest.mark.parametrize("command, code", [('ask "" 2>&-', 2), ('ask "" 2>/dev/full', 2),
                                           ("ask --knowledge /nonexistent hi 2>&-", 1), ("serve --port x 2>&-", 2)],
                         ids=["closed", "full", "missing-folder", "usage"])
def test_an_error_with_standard_error_closed_or_full_still_exits_with_its_code(command, code):
    """Nowhere to say what is wrong: still the exit code of that error (a crash would exit 1), and
    no traceback anywhere."""
    if "/dev/full" in command and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    done = shell(command)
    assert done.returncode == code and b"Traceback" not in done.stdout + done.stderr


@posix_shell
@pytest.mark.parametrize("command", ["ask <&-", "<&-", "--json <&-"])
def test_a_closed_standard_input_reads_as_empty(command):
    """Standard input closed (`<&-`): no questions, nothing printed, exit 0."""
    done = shell(command)
    assert_no_traceback(done)
    assert done.returncode == 0 and done.stdout == b""


STRICT_LOCALES = {
    "C locale": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
    "latin-1": {"PYTHONIOENCODING": "latin-1", "PYTHONUTF8": "0"},
}


def without_encoding_settings() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8", "LC_ALL", "LANG")}


@pytest.mark.parametrize("env", STRICT_LOCALES.values(), ids=STRICT_LOCALES.keys())
def test_an_output_encoding_other_than_utf8_replaces_what_it_cannot_encode(env):
    """Under LANG=C (no UTF-8 coercion) or PYTHONIOENCODING=latin-1 an answer with a chart (█, ·, –)
    prints, what the encoding lacks replaced by "?"; before, UnicodeEncodeError."""
    done = subprocess.run([str(CAREERBOT), "ask", QUESTION], capture_output=True, timeout=60,
                          env={**without_encoding_settings(), **env})
    assert_no_traceback(done)
    assert done.returncode == 0 and b"NLP Engineer salary" in done.stdout and b"?" in done.stdout


@pytest.mark.parametrize("env", STRICT_LOCALES.values(), ids=STRICT_LOCALES.keys())
def test_json_under_an_output_encoding_other_than_utf8_loses_nothing(env):
    """--json under a strict encoding escapes what the encoding lacks: the same object as in UTF-8."""
    def answer(environment: dict[str, str]) -> dict:
        done = subprocess.run([str(CAREERBOT), "ask", "--json", QUESTION], capture_output=True, timeout=60,
                              env=environment)
        assert_no_traceback(done)
        return json.loads(done.stdout)
    assert answer({**without_encoding_settings(), **env}) == answer({**os.environ, "PYTHONUTF8": "1"})


def test_input_without_newlines_is_cut_at_the_line_limit(capsys, peak_memory):
    """20 million characters without a newline (`yes | tr -d '\\n' | careerbot ask`) are read as one
    line cut at MAX_LINE_CHARS, with a message on standard error; memory stays small."""
    def ask(text: str) -> tuple[int, str, int]:
        stdin = io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8")
        out = io.StringIO()
        code, peak = peak_memory(main, ["ask"], stdin, out)
        return code, out.getvalue(), peak

    usual = ask(QUESTION + "\n")[2]               # loading the engine is most of it
    capsys.readouterr()
    code, printed, peak = ask(QUESTION + " " + "y" * 20_000_000)
    assert code == 0 and "NLP Engineer salary" in printed and peak < usual + 2_000_000
    assert capsys.readouterr().err == (f"careerbot: line 1 is longer than {MAX_LINE_CHARS:,} characters: only the "
                                       f"first {MAX_LINE_CHARS:,} are read\n")


def test_lines_up_to_the_limit_are_read_whole_and_the_next_line_still_counts(capsys):
    """A line of exactly MAX_LINE_CHARS is read as it is; after a cut line, the next line is a
    question of its own (the rest of the long line is dropped, not read as a question)."""
    exact = QUESTION + " " * (MAX_LINE_CHARS - len(QUESTION))
    stdin = io.StringIO(exact + "\n" + "hi " * MAX_LINE_CHARS + "salary salary\nwhich jobs work with Spark\n")
    out = io.StringIO()
    assert main(["ask", "--json"], stdin=stdin, stdout=out) == 0
    intents = [json.loads(line)["intent"] for line in out.getvalue().splitlines()]
    assert len(intents) == 3 and intents[0] == "salary" and intents[2] == "roles_by_skill"
    assert "line 2 is longer than" in capsys.readouterr().err


def test_the_process_ends_with_every_answer_written_and_every_question_logged(tmp_path):
    """`careerbot` ends its process as soon as a command is done, without Python's clean-up at
    exit: by then every answer has gone through the pipe (more of them than its buffer holds) and
    every question is in the question log."""
    asked = [f"{question} ({number})" for number in range(60)
             for question in ("what does a data engineer earn", "which skills does an NLP engineer need",
                              "how do I become an ML engineer")]
    log = tmp_path / "questions.sqlite3"
    done = subprocess.run([str(CAREERBOT), "ask", "--json", "--log", f"sqlite:///{log}"],
                          input="\n".join(asked).encode(), capture_output=True, timeout=120,
                          env={**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")})
    assert done.returncode == 0, done.stderr.decode()
    assert [json.loads(line)["intent"] for line in done.stdout.splitlines()] == ["salary", "skills", "how_to_become"] * 60
    with closing(sqlite3.connect(log)) as database:
        assert database.execute("select count(*) from careerbot_questions").fetchone()[0] == len(asked)
