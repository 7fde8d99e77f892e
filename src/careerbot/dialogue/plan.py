"""The answer plan: what the engine decided to answer, before any text is written."""

from .._record import Record


class Plan(Record):
    """An intent with its slots filled: the roles (in the order named), a level, a skill, and an
    amount of money the question names ("is 95k a lowball?")."""

    intent: str
    roles: tuple[str, ...] = ()
    level: str | None = None
    skill: str | None = None
    amount: int | None = None
    focus: tuple[str, ...] = ()    # the question's own words (stemmed): what of a role's duties to show first


class Offer(Record):
    """A question offered to the user, a follow-up suggestion or a "did you mean …?" choice: the
    text shown, and the plan that picking it asks for. Only a suggestion restored from a version-1
    conversation state has no plan: it is asked as its text."""

    text: str
    plan: Plan | None = None
