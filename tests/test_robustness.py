"""Reliability and safety: hostile questions, hostile data files, hostile state, many threads.

Each test pins one protection a user would notice losing and fails when it is removed (each was
checked by removing it). Hypothesis runs derandomised, so the properties draw the same examples
every run and the file stays fast and deterministic.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from careerbot import MAX_QUESTION_CHARS, Answer, Engine, KnowledgeError, StateError, clean_echo
from careerbot.frontends.cli import main

LEVELS, OUT_OF_SCOPE = ("entry", "mid", "senior"), "out_of_scope"      # of the contract
from careerbot.knowledge.yaml import MAX_DEPTH, MAX_FILE_BYTES, YamlProblem, parse_yaml

CAREERBOT = Path(sys.executable).with_name("careerbot")

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters (tab and newline aside: answers are multi-line) and lone surrogates: neither
may reach a terminal or a UTF-8 encoder."""

ESCAPES = ("\x1b[2J\x1b[31m", "\x1b]0;title\x07", "\x9b2J", "\x1b[6n", "\x1bP+q\x1b\\", "\x07\x08\x7f")
"""Clear the screen and paint red, set the window title, 8-bit CSI, query the cursor (the terminal
answers by typing), a DCS string, bell/backspace/delete."""

PROPERTY = settings(max_examples=120, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
"""Derandomised: the same examples every run, so a property never fails by luck of the draw."""


def check_answer(engine: Engine, answer: Answer) -> None:
    """A well-formed answer of the contract, safe to print and to encode."""
    known = engine.catalogue()
    assert isinstance(answer, Answer)
    assert isinstance(answer.text, str) and answer.text.strip()
    assert answer.intent in {intent.id for intent in known.intents} | {OUT_OF_SCOPE}
    assert isinstance(answer.confidence, float) and 0.0 <= answer.confidence <= 1.0
    assert set(answer.roles) <= {role.id for role in known.roles}
    assert answer.level in (None, *LEVELS)
    assert answer.skill is None or isinstance(answer.skill, str)
    assert set(answer.sources) <= {source.id for source in known.sources}
    assert all(isinstance(s, str) and s.strip() for s in answer.suggestions)
    for shown in (answer.text, *answer.suggestions, str(answer.explain),
                  json.dumps(answer.to_dict(explain=True), ensure_ascii=False)):
        assert not UNSAFE.search(shown), repr(UNSAFE.search(shown).group())
        shown.encode("utf-8")


# --- any question is answered: properties ---------------------------------------------------------

ANY_CHARACTER = st.characters(exclude_categories=())      # every code point: controls, lone surrogates, unassigned
ODD = st.sampled_from(["\x00", "\r", "\t", "\x7f", "\x85", "\u200b", "\u202e", "\u2066", "\u0301", "\u0338",
                       "\ufdfa", "\ufeff", "\ud800", "\udfff", "²", "①", "😀", "👩\u200d💻", "مهندس", "דאטה",
                       *ESCAPES])
WORDS = st.sampled_from(["data scientist", "MLE", "ML eng", "nlp", "salary", "what does", "earn", "vs", "and",
                         "their", "kubernetes", "senior", "how do I become", "nurse", "1", "2", "?", "it",
                         "machin lerning enginer", "skills", "bye", "what about", "c++", "entry-level"])
QUESTIONS = st.one_of(
    st.text(ANY_CHARACTER, max_size=60),
    st.lists(st.one_of(WORDS, ODD, st.text(ANY_CHARACTER, min_size=1, max_size=6)), max_size=25).map(" ".join),
    st.lists(st.one_of(WORDS, ODD), min_size=1, max_size=12).map("".join),
)

DID_YOU_MEAN = {
    "version": 2, "roles": ["data-engineer"], "topic": None, "level": None, "idle": 0,
    "offers": [{"text": "What does a Data Engineer earn?", "intent": "salary", "roles": ["data-engineer"],
                "level": None, "skill": None},
               {"text": "What skills does a Data Engineer need?", "intent": "skills", "roles": ["data-engineer"],
                "level": None, "skill": None}],
    "choosing": True,
}
"""A conversation waiting for the answer to "did you mean …?": "1", "2" or the words pick a choice."""
OPENINGS = ((), ("tell me about NLP engineers",), ("data scientist vs ML engineer",),
            ("what would my responsibilities be",), ("what salary can I expect?",), ("hi",))


@PROPERTY
@given(text=QUESTIONS)
def test_engine_answers_any_text(engine, text):
    """Engine.ask on any text (controls, surrogates, emoji, RTL, combining marks, escapes) returns a
    valid answer and never raises (how long it takes: benchmarks/robustness.py)."""
    check_answer(engine, engine.ask(text))


@PROPERTY
@given(opening=st.sampled_from(OPENINGS + (None,)), texts=st.lists(QUESTIONS, min_size=1, max_size=3))
def test_conversation_answers_any_text(engine, opening, texts):
    """Conversation.ask on any text, after any kind of turn (a topic, a comparison, a clarification,
    a did-you-mean), answers validly, and its state always restores."""
    chat = engine.conversation(DID_YOU_MEAN if opening is None else None)
    for question in opening or ():
        chat.ask(question)
    for text in texts:
        check_answer(engine, chat.ask(text))
        state = json.loads(json.dumps(chat.state))
        assert engine.conversation(state).state == state


# --- any question is answered: the cases the issue names --------------------------------------------

HOSTILE_QUESTIONS = {
    "empty": "",
    "whitespace": " \t\n\r\x0b\x0c\u00a0\u2003\u3000 ",
    "punctuation": "?!.,;:…—«»¿¡()[]{}'\"",
    "emoji": "😀🚀🤖👩\u200d💻🏳️\u200d🌈 data scientist? 🤔",
    "right-to-left": "\u202eما هو راتب data scientist \u2067מהנדס\u2069?",
    "combining": "dáta̸ sc͓i͓e͓n͓t͓i͓s͓t̀́̂̃̄" + "\u0301" * 500,
    "control": "\x00what\x01 does\x02 an\x7f MLOps\x1b engineer\x9b earn\x00?\r\n",
    "lone surrogates": "\ud800 salary \udfff of a data \udbff\udc00scientist \ud800",
    "one megabyte": "what does a data scientist earn? " * 31_250,
    "one word 100,000 times": "salary " * 100_000,
    "one long word": "a" * 1_000_000,
    "digits": "1" * 5000,
    "expanding": "\ufdfa\u33c2" * 1000,
}


@pytest.mark.parametrize("text", HOSTILE_QUESTIONS.values(), ids=HOSTILE_QUESTIONS.keys())
@pytest.mark.parametrize("mode", ["ask", "conversation"])
def test_hostile_question_is_answered(engine, text, mode):
    """Each input the issue names is answered, stateless and in a conversation (how long it takes:
    benchmarks/robustness.py)."""
    if mode == "ask":
        ask = engine.ask
    else:
        chat = engine.conversation()
        chat.ask("tell me about NLP engineers")
        ask = chat.ask
    check_answer(engine, ask(text))


def test_text_over_the_limit_is_cut_with_a_note(engine):
    """Text up to MAX_QUESTION_CHARS is read whole; longer text is read to the limit and the answer
    says so (what follows the limit is not read)."""
    question = "what does a data scientist earn?"
    exact = question + " " * (MAX_QUESTION_CHARS - len(question))
    assert "longer than" not in engine.ask(exact).text
    over = engine.ask(exact + "x")
    assert over.intent == "salary" and f"longer than {MAX_QUESTION_CHARS:,} characters" in over.text
    hidden = engine.ask(" " * MAX_QUESTION_CHARS + question)
    assert hidden.intent != "salary" and "longer than" in hidden.text


def test_a_long_text_is_read_by_its_most_informative_parts(engine):
    """A pasted paragraph before the question: the question is still understood, and --explain says
    how much of the text was left unread."""
    story = ("I used to run a bakery, then spent some years doing odd jobs, and now I fix bikes on "
             "weekends while my kids are at their grandparents' place. ") * 4
    answer = engine.ask(story + "Which skills does an MLOps engineer need?")
    assert (answer.intent, answer.roles) == ("skills", ("mlops-engineer",))
    assert answer.explain.to_dict()["skipped_words"] > 0
    assert "words left out" in str(answer.explain)
    assert engine.ask("Which skills does an MLOps engineer need?").explain.to_dict()["skipped_words"] == 0


def test_internal_a_text_of_unknown_words_gets_a_bounded_number_of_fuzzy_lookups(engine, monkeypatch):
    """Unit test of internals: each run of unknown words may be a misspelt role or skill and is
    looked up fuzzily, but a text of nothing else gets a bounded number of lookups, the longest runs
    first; a question with a typo still finds it."""
    from careerbot.reading.entities import FUZZY_LOOKUPS, Gazetteer
    calls = []
    looked_up = Gazetteer.fuzzy
    monkeypatch.setattr(Gazetteer, "fuzzy", lambda self, gram, *a: calls.append(gram) or looked_up(self, gram, *a))
    gibberish = " ".join(f"zq{a}{b}x" for a in "bcdfghjk" for b in "lmnprstv")
    engine.ask(gibberish)
    assert 0 < len(calls) <= FUZZY_LOOKUPS
    assert engine.ask("what do machne lerning engineers earn").roles == ("ml-engineer",)


def test_a_question_must_be_text(engine):
    """A non-str question is a TypeError saying so, not a crash deep in the matcher."""
    for value in (None, b"salary", 42, ["salary"]):
        with pytest.raises(TypeError, match="must be text"):
            engine.ask(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["²", "³.", "①"])
def test_a_digit_that_is_not_decimal_is_answered(engine, text):
    """A superscript or circled digit after an answer with suggestions is answered, not raised on."""
    chat = engine.conversation()
    chat.ask("tell me about NLP engineers")
    check_answer(engine, chat.ask(text))


# --- nothing the user typed reaches the terminal raw ---------------------------------------------------

ECHO_TEMPLATES = (
    "how do I become a {esc}nurse",                        # out of scope: "not about nurses"
    "what does a data engineer earn and what skills{esc}",  # did you mean …?
    "machin{esc} lerning enginer salary",                   # typo corrections and fuzzy role words
    "{esc}blorptastic zwoggle {esc}",                        # unknown words listed in the explanation
    "{esc}",                                                 # nothing else
    "what would my responsibilities be{esc}",              # a clarification ("which role?"), where the escape reads as nothing
)


@pytest.mark.parametrize("escape", ESCAPES)
@pytest.mark.parametrize("template", ECHO_TEMPLATES)
def test_answers_and_explanations_never_echo_control_sequences(engine, template, escape):
    """Whatever careerbot shows back from a question (the explanation's words, corrections, unknown
    words, did-you-mean, clarifications) holds no terminal control characters."""
    answer = engine.ask(template.format(esc=escape))
    check_answer(engine, answer)
    chat = engine.conversation()
    chat.ask("tell me about data engineers")
    check_answer(engine, chat.ask(template.format(esc=escape)))


def test_clean_echo_removes_control_characters():
    """clean_echo, used for raw user text the REPL shows back, drops ESC, BEL, C1 controls and
    lone surrogates."""
    cleaned = clean_echo("a\x1b[2J\x1b[31mb\x1b]0;title\x07c\x9bd\ud800e\x00")
    assert not UNSAFE.search(cleaned) and cleaned.startswith("a") and cleaned.endswith("e")


def test_clean_echo_removes_whole_escape_sequences():
    """An escape sequence is removed whole, not just its ESC character."""
    assert clean_echo("\x1b[31mred\x1b[0m") == "red"
    assert clean_echo("\x9b31mred") == "red"
    assert clean_echo("\x1b]0;title\x07hi") == "hi"
    assert clean_echo("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\") == "link"


@pytest.mark.parametrize("options", [[], ["--explain"], ["--json", "--explain"]])
def test_cli_ask_output_holds_no_control_sequences(capsys, options):
    """`careerbot ask` prints answers (and --explain) to a terminal without the question's escapes."""
    out = io.StringIO()
    question = "\x1b[2J\x1b[31mhow do I become a \x1b]0;pwned\x07nurse\x9b"
    assert main(["ask", *options, question], stdout=out) == 0
    assert out.getvalue().strip() and not UNSAFE.search(out.getvalue())
    assert not UNSAFE.search(capsys.readouterr().err)


def test_cli_piped_conversation_echo_holds_no_control_sequences():
    """One question a line on standard input: the echoed questions hold no control sequences."""
    out = io.StringIO()
    stdin = io.StringIO("\x1b[2J\x1b[31mtell me about NLP engineers\x1b]0;pwned\x07\nand their salary?\x9b\n")
    assert main([], stdin=stdin, stdout=out) == 0
    assert "NLP" in out.getvalue() and not UNSAFE.search(out.getvalue())


def test_repl_explain_echo_holds_no_control_sequences(engine, tmp_path, monkeypatch):
    """The chat's /explain quotes the last question without its escape codes."""
    from prompt_toolkit.output import DummyOutput
    from prompt_toolkit.output.plain_text import PlainTextOutput

    from careerbot.frontends.repl import ChatApp
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    printed = io.StringIO()
    app = ChatApp(engine, color=False, output=DummyOutput(), print_output=PlainTextOutput(printed))
    app.handle_line("\x1b]0;pwned\x07what does a \x1b[2Jdata scientist\x9b earn?")
    app.handle_line("/explain")
    shown = printed.getvalue().replace("\r\n", "\n")         # the output writes terminal line ends
    assert "Why I answered" in shown and not UNSAFE.search(shown)


# --- knowledge files are data, never code -----------------------------------------------------------

def write(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def load_problems(data_copy) -> list[str]:
    intents, knowledge = data_copy
    with pytest.raises(KnowledgeError) as caught:
        Engine.load(intents=intents, knowledge=knowledge)
    return [str(p) for p in caught.value.problems]


def validate(data_copy, capsys) -> tuple[int, list[str]]:
    """`careerbot validate --knowledge --intents` on the copy: exit code and output lines."""
    intents, knowledge = data_copy
    out = io.StringIO()
    code = main(["validate", "--knowledge", str(knowledge), "--intents", str(intents)], stdout=out)
    assert "Traceback" not in capsys.readouterr().err
    return code, out.getvalue().splitlines()


PROBLEM_LINE = re.compile(r"^(knowledge|intents)/\S+?(:\d+)?: \S.*$")


def assert_reported(code: int, lines: list[str], prefix: str, fragment: str) -> None:
    """Exit 1; every line but the count is one `file[:line]: message`; one names the file and says why."""
    assert code == 1 and re.fullmatch(r"\d+ problems? found\.", lines[-1])
    assert all(PROBLEM_LINE.match(line) and not UNSAFE.search(line) for line in lines[:-1]), lines
    assert any(line.startswith(prefix) and fragment in line for line in lines[:-1]), lines


PYTHON_TAGS = ("!!python/object/apply:os.system", "!!python/object/new:os.system")


@pytest.mark.parametrize("tag", PYTHON_TAGS)
@pytest.mark.parametrize("top_level", [True, False], ids=["whole-file", "nested"])
def test_python_tags_are_refused_and_never_run(data_copy, tmp_path, capsys, tag, top_level):
    """A `!!python/object` tag is refused with file, line and a plain sentence; its command never runs."""
    marker = tmp_path / "pwned"
    payload = f'{tag} ["touch {marker}"]'
    content = payload + "\n" if top_level else f"id: evil\ntitle: {payload}\nsections: []\n"
    write(data_copy[1] / "topics" / "evil.yaml", content)
    line = 1 if top_level else 2
    assert any(p.startswith(f"knowledge/topics/evil.yaml:{line}: ") and "not allowed" in p
               for p in load_problems(data_copy))
    assert_reported(*validate(data_copy, capsys), f"knowledge/topics/evil.yaml:{line}:", "!!python/object")
    assert not marker.exists()


def test_the_python_tag_payload_is_live(tmp_path):
    """The payload above does run under an unsafe loader: the test above can fail."""
    marker = tmp_path / "pwned"
    yaml.unsafe_load(f'!!python/object/apply:os.system ["touch {marker}"]')
    assert marker.exists()


@pytest.mark.parametrize("content", ["!!python/name:os.system ''\n", "!!python/module:os ''\n",
                                     "id: !!python/tuple [a, b]\n", "id: !custom thing\n"])
def test_other_tags_are_refused(data_copy, content):
    """Python names, modules and tuples and unknown local tags are refused, not constructed."""
    write(data_copy[1] / "topics" / "evil.yaml", content)
    assert any(p.startswith("knowledge/topics/evil.yaml:1: YAML error: tags such as !!python/object are not "
                            "allowed") for p in load_problems(data_copy))


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))


def test_billion_laughs_is_refused(data_copy, capsys, peak_memory):
    """An alias bomb (9 levels of 9 aliases) is refused without being expanded, naming the line."""
    write(data_copy[1] / "topics" / "lol.yaml", BILLION_LAUGHS)
    problems, peak = peak_memory(load_problems, data_copy)
    assert peak < 20_000_000
    assert any(p.startswith("knowledge/topics/lol.yaml:") and "aliases" in p for p in problems)
    assert_reported(*validate(data_copy, capsys), "knowledge/topics/lol.yaml:", "anchors and aliases")


def test_a_50_mb_file_is_refused_by_size_without_being_read(data_copy, capsys, peak_memory):
    """A 50 MB data file is refused by its size, and loading never holds it in memory."""
    with open(data_copy[1] / "topics" / "big.yaml", "wb") as sparse:
        sparse.truncate(50_000_000)
    problems, peak = peak_memory(load_problems, data_copy)
    assert peak < 20_000_000
    assert f"knowledge/topics/big.yaml: the file is 50,000,000 bytes; data files may be at most " \
           f"{MAX_FILE_BYTES:,}" in problems
    assert_reported(*validate(data_copy, capsys), "knowledge/topics/big.yaml:", "50,000,000 bytes")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 990])
def test_deep_nesting_is_refused_not_a_recursion_error(data_copy, capsys, depth):
    """A 2 KB file of nested brackets is a clear problem, not a RecursionError from the YAML constructor."""
    write(data_copy[1] / "topics" / "deep.yaml", "id: deep\ntitle: " + "[" * depth + "]" * depth + "\n")
    assert any(p.startswith("knowledge/topics/deep.yaml:2:") and "nested" in p for p in load_problems(data_copy))
    assert_reported(*validate(data_copy, capsys), "knowledge/topics/deep.yaml:2:", "nested")


def test_nesting_the_data_needs_is_accepted():
    """The depth limit leaves room: MAX_DEPTH levels parse."""
    assert parse_yaml(("[" * MAX_DEPTH + "]" * MAX_DEPTH).encode(), "f.yaml") is not None
    with pytest.raises(YamlProblem):
        parse_yaml(("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)).encode(), "f.yaml")


# --- validation of a user's own folders ------------------------------------------------------------

BROKEN_FILES = {
    "not UTF-8": ("knowledge/topics/x.yaml", "id: x\ntitle: caf\xe9\n".encode("latin-1"), ":2:", "not UTF-8"),
    "top-level list": ("knowledge/roles/data-engineer.yaml", "- id: data-engineer\n- name: Data Engineer\n",
                       ":1:", "should be a mapping of fields, not a list"),
    "empty file": ("intents/salary.yaml", "", ":1:", "should be a mapping of fields, not empty"),
    "only a comment": ("knowledge/sources.yaml", "# nothing here\n", ":1:", "not empty"),
    "a scalar": ("intents/entities.yaml", "hello\n", ":1:", "not text"),
    "NUL byte": ("knowledge/topics/x.yaml", b"id: x\ntitle: a\x00b\n", ":2:", "U+0000"),
    "two documents": ("knowledge/topics/x.yaml", "id: x\n---\nid: y\n", ":2:", "single document"),
    "syntax error": ("intents/thanks.yaml", "id: thanks\nexamples: [\n", ":", "YAML error"),
    "syntax error at the end of a one-line file": ("intents/thanks.yaml", "id: [\n", ":1:", "YAML error"),
}


@pytest.mark.parametrize("relative, content, where, fragment", BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
def test_broken_file_is_reported_by_load_and_validate(data_copy, capsys, relative, content, where, fragment):
    """Engine.load and `careerbot validate --knowledge --intents` on a user's folders report a broken
    file as one `file:line: message` line; load raises and returns nothing."""
    write(data_copy[0].parent / relative, content)
    assert any(p.startswith(relative + where) and fragment in p for p in load_problems(data_copy))
    with pytest.raises(KnowledgeError):
        Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    assert_reported(*validate(data_copy, capsys), relative + where, fragment)


def test_validate_accepts_a_users_valid_folders(data_copy, capsys):
    """`careerbot validate --knowledge --intents` on an intact copy exits 0 with a summary."""
    code, lines = validate(data_copy, capsys)
    assert code == 0 and lines[-1].startswith("OK: 12 roles")


def test_unreadable_entries_are_problems_not_os_errors(data_copy, capsys):
    """A dangling link, a pipe named *.yaml and a folder link loop are reported; nothing hangs or raises
    OSError."""
    topics = data_copy[1] / "topics"
    (topics / "dangling.yaml").symlink_to(topics / "nowhere.yaml")
    os.mkfifo(topics / "pipe.yaml")
    (topics / "loop-a").symlink_to("..")
    (topics / "loop-b").symlink_to("..")
    problems = load_problems(data_copy)
    assert "knowledge/topics/dangling.yaml: not a regular file (a broken link, a pipe or a device?)" in problems
    assert "knowledge/topics/pipe.yaml: not a regular file (a broken link, a pipe or a device?)" in problems
    assert any(p.startswith("knowledge/topics/loop-a: ") and "link loop" in p for p in problems)
    assert_reported(*validate(data_copy, capsys), "knowledge/topics/dangling.yaml:", "not a regular file")


def test_file_names_are_shown_without_control_characters(data_copy, capsys):
    """A file whose name holds escape codes is named in problems with them escaped."""
    write(data_copy[1] / "topics" / "\x1b]0;pwned\x07\x1b[2J.yaml", "- a list\n")
    problems = load_problems(data_copy)
    assert any(p.startswith("knowledge/topics/\\x1b]0;pwned\\x07\\x1b[2J.yaml:1:") for p in problems)
    code, lines = validate(data_copy, capsys)
    assert code == 1 and not any(UNSAFE.search(line) for line in lines)


def test_a_broken_folder_never_yields_an_engine(data_copy, engine):
    """Load is all or nothing: a folder that loaded is refused once one file breaks (the compiled
    cache is not served), and the engine already loaded is untouched."""
    intents, knowledge = data_copy
    before = engine.ask("what does an NLP engineer earn?").to_dict()
    assert Engine.load(intents=intents, knowledge=knowledge).ask("hi").intent == "greeting"
    write(intents / "thanks.yaml", (intents / "thanks.yaml").read_text() + "oops: [\n")
    with pytest.raises(KnowledgeError, match="intents/thanks.yaml"):
        Engine.load(intents=intents, knowledge=knowledge)
    assert engine.ask("what does an NLP engineer earn?").to_dict() == before


@pytest.mark.parametrize("command", [["ask", "hi"], ["validate"], ["eval", "whatever.yaml"], []])
def test_a_missing_knowledge_folder_is_a_clear_error(tmp_path, capsys, command):
    """--knowledge naming a folder that does not exist: exit 1 with the folder named, no traceback."""
    out = io.StringIO()
    missing = str(tmp_path / "nope")
    code = main([*command[:1], "--knowledge", missing, *command[1:]], stdin=io.StringIO("hi\n"), stdout=out)
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert f"{missing}: the knowledge folder does not exist" in err + out.getvalue()


def test_ask_with_a_broken_folder_lists_the_problems(data_copy, capsys):
    """`careerbot ask --knowledge --intents` on a broken folder exits 1 listing each problem."""
    intents, knowledge = data_copy
    write(knowledge / "roles" / "data-engineer.yaml", "- a list\n")
    code = main(["ask", "--knowledge", str(knowledge), "--intents", str(intents), "hi"], stdout=io.StringIO())
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "knowledge/roles/data-engineer.yaml:1: a role file should be a mapping of fields" in err


# --- threads ----------------------------------------------------------------------------------------

THREAD_ROLES = ("nlp-engineer", "data-scientist", "mlops-engineer", "cloud-architect", "data-engineer",
                "computer-vision-engineer", "ml-engineer", "ai-product-manager")
STATELESS = ("what does an MLOps engineer earn?", "data scientist vs ML engineer", "hi", "how do I bake bread",
             "which roles use Kubernetes?", "\x1b[2J what about 😀", "", "entry level salary")
FOLLOW_UPS = ("how much do they make?", "what skills does it need", "how do I become one")


def thread_cycle(engine: Engine, index: int) -> list[tuple[dict, dict]]:
    """One cycle of thread `index`: a conversation about its own role, a stateless question each turn."""
    name = engine.catalogue().role(THREAD_ROLES[index]).name
    chat = engine.conversation()
    results = []
    for turn, question in enumerate((f"tell me about the {name} role", *FOLLOW_UPS)):
        if turn == 2:
            chat = engine.conversation(chat.state)       # restored mid-dialogue, as a server does
        stateless = engine.ask(STATELESS[(index + turn) % len(STATELESS)]).to_dict()
        results.append((chat.ask(question).to_dict(), stateless))
    return results


def test_threads_share_one_engine_with_the_answers_of_one_thread(engine):
    """8 threads × about 500 questions on one engine (stateless ones and per-thread conversations,
    each about a different role), switching every millisecond, give exactly the answers one thread
    gives; no conversation sees another's role."""
    expected = [thread_cycle(engine, i) for i in range(len(THREAD_ROLES))]
    for index, cycle in enumerate(expected):
        assert all(chat["entities"]["roles"] == [THREAD_ROLES[index]] for chat, _ in cycle)
    cycles = 4_000 // (len(THREAD_ROLES) * 2 * len(expected[0])) + 1
    barrier = threading.Barrier(len(THREAD_ROLES))
    failures: list[str] = []

    def work(index: int) -> None:
        try:
            barrier.wait()
            for cycle in range(cycles):
                got = thread_cycle(engine, index)
                if got != expected[index]:
                    turn = next(t for t, pair in enumerate(got) if pair != expected[index][t])
                    summary = [(a["intent"], a["entities"]["roles"]) for a in got[turn] + expected[index][turn]]
                    failures.append(f"thread {index}, cycle {cycle}, turn {turn}: (conversation, stateless) "
                                    f"answered {summary[:2]}, one thread answers {summary[2:]}")
                    return
        except Exception as error:                     # reported below, not lost in the thread
            failures.append(f"thread {index}: {error!r}")

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-3)                        # switch threads often, to interleave the engine's work
    try:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(THREAD_ROLES))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    assert not failures, failures[0]


# --- conversation state from outside ------------------------------------------------------------------

def nested(depth: int, inner: object = None, as_dict: bool = False) -> object:
    value = inner
    for _ in range(depth):
        value = {"a": value} if as_dict else [value]
    return value


GOOD_STATE = {"version": 2, "roles": ["nlp-engineer"], "topic": "salary", "level": None, "idle": 0,
              "offers": [{"text": "What skills does an NLP Engineer need?", "intent": "skills",
                          "roles": ["nlp-engineer"], "level": None, "skill": None, "amount": None, "focus": []}],
              "choosing": False}
VERSION_1 = {"version": 1, "roles": ["nlp-engineer"], "topic": "salary", "level": None, "idle": 0,
             "suggestions": ["What skills does an NLP Engineer need?"], "choices": []}
OFFER = DID_YOU_MEAN["offers"][0]
BAD_STATES = {
    "a list": [GOOD_STATE],
    "a string": json.dumps(GOOD_STATE),
    "bytes": json.dumps(GOOD_STATE).encode(),
    "no version": {k: v for k, v in GOOD_STATE.items() if k != "version"},
    "version true": {**GOOD_STATE, "version": True},
    "version 1.0": {**GOOD_STATE, "version": 1.0},
    "version '1'": {**GOOD_STATE, "version": "1"},
    "version nested 100,000 deep": {**GOOD_STATE, "version": nested(100_000)},
    "version a nested dict": {**GOOD_STATE, "version": nested(100_000, as_dict=True)},
    "version a huge number": {**GOOD_STATE, "version": 10 ** 5000},
    "version a million items": {**GOOD_STATE, "version": list(range(1_000_000))},
    "100,000 unknown fields": {**GOOD_STATE, **{f"field{i}": i for i in range(100_000)}},
    "a deep unknown field": {**GOOD_STATE, "x": nested(100_000)},
    "a million roles": {**GOOD_STATE, "roles": ["nlp-engineer"] * 1_000_000},
    "three roles": {**GOOD_STATE, "roles": ["nlp-engineer", "data-scientist", "ml-engineer"]},
    "a role twice": {**GOOD_STATE, "roles": ["nlp-engineer", "nlp-engineer"]},
    "roles nested deep": {**GOOD_STATE, "roles": nested(100_000)},
    "an unknown role": {**GOOD_STATE, "roles": ["astronaut"]},
    "roles a string": {**GOOD_STATE, "roles": "nlp-engineer"},
    "topic a list": {**GOOD_STATE, "topic": ["salary"]},
    "topic unknown": {**GOOD_STATE, "topic": "world-domination"},
    "level a dict": {**GOOD_STATE, "level": {}},
    "idle a float": {**GOOD_STATE, "idle": 1.5},
    "idle huge": {**GOOD_STATE, "idle": 10 ** 5000},
    "idle negative": {**GOOD_STATE, "idle": -1},
    "idle true": {**GOOD_STATE, "idle": True},
    "choosing a string": {**GOOD_STATE, "choosing": "yes"},
    "offers an object": {**GOOD_STATE, "offers": {"text": "What skills does an NLP Engineer need?"}},
    "a 1 MB offer": {**GOOD_STATE, "offers": [{"text": "x" * 1_000_000}]},
    "a million offers": {**GOOD_STATE, "offers": [OFFER] * 1_000_000},
    "six offers": {**GOOD_STATE, "offers": [OFFER] * 6},
    "an offer with escapes": {**GOOD_STATE, "offers": [{"text": "\x1b[2J\x1b]0;pwned\x07"}]},
    "an offer with a surrogate": {**GOOD_STATE, "offers": [{"text": "\ud800"}]},
    "an empty offer": {**GOOD_STATE, "offers": [{"text": ""}]},
    "an offer without its text": {**GOOD_STATE, "offers": [{k: v for k, v in OFFER.items() if k != "text"}]},
    "a plan without its intent": {**GOOD_STATE, "offers": [{"text": "x", "roles": ["nlp-engineer"]}]},
    "an offer with a role twice": {**GOOD_STATE, "offers": [{**OFFER, "roles": ["nlp-engineer"] * 2}]},
    "an offer with a million roles": {**GOOD_STATE, "offers": [{**OFFER, "roles": ["nlp-engineer"] * 1_000_000}]},
    "an offer nested deep": {**GOOD_STATE, "offers": [nested(100_000, as_dict=True)]},
    "an offer not an object": {**GOOD_STATE, "offers": ["salary"]},
    "an offer of an unknown intent": {**GOOD_STATE, "offers": [{**OFFER, "intent": "rm -rf"}]},
    "an offer with deep roles": {**GOOD_STATE, "offers": [{**OFFER, "roles": nested(100_000)}]},
    "an offer with a huge skill": {**GOOD_STATE, "offers": [{**OFFER, "skill": "x" * 1_000_000}]},
    "an offer with an escape skill": {**GOOD_STATE, "offers": [{**OFFER, "skill": "\x1b[2J"}]},
    "version 1 with offers": {**VERSION_1, "offers": []},
    "version 1, a 1 MB suggestion": {**VERSION_1, "suggestions": ["x" * 1_000_000]},
    "version 1, a suggestion with escapes": {**VERSION_1, "suggestions": ["\x1b[2J\x1b]0;pwned\x07"]},
    "version 1, a million choices": {**VERSION_1, "choices": [{"intent": "salary"}] * 1_000_000},
    "version 1, a choice of an unknown intent": {**VERSION_1, "choices": [{"intent": "rm -rf"}]},
}


@pytest.mark.parametrize("state", BAD_STATES.values(), ids=BAD_STATES.keys())
def test_bad_state_is_a_state_error(engine, state):
    """State from outside that is the wrong type, too big, too deep or forged raises StateError
    (a ValueError) with a short message; never RecursionError, MemoryError or TypeError. Each case
    breaks one rule only (a million choices that are each valid), so each fails without its check."""
    with pytest.raises(StateError) as caught:
        engine.conversation(state)
    assert isinstance(caught.value, ValueError) and len(str(caught.value)) < 300
    assert not UNSAFE.search(str(caught.value))


def test_good_state_restores(engine):
    """The state a conversation exports restores to the same conversation."""
    chat = engine.conversation(GOOD_STATE)
    assert chat.state == GOOD_STATE and chat.ask("what about data engineers?").roles == ("data-engineer",)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(ANY_CHARACTER, max_size=12)
    | st.sampled_from(["nlp-engineer", "salary", "entry", 1, 0, 2]),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner, max_size=6),
    max_leaves=25)
STATE_FIELDS = ("version", "roles", "topic", "level", "idle", "offers", "choosing")


OFFERS = st.lists(st.fixed_dictionaries({
    "text": st.sampled_from(["What does a Data Engineer earn?", "", "x" * 201, "\x1b[2J", 1]),
}, optional={
    "intent": st.sampled_from(["salary", "skills", "role_overview", "compare_roles", "industries", "greeting",
                               "nope"]),
    "roles": st.lists(st.sampled_from(["nlp-engineer", "data-scientist", "ml-engineer"]), max_size=4),
    "level": st.sampled_from([None, "entry", "senior"]),
    "skill": st.sampled_from([None, "Python", "SQL"]),
    "amount": st.sampled_from([None, 0, 95_000, -1, True, 1.5, "95k"]),
    "focus": st.sampled_from([[], ["data"], ["pipeline", "deploy"], ["x y"], [""], ["a1"], "data", ["a" * 1001]]),
}), max_size=3)


def is_valid_state(state: object, engine: Engine) -> bool:
    """The contract's rules for a state, written out independently of careerbot's own checks."""
    known = engine.catalogue()
    roles, intents = {role.id for role in known.roles}, {intent.id for intent in known.intents}

    def text(value, limit):
        return isinstance(value, str) and 0 < len(value) <= limit and value.isprintable()

    def role_ids(value, limit):
        return (isinstance(value, list) and len(value) <= limit and len(set(map(repr, value))) == len(value)
                and all(isinstance(r, str) and r in roles for r in value))

    def plan(value):
        amount, focus = (value.get("amount"), value.get("focus", [])) if isinstance(value, dict) else (None, [])
        return (isinstance(value, dict) and set(value) <= {"intent", "roles", "level", "skill", "amount", "focus"}
                and isinstance(value.get("intent"), str) and value["intent"] in intents
                and role_ids(value.get("roles", []), len(roles)) and value.get("level") in (None, *LEVELS)
                and (value.get("skill") is None or text(value["skill"], 100))
                and (amount is None or (type(amount) is int and 0 <= amount < 10 ** 1000))
                and isinstance(focus, list) and all(isinstance(w, str) and w.isalpha() for w in focus)
                and sum(len(w) for w in focus) <= MAX_QUESTION_CHARS)

    def offer(value):
        if not isinstance(value, dict) or not text(value.get("text"), 200):
            return False
        rest = {k: v for k, v in value.items() if k != "text"}
        return not rest or plan(rest)

    if not isinstance(state, dict):
        return False
    version, idle = state.get("version"), state.get("idle", 0)
    common = (role_ids(state.get("roles", []), 2)
              and (state.get("topic") is None or (isinstance(state["topic"], str) and state["topic"] in intents))
              and state.get("level") in (None, *LEVELS) and type(idle) is int and 0 <= idle <= 2)
    if type(version) is int and version == 1:
        suggestions, choices = state.get("suggestions", []), state.get("choices", [])
        return (not set(state) - {"version", "roles", "topic", "level", "idle", "suggestions", "choices"} and common
                and isinstance(suggestions, list) and len(suggestions) <= 5 and all(text(t, 200) for t in suggestions)
                and isinstance(choices, list) and len(choices) <= 5 and all(plan(c) for c in choices))
    offers = state.get("offers", [])
    return (type(version) is int and version == 2 and not set(state) - set(STATE_FIELDS) and common
            and isinstance(offers, list) and len(offers) <= 5 and all(offer(o) for o in offers)
            and isinstance(state.get("choosing", False), bool))


@PROPERTY
@example(changes={"idle": True}, drop=set(), pick="1")
@example(changes={"roles": ["nlp-engineer", "nlp-engineer"]}, drop=set(), pick="1")
@given(changes=st.dictionaries(st.sampled_from(STATE_FIELDS) | st.text(max_size=6),
                               JSON_VALUES | OFFERS, max_size=4),
       drop=st.sets(st.sampled_from(STATE_FIELDS)), pick=st.sampled_from(["1", "2", "3", "salary"]))
def test_a_state_restores_exactly_when_it_is_valid(engine, changes, drop, pick):
    """Any mutation of a valid state restores if and only if the contract's rules allow it (a bad
    state accepted fails as surely as a good one refused); a restored state exports unchanged and
    its conversation answers."""
    state = {k: v for k, v in {**DID_YOU_MEAN, **changes}.items() if k not in drop}
    valid = is_valid_state(state, engine)
    try:
        chat = engine.conversation(state)
    except StateError:
        assert not valid, f"a valid state was refused: {state!r}"
        return
    assert valid, f"an invalid state was accepted: {state!r}"
    defaults = {"version": 2, "roles": [], "topic": None, "level": None, "idle": 0, "offers": [], "choosing": False}
    kept = {k: v for k, v in state.items() if k in STATE_FIELDS}      # a version-1 state is exported as version 2
    plan = {"roles": [], "level": None, "skill": None, "amount": None, "focus": []}
    expected = {**defaults, **kept, "version": 2,
                "offers": [{**plan, **o} if "intent" in o else o for o in state.get("offers", [])]}
    assert chat.state == expected
    check_answer(engine, chat.ask(pick))
    assert engine.conversation(chat.state).state == chat.state


@pytest.mark.parametrize("choice", [{"intent": "role_overview", "roles": []},
                                    {"intent": "compare_roles", "roles": ["nlp-engineer"]}])
def test_picking_a_choice_that_lacks_its_roles_is_answered(engine, choice):
    """Picking a did-you-mean choice whose intent needs roles it lacks asks for them, never raises."""
    state = {**DID_YOU_MEAN, "roles": [],
             "offers": [{"text": "Which courses help me learn machine learning?", "intent": "learning_resources",
                         "roles": [], "level": None, "skill": None},
                        {"text": "A choice", "level": None, "skill": None, **choice}]}
    check_answer(engine, engine.conversation(state).ask("2"))


# --- the command line never shows a traceback -----------------------------------------------------------

@pytest.mark.parametrize("argv", [["ask", ""], ["ask", "", "\t"]])
def test_ask_with_an_empty_question_is_a_usage_error(capsys, argv):
    """`careerbot ask ""` exits non-zero with a message on stderr, no traceback, nothing on stdout."""
    out = io.StringIO()
    code = main(argv, stdout=out)
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("careerbot: ") and "Traceback" not in err and not out.getvalue()


INVALID_UTF8 = b"what does a data scientist \xff\xfe earn?\n\xc3\x28\n\x80tell me about NLP engineers\n"


def run_careerbot(*args: str, stdin: bytes, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(CAREERBOT), *args], input=stdin, capture_output=True, timeout=60,
                          env={**os.environ, "PYTHONUTF8": "1", **(env or {})})


@pytest.mark.parametrize("args", [["ask"], ["ask", "--json"], []], ids=["ask", "ask-json", "piped-chat"])
def test_invalid_utf8_on_stdin_is_answered(args):
    """Bytes that are not UTF-8 on standard input are answered line by line, without a traceback."""
    done = run_careerbot(*args, stdin=INVALID_UTF8)
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    if "--json" in args:
        assert [json.loads(line)["intent"] for line in done.stdout.splitlines()][0] == "salary"
    assert done.stdout.count(b"You could ask next") == (0 if "--json" in args else 3)


@pytest.mark.parametrize("env", [{"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0"},
                                 {"PYTHONIOENCODING": "latin-1"}], ids=["C-locale", "latin-1"])
def test_invalid_utf8_on_stdin_is_answered_under_a_strict_locale(env):
    """Bytes that are not UTF-8 on standard input, under a locale that is not UTF-8 either (so the
    answers, with their charts, cannot be written as they are): every line answered, no traceback."""
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_ALL", "LANG")}
    done = subprocess.run([str(CAREERBOT), "ask"], input=INVALID_UTF8, capture_output=True, timeout=60,
                          env={**environment, "PYTHONUTF8": "0", **env})
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert done.stdout.count(b"You could ask next") == 3


def run_eval(path: Path, capsys) -> tuple[int, str]:
    code = main(["eval", str(path)], stdout=io.StringIO())
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


@pytest.mark.parametrize("content, fragment", [
    ("questions: [\n", ":1: YAML error"),
    ("- a list\n", "expected a mapping"),
    ("", "expected a mapping"),
    ("questions:\n  - {intent: salary}\n", ":2: each question needs a text field 'q'"),
    ('!!python/object/apply:os.system ["true"]\n', "not allowed"),
    (BILLION_LAUGHS, "anchors and aliases"),
    (b"questions: [caf\xe9]\n", "not UTF-8"),
], ids=["syntax", "list", "empty", "no-q", "python-tag", "alias-bomb", "latin-1"])
def test_eval_on_a_malformed_file_is_a_clear_error(tmp_path, capsys, content, fragment):
    """`careerbot eval` on a malformed file: non-zero exit and a message naming the file, no traceback."""
    path = write(tmp_path / "eval.yaml", content)
    code, err = run_eval(path, capsys)
    assert code != 0 and err.startswith(f"careerbot: {path}") and fragment in err


@pytest.mark.parametrize("content", ["questions: 5\n", "dialogues: 5\n", "out_of_scope: 5\n",
                                     "out_of_scope: how do I bake bread\n"])
def test_eval_sections_of_the_wrong_type_are_a_clear_error(tmp_path, capsys, content):
    """A section that is not a list is an error naming the file, not a traceback or a silent misread."""
    path = write(tmp_path / "eval.yaml", content)
    code, err = run_eval(path, capsys)
    assert code != 0 and err.startswith(f"careerbot: {path}")
