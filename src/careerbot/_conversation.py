"""A conversation: one user's chat with the shared engine.

All the per-user state lives here, as a small `Context`; `state` exports it as plain JSON-ready
data and `Engine.conversation(state)` restores it (validated).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._answer import Answer
from ._context import Context

if TYPE_CHECKING:
    from ._engine import Engine


class Conversation:
    """Follow-up context for one user: "tell me about NLP engineers" → "and their salary?"."""

    __slots__ = ("engine", "_context")

    def __init__(self, engine: Engine, state: dict | None = None):
        self.engine = engine
        knowledge = engine.knowledge
        self._context = Context.from_state(state, knowledge.roles, knowledge.intents)

    def ask(self, text: str) -> Answer:
        answer, self._context = self.engine.reply(text, self._context)
        return answer

    def reset(self) -> None:
        """Forget the context: the next question starts afresh."""
        self._context = Context()

    @property
    def state(self) -> dict:
        """The conversation as JSON-serialisable data, for `Engine.conversation(state)`."""
        return self._context.to_state()

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles in context (what "they" refers to)."""
        return self._context.roles
