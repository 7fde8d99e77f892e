"""A knowledge base of many intents: what it answers (built in a temporary folder)."""

from __future__ import annotations

import pytest

from careerbot import Engine

SUBJECTS = ("remote work", "visa sponsorship", "parental leave", "stock options", "burnout", "hackathons",
            "layoffs", "patents", "sabbaticals", "code reviews", "promotions", "mentorship", "relocation",
            "overtime", "bonuses", "pensions", "onboarding", "offboarding", "commuting", "dress codes",
            "hiring freezes", "notice periods")
FACETS = ("tips", "pitfalls", "myths", "deadlines", "checklists", "paperwork", "etiquette", "risks",
          "perks", "templates", "metrics", "alternatives", "timelines", "policies", "trade-offs", "rules",
          "horror stories", "success stories", "first steps", "red flags", "hidden costs", "expectations")


def _slug(text: str) -> str:
    return text.replace(" ", "-")


CONTEXTS = ("in europe", "in canada", "in india", "at startups", "at banks", "for beginners", "for seniors",
            "this year", "for contractors", "in government", "in academia")


@pytest.fixture(scope="module")
def many_intents(tmp_path_factory) -> Engine:
    return Engine.load(*write_many_intents(tmp_path_factory.mktemp("many")))


def write_many_intents(root):
    """The shipped data and an intent for every facet of every subject ("tips" about "burnout"):
    484 intents, each subject and each facet named by 22 of them. Each intent has two short
    examples and one long one, in a context of its own; a question in the context of the next
    intent's long example is worded more like that neighbour than like any example of its own."""
    import shutil

    from conftest import REPO
    intents, knowledge = root / "intents", root / "knowledge"
    shutil.copytree(REPO / "intents", intents)
    shutil.copytree(REPO / "knowledge", knowledge)
    for i, facet in enumerate(FACETS):
        for j, subject in enumerate(SUBJECTS):
            examples = [f"{facet} for {subject}", f"{subject} {facet}",
                        f"the {facet} of {subject} {CONTEXTS[(i + j) % len(CONTEXTS)]}"]
            (intents / f"x-{_slug(facet)}-{_slug(subject)}.yaml").write_text(
                f"id: x-{_slug(facet)}-{_slug(subject)}\n"
                f"description: {facet} about {subject}\n"
                "slots: {role: none, level: none, skill: none}\n"
                f"keywords: [{subject}, {facet}]\n"
                f"examples: [{', '.join(examples)}]\n"
                f"reply: 'The {facet} of {subject}.'\n", encoding="utf-8")
    return intents, knowledge


def question(facet: str, subject: str) -> str:
    """A question about one facet of one subject, in the context of its neighbours' long examples."""
    i, j = FACETS.index(facet), SUBJECTS.index(subject)
    return f"the {facet} of {subject} {CONTEXTS[(i + j + 1) % len(CONTEXTS)]}"


def test_the_intent_holding_every_keyword_of_the_question_wins(many_intents):
    """When many intents share each keyword ("tips" is named by 22 intents, "burnout" by 22), the one
    that holds all of a question's keywords answers it, though a neighbour's example may be worded more
    like it ("the tips of burnout for beginners", "the timelines of burnout for beginners")."""
    expected = {question(facet, subject): f"x-{_slug(facet)}-{_slug(subject)}" for facet in FACETS for subject in SUBJECTS}
    answered = {text: many_intents.ask(text).intent for text in expected}
    assert {text: intent for text, intent in answered.items() if intent != expected[text]} == {}
