"""Short answers by default, the whole one a "more" away (issue 13)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from careerbot import Engine

EVAL_FILES = [Path(__file__).resolve().parents[2] / "shared" / "eval" / name for name in ("dev.yaml", "dev_real.yaml")]


def _dev_answers(engine: Engine, path: Path):
    from careerbot._evaluate import load_cases
    questions, dialogues, out_of_scope = load_cases(path)
    for case in questions + out_of_scope:
        yield case, engine.ask(case.text)
    for turns in dialogues:
        chat = engine.conversation()
        for case in turns:
            yield case, chat.ask(case.text)


@pytest.mark.parametrize("path", EVAL_FILES, ids=lambda p: p.name)
def test_development_answers_are_short_and_keep_the_facts_asked_for(engine: Engine, path: Path):
    """Over the development questions, no one-part answer's text is longer than 15 lines, every
    expected string the whole answer holds is in the short one too, and the whole answer holds
    every line of the short one's facts."""
    if not path.exists():
        pytest.skip(f"{path.name} is not here")
    for case, answer in _dev_answers(engine, path):
        if len(answer.parts) == 1:
            assert len(answer.text.splitlines()) <= 15, case.text
        whole = answer.to_dict()["full_text"]
        for expected in case.expect:
            if expected.casefold() in whole.casefold():
                assert expected.casefold() in answer.text.casefold(), (case.text, expected)


def test_a_long_answer_is_shortened_and_more_gives_the_rest(engine: Engine):
    """A long answer shows at most 15 lines and says how to see the rest; "more" (and "tell me
    more") then gives the whole answer, in which every line of the short one's facts appears."""
    chat = engine.conversation()
    short = chat.ask("how would I go about becoming a machine learning engineer")
    assert len(short.text.splitlines()) <= 15 and 'Say "more"' in short.text
    whole = chat.ask("tell me more")
    assert whole.text == short.full_text and len(whole.text.splitlines()) > 15
    facts = [line for line in short.text.splitlines() if line.startswith("- ")]
    assert facts and all(line.split(" [")[0] in whole.text for line in facts)
    assert chat.ask("more").text.startswith("That was the whole answer")


def test_more_survives_a_saved_conversation(engine: Engine):
    """The state a conversation exports keeps what "more" would show (the server's way)."""
    chat = engine.conversation()
    short = chat.ask("how would I go about becoming a machine learning engineer")
    restored = engine.conversation(json.loads(json.dumps(chat.state)))
    assert restored.ask("more").text == short.full_text


def test_json_carries_the_full_answer(engine: Engine):
    """`full_text` is the whole answer when `text` is short, and equals `text` when nothing was left out."""
    long, brief = engine.ask("how would I go about becoming a machine learning engineer"), engine.ask("hi")
    assert long.to_dict()["full_text"] == long.full_text != long.text
    assert brief.to_dict()["full_text"] == brief.text


def test_ask_full_prints_everything():
    """`careerbot ask --full` prints the whole answer; without it the short one."""
    def ask(*options):
        return subprocess.run([sys.executable, "-m", "careerbot", "ask", *options,
                               "how would I go about becoming a machine learning engineer"],
                              capture_output=True, text=True, check=True).stdout
    short, full = ask(), ask("--full")
    assert "For the rest" in short and "careerbot ask --full" in short and "That is the short answer" not in full
    assert "Who can make the switch:" in full and len(full.splitlines()) > len(short.splitlines()) + 10


def test_a_salary_answer_opens_with_the_figure(engine: Engine):
    """The first line of a salary answer is the figure asked for, for the role or the level."""
    assert engine.ask("how much does an ML engineer make").text.startswith(
        "An ML Engineer earns $126,000 – $194,000 a year")
    assert engine.ask("how much do entry level machine learning jobs pay").text.startswith(
        "Entry level machine learning jobs pay $90,000 – $120,000 a year")


def test_which_pays_more_opens_with_the_verdict(engine: Engine):
    """"Which pays more, X or Y?" opens with which one, by the figure each is ranked by."""
    first = engine.ask("which is better paid, cloud architect or ML engineer").text.splitlines()[0]
    assert first.startswith("An ML Engineer earns more") and "$260,000+" in first and "$218,000" in first


def test_the_ranking_uses_one_comparable_figure_per_role(engine: Engine):
    """The ranking says which figure it ranks by and ranks the ML engineer by the top figure its
    source gives (top companies), not below roles whose figures are lower."""
    text = engine.ask("what is the best paid ML job").text
    assert "top of the range my sources give for each" in text
    assert "1. ML Engineer: up to $260,000+" in text
    assert "ML Engineers at top companies" not in text       # said once, in the ranking


def test_no_answer_says_nothing_specific_then_something_specific(engine: Engine):
    """An answer about a role that the sources treat only in general never claims they say
    "nothing specific" about it."""
    for question in ("how do I become an NLP engineer", "which employers pay ML engineers the most"):
        assert "nothing specific" not in engine.ask(question).full_text


def test_general_advice_that_names_the_role_is_not_called_silent_about_it(engine: Engine):
    """When the general advice quotes a figure for the role asked about, the answer does not first
    say the sources have nothing on that role."""
    text = engine.ask("which employers pay ML engineers the most").full_text
    assert "$260,000" in text and "nothing of their own" not in text and "nothing specific" not in text


def test_json_names_what_a_short_answer_left_out(engine: Engine):
    """The notice that ends a short answer lists, as data, the parts of the whole answer it left
    out, so that a frontend can say in its own way how to see them."""
    answer = engine.ask("how long does it take to become a data engineer")
    assert answer.shortened
    data = answer.to_dict()
    left_out = [block["left_out"] for block in data["blocks"] if "left_out" in block]
    assert len(left_out) == 1 and left_out[0]
    assert all(name in data["full_text"] and name not in answer.text.split("That is the short answer")[0]
               for name in left_out[0])


MANY_PARTS = "how do I become a data scientist and what skills do they need and which industries hire them"


def test_each_part_of_a_long_answer_to_several_questions_is_short(engine: Engine):
    """Each part is cut to about a dozen lines, what the question asks for stays in (the skills of
    the part that asks for skills), and one notice at the end names what was left out."""
    answer = engine.ask(MANY_PARTS)
    assert [part[0] for part in answer.parts] == ["how_to_become", "skills", "industries"]
    assert answer.shortened and len(answer.text.splitlines()) <= 3 * 12 + 2
    assert "Languages:" in answer.text
    assert answer.text.count("That is the short answer") == 1


def test_what_several_parts_would_say_is_said_once(engine: Engine):
    """Becoming a data scientist lists the skills to build, and the next part asks for them: the
    list is given once, in the whole answer too."""
    whole = engine.ask(MANY_PARTS).full_text
    languages = next(line for line in whole.splitlines() if line.startswith("- Languages:"))
    assert whole.count(languages) == 1


def test_more_after_an_answer_to_several_questions_gives_every_part_whole(engine: Engine):
    """"more" after a short answer of several parts shows each part whole, also in a conversation
    restored from its saved state."""
    chat = engine.conversation()
    short = chat.ask(MANY_PARTS)
    state = json.loads(json.dumps(chat.state))
    assert isinstance(state["last"], list) and len(state["last"]) == 3
    assert chat.ask("more").text == short.full_text
    assert engine.conversation(state).ask("tell me more").text == short.full_text


def test_internal_more_is_recognised_the_short_way_as_the_long_way():
    """Unit test of an internal: `is_more` tells a long text is no "more" without normalising it;
    over random texts of words, amounts, punctuation and wide letters, it says what normalising
    every text would."""
    import random

    from careerbot._text import normalise
    from careerbot.answers.short import _MORE_PHRASES, is_more
    rng = random.Random(3)
    pieces = ["more", "tell", "me", "please", "show", "the", "rest", "full", "answer", "go", "on", "!!", "?", "\t",
              "-", "\uff4d\uff4f\uff52\uff45", "\u00e9", "6", "k", "six", "figures", "a quarter of a mil", "don't", "u",
              "gonna", "gimme", "pls", "keep", "going", "details", "\uff33\uff28\uff2f\uff37", "MORE", "all"]
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", "  "]) for _ in range(rng.randint(0, 9)))
        assert is_more(text) == (tuple(normalise(text).tokens) in _MORE_PHRASES), text
