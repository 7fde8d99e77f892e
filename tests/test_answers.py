"""Rendered answers: the facts, the figures and the sources a user sees."""

from __future__ import annotations

import string
import textwrap

from hypothesis import example, given, settings
from hypothesis import strategies as st

from careerbot import Engine
from careerbot.answers.plain import _cell_lines


def test_salary_answer_shows_each_sources_figures_with_its_source(engine: Engine):
    """ML engineer pay shows the role range, the top-company figure and the general levels, each cited."""
    answer = engine.ask("how much do machine learning engineers make")
    assert answer.intent == "salary"
    for figure in ("$126,000", "$194,000", "$260,000", "$90,000", "$250,000"):
        assert figure in answer.text
    assert len(answer.sources) == 2 and "[1]" in answer.text and "[2]" in answer.text


def test_no_salary_figure_is_invented(engine: Engine):
    """Without a source figure for the role, the answer says so and falls back to the levels."""
    answer = engine.ask("what does an MLOps engineer earn")
    assert "None of my sources gives a salary figure for an MLOps Engineer" in answer.text
    assert "$90,000" in answer.text and answer.sources


def test_level_salary_answer(engine: Engine):
    """A level question answers with that level's figures."""
    answer = engine.ask("entry level pay in machine learning")
    assert answer.level == "entry" and "$90,000 – $120,000" in answer.text


def test_compare_shows_both_roles_side_by_side_with_a_chart(engine: Engine):
    """A comparison has both names, both salaries and a bar chart."""
    answer = engine.ask("nlp engineer vs computer vision engineer")
    assert answer.roles == ("nlp-engineer", "computer-vision-engineer")
    assert "$123k–$196k" in answer.full_text and "$121k–$205k" in answer.full_text and "█" in answer.full_text


def test_highest_paying_ranks_roles_with_figures(engine: Engine):
    """The ranking opens with the best paid role, ranks every role by one comparable figure (the
    top of the range its sources give, an ML engineer's top-company figure included) and lists roles
    without figures separately."""
    answer = engine.ask("what is the best paid ML job")
    lines = answer.text.splitlines()
    assert lines[0].startswith("The best paid role in my sources is the ML Engineer: up to $260,000+")
    assert "top of the range" in lines[2]
    assert lines[3].startswith("1. ML Engineer: up to $260,000+") and lines[4].startswith("2. Cloud Architect")
    assert "No figures in my sources for:" in answer.text and "MLOps Engineer" in answer.text


def test_roles_by_skill(engine: Engine):
    """Roles that list a skill are found by it."""
    assert "MLOps Engineer" in engine.ask("who uses Docker").text
    assert "Computer Vision Engineer" in engine.ask("which roles need opencv").text


def test_list_roles_names_all_twelve(engine: Engine):
    """Listing the roles names every role."""
    text = engine.ask("what ML jobs exist").text
    assert all(role.label in text or role.name in text for role in engine.catalogue().roles)


def test_role_required_without_role_asks_which(engine: Engine):
    """What a role does needs the role: without one the answer asks which, keeping the intent."""
    answer = engine.ask("what would my responsibilities be")
    assert answer.intent == "role_overview" and "Which role do you mean?" in answer.text


def test_projects_asked_of_the_field_list_a_few_of_each_role(engine: Engine):
    """Portfolio ideas asked of no role get each role's first example projects, with their sources,
    and offer the projects of a role next; no "which role do you mean?"."""
    answer = engine.ask("which projects make a good machine learning portfolio?")
    assert answer.intent == "projects" and "Which role" not in answer.text
    assert "Recommendation systems" in answer.text and "Customer segmentation" in answer.text
    assert answer.sources and "What projects does" in answer.suggestions[0]


def test_general_topic_answers_without_a_role(engine: Engine):
    """Optional-role topics answer in general from the sources."""
    answer = engine.ask("which certifications are worth earning")
    assert "TensorFlow" in answer.text and answer.sources


def test_answer_to_dict_matches_the_contract(engine: Engine):
    """`to_dict()` has exactly the contract's fields and types."""
    data = engine.ask("what skills does an NLP engineer need").to_dict()
    assert set(data) == {"text", "intent", "confidence", "entities", "sources", "suggestions", "parts", "blocks",
                         "references", "full_text"}
    assert data["entities"] == {"roles": ["nlp-engineer"], "level": None, "skill": None}
    assert "spaCy" in data["text"] and data["sources"] and 2 <= len(data["suggestions"]) <= 3


def test_suggestions_are_about_the_role_in_play(engine: Engine):
    """Follow-up suggestions name the role the answer was about."""
    answer = engine.ask("what does a data engineer do")
    assert all("Data Engineer" in s for s in answer.suggestions)


def test_long_question_is_cut_with_a_note(engine: Engine):
    """Over-long text is cut to the documented length, and the answer says so."""
    answer = engine.ask("what does an MLOps engineer earn, " + "I really wonder " * 400)
    assert answer.intent == "salary" and "longer than 1,000 characters" in answer.text


def test_empty_question_gets_a_prompt(engine: Engine):
    """Empty or blank input gets a short prompt to ask something."""
    for text in ("", "   ", "?!"):
        assert "Ask me something" in engine.ask(text).text


def test_a_role_without_specific_advice_gets_the_general_advice_said_so(engine: Engine):
    """Where the sources have no advice for the role, the answer says so, names the role right,
    and still gives the general steps and the role's own skills."""
    text = engine.ask("how do I become an NLP engineer").full_text
    assert text.startswith("My sources have nothing of their own on how to become an NLP Engineer")
    assert "Learn the basics:" in text and "spaCy" in text


def test_a_figure_keeps_its_period(data_copy):
    """A salary a source gives per month is said to be per month."""
    intents, knowledge = data_copy
    role = knowledge / "roles" / "cloud-architect.yaml"
    role.write_text(role.read_text().replace("period: year", "period: month", 1))
    text = Engine.load(intents=intents, knowledge=knowledge).ask("cloud architect salary").text
    assert "about $218,000 a month" in text


def test_the_ml_engineer_overview_says_what_the_field_is(engine: Engine):
    """The overview of the ML engineer includes what machine learning engineering is, cited."""
    answer = engine.ask("what is machine learning engineering")
    assert answer.roles == ("ml-engineer",)
    text = answer.full_text
    assert "What machine learning engineering is:" in text and "software engineering and data science" in text


def test_a_figure_in_euros_is_shown_in_euros_everywhere(data_copy):
    """A salary a source gives in EUR reads in euros in the role's figures, the ranking and its
    chart, a comparison's table and chart, the answer blocks and the chat; never as dollars."""
    import io

    from prompt_toolkit.output import DummyOutput
    from prompt_toolkit.output.plain_text import PlainTextOutput

    from careerbot.frontends.repl import ChatApp
    intents, knowledge = data_copy
    role = knowledge / "roles" / "cloud-architect.yaml"
    role.write_text(role.read_text().replace("average: 218000, currency: USD", "average: 218000, currency: EUR"))
    engine = Engine.load(intents=intents, knowledge=knowledge)

    salary = engine.ask("cloud architect salary")
    assert "Average: about €218,000" in salary.text and "$218" not in salary.text
    ranking = engine.ask("what is the best paid ML job")
    assert "Cloud Architect: about €218,000 (an average)" in ranking.text and "€218k avg" in ranking.full_text
    chart = next(block for block in ranking.full_blocks if block.type == "chart")
    assert [bar.value for bar in chart.bars if bar.label == "Cloud Architect"] == ["€218k avg"]
    compare = engine.ask("cloud architect vs ML engineer")
    table = next(block for block in compare.to_dict()["blocks"] if block["type"] == "table")
    assert table["rows"][1][1] == "€218k on average a year" and "€218k avg" in compare.full_text
    assert not any("$218" in answer.full_text for answer in (salary, ranking, compare))

    printed = io.StringIO()
    ChatApp(engine, color=False, output=DummyOutput(), print_output=PlainTextOutput(printed)).handle_line(
        "cloud architect salary")
    assert "about €218,000" in printed.getvalue() and "$218" not in printed.getvalue()


def test_a_skill_named_in_a_topic_question_is_said_when_the_role_lists_it(engine: Engine):
    """Asked about a degree in a skill the role lists, the answer says the sources list the skill for
    the role, with its source, early enough to stay in the short answer."""
    answer = engine.ask("is a statistics degree a must for a data scientist")
    assert answer.intent == "education"
    lines = answer.text.splitlines()
    said = next(i for i, line in enumerate(lines) if "Statistics among the skills of a Data Scientist" in line)
    assert said < 5 and "[" in lines[said]


def test_a_skill_the_role_does_not_list_is_not_claimed_for_it(engine: Engine):
    answer = engine.ask("is a statistics degree a must for a cloud architect")
    assert "among the skills of a Cloud Architect" not in answer.text


def test_which_role_fits_without_a_skill_shows_what_each_role_draws_on(engine: Engine):
    """"Which role would fit me?" names no skill: the answer shows each role's first skills, with
    sources, and how to ask by skill, instead of only asking back."""
    answer = engine.ask("which AI role would fit me best")
    assert answer.intent == "roles_by_skill"
    lines = answer.text.splitlines()
    assert any(line.startswith("- MLOps Engineer: Docker, Kubernetes") and "[" in line for line in lines)
    assert "Name a skill you have" in lines[0]


def test_unit_a_draft_is_shared_only_by_wordings_it_does_not_read(engine: Engine):
    """Unit test of internals: an answer is drafted once for all the questions whose words differ
    only in words its kind of answer does not read (`Renderer.drafting_words`). Drafted with every
    word the intents' examples use, each intent's answer is the same as drafted with the words its
    kind declares it reads."""
    from careerbot._text import normalise, stem
    from careerbot.dialogue.plan import Plan
    renderer, kb = engine._renderer, engine._knowledge
    words = tuple(sorted({stem(token) for intent in kb.intents.values() for example in intent.examples
                          for token in normalise(example).tokens if token.isalpha()}))
    roles = tuple(kb.roles)
    for intent in kb.intents.values():
        slot = {"none": (), "pair": roles[:2]}.get(intent.role_slot, roles[:1])
        for asked in {(), slot}:
            if not asked and intent.role_slot in ("required", "pair"):
                continue
            plan = Plan(intent.id, asked, focus=words)
            assert renderer.drafted(plan) == renderer._drafted(plan), (intent.id, asked)


@given(st.text(alphabet=string.ascii_letters + string.digits + " ,.$-()/\t\n\xa0é", max_size=40),
       st.integers(min_value=1, max_value=40))
@settings(max_examples=400, deadline=None)
@example("$126,000", 8)
@example(" $126,000", 20)
@example("Entry\tlevel", 20)
def test_a_table_cell_reads_as_textwrap_would_wrap_it(cell, column):
    """A cell that fits its column skips textwrap; every cell still comes out as textwrap makes it."""
    assert _cell_lines(cell, column) == (textwrap.wrap(cell, column) or [""])
