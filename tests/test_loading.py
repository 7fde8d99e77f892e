"""Loading the shipped knowledge base and refusing broken data files."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerbot import Engine, KnowledgeError
from careerbot._loader import load_knowledge_base
from careerbot._model import CONTRACT_INTENTS, CONTRACT_ROLES


def test_shipped_data_has_every_contract_role_and_intent():
    """All 12 contract roles and every contract intent load from the shipped files."""
    kb = load_knowledge_base()
    assert tuple(kb.roles) == CONTRACT_ROLES
    assert set(CONTRACT_INTENTS) <= set(kb.intents)


def test_every_intent_has_at_least_15_examples_and_keywords():
    """Each intent is taught by at least 15 phrasings and signalled by keywords."""
    kb = load_knowledge_base()
    for intent in kb.intents.values():
        assert len(intent.examples) >= 15, intent.id
        assert intent.keywords, intent.id


def test_every_fact_cites_a_listed_source():
    """Facts, skills and salary figures all name one of the three source documents."""
    kb = load_knowledge_base()
    assert set(kb.sources) and all(s.file.endswith(".txt") for s in kb.sources.values())
    for role in kb.roles.values():
        cited = [*role.summary.sources, *(s for f in role.responsibilities + role.projects for s in f.sources),
                 *(s for skill in role.skills for s in skill.sources), *(f.source for f in role.salary)]
        assert cited and set(cited) <= set(kb.sources), role.id


def test_roles_without_a_source_figure_have_no_salary():
    """No number is invented: the roles the sources give no figure for have none."""
    kb = load_knowledge_base()
    for role_id in ("mlops-engineer", "data-scientist", "data-engineer", "ai-ethics-specialist", "ml-consultant"):
        assert kb.roles[role_id].salary == ()
    assert {f.describes for f in kb.roles["ml-engineer"].salary} >= {"range", "top_companies", "level"}


def test_knowledge_base_is_immutable():
    """The loaded model cannot be changed in place (it is shared between threads)."""
    kb = load_knowledge_base()
    with pytest.raises((AttributeError, TypeError)):
        kb.roles["ml-engineer"] = None  # type: ignore[index]
    with pytest.raises(AttributeError):
        kb.roles["ml-engineer"].name = "x"  # type: ignore[misc]


def test_engine_loads_a_users_own_folders(data_copy):
    """`Engine.load(intents=..., knowledge=...)` reads folders other than the shipped ones."""
    intents, knowledge = data_copy
    role = knowledge / "roles" / "cloud-architect.yaml"
    role.write_text(role.read_text().replace("name: Cloud Architect", "name: Cloud Platform Architect"))
    engine = Engine.load(intents=intents, knowledge=knowledge)
    assert engine.knowledge.roles["cloud-architect"].name == "Cloud Platform Architect"


def test_missing_folder_is_a_knowledge_error(tmp_path: Path):
    """A folder that does not exist is reported, not a traceback from deep inside."""
    with pytest.raises(KnowledgeError, match="does not exist"):
        Engine.load(knowledge=tmp_path / "nope")
