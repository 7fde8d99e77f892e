"""The engine: the one place where the layers meet.

    text → reading (normalise, entities, intents) → decision (the dialogue policy) → answer (blocks)

An `Engine` is built once from a validated knowledge base and never changes afterwards, so one
engine can serve any number of threads and conversations. Per-user context lives in a
`Conversation`, as plain data; the engine stores none of it, prints nothing and never exits.
Its public verbs: `Engine.load()`, `engine.ask()`, `engine.conversation()` and `engine.catalogue()`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from ._text import MAX_QUESTION_CHARS
from .answers.answer import Answer
from .answers.compose import Composer
from .answers.render import Renderer
from .answers.short import is_more
from .dialogue.plan import Offer, Plan
from .dialogue.policy import Decision, Policy, Rules, picked
from .dialogue.state import MAX_PARTS, Context
from .knowledge.model import KnowledgeBase
from .reading.matcher import KEPT_CHARS, READ_WORDS, Matcher, Reading
from .reading.sentences import split_parts

if TYPE_CHECKING:
    from ._catalogue import Catalogue

MORE_PARTS_NOTE = f"(I answered the first {MAX_PARTS} questions of your message; ask me the others on their own.)"
"""Said after the answer to a message of more than `MAX_PARTS` questions: the rest were not read."""

REPLIES_KEPT = 1024
"""The most replies kept, the latest used: a reply is a pure function of the question and the
context it is asked in, so the same question in the same context (a popular first question, a
suggestion clicked in many conversations) is answered again from memory. A reply takes a few kB."""


class Engine:
    """Answers questions about machine-learning careers from a knowledge base.

    >>> engine = Engine.load()
    >>> engine.ask("what does an MLOps engineer earn?").intent
    'salary'
    """

    __slots__ = ("_knowledge", "_matcher", "_renderer", "_policy", "_composer", "_ids", "_kept_reply")

    def __init__(self, *, _knowledge: KnowledgeBase, _matcher: Matcher | None = None,
                 _renderer: Renderer | None = None, _rules: Rules | None = None):
        """Built by `Engine.load()`; the arguments are the engine's own (a cached copy's parts)."""
        self._knowledge = _knowledge
        self._matcher = _matcher or Matcher(_knowledge)
        self._renderer = renderer = _renderer or Renderer(_knowledge)
        self._policy = Policy(_knowledge, lambda a, b: renderer.render(a).text == renderer.render(b).text, _rules)
        self._composer = Composer(renderer, _knowledge.sources, self._policy.rules.ends_chat)
        # the role and intent ids a conversation's state may name, as sets: `in` answers without a call of ours
        self._ids = (frozenset(_knowledge.roles), frozenset(_knowledge.intents))
        # answers and contexts are immutable, so a kept reply can be handed to any conversation
        self._kept_reply = lru_cache(maxsize=REPLIES_KEPT)(self._reply_afresh)

    @classmethod
    def load(cls, intents: str | os.PathLike | None = None, knowledge: str | os.PathLike | None = None) -> Engine:
        """The engine over the shipped data, or over your own `intents` and `knowledge` folders.

        Raises `KnowledgeError` listing every problem when the files do not validate. A compiled
        copy is cached (see `careerbot._cache`), so later loads skip parsing and compiling.
        """
        from . import _cache
        from .knowledge.folders import shipped_folder
        folders = (intents if intents is not None else shipped_folder("intents"),
                   knowledge if knowledge is not None else shipped_folder("knowledge"))
        on_disk = all(isinstance(f, (str, os.PathLike)) and os.path.isdir(f) for f in folders)
        key = tuple(os.path.abspath(f) for f in folders) if on_disk and _cache.enabled() else None
        tables = _cache.load(key) if key else None
        if tables is not None:
            try:
                knowledge, matcher, renderer, rules = _cache.parts_of(tables)
                return cls(_knowledge=knowledge, _matcher=matcher, _renderer=renderer, _rules=rules)
            except (TypeError, ValueError, KeyError, IndexError, AttributeError):
                pass                      # not the shape this code writes: build afresh
        from .knowledge.loader import load_knowledge_base
        engine = cls(_knowledge=load_knowledge_base(intents=folders[0], knowledge=folders[1]))
        if key:
            _cache.store(key, _cache.tables_of(engine._knowledge, engine._matcher, engine._renderer,
                                               engine._policy.rules))
        return engine

    def ask(self, text: str) -> Answer:
        """Answer one question on its own, without conversation context."""
        return self._reply(text, Context())[0]

    def conversation(self, state: dict | None = None) -> Conversation:
        """A new conversation, or one restored from `Conversation.state` (validated: a state that
        does not validate raises `StateError`)."""
        return Conversation(self, state)

    def catalogue(self) -> Catalogue:
        """What this engine knows, for frontends: roles (with labels and aliases), skills, intents, sources."""
        from ._catalogue import Catalogue  # not imported by a start that only asks
        return Catalogue.of(self._knowledge)

    # -- the pipeline ----------------------------------------------------------

    def _read(self, text: str, budget: int = 0) -> Reading:
        return self._matcher.read(text, budget)

    def _reply(self, text: str, context: Context) -> tuple[Answer, Context]:
        """Answer `text` in `context`; return the answer and the context for the next turn."""
        if not isinstance(text, str):
            raise TypeError(f"a question must be text (str), not {type(text).__name__}")
        if len(text) <= KEPT_CHARS:
            return self._kept_reply(text, context)
        return self._reply_afresh(text, context)

    def _reply_afresh(self, text: str, context: Context) -> tuple[Answer, Context]:
        note = ""
        if len(text) > MAX_QUESTION_CHARS:
            text = text[:MAX_QUESTION_CHARS]
            note = f"(Your message was longer than {MAX_QUESTION_CHARS:,} characters; I read only the start.)"
        policy = self._policy
        if is_more(text):
            return self._more(text, context)
        offer = picked(text, context)
        if offer is None and context.offers and _bare_number(text):
            reading = self._read(text)
            decision = Decision("pick", Plan("help"), 1.0, f"picked a number beyond the {len(context.offers)} offered")
            answer, _ = self._composer.compose(reading, decision, offered=context.offers)
            return answer, context
        if offer is not None and offer[1].plan is not None:
            # what the previous answer offered is a plan: it is answered as it is, never read again
            number, plan = offer[0], offer[1].plan
            kind = "clarify" if policy.missing_slot(plan) else "answer"
            offered = "choice" if context.choosing else "suggestion"
            reading, decision = self._read(text), Decision(kind, plan, 1.0, f"picked {offered} {number} of the "
                                                                             "previous answer")
        else:
            # a suggestion restored from a version-1 state has no plan: it is asked as its text
            question = offer[1].text if offer is not None else text
            segments = split_parts(question)
            # the questions after the first few are not read: a message of twenty costs what three do
            told = "\n\n".join(filter(None, (note, MORE_PARTS_NOTE))) if len(segments) > MAX_PARTS else note
            answered = self._reply_in_parts(segments[:MAX_PARTS], context, told)
            if answered is not None:
                return answered
            reading = self._read(question)
            decision = policy.decide(reading, context)
        answer, offers = self._composer.compose(reading, decision, note, context.asked)
        following = policy.next_context(decision, offers, context)
        if decision.kind == "answer":
            following = following.answered(decision.plan)
        return answer, following._replace(last=(decision.plan,) if answer.shortened and decision.kind == "answer" else ())

    def _more(self, text: str, context: Context) -> tuple[Answer, Context]:
        """"more": the whole of the last answer, when it left something out (of each part answered)."""
        reading = self._read(text)
        if not context.last:
            decision = Decision("more", Plan("help"), 1.0, "asked for more, but the last answer was whole")
            answer, _ = self._composer.compose(reading, decision)
            return answer, context
        decisions = [Decision("answer", plan, 1.0, "asked for the rest of the last answer") for plan in context.last]
        if len(decisions) == 1:
            answer, offers = self._composer.compose(reading, decisions[0])
        else:
            answer, offers = self._composer.compose_parts([reading] * len(decisions), decisions)
        return answer.whole(), self._policy.next_context(decisions[-1], offers, context)._replace(last=())

    def _reply_in_parts(self, segments: list[str], context: Context, note: str) -> tuple[Answer, Context] | None:
        """Answer a question of several parts ("how much does X earn and what do they do?") part by
        part, in order, each part in the context the previous ones left; None when it has one part."""
        if len(segments) < 2:
            return None
        readings, decisions, seen = [], [], set()
        for segment in segments:
            reading = self._read(segment, READ_WORDS // len(segments))   # the parts share one budget
            decision = self._policy.decide(reading, context)
            if decision.kind == "ambiguous":          # a part takes its best reading: no "did you mean" mid-answer
                decision = decision._replace(kind="answer", choices=())
            if decision.kind == "empty" or (decision.kind, decision.plan) in seen:
                continue
            seen.add((decision.kind, decision.plan))
            readings.append(reading)
            decisions.append(decision)
            context = self._policy.next_context(decision, (), context)
        if len(decisions) < 2:
            return None
        answer, offers = self._composer.compose_parts(readings, decisions, note)
        answered = tuple(d.plan for d in decisions if d.kind == "answer") if answer.shortened else ()
        return answer, context._replace(offers=offers, choosing=False, last=answered)


def _bare_number(text: str) -> bool:
    """ "7", "7." or "7)": a pick by number."""
    stripped = text.strip().rstrip(".)")
    return stripped.isascii() and stripped.isdigit() and len(stripped) < 4


class Conversation:
    """Follow-up context for one user: "tell me about NLP engineers" → "and their salary?".

    All the per-user state lives here, as a small context; `state` exports it as plain JSON-ready
    data and `Engine.conversation(state)` restores it (validated).
    """

    __slots__ = ("_engine", "_context")

    def __init__(self, engine: Engine, state: dict | None = None):
        self._engine = engine
        self._context = Context.from_state(state, *engine._ids)

    def ask(self, text: str) -> Answer:
        answer, self._context = self._engine._reply(text, self._context)
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

    @property
    def offers(self) -> tuple[Offer, ...]:
        """What the last answer offered to ask next, each with the plan it asks for."""
        return self._context.offers
