"""The engine: text → normalise → entities → intent → plan → rendered answer.

An `Engine` is built once from a validated knowledge base and never changes afterwards, so one
engine can serve any number of threads and conversations. Per-user context is passed in and handed
back (`Engine.reply`); the engine stores none of it, prints nothing and never exits.
"""

import gc
import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from ._answer import Answer, Explanation, FoundEntity, RankedIntent
from ._calibrate import DEFAULT_COEFFICIENTS, DEFAULT_CUTOFF, DEFAULT_INTERCEPT, probability, reading_features
from ._context import Context
from ._entities import BOUNDARY, DOMAIN, LEVEL, OCCUPATION, ROLE, SKILL, UNCOVERED, Mention
from ._matcher import READ_WORDS, Matcher, Reading
from ._model import OUT_OF_SCOPE, KnowledgeBase
from ._plan import Plan
from ._record import Record
from ._render import Renderer

if TYPE_CHECKING:
    from ._conversation import Conversation

SMALL_TALK_SURE = 0.45
"""Small talk this sure is answered even with a word careerbot does not know ("hey there buddy")."""

AMBIGUITY_MARGIN = 0.02
"""Two intents closer than this: ask "did you mean …?"."""
CONTEXT_MARGIN = 0.1
"""How far behind the best a topic about the roles in the conversation may be and still be taken."""
AMBIGUITY_FLOOR = 0.45
"""…when the runner-up has at least this score: a weak runner-up is no real alternative."""
SLOT_FIT_MARGIN = 0.1
"""A runner-up this close that can be answered wins over a best intent that lacks a role."""
IN_PASSING_SCORE = 0.6
"""A question whose best intent scores this high asks about the field, wherever it names it."""
"""A runner-up this close that can be answered wins over a best intent that lacks a role."""

MAX_QUESTION_CHARS = 1000
"""Longer questions are cut to this length (with a note), so time per question stays bounded."""

SMALL_TALK = frozenset({"greeting", "goodbye", "thanks", "help"})
LEVEL_TOPICS = frozenset({"salary", "highest_paying"})
"""Topics a level-only follow-up ("what about at entry level?") can continue."""
ROLE_TOPICS = frozenset({"role_overview", "salary", "skills", "projects", "how_to_become", "education",
                         "certifications", "learning_resources", "job_search", "outlook"})
"""Topics a role-only follow-up ("what about data engineers?") can continue."""

GENERAL_SCOPE = frozenset({"ml", "ai", "machine learning", "artificial intelligence", "in general", "any role",
                           "all roles", "every role"})
"""Words that widen a question to the whole field, so the role in context does not apply."""


@lru_cache(maxsize=1)
def _control_sequences() -> re.Pattern:
    return re.compile(
        r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"            # CSI: colours, cursor moves, clearing the screen
        r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"   # OSC, DCS...: titles
        r"|\x1b[ -/]*[0-~]?"                            # any other escape
        r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"               # the remaining control characters
    )


def clean_echo(text: str) -> str:
    """User text made safe to show back: no terminal control sequences, no stray surrogates."""
    if text.isascii() and text.isprintable():
        return text
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _control_sequences().sub("", text)


class Evidence(Record):
    """The calibrated out-of-scope decision: the features of a reading and what they came to."""

    features: tuple[tuple[str, float], ...]
    probability: float
    cutoff: float

    @property
    def answerable(self) -> bool:
        return self.probability >= self.cutoff


class Decision(Record):
    """What the engine decided to do with a reading, before any text is written."""

    kind: str                      # answer | clarify | ambiguous | out_of_scope | empty
    plan: Plan
    confidence: float
    reason: str
    context_roles: bool = False
    choices: tuple[Plan, ...] = ()
    unknown_job: str | None = None
    evidence: Evidence | None = None     # the calibrated decision, where it was taken
    uncovered: Mention | None = None     # the subtopic the sources do not cover


class Engine:
    """Answers questions about machine-learning careers from a knowledge base.

    >>> engine = Engine.load()
    >>> engine.ask("what does an MLOps engineer earn?").intent
    'salary'
    """

    __slots__ = ("knowledge", "_matcher", "_renderer")

    def __init__(self, knowledge: KnowledgeBase):
        self.knowledge = knowledge
        self._matcher = Matcher(knowledge)
        self._renderer = Renderer(knowledge)

    @classmethod
    def load(cls, intents: str | os.PathLike | None = None, knowledge: str | os.PathLike | None = None) -> "Engine":
        """The engine over the shipped data, or over your own `intents` and `knowledge` folders.

        Raises `KnowledgeError` listing every problem when the files do not validate. A compiled
        copy is cached (see `careerbot._cache`), so later loads skip parsing and compiling.
        """
        from . import _cache
        from ._data import shipped_folder
        folders = (intents if intents is not None else shipped_folder("intents"),
                   knowledge if knowledge is not None else shipped_folder("knowledge"))
        on_disk = all(isinstance(f, (str, os.PathLike)) and os.path.isdir(f) for f in folders)
        key = tuple(os.path.abspath(f) for f in folders) if on_disk and _cache.enabled() else None
        collecting = gc.isenabled()
        gc.disable()           # everything built here lives as long as the engine: nothing to collect
        try:
            if key:
                parts = _cache.load(key)
                if isinstance(parts, tuple) and len(parts) == 3 and isinstance(parts[0], KnowledgeBase):
                    return cls._assemble(*parts)
            from ._loader import load_knowledge_base
            engine = cls(load_knowledge_base(intents=folders[0], knowledge=folders[1]))
            if key:
                _cache.store(key, (engine.knowledge, engine._matcher, engine._renderer))
            return engine
        finally:
            if collecting:
                gc.enable()

    @classmethod
    def _assemble(cls, knowledge: KnowledgeBase, matcher: Matcher, renderer: Renderer) -> "Engine":
        engine = cls.__new__(cls)
        engine.knowledge, engine._matcher, engine._renderer = knowledge, matcher, renderer
        return engine

    def ask(self, text: str) -> Answer:
        """Answer one question on its own, without conversation context."""
        return self.reply(text, Context())[0]

    def conversation(self, state: dict | None = None) -> "Conversation":
        """A new conversation, or one restored from `Conversation.state` (validated)."""
        from ._conversation import Conversation
        return Conversation(self, state)

    def named_roles(self, text: str) -> tuple[str, ...]:
        """The role ids `text` names, in order."""
        return self._matcher.read(text).entities.roles

    # -- the pipeline ----------------------------------------------------------

    def reply(self, text: str, context: Context) -> tuple[Answer, Context]:
        """Answer `text` in `context`; return the answer and the context for the next turn."""
        if not isinstance(text, str):
            raise TypeError(f"a question must be text (str), not {type(text).__name__}")
        note = ""
        if len(text) > MAX_QUESTION_CHARS:
            text = text[:MAX_QUESTION_CHARS]
            note = f"(Your message was longer than {MAX_QUESTION_CHARS:,} characters; I read only the start.)"
        choice = _chosen(text, context)
        if choice is not None:                      # the answer to a "did you mean …?"
            reading = self._matcher.read(self._renderer.question_for(choice))
            kind = "clarify" if self.missing_slot(choice) else "answer"
            decision = Decision(kind, choice, 1.0, "picked from the choices of the previous answer")
        else:
            question = _picked_suggestion(text, context) or text
            answered = self.reply_in_parts(split_parts(question), context, note)
            if answered is not None:
                return answered
            reading = self._matcher.read(question)
            decision = self.decide(reading, context)
        answer = self.compose(reading, decision, note)
        return answer, self.next_context(decision, answer.suggestions, context)

    def reply_in_parts(self, segments: list[str], context: Context, note: str) -> tuple[Answer, Context] | None:
        """Answer a question of several parts ("how much does X earn and what do they do?") part by
        part, in order, each part in the context the previous ones left; None when it has one part."""
        if len(segments) < 2:
            return None
        readings, decisions, seen = [], [], set()
        for segment in segments:
            reading = self._matcher.read(segment, READ_WORDS // len(segments))   # the parts share one budget
            decision = self.decide(reading, context)
            if decision.kind == "ambiguous":          # a part takes its best reading: no "did you mean" mid-answer
                decision = decision._replace(kind="answer", choices=())
            if decision.kind == "empty" or (decision.kind, decision.plan) in seen:
                continue
            seen.add((decision.kind, decision.plan))
            readings.append(reading)
            decisions.append(decision)
            context = self.next_context(decision, (), context)
        if len(decisions) < 2:
            return None
        text, sources, suggestions = self._renderer.render_parts(tuple(
            (d.kind, d.plan, d.unknown_job, d.uncovered, clean_echo(r.text)) for r, d in zip(readings, decisions)))
        if note:
            text = f"{text}\n\n{note}"
        first = decisions[0]
        answer = Answer(text=text, intent=_part(first)[0], confidence=round(max(0.0, min(1.0, first.confidence)), 3),
                        roles=first.plan.roles, level=first.plan.level, skill=first.plan.skill, sources=sources,
                        suggestions=suggestions, explain=self.explanation(readings[0], first),
                        parts=tuple(_part(d) for d in decisions))
        return answer, context._replace(suggestions=suggestions, choices=())

    def decide(self, reading: Reading, context: Context) -> Decision:
        """What to do with a reading: screen it, weigh the evidence, fill the intent's slots, settle
        ambiguity."""
        screened = self.screen(reading, context)
        if screened is not None:
            return screened
        entities = reading.entities
        evidence = self.evidence(reading, context)
        if not evidence.answerable:
            return Decision(OUT_OF_SCOPE, Plan(OUT_OF_SCOPE), 1.0 - evidence.probability,
                            f"answerable with probability {evidence.probability:.2f}, below {evidence.cutoff:.2f}",
                            evidence=evidence)
        if not context.roles and self.asks_in_passing(reading):
            return Decision(OUT_OF_SCOPE, Plan(OUT_OF_SCOPE), 1.0 - evidence.probability,
                            "an everyday request: the field is named only in a clause after it", evidence=evidence)
        intent = self.knowledge.intents[self.topic_in_context(reading, context)]
        level, skill = entities.level, entities.skill
        roles, from_context = self.fill_roles(intent.role_slot, reading, context)
        plan = Plan(intent.id, roles, level, skill, entities.amount, reading.focus)
        if self.missing_slot(plan):
            intent, roles, from_context, plan = self.fitting_runner_up(reading, context, plan) or (
                intent, roles, from_context, plan)
        confidence = evidence.probability
        if intent.role_slot == "pair" and len(roles) < 2:
            return Decision("clarify", plan, confidence, "a comparison needs two roles", evidence=evidence)
        if intent.role_slot == "required" and not roles:
            return Decision("clarify", plan, confidence, f"{intent.id} needs a role", evidence=evidence)
        return (self.ambiguity(reading, plan, from_context, evidence)
                or Decision("answer", plan, confidence, f"answerable with probability {evidence.probability:.2f}",
                            from_context, evidence=evidence))

    def asks_in_passing(self, reading: Reading) -> bool:
        """Whether the question opens with a request careerbot cannot answer and names the field
        only in a later clause: "set an alarm for 7, big day at my new ML job". The first clause
        must be a question or a command (not the asker's background: "moved to Canada last year,
        …"), the whole a weak match for any intent, and the clauses without the field, read on
        their own, closer to the negatives than to any intent and failing the calibrated decision."""
        clauses: list[list[int]] = [[]]
        for index, token in enumerate(reading.tokens):
            if token == BOUNDARY:
                clauses.append([])
            else:
                clauses[-1].append(index)
        if len(clauses) < 2 or (reading.best is not None and reading.best.score >= IN_PASSING_SCORE):
            return False
        anchors = {i for m in reading.entities.mentions if m.kind in (ROLE, DOMAIN) for i in range(m.start, m.end)}
        anchored = [bool(anchors.intersection(clause)) for clause in clauses]
        if anchored[0] or not any(anchored) or not self._matcher.opens_a_request(
                [reading.tokens[i] for i in clauses[0]]):
            return False
        rest = self._matcher.read(". ".join(" ".join(reading.tokens[i] for i in clause)
                                            for clause, named in zip(clauses, anchored) if not named))
        best = rest.best.score if rest.best else 0.0
        return (rest.negative is not None and rest.negative.score > best
                and not self.evidence(rest, Context()).answerable)

    def topic_in_context(self, reading: Reading, context: Context) -> str:
        """The best intent, unless the conversation is about roles the question does not replace
        and a close runner-up takes them where the best does not: after a talk about data
        engineers, "what about pay?" asks what they earn, not which role pays best."""
        best = reading.best
        if not context.roles or reading.entities.roles or self.knowledge.intents[best.intent].role_slot != "none":
            return best.intent
        for other in reading.ranking[1:]:
            if best.score - other.score <= CONTEXT_MARGIN and self.knowledge.intents[other.intent].role_slot != "none":
                return other.intent
        return best.intent

    def evidence(self, reading: Reading, context: Context) -> Evidence:
        """The calibrated decision over what the reading found (see `careerbot._calibrate`). A
        conversation about a role places a question in the field as naming the role would."""
        table = self.knowledge.decision
        coefficients, intercept, cutoff = ((table.coefficients, table.intercept, table.cutoff) if table else
                                           (DEFAULT_COEFFICIENTS, DEFAULT_INTERCEPT, DEFAULT_CUTOFF))
        features = reading_features(reading, anchored=bool(context.roles))
        return Evidence(tuple(features.items()), probability(features, coefficients, intercept), cutoff)

    def screen(self, reading: Reading, context: Context) -> Decision | None:
        """The decisions taken before weighing any intent: nothing to read, a job outside ML, a
        subtopic the sources do not cover, a role on its own, small talk."""
        entities = reading.entities
        if not reading.tokens:
            return Decision("empty", Plan("help"), 1.0, "nothing to read")
        # a job outside ML asked about, not one the asker comes from ("…into DE from SWE"), nor one
        # beside the field ("I'm a nurse; how do I get into ML?" is ours)
        jobs = [m.value for m in entities.mentions if m.kind == OCCUPATION
                and "from" not in reading.tokens[max(0, m.start - 2):m.start]]
        if jobs and not entities.anchored:
            return Decision(OUT_OF_SCOPE, Plan(OUT_OF_SCOPE), 0.95,
                            f"names a job outside machine learning ({jobs[0]})", unknown_job=jobs[0])
        best = reading.best
        uncovered = self.uncovered(reading, context)
        if uncovered and (entities.anchored or context.roles or context.topic or (best and best.intent in ROLE_TOPICS)):
            return Decision(OUT_OF_SCOPE, self.nearby_plan(reading, context), 0.9,
                            f'asks about "{uncovered.text}", which the sources do not cover ({uncovered.value})',
                            uncovered=uncovered)
        if reading.role_only:
            return self.role_on_its_own(reading, context, "a role on its own")
        if reading.level_only and context.topic in LEVEL_TOPICS:
            return Decision("answer", Plan(context.topic, context.roles if context.topic == "salary" else (),
                                           entities.level), 0.9,
                            f"a level on its own continues the topic in progress ({context.topic})",
                            context_roles=bool(context.roles) and context.topic == "salary")
        if best is not None and self.knowledge.intents[best.intent].reply and best.score >= SMALL_TALK_SURE \
                and not entities.anchored and (reading.negative is None or reading.negative.score < best.score):
            return Decision("answer", Plan(best.intent), best.score, "small talk")
        if best is None:
            if entities.roles:
                return self.role_on_its_own(reading, context, "no topic, but a role is named:")
            return Decision(OUT_OF_SCOPE, Plan(OUT_OF_SCOPE), 1.0, "no intent has any evidence")
        return None

    def uncovered(self, reading: Reading, context: Context) -> Mention | None:
        """The subtopic the sources do not cover that the question asks about, if any: one it
        names, where the subtopic is uncovered for any question, or for the topic asked or in
        progress ("pay in India"), or where the question itself asks about jobs "in" it ("DS jobs in
        India?"), not where it is background ("moved to India last year, how do I find a DS job?")."""
        for mention in reading.entities.mentions:
            if mention.kind != UNCOVERED:
                continue
            only = self.knowledge.vocabulary.uncovered[mention.value].intents
            if reading.best is not None and reading.best.intent in self._matcher.covered_by.get(mention.value, ()):
                continue                    # the intents cover it after all (a knowledge base of one's own)
            if not only or context.topic in only or (reading.best is not None and reading.best.intent in only):
                return mention
            before = reading.tokens[max(0, mention.start - 2):mention.start]
            if BOUNDARY not in reading.tokens[mention.end:] and before and (before[-1] == "in"
                                                                         or tuple(before) == ("in", "the")):
                return mention
        return None

    def nearby_plan(self, reading: Reading, context: Context) -> Plan:
        """What the sources do say next to an uncovered subtopic: the best topic, for the roles named."""
        best, entities = reading.best, reading.entities
        if best is None or best.intent not in ROLE_TOPICS or self.knowledge.intents[best.intent].reply:
            return Plan(OUT_OF_SCOPE, entities.roles, entities.level, entities.skill, entities.amount)
        roles, _ = self.fill_roles(self.knowledge.intents[best.intent].role_slot, reading, context)
        plan = Plan(best.intent, roles, entities.level, entities.skill, entities.amount, reading.focus)
        return plan._replace(intent=OUT_OF_SCOPE) if self.missing_slot(plan) else plan

    def fill_roles(self, slot: str, reading: Reading, context: Context) -> tuple[tuple[str, ...], bool]:
        """The roles for an intent's role slot: those named, completed from the conversation
        (unless the question widens to the whole field); and whether the context supplied any."""
        named = reading.entities.roles
        usable = () if self._widened(reading) else context.roles
        if slot == "pair" and len(named) < 2 and usable:
            return tuple(r for r in usable if r not in named)[: 2 - len(named)] + named, True
        if slot in ("required", "optional") and not named and usable:
            return usable, True
        return named, False

    def ambiguity(self, reading: Reading, plan: Plan, from_context: bool, evidence: Evidence) -> Decision | None:
        """A "did you mean …?" when the words fit two roles, or two intents, almost equally."""
        unsure = next((m for m in reading.entities.mentions if m.kind == ROLE and m.alternative
                       and m.alternative not in reading.entities.roles), None)
        if unsure and self.knowledge.intents[plan.intent].role_slot != "none":
            others = tuple(r for r in plan.roles if r != unsure.value)
            choices = tuple(plan._replace(roles=others + (role,)) for role in (unsure.value, unsure.alternative))
            return Decision("ambiguous", plan, evidence.probability * 0.5,
                            f'"{unsure.text}" fits {unsure.value} and {unsure.alternative} almost equally',
                            from_context, choices, evidence=evidence)
        best, runner_up = reading.best, (reading.ranking[1] if len(reading.ranking) > 1 else None)
        if plan.intent != best.intent:        # the conversation settled it
            return None
        if runner_up is None or best.score - runner_up.score >= AMBIGUITY_MARGIN or runner_up.score < AMBIGUITY_FLOOR:
            return None
        choices = tuple(plan._replace(intent=i.intent, roles=plan.roles if self.knowledge.intents[i.intent].role_slot
                                      != "none" else ()) for i in (best, runner_up))
        if any(self.missing_slot(choice) for choice in choices):
            return None
        if from_context and bool(choices[0].roles) != bool(choices[1].roles):
            # in a conversation about a role, the reading that is about it wins a near tie
            if choices[0].roles:
                return None
            return Decision("answer", choices[1], evidence.probability,
                            f"{runner_up.intent} takes the role in the conversation; {best.intent} does not",
                            from_context, evidence=evidence)
        if self._renderer.render(choices[0])[0] == self._renderer.render(choices[1])[0]:
            return None                    # both readings give the same facts: nothing to choose
        return Decision("ambiguous", plan, evidence.probability,
                        f"{best.intent} and {runner_up.intent} score within {AMBIGUITY_MARGIN}",
                        from_context, choices, evidence=evidence)

    def fitting_runner_up(self, reading: Reading, context: Context, plan: Plan):
        """The runner-up intent, when it scores within `SLOT_FIT_MARGIN` of the best and can be
        answered with what the question gives while the best cannot: "what are the main ML roles"
        lists the roles rather than asking which role "role" means. Returns (intent, roles, whether
        the roles come from the conversation, plan) or None."""
        if len(reading.ranking) < 2 or reading.best.intent != plan.intent:
            return None
        runner_up = reading.ranking[1]
        if reading.best.score - runner_up.score >= SLOT_FIT_MARGIN:
            return None
        intent = self.knowledge.intents[runner_up.intent]
        roles, from_context = self.fill_roles(intent.role_slot, reading, context)
        other = plan._replace(intent=intent.id, roles=roles)
        return None if self.missing_slot(other) else (intent, roles, from_context, other)

    def missing_slot(self, plan: Plan) -> bool:
        """Whether `plan` lacks what its intent cannot be answered without (roles, a skill)."""
        intent = self.knowledge.intents.get(plan.intent)
        if intent is None:
            return False
        return ((intent.role_slot == "required" and not plan.roles)
                or (intent.role_slot == "pair" and len(plan.roles) < 2)
                or (intent.skill_slot == "required" and not plan.skill))

    def role_on_its_own(self, reading: Reading, context: Context, why: str) -> Decision:
        """Roles with no topic: they continue the topic in progress, or ask what the role is (two
        roles: how they compare)."""
        entities = reading.entities
        if context.topic in ROLE_TOPICS:
            level = entities.level or (context.level if context.topic == "salary" else None)
            return Decision("answer", Plan(context.topic, entities.roles, level, entities.skill), 0.9,
                            f"{why} continues the topic in progress ({context.topic})")
        if len(entities.roles) > 1:
            return Decision("answer", Plan("compare_roles", entities.roles[:2], entities.level, entities.skill),
                            0.85, f"{why}: two roles side by side (\"NLP or CV?\") ask for a comparison")
        return Decision("answer", Plan("role_overview", entities.roles, entities.level, entities.skill), 0.9,
                        f"{why} asks what the role is")

    def _widened(self, reading: Reading) -> bool:
        """Whether the question asks about the whole field ("…for machine learning jobs")."""
        inside = reading.entities.positions(ROLE, SKILL, LEVEL, OCCUPATION)   # field words count as words here
        padded = f" {' '.join(t for i, t in enumerate(reading.tokens) if i not in inside)} "
        return any(f" {word} " in padded for word in GENERAL_SCOPE)

    def compose(self, reading: Reading, decision: Decision, note: str = "") -> Answer:
        plan, renderer = decision.plan, self._renderer
        sources: tuple[str, ...] = ()
        if decision.kind == "empty":
            text = "Ask me something about machine learning careers, for example what an MLOps engineer earns."
            suggestions = tuple(renderer.follow_ups(Plan("help")))
        elif decision.kind == OUT_OF_SCOPE:
            text, sources, suggestions = renderer.out_of_scope(plan, decision.unknown_job, decision.uncovered)
        elif decision.kind == "clarify":
            text, suggestions = renderer.clarify_role(plan.intent)
        elif decision.kind == "ambiguous":
            suggestions = tuple(renderer.question_for(choice) for choice in decision.choices)
            text = "Did you mean:\n" + "\n".join(f"{i}. {q}" for i, q in enumerate(suggestions, 1))
        else:
            text, sources, suggestions = renderer.render(plan)
            if plan.intent == "goodbye":
                suggestions = ()
        if note:
            text = f"{text}\n\n{note}"
        confidence = round(max(0.0, min(1.0, decision.confidence)), 3)
        return Answer(text=text, intent=_part(decision)[0], confidence=confidence,
                      roles=plan.roles, level=plan.level, skill=plan.skill, sources=sources,
                      suggestions=suggestions, explain=self.explanation(reading, decision), parts=(_part(decision),))

    def explanation(self, reading: Reading, decision: Decision) -> Explanation:
        found = [FoundEntity(m.kind, m.value, clean_echo(m.text), m.score) for m in reading.entities.mentions]
        if decision.context_roles:
            found += [FoundEntity(ROLE, r, "", 100.0, from_context=True)
                      for r in decision.plan.roles if r not in reading.entities.roles]
        ranking = tuple(RankedIntent(s.intent, s.score, s.example, s.keywords) for s in reading.ranking[:3])
        negative = reading.negative
        evidence = decision.evidence
        return Explanation(
            normalised=clean_echo(" ".join(reading.tokens)), corrections=reading.corrections, ranking=ranking,
            entities=tuple(found), unknown_words=tuple(clean_echo(w) for w in reading.unknown),
            decision=f"{decision.kind}: {decision.reason}",
            features=evidence.features if evidence else (),
            probability=evidence.probability if evidence else None, cutoff=evidence.cutoff if evidence else None,
            negative=RankedIntent(negative.intent, negative.score, negative.example) if negative else None,
            skipped=reading.skipped,
        )

    def next_context(self, decision: Decision, suggestions: tuple[str, ...], context: Context) -> Context:
        plan = decision.plan
        offered = {"suggestions": suggestions, "choices": decision.choices}
        if decision.kind in ("empty", OUT_OF_SCOPE) or plan.intent in SMALL_TALK:
            return context.aged()._replace(**offered)
        # a "did you mean …?" settles no topic, but the roles it names are the conversation's now
        topic = plan.intent if plan.intent in ROLE_TOPICS | LEVEL_TOPICS and decision.kind != "ambiguous" else None
        if plan.roles:
            return Context(plan.roles[:2], topic, plan.level, 0, **offered)
        aged = context.aged()
        if decision.kind == "clarify" or topic:
            # a topic without a role waits for one: "for a data scientist" answers it
            return aged._replace(topic=topic or plan.intent, level=plan.level, **offered)
        return aged._replace(**offered)


def _part(decision: Decision) -> tuple:
    """(intent, roles, level, skill) of one part of an answer, as the answer reports it."""
    plan = decision.plan
    return (OUT_OF_SCOPE if decision.kind == OUT_OF_SCOPE else plan.intent, plan.roles, plan.level, plan.skill)


MAX_PARTS = 3
_OPENERS = ("what|whats|how|hows|which|where|who|why|when|is|are|do|does|did|can|could|should|would|will|any|"
            "tell|explain|list|compare")
_SENTENCE_END = re.compile(r"(?<=[?!;])\s*|(?<=[a-z0-9)]\.)\s+(?=[A-Za-z])")
_JOINT = re.compile(r"\s*(?:,\s*)?(?:\band\b|\balso\b|\bplus\b|\+|&)\s+(?:also\s+)?(?=(?:%s)\b)" % _OPENERS,
                    re.IGNORECASE)
_QUESTION_SHAPED = re.compile(r"^\W*(?:%s)\b|\?\s*$" % _OPENERS, re.IGNORECASE)


def split_parts(text: str) -> list[str]:
    """The questions in `text`, at most `MAX_PARTS`: sentences, and clauses joined by "and", "also",
    "plus" or "+" when the next one starts a question ("…earn and what do they do?"). A sentence
    that asks nothing ("I'm a DBA making 85k.") stays with the question after it, as its context."""
    pieces = [p for sentence in _SENTENCE_END.split(text) for p in _JOINT.split(sentence) if p and p.strip()]
    parts: list[str] = []
    pending = ""
    for piece in pieces:
        if _QUESTION_SHAPED.search(piece):
            parts.append(f"{pending} {piece}".strip())
            pending = ""
        else:
            pending = f"{pending} {piece}".strip()
    if pending:
        if parts:
            parts[-1] = f"{parts[-1]} {pending}"
        else:
            parts.append(pending)
    if len(parts) > MAX_PARTS:
        parts = parts[:MAX_PARTS - 1] + [" ".join(parts[MAX_PARTS - 1:])]
    return parts


def _number(text: str, count: int) -> int | None:
    """The 0-based position a bare "2" (or "2." / "2)") picks among `count` offers, if any."""
    stripped = text.strip().rstrip(".)")
    if stripped.isascii() and stripped.isdigit() and 0 < int(stripped) <= count:
        return int(stripped) - 1
    return None


def _chosen(text: str, context: Context) -> Plan | None:
    """The choice of a "did you mean …?" that `text` picks: by number, or by its words."""
    if not context.choices:
        return None
    index = _number(text, len(context.choices))
    if index is not None:
        return context.choices[index]
    match = process.extractOne(text, context.suggestions[:len(context.choices)], scorer=fuzz.token_set_ratio,
                               processor=str.casefold, score_cutoff=90.0)
    return context.choices[match[2]] if match else None


def _picked_suggestion(text: str, context: Context) -> str | None:
    """A bare number asks that suggestion of the previous answer."""
    index = _number(text, len(context.suggestions))
    return None if index is None else context.suggestions[index]
