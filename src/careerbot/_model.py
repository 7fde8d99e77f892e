"""The knowledge base as immutable, typed values.

Everything here is built once by the loader and never changes: frozen dataclasses, tuples and
read-only mappings, safe to share between threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

LEVELS = ("entry", "mid", "senior")

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
"""Intents a knowledge base must define. `out_of_scope` is what is left below the threshold."""

OUT_OF_SCOPE = "out_of_scope"

SKILL_GROUPS = ("languages", "frameworks_and_tools", "math", "soft_skills", "other")

SALARY_KINDS = ("range", "average", "top_companies", "level")

TOPICS = ("skills", "how_to_become", "education", "certifications", "learning_resources", "job_search",
          "industries", "outlook", "ml_engineering")
"""General topics the shipped answers draw on (knowledge/topics/<id>.yaml)."""


def frozen_map(items=()) -> Mapping:
    """A read-only mapping (the engine shares its tables between threads)."""
    return MappingProxyType(dict(items))


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    file: str


@dataclass(frozen=True, slots=True)
class Fact:
    """One statement and the sources that make it."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Skill:
    name: str
    group: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SalaryFigure:
    """A figure exactly as a source gives it: a range, an average, a top-company or a level figure."""

    describes: str
    source: str
    low: int | None = None
    high: int | None = None
    average: int | None = None
    level: str | None = None
    open_ended: bool = False
    currency: str = "USD"
    period: str = "year"
    note: str = ""

    @property
    def top(self) -> int:
        """The highest number the figure states (what rankings compare)."""
        return max(n for n in (self.low, self.high, self.average) if n is not None)


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    name: str
    aliases: tuple[str, ...]
    summary: Summary
    responsibilities: tuple[Fact, ...] = ()
    skills: tuple[Skill, ...] = ()
    projects: tuple[Fact, ...] = ()
    salary: tuple[SalaryFigure, ...] = ()
    related_roles: tuple[str, ...] = ()
    short_name: str = ""

    @property
    def label(self) -> str:
        """The name used in running text and charts: the short name when there is one."""
        return self.short_name or self.name


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    items: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    summary: Summary | None
    sections: tuple[Section, ...]
    role_sections: Mapping[str, tuple[Section, ...]] = field(default_factory=frozen_map)


@dataclass(frozen=True, slots=True)
class Intent:
    id: str
    description: str
    role_slot: str = "none"      # required | optional | pair | none
    level_slot: str = "none"     # optional | none
    skill_slot: str = "none"     # required | none
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    reply: str | None = None


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Entity words that are not roles: levels, skill spellings, jobs outside ML."""

    levels: Mapping[str, tuple[str, ...]] = field(default_factory=frozen_map)
    skill_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=frozen_map)
    other_occupations: tuple[str, ...] = ()
    domain_words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    sources: Mapping[str, Source]
    roles: Mapping[str, Role]
    salary_levels: tuple[SalaryFigure, ...]
    salary_notes: tuple[Fact, ...]
    topics: Mapping[str, Topic]
    intents: Mapping[str, Intent]
    vocabulary: Vocabulary

    @property
    def skill_names(self) -> tuple[str, ...]:
        """Every canonical skill name the knowledge base mentions, in first-seen order."""
        names = {skill.name: None for role in self.roles.values() for skill in role.skills}
        return tuple(names)
