"""The answer plan: what the engine decided to answer, before any text is written."""

from ._record import Record


class Plan(Record):
    """An intent with its slots filled: the roles (in the order named), a level, a skill."""

    intent: str
    roles: tuple[str, ...] = ()
    level: str | None = None
    skill: str | None = None
