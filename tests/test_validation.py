"""`careerbot validate` and `Engine.load` report each kind of problem with file and line,
and a broken file never yields a half-loaded engine."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from careerbot import Engine, KnowledgeError
from careerbot.frontends.cli import main


def problems_after(data_copy, relative: str, old: str, new: str) -> list[str]:
    intents, knowledge = data_copy
    path = (knowledge.parent / relative)
    text = path.read_text()
    assert old in text, f"fixture text not found in {relative}"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(KnowledgeError) as caught:
        Engine.load(intents=intents, knowledge=knowledge)
    return [str(p) for p in caught.value.problems]


def test_yaml_syntax_error_has_file_and_line(data_copy):
    """A YAML syntax error names the file and the line."""
    found = problems_after(data_copy, "knowledge/roles/data-engineer.yaml", "name: Data Engineer",
                           "name: [Data Engineer")
    assert any(p.startswith("knowledge/roles/data-engineer.yaml:") and "YAML error" in p for p in found)


def test_missing_required_field(data_copy):
    """A role without a name is refused, naming the missing field."""
    found = problems_after(data_copy, "knowledge/roles/data-engineer.yaml", "name: Data Engineer\n", "")
    assert any("data-engineer.yaml" in p and "'name'" in p for p in found)


def test_wrong_type(data_copy):
    """A number where text belongs is named as a wrong type, with its line."""
    found = problems_after(data_copy, "knowledge/sources.yaml", "title: ", "title: 12 #")
    assert any(p.startswith("knowledge/sources.yaml:") and "should be text" in p for p in found)


def test_unknown_source_id(data_copy):
    """A fact citing a source that sources.yaml does not list is refused."""
    found = problems_after(data_copy, "knowledge/roles/data-engineer.yaml", "source: ml-job-roles",
                           "source: blog-post")
    assert any("unknown source id 'blog-post'" in p for p in found)


def test_unknown_role_id(data_copy):
    """A related role that does not exist is refused."""
    found = problems_after(data_copy, "knowledge/roles/ml-engineer.yaml", "related_roles: [data-scientist",
                           "related_roles: [astronaut")
    assert any("unknown role id 'astronaut'" in p for p in found)


def test_a_field_of_work_must_name_a_listed_job(data_copy):
    """A field ("dentistry") stands for a job of occupations.yaml: one naming no listed job is refused."""
    found = problems_after(data_copy, "intents/occupations.yaml", "  dentistry: dentist", "  dentistry: tooth fairy")
    assert any(p.startswith("intents/occupations.yaml:") and "'dentistry' should name a job" in p for p in found)


def test_a_title_word_must_name_a_level(data_copy):
    """A level title word ("lead") filed under a level that does not exist is refused, with its line."""
    found = problems_after(data_copy, "intents/entities.yaml", "  senior: [lead]", "  principal: [lead]")
    assert any(p.startswith("intents/entities.yaml:") and "unknown level 'principal'" in p for p in found)


def test_duplicate_id(data_copy):
    """Two files defining one intent id are refused."""
    intents, _ = data_copy
    (intents / "salary_copy.yaml").write_text((intents / "salary.yaml").read_text())
    with pytest.raises(KnowledgeError, match="duplicate intent id 'salary'"):
        Engine.load(intents=intents, knowledge=data_copy[1])


def test_alias_claimed_by_two_roles(data_copy):
    """One alias cannot point at two roles."""
    found = problems_after(data_copy, "knowledge/roles/data-engineer.yaml", "aliases:\n",
                           "aliases:\n  - MLE\n")
    assert any("'MLE' is claimed by both 'ml-engineer' and 'data-engineer'" in p for p in found)


def test_phrase_that_no_question_can_hold(data_copy):
    """A phrase of the intents' vocabularies that starts or ends with a function word is never found
    in a question: a skill alias or an uncovered subtopic's phrase like that is a problem at its line."""
    found = problems_after(data_copy, "intents/entities.yaml", "rstudio]", "rstudio, the r stack]")
    assert any("entities.yaml:" in p and "'the'" in p and "never found" in p for p in found)
    found = problems_after(data_copy, "intents/uncovered.yaml", "phrases: [remote,", "phrases: [which campus, remote,")
    assert any("uncovered.yaml:" in p and "'which'" in p and "never found" in p for p in found)


def test_example_under_two_intents(data_copy):
    """An example phrase listed under two intents is refused."""
    intents, _ = data_copy
    salary_example = [line for line in (intents / "salary.yaml").read_text().splitlines()
                      if line.startswith("  - ") and "engineer" in line][0]
    found = problems_after(data_copy, "intents/skills.yaml", "examples:\n", f"examples:\n{salary_example}\n")
    assert any("also listed under the intent" in p for p in found)


def test_salary_low_above_high(data_copy):
    """A salary range whose low end is above its high end is refused."""
    found = problems_after(data_copy, "knowledge/roles/nlp-engineer.yaml", "low: 123000", "low: 923000")
    assert any("nlp-engineer.yaml:" in p and "above the high figure" in p for p in found)


def test_contract_intent_missing(data_copy):
    """Deleting a contract intent's file is reported."""
    intents, knowledge = data_copy
    (intents / "outlook.yaml").unlink()
    with pytest.raises(KnowledgeError, match="the contract intent 'outlook' is missing"):
        Engine.load(intents=intents, knowledge=knowledge)


def test_unknown_field_is_reported(data_copy):
    """A misspelt field name is not silently ignored."""
    found = problems_after(data_copy, "knowledge/roles/data-engineer.yaml", "projects:", "projets:")
    assert any("unknown field 'projets'" in p for p in found)


def test_every_problem_is_reported_at_once(data_copy):
    """Validation collects all problems rather than stopping at the first."""
    intents, knowledge = data_copy
    (intents / "outlook.yaml").unlink()
    found = problems_after(data_copy, "knowledge/roles/nlp-engineer.yaml", "low: 123000", "low: 923000")
    assert any("outlook" in p for p in found) and any("above the high" in p for p in found)


# --- how problems name their files ------------------------------------------------------------------

def validate_output(*argv: str) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = main(["validate", *argv], stdout=out)
    return code, out.getvalue().splitlines()


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def break_salary(knowledge: Path) -> tuple[str, int]:
    """Put an NLP engineer's low salary above its high one: the role file's name in the knowledge
    folder, and the line of the figure."""
    role = knowledge / "roles" / "nlp-engineer.yaml"
    role.write_text(role.read_text().replace("low: 123000", "low: 923000", 1))
    return "roles/nlp-engineer.yaml", line_of(role, "low: 923000")


def test_problems_name_an_absolute_folder_as_given(data_copy, tmp_path):
    """`validate --knowledge /abs/path` names each broken file under /abs/path, with its line: a
    path the user can open from anywhere."""
    intents, knowledge = (tmp_path / folder for folder in data_copy)
    file, line = break_salary(knowledge)
    (intents / "thanks.yaml").write_text("id: [\n")
    code, lines = validate_output("--knowledge", str(knowledge), "--intents", str(intents))
    assert code == 1
    assert any(entry.startswith(f"{knowledge}/{file}:{line}: ") and "above the high figure" in entry
               for entry in lines), lines
    assert any(entry.startswith(f"{intents}/thanks.yaml:1: YAML error") for entry in lines), lines


def test_problems_name_a_relative_folder_as_given(data_copy):
    """A folder given relative to the current one (`mykb`, `./my intents/`) is named that way."""
    intents, knowledge = data_copy
    knowledge, intents = knowledge.rename("mykb"), intents.rename("my intents")
    file, line = break_salary(knowledge)
    (intents / "thanks.yaml").unlink()
    code, lines = validate_output("--knowledge", "mykb/", "--intents", "./my intents")
    assert code == 1
    assert any(entry.startswith(f"mykb/{file}:{line}: ") for entry in lines), lines
    assert "./my intents/thanks.yaml: the contract intent 'thanks' is missing" in lines


def test_the_shipped_folders_are_named_as_in_the_repository(tmp_path, monkeypatch, capsys):
    """With no folder given, the shipped data's problems read `knowledge/roles/….yaml:N`, as the
    files stand in the repository, not as wherever careerbot is installed: in `validate`, and
    when `ask` loads them."""
    from careerbot.knowledge import folders
    package = tmp_path / "site" / "careerbot"
    for name in ("intents", "knowledge"):
        shutil.copytree(folders.shipped_folder(name), package / "data" / name)
    monkeypatch.setattr(folders, "_PACKAGE", str(package))
    file, line = break_salary(package / "data" / "knowledge")
    code, lines = validate_output()
    assert code == 1 and any(entry.startswith(f"knowledge/{file}:{line}: ") for entry in lines), lines
    code = main(["ask", "hi"], stdout=io.StringIO())
    assert code == 1 and f"\n  knowledge/{file}:{line}: " in capsys.readouterr().err


# --- a broken role file is one problem, not one for each reference to the role ------------------------

@pytest.mark.parametrize("old, new, line, message", [
    ("name: Data Engineer\n", "name: Data Engineer: of pipelines\n", 2, "YAML error: mapping values are not allowed"),
    ("name: Data Engineer\n", "", 1, "the role is missing the required field 'name'"),
    ("id: data-engineer\n", "id: Data Engineer\n", 1, "'id' should be an id of lowercase letters"),
], ids=["syntax error", "missing field", "bad id"])
def test_a_broken_role_file_is_reported_once_not_by_each_reference(data_copy, old, new, line, message):
    """Other files name the data engineer dozens of times (related roles, jobs near it, topics):
    when its own file does not load, validate says what is wrong there, and only that."""
    intents, knowledge = data_copy
    role = knowledge / "roles" / "data-engineer.yaml"
    text = role.read_text()
    elsewhere = [path for folder in data_copy for path in folder.rglob("*.yaml") if path != role]
    assert old in text and sum(path.read_text().count("data-engineer") for path in elsewhere) > 20
    role.write_text(text.replace(old, new, 1))
    code, lines = validate_output("--knowledge", str(knowledge), "--intents", str(intents))
    assert code == 1 and lines[1:] == ["1 problem found."], lines
    assert lines[0].startswith(f"knowledge/roles/data-engineer.yaml:{line}: {message}")


def test_a_reference_to_a_role_with_no_file_is_still_unknown(data_copy):
    """Only a role whose file is there but broken is spared: a reference to a role no file defines is
    a problem at the reference, next to the broken file's own."""
    intents, knowledge = data_copy
    role = knowledge / "roles" / "data-engineer.yaml"
    role.write_text(role.read_text().replace("name: Data Engineer\n", "", 1))
    related = knowledge / "roles" / "ml-engineer.yaml"
    related.write_text(related.read_text().replace("related_roles: [", "related_roles: [astronaut, ", 1))
    code, lines = validate_output("--knowledge", str(knowledge), "--intents", str(intents))
    assert code == 1 and lines[-1] == "2 problems found.", lines
    assert f"knowledge/roles/ml-engineer.yaml:{line_of(related, 'astronaut')}: unknown role id 'astronaut'" in lines


@pytest.mark.parametrize("relative, old, new, expected", [
    ("intents/salary.yaml", "id: salary\n", "id: salary: of pay\n", "intents/salary.yaml:1: YAML error"),
    ("intents/help.yaml", "id: help\n", "id: help: of pay\n", "intents/help.yaml:1: YAML error"),
    ("intents/outlook.yaml", "id: outlook\n", "id: outlook: of pay\n", "intents/outlook.yaml:1: YAML error"),
    ("knowledge/topics/outlook.yaml", "title: ", "heading: ",
     "knowledge/topics/outlook.yaml:1: the topic is missing the required field 'title'"),
], ids=["offered intent", "default intent", "topic intent", "topic"])
def test_a_broken_intent_or_topic_file_is_not_reported_missing_elsewhere(data_copy, relative, old, new, expected):
    """An intent others offer, the one that answers an empty question, the intent that reads a topic,
    or a topic: when its file does not load, only that file's problems are listed, not the file as
    missing, its id as unknown, or its partner as answering from nothing."""
    intents, knowledge = data_copy
    path = Path(relative)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    code, lines = validate_output("--knowledge", str(knowledge), "--intents", str(intents))
    assert code == 1 and all(line.startswith(f"{relative}:") for line in lines[:-1]), lines
    assert any(line.startswith(expected) for line in lines), lines
