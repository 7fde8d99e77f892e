"""Knowledge and intent files an attacker or an unlucky editor wrote: huge numbers, implausible
figures, terminal escapes, and folders made to cost time and memory. Each is a `file:line` problem
from `validate`, `ask`, `serve` and `Engine.load` alike, never a traceback, and validation stays
within a budget."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from careerbot import Engine, KnowledgeError
from careerbot.frontends.cli import main
from careerbot.knowledge.loader import MAX_AMOUNT, MAX_NAME_CHARS, MAX_PROBLEMS, MAX_PROBLEMS_PER_FILE, Budget

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
ROLE = "knowledge/roles/cloud-architect.yaml"
FIGURE = "average: 218000"


def edit(data_copy, relative: str, old: str, new: str) -> None:
    path = data_copy[0].parent / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(data_copy, relative: str, text: str) -> int:
    """The line of `relative` where `text` stands (problems name it)."""
    lines = (data_copy[0].parent / relative).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def run_command(command: str, data_copy, capsys) -> tuple[int, str]:
    """`careerbot COMMAND --knowledge --intents` on the copy: exit code and all it printed."""
    intents, knowledge = data_copy
    argv = [command, "--knowledge", str(knowledge), "--intents", str(intents)]
    argv += {"ask": ["what does a cloud architect earn"], "validate": [], "serve": ["--port", "0"]}[command]
    out = io.StringIO()
    code = main(argv, stdin=io.StringIO(""), stdout=out)
    printed = out.getvalue() + capsys.readouterr().err
    assert "Traceback" not in printed
    return code, printed


def problems(data_copy) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    return [str(p) for p in caught.value.problems]


# --- numbers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["validate", "ask", "serve"])
def test_an_integer_of_5000_digits_is_a_problem_with_its_line(data_copy, capsys, command):
    """Python refuses to read integers of more than 4,300 digits (a ValueError): such a number in a
    data file is `file:line: …` and exit 1 from validate, ask and serve, not a traceback."""
    line = line_of(data_copy, ROLE, FIGURE)
    edit(data_copy, ROLE, FIGURE, "average: " + "9" * 5000)
    code, printed = run_command(command, data_copy, capsys)
    assert code == 1 and f"{ROLE}:{line}: YAML error: a number of 5,000 characters" in printed


def test_engine_load_names_the_file_and_line_of_a_huge_integer(data_copy):
    """Engine.load raises KnowledgeError (not ValueError from int()) naming where the number stands."""
    edit(data_copy, "knowledge/topics/outlook.yaml", "title: ", "title: 1" + "0" * 4400 + " #")
    assert any(p.startswith("knowledge/topics/outlook.yaml:2: ") and "number" in p for p in problems(data_copy))


@pytest.mark.parametrize("amount, fragment", [
    (10 ** 400, "YAML error: a number of 401 characters"),
    (10 ** 25, "'average' is over the largest plausible figure"),
    (MAX_AMOUNT + 1, "'average' is over the largest plausible figure"),
], ids=["10^400", "10^25", "just over"])
def test_a_salary_beyond_the_plausible_range_is_refused(data_copy, capsys, amount, fragment):
    """A figure over MAX_AMOUNT (10^400 validated once, then crashed the charts with OverflowError)
    is a problem with its line."""
    line = line_of(data_copy, ROLE, FIGURE)
    edit(data_copy, ROLE, FIGURE, f"average: {amount}")
    code, printed = run_command("validate", data_copy, capsys)
    assert code == 1 and f"{ROLE}:{line}: {fragment}" in printed


def test_the_largest_plausible_salary_is_charted(data_copy):
    """A figure of MAX_AMOUNT validates, and the charted answers (a role's salary, the ranking) draw it."""
    edit(data_copy, ROLE, FIGURE, f"average: {MAX_AMOUNT}")
    engine = Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    assert "$10,000,000,000" in engine.ask("what does a cloud architect earn").text
    assert "$10000000k avg" in engine.ask("what is the best paid ML job").full_text


# --- text that would reach a terminal ----------------------------------------------------------------

ESCAPES = {"clear screen": r"\e[2J", "bell": r"\a", "8-bit CSI": r"\x9b2J", "right-to-left override": r"\u202e",
           "zero-width space": r"\u200b", "private use": r"\ue000", "nul": r"\0"}


TEXT_FIELDS = {
    "summary": ("  text: >-\n", '  text: "{esc}Cloud Architects design cloud architectures."\n  more: >-\n'),
    "name": ("name: Cloud Architect", 'name: "Cloud {esc}Architect"'),
    "alias": ("  - cloud architecture", '  - "cloud {esc}architecture"'),
    "fact": ('{text: "Design and manage', '{text: "{esc}Design and manage'),
}


CASES = {f"fact-{name}": (*TEXT_FIELDS["fact"], escape) for name, escape in ESCAPES.items()}
CASES.update({f"{field}-clear-screen": (*TEXT_FIELDS[field], ESCAPES["clear screen"])
              for field in TEXT_FIELDS if field != "fact"})


@pytest.mark.parametrize("old, new, escape", CASES.values(), ids=CASES.keys())
def test_control_and_format_characters_in_text_are_refused(data_copy, capsys, old, new, escape):
    """A YAML escape that puts a control or format character into any text field is a problem with
    its line; `ask` refuses the folder instead of printing the character."""
    edit(data_copy, ROLE, old, new.replace("{esc}", escape))
    code, printed = run_command("validate", data_copy, capsys)
    assert code == 1 and re.search(rf"^{ROLE}:\d+: .*holds an? [\w-]+ character \(U\+[0-9A-F]{{4}}\)", printed, re.M)
    if new.startswith("{text"):          # `ask` reads the folder as validate does: one field shows it
        code, printed = run_command("ask", data_copy, capsys)
        assert code == 1 and not CONTROL.search(printed)


def test_a_job_outside_ml_is_checked_like_any_text(data_copy, capsys):
    """The jobs of occupations.yaml are mapping keys, shown in answers: an escape in one is a problem."""
    path = data_copy[0] / "occupations.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nnear:" in text
    path.write_text(text.replace("\nnear:", '\nnear:\n  "nu\\e[2Jrse": [data-scientist]\nnearby:', 1)
                    .replace("\nnearby:", "", 1), encoding="utf-8")
    code, printed = run_command("validate", data_copy, capsys)
    assert code == 1 and re.search(r"^intents/occupations.yaml:\d+: a job holds a control character", printed, re.M)


def test_whitespace_inside_names_becomes_single_spaces(data_copy):
    """A tab or a no-break space inside a role name validates and is shown as a plain space."""
    edit(data_copy, ROLE, "name: Cloud Architect", 'name: "Cloud\\tCloud\\u00a0Architect"')
    engine = Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    assert engine.catalogue().role("cloud-architect").name == "Cloud Cloud Architect"


def test_a_name_longer_than_the_limit_is_refused(data_copy, capsys):
    """Names go into follow-up questions and saved conversations, so they have a length limit."""
    edit(data_copy, ROLE, "name: Cloud Architect", "name: Cloud Architect " + "x" * MAX_NAME_CHARS)
    code, printed = run_command("validate", data_copy, capsys)
    assert code == 1 and f"{ROLE}:2: 'name' is {MAX_NAME_CHARS + 16:,} characters long; the limit is 60" in printed


# --- what validation may cost ------------------------------------------------------------------------

def junk_topic(path: Path, values: int) -> None:
    """A topic whose sections are `values` numbers: each one is a problem."""
    path.write_text(f"id: {path.stem}\ntitle: Junk\nsections: [" + ",".join(["1"] * values) + "]\n")


def test_problems_are_listed_up_to_a_cap_per_file_and_in_all(data_copy, capsys):
    """Thousands of problems print at most MAX_PROBLEMS_PER_FILE lines a file, then "… and N more
    problems in this file", and at most MAX_PROBLEMS lines in all; the count line counts them all."""
    topics = data_copy[1] / "topics"
    for index in range(15):
        junk_topic(topics / f"junk-{index:02}.yaml", 1_000)
    code, printed = run_command("validate", data_copy, capsys)
    lines = printed.splitlines()
    per_file = 1_001          # each value, and the topic that no intent answers from
    assert code == 1 and lines[-1] == f"{15 * per_file:,} problems found."
    first = [line for line in lines if line.startswith("knowledge/topics/junk-00.yaml")]
    assert len(first) == MAX_PROBLEMS_PER_FILE + 1
    assert first[-1] == f"knowledge/topics/junk-00.yaml: … and {per_file - MAX_PROBLEMS_PER_FILE:,} more problems " \
                        "in this file"
    listed_files = MAX_PROBLEMS // MAX_PROBLEMS_PER_FILE
    assert lines[-2] == f"… and {(15 - listed_files) * per_file:,} more problems not listed"
    assert len(lines) == MAX_PROBLEMS + listed_files + 2


def test_a_file_of_many_values_is_refused_before_they_are_built(data_copy, peak_memory):
    """A 1.3 MB file of 650,000 one-byte values (9–15 s and 300 MB to build) is refused by counting
    them first: loading it never holds them in memory."""
    junk_topic(data_copy[1] / "topics" / "junk.yaml", 650_000)
    found, peak = peak_memory(problems, data_copy)
    assert peak < 30_000_000
    assert any(p.startswith("knowledge/topics/junk.yaml: the data files hold more than the "
                            f"{Budget.LIMITS['nodes']:,} values") for p in found), found


def spent_on(data_copy) -> dict[str, int]:
    """What validating the folders spends of each budget: entries, data files, bytes and values."""
    from careerbot.knowledge.yaml import count_nodes
    entries = [path for folder in data_copy for path in folder.rglob("*")]
    files = [path for path in entries if path.suffix == ".yaml"]
    return {"entries": len(entries), "files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "nodes": sum(count_nodes(p.read_bytes(), 10 ** 9) for p in files)}


@pytest.mark.parametrize("kind", ["entries", "files", "bytes", "nodes"])
def test_the_budget_of_a_folder_is_shared_by_its_files(data_copy, monkeypatch, capsys, kind):
    """Files each within the per-file limits are still refused once the folders as a whole are over
    their budget of entries, files, bytes or values (one problem says so); CAREERBOT_DATA_BUDGET=N
    allows N times as much, and the same folders then validate."""
    limit = spent_on(data_copy)[kind] // 3
    monkeypatch.setitem(Budget.LIMITS, kind, limit)
    code, printed = run_command("validate", data_copy, capsys)
    names = {"entries": "folder entries", "files": "data files", "bytes": "bytes", "nodes": "values"}
    assert code == 1 and f"more than the {limit:,} {names[kind]} careerbot reads in all" in printed
    assert "CAREERBOT_DATA_BUDGET=N" in printed and len(printed.splitlines()) < 10
    monkeypatch.setenv("CAREERBOT_DATA_BUDGET", "4")
    assert run_command("validate", data_copy, capsys)[0] == 0


@pytest.mark.parametrize("value", ["", "0.5", "many", "nan", "1e9"])
def test_a_budget_setting_that_makes_no_sense_keeps_the_default(monkeypatch, value):
    """CAREERBOT_DATA_BUDGET that is empty, below 1, not a number or absurd leaves the budget as it is."""
    monkeypatch.setenv("CAREERBOT_DATA_BUDGET", value)
    assert Budget().limits == Budget.LIMITS
