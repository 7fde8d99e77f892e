"""A yes/no question about a requirement or a choice ("do I need a master's …?", "can I … without a
degree?") is answered first: its answer's first sentence is the verdict the sources support, or that
they don't say, then the facts (issue 13). The verdicts are data: a topic's `subjects` and its facts'
`verdicts`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from careerbot import Engine, KnowledgeError

GENERAL_FACT = ("      - {text: \"Most ML engineering professionals hold at least a bachelor's degree in computer "
                "science, engineering, mathematics or data science\", source: mle-jobs}")


def first_line(engine: Engine, question: str) -> str:
    return engine.ask(question).text.splitlines()[0]


def test_a_verdict_the_sources_give_opens_the_answer(engine: Engine):
    """A degree for an ML engineer: the sources say most hold at least a bachelor's, and the answer
    says so first, citing its source, before the heading and lists."""
    answer = engine.ask("is a degree necessary to work as an MLE?")
    first = answer.blocks[0]
    assert first.type == "paragraph" and first.sources == ("mle-jobs",)
    assert first.text.startswith("A degree is usual for an ML Engineer, by my sources: most ML engineers hold "
                                 "at least a bachelor's degree")
    assert answer.text.startswith(first.text)
    assert first_line(engine, "is an undergrad degree sufficient for ML engineering work?").startswith(
        "A bachelor's degree is usual for an ML Engineer")


def test_a_subject_the_sources_are_silent_on_is_said_to_be_unknown(engine: Engine):
    """No source speaks of a master's for an ML engineer: the first sentence says so, then what they
    do say (the bachelor's), never a yes or a no."""
    first = first_line(engine, "does an ML engineer need a master's degree?")
    assert first.startswith("My sources don't say whether a master's degree is required for an ML Engineer; "
                            "what they say: most ML engineers hold at least a bachelor's degree")
    assert not first.startswith(("Yes", "No"))


def test_a_role_without_its_own_education_facts_gets_the_general_ones_labelled(engine: Engine):
    """A PhD for a research scientist: the sources say nothing of either, so the answer opens by
    saying so, and labels the fact that follows as said of machine learning careers in general."""
    first = first_line(engine, "is a doctorate mandatory for AI research scientists?")
    assert first.startswith("My sources don't say whether a PhD is required for a Research Scientist; what they "
                            "say for machine learning careers in general: most ML engineering professionals")


def test_the_form_of_the_question_is_kept(engine: Engine):
    """ "Can I … without …?" and "is … worth it?" are said back in their own form."""
    assert first_line(engine, "can I become a data engineer without a college degree?").startswith(
        "My sources don't say whether you can work as a Data Engineer without a degree;")
    assert first_line(engine, "is a PhD worth it for machine learning?").startswith(
        "My sources don't say whether a PhD is worth it for machine learning careers;")


def test_any_topic_with_subjects_gives_verdicts(engine: Engine):
    """Certifications are a subject too: the sources recommend getting certified, for the field and
    for an ML engineer, and the answer says so first."""
    assert first_line(engine, "is getting a certificate worth it for machine learning?").startswith(
        "My sources recommend a certification for machine learning careers: getting certified is one of the steps")
    assert first_line(engine, "do ML engineers need a certification?").startswith(
        "My sources recommend a certification for an ML Engineer: certifications are one of the steps")


def test_a_question_that_is_not_yes_or_no_gets_no_verdict(engine: Engine):
    """A question about education that asks no requirement opens as before, with the topic's heading."""
    answer = engine.ask("what fields of study lead into machine learning")
    assert answer.intent == "education" and answer.blocks[0].type == "heading"


def test_the_verdict_is_the_first_block_of_the_json_answer():
    """`ask --json` carries the verdict as the first block, so every frontend draws it first."""
    out = subprocess.run([sys.executable, "-m", "careerbot", "ask", "--json",
                          "does an ML engineer need a master's degree?"],
                         capture_output=True, text=True, check=True).stdout
    blocks = json.loads(out)["blocks"]
    assert blocks[0]["type"] == "paragraph" and blocks[0]["text"].startswith("My sources don't say whether")


def _edited(data_copy, old: str, new: str) -> tuple:
    intents, knowledge = data_copy
    path = knowledge / "topics" / "education.yaml"
    text = path.read_text()
    assert old in text, "fixture text not found in education.yaml"
    path.write_text(text.replace(old, new, 1))
    return intents, knowledge


def test_each_verdict_value_reads_from_the_data(data_copy):
    """A verdict is data: marking the general degree fact `required` makes a general "do I need a
    degree?" open with "Yes", and "can I … without one?" with "No"; `not_required` the other way."""
    intents, knowledge = _edited(data_copy, GENERAL_FACT, GENERAL_FACT[:-1] + ", verdicts: {degree: required}}")
    engine = Engine.load(intents=intents, knowledge=knowledge)
    assert first_line(engine, "do I need a degree to get into machine learning").startswith(
        "Yes: a degree is required for machine learning careers, by my sources: most ML engineering professionals")
    assert first_line(engine, "can I get into machine learning without a degree").startswith("No: a degree is "
                                                                                              "required")
    # a verdict said of the field is not said of a role: a role takes only its own sections' verdicts
    assert first_line(engine, "is a degree necessary to become a data scientist?").startswith(
        "My sources don't say whether a degree is required for a Data Scientist")
    text = (knowledge / "topics" / "education.yaml").read_text()
    (knowledge / "topics" / "education.yaml").write_text(text.replace("{degree: required}", "{degree: not_required}"))
    engine = Engine.load(intents=intents, knowledge=knowledge)
    assert first_line(engine, "can I get into machine learning without a degree").startswith(
        "Yes: a degree isn't required for machine learning careers")


def test_a_subject_is_named_by_its_words_in_the_data(data_copy):
    """The words that name a subject are the topic's data: without "doctorate" among the PhD's
    words, a question naming only a doctorate asks about no subject, and gets no verdict."""
    intents, knowledge = _edited(data_copy, "words: [phd, phds, doctorate, doctoral]", "words: [phd, phds]")
    engine = Engine.load(intents=intents, knowledge=knowledge)
    assert engine.ask("is a doctorate mandatory for AI research scientists?").blocks[0].type == "notice"


@pytest.mark.parametrize("old, new, complaint", [
    ("verdicts: {degree: recommended}", "verdicts: {degree: maybe}",
     "the verdict on 'degree' should be one of required, recommended, common, not_required, not 'maybe'"),
    ("verdicts: {degree: recommended}", "verdicts: {diploma: recommended}", "unknown subject 'diploma'"),
    ("  master: {name: a master's degree, words: [masters, master, msc, postgraduate]}\n",
     "  master: {name: a master's degree}\n", "is missing the required field 'words'"),
])
def test_a_wrong_verdict_or_subject_is_a_problem_with_its_line(data_copy, old, new, complaint):
    """A verdict that is not one of the known values, one on a subject the topic does not list, and
    a subject without words are each refused with the file and line."""
    intents, knowledge = _edited(data_copy, old, new)
    with pytest.raises(KnowledgeError) as caught:
        Engine.load(intents=intents, knowledge=knowledge)
    found = [str(p) for p in caught.value.problems]
    assert any(p.startswith("knowledge/topics/education.yaml:") and complaint in p for p in found), found


def test_verdicts_belong_to_topic_facts_only(data_copy):
    """A role's responsibilities take no verdicts: the field is refused there."""
    intents, knowledge = data_copy
    path = knowledge / "roles" / "data-engineer.yaml"
    text = path.read_text()
    old = "source: ml-job-roles"
    assert old in text
    path.write_text(text.replace(old, old + ", verdicts: {degree: common}", 1))
    with pytest.raises(KnowledgeError) as caught:
        Engine.load(intents=intents, knowledge=knowledge)
    assert any("unknown field 'verdicts'" in str(p) for p in caught.value.problems)
