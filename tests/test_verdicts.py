"""The verdicts a topic's facts give on its subjects ("do I need a master's …?") are data: a topic's
`subjects` and its facts' `verdicts`, validated with file and line (issue 13)."""

from __future__ import annotations

import pytest

from careerbot import Engine, KnowledgeError


def _edited(data_copy, old: str, new: str) -> tuple:
    intents, knowledge = data_copy
    path = knowledge / "topics" / "education.yaml"
    text = path.read_text()
    assert old in text, "fixture text not found in education.yaml"
    path.write_text(text.replace(old, new, 1))
    return intents, knowledge


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
