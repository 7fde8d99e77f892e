"""Loading the shipped knowledge base and refusing broken data files."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerbot import Engine, KnowledgeError

CONTRACT_ROLES = (
    "ml-engineer", "data-scientist", "research-scientist", "computer-vision-engineer", "nlp-engineer",
    "mlops-engineer", "data-engineer", "big-data-engineer", "ai-product-manager", "ai-ethics-specialist",
    "ml-consultant", "cloud-architect",
)
CONTRACT_INTENTS = (
    "role_overview", "salary", "skills", "projects", "how_to_become", "education", "certifications",
    "learning_resources", "job_search", "industries", "highest_paying", "compare_roles", "list_roles",
    "roles_by_skill", "outlook", "greeting", "goodbye", "thanks", "help",
)
"""The ids the interface contract fixes (CONTRACT.md): the shipped data may hold more."""


def test_shipped_data_has_every_contract_role_and_intent(engine):
    """Every contract role and intent loads from the shipped files, the roles first in the contract's order."""
    catalogue = engine.catalogue()
    roles = [role.id for role in catalogue.roles]
    assert roles[:len(CONTRACT_ROLES)] == list(CONTRACT_ROLES)
    assert set(CONTRACT_INTENTS) <= {intent.id for intent in catalogue.intents}


def test_every_intent_has_at_least_15_examples():
    """Each intent is taught by at least 15 phrasings (and, as its shape requires, an answer kind)."""
    for intent in Engine.load().catalogue().intents:
        assert len(intent.examples) >= 15, intent.id
        assert intent.answer, intent.id


def test_every_fact_cites_a_listed_source(engine):
    """Every answer about every role cites only sources that sources.yaml lists, with a title and a seed file."""
    listed = {source.id for source in engine.catalogue().sources}
    for role in engine.catalogue().roles:
        for question in (f"what does a {role.name} do", f"what does a {role.name} earn",
                         f"what skills does a {role.name} need"):
            answer = engine.ask(question)
            assert answer.sources and set(answer.sources) <= listed, question
            assert all(ref.title and ref.file.endswith(".txt") for ref in answer.references), question


def test_roles_without_a_source_figure_have_no_salary(engine):
    """No number is invented: the roles the sources give no figure for say so."""
    for role_id in ("mlops-engineer", "data-scientist", "data-engineer", "ai-ethics-specialist", "ml-consultant"):
        name = engine.catalogue().role(role_id).name
        assert "None of my sources gives a salary figure for" in engine.ask(f"what does a {name} earn").text, role_id


def test_the_engine_is_immutable(engine):
    """What an engine knows cannot be changed in place (it is shared between threads)."""
    catalogue = engine.catalogue()
    with pytest.raises((AttributeError, TypeError)):
        catalogue.roles[0].name = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        engine.ask = None  # type: ignore[method-assign]


def test_engine_loads_a_users_own_folders(data_copy):
    """`Engine.load(intents=..., knowledge=...)` reads folders other than the shipped ones."""
    intents, knowledge = data_copy
    role = knowledge / "roles" / "cloud-architect.yaml"
    role.write_text(role.read_text().replace("name: Cloud Architect", "name: Cloud Platform Architect"))
    engine = Engine.load(intents=intents, knowledge=knowledge)
    assert engine.catalogue().role("cloud-architect").name == "Cloud Platform Architect"


def test_missing_folder_is_a_knowledge_error(tmp_path: Path):
    """A folder that does not exist is reported, not a traceback from deep inside."""
    with pytest.raises(KnowledgeError, match="does not exist"):
        Engine.load(knowledge=tmp_path / "nope")
