"""What an engine knows, for frontends: `Engine.catalogue()`.

Frontends list the roles, complete their names and aliases and the skills, end the chat after an
intent that ends it, and count what a server answers with; they read it here, never from the model.
"""

from __future__ import annotations

from ._record import Record
from .knowledge.model import KnowledgeBase


class RoleEntry(Record):
    id: str
    name: str                  # as the sources name it ("NLP (Natural Language Processing) Engineer")
    label: str                 # as answers write it ("NLP Engineer")
    aliases: tuple[str, ...]   # other names a question may use ("NLP", "NLP eng")


class IntentEntry(Record):
    id: str
    description: str
    answer: str                # its kind of answer (README: "answer")
    ends_chat: bool            # the chat ends after this answer ("bye")
    examples: tuple[str, ...]  # the example phrasings that teach it


class SourceEntry(Record):
    id: str
    title: str
    file: str


class Catalogue(Record):
    """Roles, skills, intents and sources, each in the knowledge base's order."""

    roles: tuple[RoleEntry, ...]
    skills: tuple[str, ...]
    intents: tuple[IntentEntry, ...]
    sources: tuple[SourceEntry, ...]
    topics: tuple[str, ...]            # the ids of the knowledge topics

    @classmethod
    def of(cls, knowledge: KnowledgeBase) -> Catalogue:
        return cls(
            tuple(RoleEntry(r.id, r.name, r.label, r.aliases) for r in knowledge.roles.values()),
            knowledge.skill_names,
            tuple(IntentEntry(i.id, i.description, i.answer, i.ends_chat, i.examples)
                  for i in knowledge.intents.values()),
            tuple(SourceEntry(s.id, s.title, s.file) for s in knowledge.sources.values()),
            tuple(knowledge.topics),
        )

    def role(self, role_id: str) -> RoleEntry | None:
        return next((role for role in self.roles if role.id == role_id), None)

    def intent(self, intent_id: str) -> IntentEntry | None:
        return next((intent for intent in self.intents if intent.id == intent_id), None)
