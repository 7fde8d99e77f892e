"""What an intent answers is declared in its file: a new intent is data only, and a wrong
declaration is a `validate` problem with its file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from careerbot import Engine, KnowledgeError

CONFERENCES_INTENT = """\
id: conferences
description: Which machine learning conferences and meetups are worth attending.
answer: topic
slots: {role: none, level: none, skill: none}
phrases:
  general: "Which machine learning conferences are worth attending?"
keywords: [conference, conferences, neurips, icml, meetup, summit, talks]
examples:
  - which machine learning conferences should I attend
  - best ML conferences to go to
  - is NeurIPS worth attending
  - conferences for AI people
  - should I go to ICML as a student
  - good machine learning meetups
  - which AI conferences matter for a career
  - are ML conferences worth the money
  - top conferences in deep learning
  - conference talks worth watching for ML
  - where do ML researchers present their work
  - do data scientists go to conferences
  - which summits are good for MLOps people
  - ML conferences for beginners
  - any good AI conferences this year
"""

CONFERENCES_TOPIC = """\
id: conferences
title: Machine learning conferences
sections:
  - heading: Conferences worth attending
    items:
      - {text: "A conference with published talks on machine learning research", source: ml-jobs-guide}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def test_a_new_intent_written_as_data_only_is_answered(data_copy):
    """An intent file with an answer kind and its knowledge topic, and no Python, is understood and
    answered from that knowledge, with its source."""
    intents, knowledge = data_copy
    write(intents, "conferences.yaml", CONFERENCES_INTENT)
    write(knowledge / "topics", "conferences.yaml", CONFERENCES_TOPIC)
    answer = Engine.load(intents=intents, knowledge=knowledge).ask("which ML conferences are worth going to?")
    assert answer.intent == "conferences"
    assert answer.text.startswith("Machine learning conferences:")
    assert "A conference with published talks on machine learning research" in answer.text
    assert answer.sources == ("ml-jobs-guide",)


def test_engines_of_other_data_read_the_same_question_each_their_own_way(engine, data_copy):
    """Readings are kept for questions asked again, but by the engine that made them: the shipped
    engine cannot answer a question about conferences, and an engine with a conferences intent
    asked the same question right after it answers it."""
    question = "which ML conferences are worth going to?"
    intents, knowledge = data_copy
    write(intents, "conferences.yaml", CONFERENCES_INTENT)
    write(knowledge / "topics", "conferences.yaml", CONFERENCES_TOPIC)
    with_conferences = Engine.load(intents=intents, knowledge=knowledge)
    assert engine.ask(question).intent != "conferences"
    assert with_conferences.ask(question).intent == "conferences"
    assert engine.ask(question).intent != "conferences"


def problems(intents: Path, knowledge: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        Engine.load(intents=intents, knowledge=knowledge)
    return [str(p) for p in caught.value.problems]


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_an_unknown_answer_kind_is_a_problem_at_its_line(data_copy):
    """`answer: essay` is no kind careerbot knows: the problem names the file, the line and the kinds."""
    intents, knowledge = data_copy
    path = write(intents, "conferences.yaml", CONFERENCES_INTENT.replace("answer: topic", "answer: essay"))
    write(knowledge / "topics", "conferences.yaml", CONFERENCES_TOPIC)
    found = problems(intents, knowledge)
    assert any(p.startswith(f"intents/conferences.yaml:{line_of(path, 'answer:')}: 'answer' should be one of")
               and "topic" in p for p in found)


def test_an_intent_without_an_answer_kind_is_a_problem(data_copy):
    """An intent written without `answer:` (and no small-talk `reply`) is refused, rather than answered
    with a default sentence."""
    intents, knowledge = data_copy
    write(intents, "conferences.yaml", CONFERENCES_INTENT.replace("answer: topic\n", ""))
    write(knowledge / "topics", "conferences.yaml", CONFERENCES_TOPIC)
    assert any(p.startswith("intents/conferences.yaml:1:") and "'answer'" in p for p in problems(intents, knowledge))


def test_a_topic_intent_without_its_knowledge_is_a_problem(data_copy):
    """A topic answer whose knowledge topic does not exist is named at the intent's `answer:` line."""
    intents, knowledge = data_copy
    path = write(intents, "conferences.yaml", CONFERENCES_INTENT)
    found = problems(intents, knowledge)
    assert f"intents/conferences.yaml:{line_of(path, 'answer:')}: the answer 'topic' is drawn from the knowledge " \
           "topic 'conferences', but there is no knowledge/topics/conferences.yaml with that id" in found


def test_a_knowledge_topic_no_intent_answers_from_is_a_problem(data_copy):
    """A knowledge topic that no intent reads could never be shown: it is reported in its own file."""
    intents, knowledge = data_copy
    write(knowledge / "topics", "conferences.yaml", CONFERENCES_TOPIC)
    assert any(p.startswith("knowledge/topics/conferences.yaml:1: no intent answers from the topic 'conferences'")
               for p in problems(intents, knowledge))


@pytest.mark.parametrize("phrase, why", [
    ('"Which conferences does {a_role} attend?"', "{a_role} is not a placeholder it can hold"),
    ('"Which conferences matter{at_level}?"', "{at_level} is not a placeholder it can hold"),
    ('"Which conferences matter {"', "Single '{' encountered"),
    ('"Which conferences matter for {skill!r}?"', "{skill} is not a placeholder it can hold"),
])
def test_a_phrase_that_cannot_be_filled_is_a_problem_at_its_line(data_copy, phrase, why):
    """A phrase with a placeholder the intent cannot fill (a role for an intent without roles, a level
    without a level slot) or with a stray brace is reported at the phrase's line."""
    intents, knowledge = data_copy
    text = CONFERENCES_INTENT.replace('"Which machine learning conferences are worth attending?"', phrase)
    path = write(intents, "conferences.yaml", text)
    write(knowledge / "topics", "conferences.yaml", CONFERENCES_TOPIC)
    found = problems(intents, knowledge)
    where = f"intents/conferences.yaml:{line_of(path, 'general:')}: the phrase 'general' cannot be filled: "
    assert any(p.startswith(where) and why in p for p in found), found


def test_an_offer_of_an_intent_without_a_question_is_a_problem(data_copy):
    """Offering an intent as a follow-up needs its `question` phrase: an offer of one without it is
    reported where it is offered."""
    intents, knowledge = data_copy
    text = CONFERENCES_INTENT + "offers: [industries]\n"
    path = write(intents, "conferences.yaml", text)
    write(knowledge / "topics", "conferences.yaml", CONFERENCES_TOPIC)
    assert (f"intents/conferences.yaml:{line_of(path, 'offers:')}: the intent 'industries' is offered as a question, "
            "but has no 'question' phrase") in problems(intents, knowledge)


def test_a_reply_intent_needs_its_reply(data_copy):
    """Small talk (`answer: reply`) without the `reply` text it says is refused."""
    intents, knowledge = data_copy
    path = intents / "thanks.yaml"
    kept = [line for line in path.read_text().splitlines(keepends=True) if not line.startswith("reply:")]
    reply_at = next(i for i, line in enumerate(kept) if line.startswith("  You're welcome"))
    path.write_text("".join(kept[:reply_at] + kept[reply_at + 1:]))
    assert any(p.startswith(f"intents/thanks.yaml:{line_of(path, 'answer:')}: the answer 'reply' needs")
               for p in problems(intents, knowledge))


def test_each_bare_question_has_one_intent(data_copy):
    """Two intents both declaring they answer a role on its own are a problem: the answer would
    depend on file order."""
    intents, knowledge = data_copy
    path = intents / "projects.yaml"
    path.write_text(path.read_text().replace("answer: projects\n", "answer: projects\ndefault_for: role\n"))
    found = problems(intents, knowledge)
    assert f"intents/projects.yaml:{line_of(path, 'default_for:')}: 'default_for: role' is also declared by " \
           "'role_overview': one intent only" in found
    assert any(p.startswith("intents/role_overview.yaml:") and "also declared by 'projects'" in p for p in found)


def test_which_role_names_an_intent_that_takes_no_role(data_copy):
    """`which_role` answers a question that names no role: an intent that needs one cannot, and an
    unknown intent id is reported too."""
    intents, knowledge = data_copy
    path = intents / "projects.yaml"
    path.write_text(path.read_text().replace("answer: projects\n", "answer: projects\nwhich_role: salary\n"))
    other = intents / "education.yaml"
    other.write_text(other.read_text().replace("answer: topic\n", "answer: topic\nwhich_role: hobbies\n"))
    found = problems(intents, knowledge)
    assert (f"intents/projects.yaml:{line_of(path, 'which_role:')}: 'which_role: salary' names an intent that "
            "takes a role, but it answers questions that name none") in found
    assert f"intents/education.yaml:{line_of(other, 'which_role:')}: unknown intent id 'hobbies'" in found


def test_the_topic_answered_next_to_an_uncovered_subtopic_must_be_an_intent(data_copy):
    """`nearby` names the intent answered after a subtopic's admission: an unknown id is reported
    at its line."""
    intents, knowledge = data_copy
    path = intents / "uncovered.yaml"
    path.write_text(path.read_text() + "\nstage_fright:\n  says: \"My sources don't cover stage fright.\"\n"
                    "  phrases: [stage fright]\n  nearby: pep_talk\n")
    assert f"intents/uncovered.yaml:{line_of(path, 'nearby: pep_talk')}: unknown intent id 'pep_talk'" in problems(
        intents, knowledge)


def test_validate_command_prints_the_file_and_line(data_copy, capsys):
    """`careerbot validate --intents DIR` prints each declaration problem as file:line: message."""
    from careerbot.frontends.cli import main
    intents, knowledge = data_copy
    path = write(intents, "conferences.yaml", CONFERENCES_INTENT.replace("answer: topic", "answer: essay"))
    write(knowledge / "topics", "conferences.yaml", CONFERENCES_TOPIC)
    code = main(["validate", "--intents", str(intents), "--knowledge", str(knowledge)])
    out = capsys.readouterr().out
    assert code == 1 and f"intents/conferences.yaml:{line_of(path, 'answer:')}: 'answer' should be one of" in out
    assert textwrap.dedent(out).strip().endswith("found.")



def test_a_keyword_holds_no_placeholder_but_the_role(data_copy):
    """`{role}` in a keyword stands for any role named; any other placeholder, a keyword of the role
    alone, or a stray brace is a problem at its line."""
    intents, knowledge = data_copy
    path = intents / "skills.yaml"
    path.write_text(path.read_text().replace("keywords:\n", 'keywords:\n  - "{skill} for"\n  - "{role}"\n'
                                                             '  - "{role} needs }"\n', 1))
    found = problems(intents, knowledge)
    lines = [line_of(path, text) for text in ('"{skill} for"', '"{role}"', '"{role} needs }"')]
    assert f"intents/skills.yaml:{lines[0]}: the keyword '{{skill}} for' holds {{skill}}: the only placeholder " \
           "a keyword may hold is {role}" in found
    assert f"intents/skills.yaml:{lines[1]}: the keyword '{{role}}' needs a word besides {{role}}" in found
    assert f"intents/skills.yaml:{lines[2]}: the keyword '{{role}} needs }}' has an unmatched brace" in found


def test_a_keyword_listed_twice_in_an_intent_is_a_problem_at_its_second_line(data_copy):
    """The same keyword twice (whatever the case and spacing) is a slip; spellings that read alike
    ("take-home", "take home") are not."""
    intents, knowledge = data_copy
    path = intents / "skills.yaml"
    path.write_text(path.read_text().replace("keywords:\n", "keywords:\n  - Soft  Skills\n", 1))
    found = problems(intents, knowledge)
    second = [n for n, line in enumerate(path.read_text().splitlines(), 1) if line == "  - soft skills"][0]
    assert f"intents/skills.yaml:{second}: the keyword 'soft skills' is listed twice (first on line " \
           f"{line_of(path, 'Soft  Skills')})" in found
    assert not any("take-home" in problem for problem in found)    # salary.yaml lists "take home" too

def test_a_frame_that_is_also_a_keyword_is_a_problem_at_its_line(data_copy):
    """A frame is a keyword of its own kind: listing it among the keywords too is listing it twice."""
    intents, knowledge = data_copy
    path = write(intents, "conferences.yaml", CONFERENCES_INTENT.replace("examples:", "frames: [talks]\nexamples:"))
    write(knowledge / "topics", "conferences.yaml", CONFERENCES_TOPIC)
    assert any(p.startswith(f"intents/conferences.yaml:{line_of(path, 'frames:')}: the keyword 'talks' is listed "
                            "twice") for p in problems(intents, knowledge))


def test_unit_every_answer_kind_has_one_template():
    """Unit test of internals: the renderer has exactly one template for each kind an intent may declare."""
    from careerbot.answers.render import Renderer
    from careerbot.knowledge.model import ANSWER_KINDS
    assert sorted(Renderer.KINDS) == sorted(ANSWER_KINDS)
    assert all(callable(getattr(Renderer, method)) for method in Renderer.KINDS.values())
