"""Conversation context: the small, plain state one user's chat carries between turns.

The engine reads a `Context` and returns the next one; it never stores it. `Context.to_state()`
and `Context.from_state()` turn it into JSON-ready data and back, validating everything that comes
from outside: a forged or corrupt state raises `StateError`, it is never trusted blindly. What the
last answer offered is kept as plans with their text, so that picking one ("2") asks for the plan
itself, never the text read again.
"""

from collections.abc import Collection
from itertools import islice

from .._errors import StateError
from .._record import Record
from .._text import MAX_QUESTION_CHARS  # a plan's amount and focus words come from those characters
from ..knowledge.model import LEVELS
from .plan import Offer, Plan

STATE_VERSION = 2
"""Version 2 keeps each offer's plan beside its text; version 1 kept the texts of the suggestions
(and the plans of "did you mean …?" choices only). A version-1 state still restores."""
FADE_AFTER = 3
"""Turns that neither use nor renew the context before it is forgotten."""

MAX_ROLES = 2
MAX_SUGGESTIONS = 5
MAX_SUGGESTION_CHARS = 200
MAX_SKILL_CHARS = 100
_FIELDS = {"version", "roles", "topic", "level", "idle", "offers", "choosing", "last", "asked"}
MAX_ASKED = 6
_FIELDS_V1 = {"version", "roles", "topic", "level", "idle", "suggestions", "choices"}
_PLAN_FIELDS = frozenset({"intent", "roles", "level", "skill", "amount", "focus"})
_OFFER_FIELDS = _PLAN_FIELDS | {"text"}
MAX_PARTS = 3
"""The most questions of one message answered (the rest are named as not read)."""


class Context(Record):
    roles: tuple[str, ...] = ()
    topic: str | None = None            # the intent of the last topical answer
    level: str | None = None
    idle: int = 0                       # turns since the context was last used or renewed
    offers: tuple[Offer, ...] = ()      # what the last answer offered, in order: "2" picks the second
    choosing: bool = False              # the offers are the choices of a "did you mean …?": words pick too
    last: tuple[Plan, ...] = ()         # the plans of the last answer that left something out (one a part):
                                        # "more" shows it all
    asked: tuple[Plan, ...] = ()        # the plans answered lately, newest first: not offered again

    def aged(self) -> "Context":
        """The context after a turn that did not use it: it fades after a few of those (what was
        asked stays: it is never offered again)."""
        if self.idle + 1 >= FADE_AFTER:
            return Context(asked=self.asked)
        return self._replace(idle=self.idle + 1)

    def answered(self, plan: Plan) -> "Context":
        """The context with `plan` as the newest question answered."""
        return self._replace(asked=(plan, *(p for p in self.asked if p != plan))[:MAX_ASKED])

    def to_state(self) -> dict:
        state = {"version": STATE_VERSION, "roles": list(self.roles), "topic": self.topic, "level": self.level,
                 "idle": self.idle, "offers": [_offer_state(offer) for offer in self.offers],
                 "choosing": self.choosing}
        if self.last:                    # only then: a state without it restores as before
            plans = [_plan_state(plan) for plan in self.last]
            state["last"] = plans[0] if len(plans) == 1 else plans
        if self.asked:
            state["asked"] = [_plan_state(plan) for plan in self.asked]
        return state

    @classmethod
    def from_state(cls, state: object, roles: Collection[str], topics: Collection[str]) -> "Context":
        """Validate conversation state handed in from outside; raise `StateError` if it does not fit."""
        if state is None:
            return cls()
        if not isinstance(state, dict):
            raise StateError(f"conversation state must be a JSON object, not {type(state).__name__}")
        version = state.get("version")
        if type(version) is not int or version not in (1, STATE_VERSION):
            raise StateError(f"unsupported conversation state version {_describe(version)} "
                             f"(this careerbot reads versions 1 and {STATE_VERSION})")
        fields = _FIELDS if version == STATE_VERSION else _FIELDS_V1
        extra = len(state) - sum(1 for field in fields if field in state)
        if extra:       # name five, count the rest: a forged state may hold a hundred thousand
            named = sorted(_describe(key) for key in islice((key for key in state if key not in fields), 5))
            more = f" and {extra - len(named):,} more" if extra > len(named) else ""
            raise StateError(f"unknown fields in conversation state: {', '.join(named)}{more}")
        role_ids = state.get("roles", [])
        if not _is_role_list(role_ids, roles, MAX_ROLES):
            raise StateError(f"'roles' must be a list of at most {MAX_ROLES} different known role ids")
        topic = state.get("topic")
        if topic is not None and (not isinstance(topic, str) or topic not in topics):
            raise StateError("'topic' must be null or a known intent id")
        level = state.get("level")
        if level is not None and level not in LEVELS:
            raise StateError(f"'level' must be null or one of {', '.join(LEVELS)}")
        idle = state.get("idle", 0)
        if not isinstance(idle, int) or isinstance(idle, bool) or not 0 <= idle < FADE_AFTER:
            raise StateError(f"'idle' must be a whole number from 0 to {FADE_AFTER - 1}")
        offers, choosing = (_offers(state, roles, topics) if version == STATE_VERSION
                            else _offers_of_version_1(state, roles, topics))
        last = state.get("last") if version == STATE_VERSION else None
        last = [last] if isinstance(last, dict) else [] if last is None else last
        if not isinstance(last, list) or len(last) > MAX_PARTS or not all(isinstance(p, dict) for p in last):
            raise StateError(f"'last' must be null, the plan of the last answer or a list of at most {MAX_PARTS} "
                             "plans (one a part)")
        last = tuple(_plan(plan, roles, topics, "the last answer's", _OFFER_FIELDS) for plan in last)
        asked = state.get("asked", []) if version == STATE_VERSION else []
        if not isinstance(asked, list) or len(asked) > MAX_ASKED or not all(isinstance(p, dict) for p in asked):
            raise StateError(f"'asked' must be a list of at most {MAX_ASKED} plans")
        asked = tuple(_plan(p, roles, topics, "an asked") for p in asked)
        return cls(tuple(role_ids), topic, level, idle, offers, choosing, last, asked)


def _offer_state(offer: Offer) -> dict:
    return {"text": offer.text} if offer.plan is None else {"text": offer.text, **_plan_state(offer.plan)}


def _plan_state(plan: Plan) -> dict:
    return {"intent": plan.intent, "roles": list(plan.roles), "level": plan.level, "skill": plan.skill,
            "amount": plan.amount, "focus": list(plan.focus)}


def _offers(state: dict, roles: Collection[str], topics: Collection[str]) -> tuple[tuple[Offer, ...], bool]:
    offers, choosing = state.get("offers", []), state.get("choosing", False)
    if not isinstance(offers, list) or len(offers) > MAX_SUGGESTIONS:
        raise StateError(f"'offers' must be a list of at most {MAX_SUGGESTIONS} offers")
    if not isinstance(choosing, bool):
        raise StateError("'choosing' must be true or false")
    found = []
    for offer in offers:
        if not isinstance(offer, dict) or not _OFFER_FIELDS.issuperset(offer):
            raise StateError("each of 'offers' must be an object with a text, and the intent, roles, level, "
                             "skill, amount and focus of its plan")
        if not _is_text(offer.get("text"), MAX_SUGGESTION_CHARS):
            raise StateError(f"an offer's 'text' must be a printable text of at most {MAX_SUGGESTION_CHARS} "
                             "characters")
        plan = None
        if "intent" in offer:
            plan = _plan(offer, roles, topics, "an offer's", _OFFER_FIELDS)
        elif len(offer) > 1:
            raise StateError("an offer's plan needs its 'intent'")
        found.append(Offer(offer["text"], plan))
    return tuple(found), choosing


def _offers_of_version_1(state: dict, roles: Collection[str], topics: Collection[str]) -> tuple[tuple[Offer, ...], bool]:
    """A version-1 state's suggestions (texts) and "did you mean …?" choices (plans of the first
    suggestions): suggestions without a plan are asked as their text when picked."""
    suggestions = state.get("suggestions", [])
    if (not isinstance(suggestions, list) or len(suggestions) > MAX_SUGGESTIONS
            or not all(_is_text(s, MAX_SUGGESTION_CHARS) for s in suggestions)):
        raise StateError(f"'suggestions' must be a list of at most {MAX_SUGGESTIONS} printable texts of at "
                         f"most {MAX_SUGGESTION_CHARS} characters")
    choices = state.get("choices", [])
    if not isinstance(choices, list) or len(choices) > MAX_SUGGESTIONS:
        raise StateError(f"'choices' must be a list of at most {MAX_SUGGESTIONS} readings")
    plans = [_plan(choice, roles, topics, "a choice's") for choice in choices]
    offers = tuple(Offer(text, plans[i] if i < len(plans) else None) for i, text in enumerate(suggestions))
    return offers, bool(plans)


def _plan(data: object, roles: Collection[str], topics: Collection[str], whose: str,
          fields: frozenset[str] = _PLAN_FIELDS) -> Plan:
    """The plan `data` holds; `fields` are the keys it may have (a plan's, and an offer's "text")."""
    if not isinstance(data, dict) or not fields.issuperset(data):
        raise StateError(f"{whose} plan must be an object with intent, roles, level, skill, amount and focus")
    intent, role_ids = data.get("intent"), data.get("roles", [])
    level, skill = data.get("level"), data.get("skill")
    amount, focus = data.get("amount"), data.get("focus", [])
    if not isinstance(intent, str) or intent not in topics:
        raise StateError(f"{whose} 'intent' must be a known intent id")
    # A reading keeps every role the question named ("salary of an MLE, a DS or a data engineer?"),
    # so a plan may hold any number of them: each known, none twice.
    if not _is_role_list(role_ids, roles, len(roles)):
        raise StateError(f"{whose} 'roles' must be a list of different known role ids")
    if level is not None and level not in LEVELS:
        raise StateError(f"{whose} 'level' must be null or one of {', '.join(LEVELS)}")
    if skill is not None and not _is_text(skill, MAX_SKILL_CHARS):
        raise StateError(f"{whose} 'skill' must be null or a printable text of at most {MAX_SKILL_CHARS} "
                         "characters")
    # an amount the question named ("95k"): no more digits than a question holds characters
    if amount is not None and (type(amount) is not int or amount < 0 or amount.bit_length() > 4 * MAX_QUESTION_CHARS):
        raise StateError(f"{whose} 'amount' must be null or a whole non-negative number")
    # the question's own words: letters only, no more of them than a question holds
    if (not isinstance(focus, list) or len(focus) > MAX_QUESTION_CHARS
            or not all(isinstance(w, str) and w.isalpha() for w in focus)
            or sum(len(w) for w in focus) > MAX_QUESTION_CHARS):
        raise StateError(f"{whose} 'focus' must be a list of words of letters, at most {MAX_QUESTION_CHARS} "
                         "letters in all")
    return Plan(intent, tuple(role_ids), level, skill, amount, tuple(focus))


def _is_role_list(value: object, roles: Collection[str], limit: int) -> bool:
    """A list of at most `limit` known role ids, none twice (the length is checked before the items)."""
    return (isinstance(value, list) and len(value) <= limit
            and all(isinstance(r, str) and r in roles for r in value) and len(set(value)) == len(value))


def _is_text(value: object, limit: int) -> bool:
    """Text the engine could have written: a suggestion or a skill name, never control characters
    (they would reach a terminal) nor lone surrogates (they cannot be encoded to send)."""
    return isinstance(value, str) and 0 < len(value) <= limit and value.isprintable()


def _describe(value: object) -> str:
    """A value from outside, named safely in an error: short and printable. Never the repr of a
    container (deeply nested, it raises RecursionError) nor of a huge number (it raises ValueError)."""
    if value is None or isinstance(value, bool) or (isinstance(value, (int, float)) and abs(value) < 1e9):
        return repr(value)
    if isinstance(value, str) and len(value) <= 40 and value.isprintable():
        return repr(value)
    return f"of type {type(value).__name__}"
