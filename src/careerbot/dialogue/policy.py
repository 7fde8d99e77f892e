"""The dialogue policy: what to do with a reading, in the context of a conversation.

`Policy.decide(reading, context)` is a pure function of the reading, the conversation context and
the immutable knowledge: it screens the question (nothing to read, a job outside machine learning,
a subtopic the sources do not cover, a role on its own, small talk), weighs the calibrated
out-of-scope decision, fills the intent's slots from the question and the conversation, and settles
ambiguity. `Policy.next_context` is the state update after an answer. What the intents declare
about the dialogue (`Rules`) is gathered once from their files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rapidfuzz import fuzz, process

from .._record import Record
from .._text import stem
from ..knowledge.model import FACT_KINDS, OUT_OF_SCOPE, Intent, KnowledgeBase, frozen_map
from ..reading.calibrate import DEFAULT_COEFFICIENTS, DEFAULT_CUTOFF, DEFAULT_INTERCEPT, probability, reading_features
from ..reading.entities import BOUNDARY, DOMAIN, LEVEL, OCCUPATION, POINTING, ROLE, SKILL, UNCOVERED, Mention
from ..reading.matcher import FILLER, IntentScore, Reading
from .plan import Offer, Plan
from .state import Context

SMALL_TALK_SURE = 0.45
"""Small talk this sure is answered even with a word careerbot does not know ("hey there buddy")..."""
SMALL_TALK_MARGIN = 0.1
"""...when a reply (hello, thanks, bye) is this much closer to its examples than to the negatives:
"have you got the time" is as close to "see you next time" as to everyday requests, and is one.
(Chosen on the development and probe sets: 0.05 and 0.1 lost no small talk and answered fewer
everyday requests; 0.15 lost some.)"""
REFERRING = frozenset("they them their theirs it its that this those these one ones either both each he she him her his there job role "
                      "former latter".split())
"""Words by which a question points back at the roles of the conversation."""
ORDINALS = {"former": 0, "latter": 1, "first one": 0, "second one": 1, "first role": 0, "second role": 1}
"""Words by which a question picks one of two roles in play: "skills for the second one?"."""
ORDINAL_WORDS = frozenset(word for words in ORDINALS for word in words.split())
WORKPLACES = frozenset("company companies firm firms startup startups lab labs team teams business businesses "
                       "organisation organisations organization organizations".split())
"""Words after a word of the field that make it a job's workplace ("at an AI company")."""
ANY_FIELD = frozenset({"field"})
"""Words of the field that name any line of work unless they point back at the one in question."""
DEFINITE = POINTING | {"our", "your"}
"""Words before a field word that point back at the field in question: "the field"."""
AUTOMATING = frozenset("replace replaces replaced replacing automate automates automated automating automation "
                       "obsolete redundant".split())
"""Words by which the field is what happens to a job, not where the question is: "will AI replace
actuaries?" asks about actuaries."""
TOPIC_KEYWORD = 0.1
"""A keyword weaker than this says no topic of a role set against a job outside ML: the "vs" that
"self-taught vs degree" gives education is no question about education."""
BESIDE_KEYWORD = 0.5
"""How strongly a keyword must point to the best intent to be asked beside an uncovered subtopic."""

AMBIGUITY_MARGIN = 0.02
"""Two intents closer than this: ask "did you mean …?"."""
CONTEXT_MARGIN = 0.1
"""How far behind the best a topic about the roles in the conversation may be and still be taken."""
AMBIGUITY_FLOOR = 0.45
"""…when the runner-up has at least this score: a weak runner-up is no real alternative."""
SLOT_FIT_MARGIN = 0.1
"""A runner-up this close that can be answered wins over a best intent that lacks a role."""
FIELD_KEYWORDS = 0.2
"""Keyword evidence at which a question naming no role names a topic of the field (a stray "time"
weighs a fifth of it)."""

class Rules(Record):
    """What the intents declare about the dialogue, gathered for the decisions that use it."""

    small_talk: frozenset[str]       # answered without touching the conversation (kinds reply and help)
    role_topics: frozenset[str]      # a role-only follow-up ("what about data engineers?") continues these
    level_topics: frozenset[str]     # a level-only follow-up ("and at entry level?") continues these (a level slot)
    ends_chat: frozenset[str]        # the chat ends after these ("bye"): nothing is offered next
    default_for: Mapping[str, str]   # "nothing" | "role" | "two roles" -> the intent that answers it
    which_role: Mapping[str, str]    # intent -> the intent answering it asked of no role as "which role …?"
    which_role_by_skill: str | None  # the one of those that takes a skill ("which role is all about Kafka?")

    @classmethod
    def of(cls, knowledge: KnowledgeBase) -> Rules:
        intents = knowledge.intents.values()
        return cls(frozenset(i.id for i in intents if i.answer not in FACT_KINDS),
                   frozenset(i.id for i in intents if i.role_follow_up == "continue"),
                   frozenset(i.id for i in intents if i.level_slot == "optional"),
                   frozenset(i.id for i in intents if i.ends_chat),
                   frozen_map((i.default_for, i.id) for i in intents if i.default_for),
                   frozen_map((i.id, i.which_role) for i in intents if i.which_role),
                   next((i.which_role for i in intents if i.which_role
                         and knowledge.intents[i.which_role].skill_slot != "none"), None))

GENERAL_SCOPE = frozenset({"ml", "ai", "machine learning", "artificial intelligence", "in general", "any role",
                           "all roles", "every role"})
"""Words that widen a question to the whole field, so the role in context does not apply."""


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


class Policy:
    """The decisions of a dialogue over one knowledge base. Immutable once built.

    `same_answer(a, b)` says whether two plans are answered alike: a "did you mean …?" between two
    readings that give the same facts asks nothing (the answers layer knows; this one does not).
    """

    __slots__ = ("knowledge", "rules", "same_answer")

    def __init__(self, knowledge: KnowledgeBase, same_answer: Callable[[Plan, Plan], bool], rules: Rules | None = None):
        self.knowledge = knowledge
        self.rules = rules or Rules.of(knowledge)
        self.same_answer = same_answer

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
        if not context.roles and reading.aside is not None and self.everyday(reading.aside):
            return Decision(OUT_OF_SCOPE, Plan(OUT_OF_SCOPE), 1.0 - evidence.probability,
                            "an everyday request: the field is named only in a clause after it", evidence=evidence)
        intent = self.knowledge.intents[self.topic_in_context(reading, context)]
        because = f"answerable with probability {evidence.probability:.2f}"
        # the intent that answers "which role …?" for the best one (itself, when it is such an answer)
        asked_for = self.rules.which_role.get(intent.id) or (
            intent.id if intent.id in self.rules.which_role.values() else None)
        if asked_for and not entities.roles and reading.asks_which_role:
            # "which positions call for OpenCV?" asks for roles, not the skills of a role; an answer
            # that takes nothing from the question would drop the skill it names ("which role is
            # all about Kafka?", "what lines of work value spaCy?" are no requests for the list of roles)
            if entities.skill and self.rules.which_role_by_skill and _takes_nothing(self.knowledge.intents[asked_for]):
                asked_for = self.rules.which_role_by_skill
            if asked_for != intent.id:
                because += f"; asks which role, which {asked_for} answers for {intent.id}"
                intent = self.knowledge.intents[asked_for]
        level, skill = entities.level, entities.skill
        roles, from_context = self.fill_roles(intent.role_slot, reading, context)
        plan = Plan(intent.id, roles, level, skill, entities.amount, reading.focus)
        if self.missing_slot(plan):
            intent, roles, from_context, plan = self.fitting_runner_up(reading, context, plan) or (
                intent, roles, from_context, plan)
        confidence = evidence.probability
        if intent.role_slot == "pair" and len(roles) < 2:
            # a role set against a job outside ML ("cloud vs solutions architect?"): no comparison can be
            # made, but what the question asks of the role can be said
            job, topic = next(iter(asked_jobs(reading)), None), self.one_role_topic(reading)
            if roles and job and topic:
                return Decision("answer", Plan(topic, roles, level, skill, entities.amount, reading.focus),
                                confidence, f"sets a role against a job outside machine learning ({job}): "
                                f"{topic} of the role", from_context, evidence=evidence, unknown_job=job)
            fields = {m.value for m in entities.mentions if m.kind == DOMAIN}
            if not roles and (entities.values(SKILL) or len(fields) > 1):
                # "CNN vs RNN?", "AI vs machine learning?": the sources compare roles, not skills, tools or fields
                return Decision(OUT_OF_SCOPE, Plan(OUT_OF_SCOPE), confidence,
                                "compares skills, tools or fields, where the sources compare roles only",
                                evidence=evidence)
            return Decision("clarify", plan, confidence, "a comparison needs two roles", evidence=evidence)
        if intent.role_slot == "required" and not roles:
            if intent.id == self.rules.default_for.get("role") and entities.values(SKILL):
                # "explain what a transformer is": what a skill or tool is, where the sources describe roles
                return Decision(OUT_OF_SCOPE, Plan(OUT_OF_SCOPE), confidence,
                                "asks what a skill or tool is, where the sources describe roles", evidence=evidence)
            return Decision("clarify", plan, confidence, f"{intent.id} needs a role", evidence=evidence)
        return (self.ambiguity(reading, plan, from_context, evidence)
                or Decision("answer", plan, confidence, because, from_context, evidence=evidence))

    def beats_the_negatives(self, small_talk: IntentScore, negative: IntentScore | None) -> bool:
        """Whether small talk is closer to its examples than to the negatives: by `SMALL_TALK_MARGIN`
        for a reply ("goodbye" to "have you got the time?" would be wrong), at all for a request for
        help (saying what careerbot does is a fair answer to any question about it)."""
        if negative is None:
            return True
        margin = SMALL_TALK_MARGIN if self.knowledge.intents[small_talk.intent].answer == "reply" else 0.0
        return negative.score < small_talk.score - margin

    def one_role_topic(self, reading: Reading) -> str | None:
        """What a question setting a role against a job outside ML asks of the role: the best intent
        answered for one role with keywords of its own: not the job's words, nor words that say
        "comparison" more than they say its topic ("do MLOps roles pay well compared to SWE?" asks
        its pay; the "analyst" of "data analyst" and the "vs" of "actuary vs data scientist" ask
        nothing), else what the role does."""
        job_words = {stem(reading.tokens[i]) for i in reading.entities.positions(OCCUPATION)}
        comparing = dict(reading.best.keywords) if reading.best else {}
        said: dict[str, float] = {}           # each topic: its strongest keyword of its own
        for scored in reading.ranking:
            intent = self.knowledge.intents[scored.intent]
            if intent.role_slot in ("required", "optional"):
                said[intent.id] = max((weight for keyword, weight in scored.keywords
                                       if weight > max(comparing.get(keyword, 0.0), TOPIC_KEYWORD)
                                       and not set(keyword.split()) <= job_words), default=0.0)
        strongest = max(said, key=said.__getitem__, default=None)   # the best ranked on a tie
        return strongest if strongest and said[strongest] else self.rules.default_for.get("role")

    def everyday(self, request: Reading) -> bool:
        """Whether the request a question opens with, read without the clauses that name the field,
        is closer to the negatives than to any intent and fails the calibrated decision."""
        best = request.best.score if request.best else 0.0
        return (request.negative is not None and request.negative.score > best
                and not self.evidence(request, Context()).answerable)

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

    def topic_in_context(self, reading: Reading, context: Context) -> str:
        """The best intent, unless the question names roles, or the conversation is about roles the
        question does not replace, and a close runner-up takes them where the best does not: after
        a talk about data engineers, "what about pay?" asks what they earn, not which role pays
        best, and "careers in computer vision" is about the role, not the list of roles. A request
        for help that names a role or a skill goes to the best intent that answers about them."""
        best = reading.best
        if self.knowledge.intents[best.intent].answer == "help" and (reading.entities.roles or reading.entities.skill):
            # a question naming a role or a skill is about it, not about careerbot: "I want to be an
            # ML eng. Where do I begin?"
            others = [s.intent for s in reading.ranking[1:] if s.intent not in self.rules.small_talk]
            taking = [i for i in others if self.knowledge.intents[i].role_slot != "none"] if reading.entities.roles else []
            if taking or others:
                return (taking or others)[0]
        if not (context.roles or reading.entities.roles) or self.knowledge.intents[best.intent].role_slot != "none":
            return best.intent
        for other in reading.ranking[1:]:
            if best.score - other.score <= CONTEXT_MARGIN and self.knowledge.intents[other.intent].role_slot != "none":
                return other.intent
        return best.intent

    def evidence(self, reading: Reading, context: Context) -> Evidence:
        """The calibrated decision over what the reading found (see `careerbot.reading.calibrate`). A
        conversation about a role places a question in the field as naming the role would; a question
        read as the topic in progress is in the field as if it named the field ("how do I start?")."""
        table = self.knowledge.decision
        coefficients, intercept, cutoff = ((table.coefficients, table.intercept, table.cutoff) if table else
                                           (DEFAULT_COEFFICIENTS, DEFAULT_INTERCEPT, DEFAULT_CUTOFF))
        # the conversation places a question that refers back to it ("what do they earn?") or holds no
        # words careerbot does not know; "explain how gradient descent works" stands on its own
        follows = not reading.unknown or any(t in REFERRING for t in reading.tokens)
        continues = (follows and context.topic is not None and reading.best is not None
                     and reading.best.intent == context.topic)
        features = reading_features(reading, anchored=follows and bool(context.roles), in_topic=continues)
        return Evidence(tuple(features.items()), probability(features, coefficients, intercept), cutoff)

    def screen(self, reading: Reading, context: Context) -> Decision | None:
        """The decisions taken before weighing any intent: nothing to read, a job outside ML, a
        subtopic the sources do not cover, a role on its own, small talk."""
        entities = reading.entities
        if not reading.tokens:
            return Decision("empty", Plan(self.rules.default_for["nothing"]), 1.0, "nothing to read")
        # a job outside ML asked about, not one the asker comes from ("…into DE from SWE"), nor one
        # beside the field ("I'm a nurse; how do I get into ML?" is ours)
        jobs = asked_jobs(reading)
        if jobs and not _in_field(reading):
            return Decision(OUT_OF_SCOPE, Plan(OUT_OF_SCOPE), 0.95,
                            f"names a job outside machine learning ({jobs[0]})", unknown_job=jobs[0])
        best = reading.best
        uncovered = self.uncovered(reading, context)
        if uncovered and (entities.anchored or context.roles or context.topic or self.looks_in_field(reading)):
            asked = self.nearby_plan(reading, context)
            if asked.intent != OUT_OF_SCOPE and self.asked_beside(reading, uncovered):
                return Decision("answer", asked, 0.9, f'asks about "{uncovered.text}", which the sources do not '
                                f"cover ({uncovered.value}), or about what they do cover beside it", uncovered=uncovered)
            nearby = self.knowledge.vocabulary.uncovered[uncovered.value].nearby
            return Decision(OUT_OF_SCOPE, self.nearby_plan(reading, context, nearby) if nearby else asked, 0.9,
                            f'asks about "{uncovered.text}", which the sources do not cover ({uncovered.value})',
                            uncovered=uncovered)
        if reading.repeats == OUT_OF_SCOPE:
            return Decision(OUT_OF_SCOPE, Plan(OUT_OF_SCOPE), 0.95,
                            "nearly repeats a question listed as one careerbot cannot answer")
        # "and the second one?" picks one of two roles in play, and continues the topic in progress
        # (after a comparison: what the role is)
        picked = _ordinal(reading.tokens)
        pair = _pair_in_play(context) if picked is not None else ()
        if pair and all(t in FILLER or t in ORDINAL_WORDS for t in reading.tokens):
            topic = context.topic if context.topic in self.rules.role_topics else self.rules.default_for["role"]
            return Decision("answer", Plan(topic, (pair[picked],), context.level), 0.9,
                            f"picks one of two roles by its place ({topic})", context_roles=True)
        # roles on their own continue the topic in progress; without one, an example repeated says what is asked
        if reading.role_only and (reading.repeats is None or context.topic in self.rules.role_topics):
            return self.role_on_its_own(reading, context, "a role on its own")
        if reading.level_only and context.topic in self.rules.level_topics:
            takes_roles = self.knowledge.intents[context.topic].role_slot != "none"
            return Decision("answer", Plan(context.topic, context.roles if takes_roles else (), entities.level), 0.9,
                            f"a level on its own continues the topic in progress ({context.topic})",
                            context_roles=bool(context.roles) and takes_roles)
        if best is not None and best.intent in self.rules.small_talk and best.score >= SMALL_TALK_SURE \
                and not entities.anchored and self.beats_the_negatives(best, reading.negative):
            return Decision("answer", Plan(best.intent), best.score, "small talk")
        if best is None:
            if entities.roles:
                return self.role_on_its_own(reading, context, "no topic, but a role is named:")
            return Decision(OUT_OF_SCOPE, Plan(OUT_OF_SCOPE), 1.0, "no intent has any evidence")
        return None

    def asked_beside(self, reading: Reading, uncovered: Mention) -> bool:
        """Whether the question sets a subtopic the sources do not cover beside one they do, as
        alternatives or a list: "books or courses", "courses and podcasts". The word beside it is a
        keyword the best intent holds strongly (`BESIDE_KEYWORD`)."""
        tokens, best = reading.tokens, reading.best
        strong = {keyword for keyword, weight in best.keywords if weight >= BESIDE_KEYWORD} if best else set()
        end, start = uncovered.end, uncovered.start
        # the two words after "or" ("books or online courses"), or the two before it ("courses or books")
        after = tokens[end + 1:end + 3] if end < len(tokens) and tokens[end] in ("or", "and") else ()
        before = tokens[max(0, start - 3):start - 1] if start and tokens[start - 1] in ("or", "and") else ()
        return any(stem(word) in strong for word in (*after, *before))

    def looks_in_field(self, reading: Reading) -> bool:
        """Whether a question naming no role asks about one of the field's topics: its keywords name
        the topic (`FIELD_KEYWORDS`), and it reads as that topic at least as much as like a question
        careerbot cannot answer (but for a question it cannot answer that names the same subtopic).
        "salary in India?" does; "weather in Paris?", "what time is it in Vienna?" and "how much is a
        flight to London?" do not, though a place is named in each."""
        best, negative = reading.best, reading.negative
        # a negative that names the same uncovered subtopic ("data engineer salary in Brazil") is
        # close for naming it: no sign that the question is outside the field
        same = {m.value for m in reading.entities.mentions if m.kind == UNCOVERED} & reading.negative_names
        return (best is not None and best.intent in self.rules.role_topics
                and best.keyword_evidence >= FIELD_KEYWORDS
                and (negative is None or best.score >= negative.score or bool(same)))

    def uncovered(self, reading: Reading, context: Context) -> Mention | None:
        """The subtopic the sources do not cover that the question asks about, if any: one it
        names, where the subtopic is uncovered for any question, or for the topic asked or in
        progress ("pay in India"), or where the question itself asks about jobs "in" it ("DS jobs in
        India?"), not where it is background ("moved to India last year, how do I find a DS job?")."""
        for mention in reading.entities.mentions:
            if mention.kind != UNCOVERED:
                continue
            if mention.value in reading.covered:
                continue                    # the intents cover it after all (a knowledge base of one's own)
            if mention.value in reading.alone:
                return mention              # named with nothing else asked: "any news on layoffs?"
            only = self.knowledge.vocabulary.uncovered[mention.value].intents
            if not only or context.topic in only or (reading.best is not None and reading.best.intent in only):
                return mention
            before = reading.tokens[max(0, mention.start - 2):mention.start]
            if BOUNDARY not in reading.tokens[mention.end:] and before and (before[-1] == "in"
                                                                         or tuple(before) == ("in", "the")):
                return mention
        return None

    def nearby_plan(self, reading: Reading, context: Context, topic: str = "") -> Plan:
        """What the sources do say next to an uncovered subtopic: its own nearby `topic` (bonuses
        are next to salaries) or else the best topic, for the roles named."""
        entities = reading.entities
        intent = topic or (reading.best.intent if reading.best else None)
        if intent is None or intent not in self.rules.role_topics or intent in self.rules.small_talk:
            return Plan(OUT_OF_SCOPE, entities.roles, entities.level, entities.skill, entities.amount)
        roles, _ = self.fill_roles(self.knowledge.intents[intent].role_slot, reading, context)
        plan = Plan(intent, roles, entities.level, entities.skill, entities.amount, reading.focus)
        return plan._replace(intent=OUT_OF_SCOPE) if self.missing_slot(plan) else plan

    def fill_roles(self, slot: str, reading: Reading, context: Context) -> tuple[tuple[str, ...], bool]:
        """The roles for an intent's role slot: those named, completed from the conversation
        (unless the question widens to the whole field); and whether the context supplied any."""
        named = reading.entities.roles
        usable = context.roles if context.roles and not self._widened(reading) else ()
        if slot == "pair" and len(named) + len(usable) < 2 and usable:
            # "which one pays more" after one role, then another: the roles of the last turns, in the
            # order they were named (the plans answered are newest first)
            earlier = (r for plan in context.asked for r in plan.roles)
            usable = tuple(dict.fromkeys((*usable, *earlier)))[1::-1]
        if slot == "pair" and len(named) < 2 and usable:
            return tuple(r for r in usable if r not in named)[: 2 - len(named)] + named, True
        if slot in ("required", "optional") and not named and usable:
            picked = _ordinal(reading.tokens)
            pair = _pair_in_play(context) if picked is not None else ()
            return ((pair[picked],) if pair else usable), True
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
        if self.same_answer(choices[0], choices[1]):
            return None                    # both readings give the same facts: nothing to choose
        return Decision("ambiguous", plan, evidence.probability,
                        f"{best.intent} and {runner_up.intent} score within {AMBIGUITY_MARGIN}",
                        from_context, choices, evidence=evidence)

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
        if context.topic in self.rules.role_topics:
            keeps_level = self.knowledge.intents[context.topic].level_slot != "none"
            level = entities.level or (context.level if keeps_level else None)
            return Decision("answer", Plan(context.topic, entities.roles, level, entities.skill), 0.9,
                            f"{why} continues the topic in progress ({context.topic})")
        default_for = self.rules.default_for
        if len(entities.roles) > 1:
            return Decision("answer", Plan(default_for["two roles"], entities.roles[:2], entities.level,
                                           entities.skill),
                            0.85, f"{why}: two roles side by side (\"NLP or CV?\") ask for a comparison")
        # "cloud architect or solutions architect?": the job outside ML is said to be one, then the role
        job = next(iter(asked_jobs(reading)), None)
        return Decision("answer", Plan(default_for["role"], entities.roles, entities.level, entities.skill), 0.9,
                        f"{why} asks what the role is", unknown_job=job)

    def _widened(self, reading: Reading) -> bool:
        """Whether the question asks about the whole field ("…for machine learning jobs")."""
        inside = reading.entities.positions(ROLE, SKILL, LEVEL, OCCUPATION)   # field words count as words here
        padded = f" {' '.join(t for i, t in enumerate(reading.tokens) if i not in inside)} "
        return any(f" {word} " in padded for word in GENERAL_SCOPE)

    def next_context(self, decision: Decision, offers: tuple[Offer, ...], context: Context) -> Context:
        plan = decision.plan
        offered = {"offers": offers, "choosing": decision.kind == "ambiguous"}
        rules = self.rules
        if decision.kind in ("empty", OUT_OF_SCOPE) or plan.intent in rules.small_talk:
            return context.aged()._replace(**offered)
        # a "did you mean …?" settles no topic, but the roles it names are the conversation's now
        continued = plan.intent in rules.role_topics or plan.intent in rules.level_topics
        topic = plan.intent if continued and decision.kind != "ambiguous" else None
        if plan.roles:
            return Context(plan.roles[:2], topic, plan.level, 0, **offered, asked=context.asked)
        aged = context.aged()
        if decision.kind == "clarify" or topic:
            # a topic without a role waits for one: "for a data scientist" answers it
            return aged._replace(topic=topic or plan.intent, level=plan.level, **offered)
        return aged._replace(**offered)


ASKERS_OWN = (("i", "am"), ("work", "as"), ("working", "as"))
"""Words before a job (and "a", "an" or "the") that make it the asker's own: "I'm an accountant", "I
work as a nurse"; so does a "from" in the two words before it ("into DE from SWE")."""


def asked_jobs(reading: Reading) -> list[str]:
    """The jobs outside ML a question asks about, not the asker's own."""
    tokens = reading.tokens
    return [m.value for m in reading.entities.mentions if m.kind == OCCUPATION and not _askers_own(tokens, m.start)]


def _askers_own(tokens: tuple[str, ...], start: int) -> bool:
    """Whether the job named from `start` on is the asker's own (`ASKERS_OWN`)."""
    if "from" in tokens[max(0, start - 2):start]:
        return True
    before = tokens[max(0, start - 3):start]
    if before[-1:] in (("a",), ("an",), ("the",)):
        before = before[:-1]
    return any(before[-len(words):] == words for words in ASKERS_OWN)


def _in_field(reading: Reading) -> bool:
    """Whether a role or a word of the field places the question in machine learning, other than
    as the workplace of a job ("a technical writer at an AI company" is a technical writer) or as
    a job's own field: "the field" is machine learning, but "is nursing a good field?" asks about
    nursing, and so does "the nursing field"; nor as what happens to a job (`AUTOMATING`)."""
    tokens = reading.tokens
    mentions = reading.entities.mentions
    if any(m.kind == ROLE for m in mentions):
        return True
    return AUTOMATING.isdisjoint(tokens) and any(m.kind == DOMAIN and _field_itself(m, tokens) for m in mentions)


def _field_itself(mention: Mention, tokens: tuple[str, ...]) -> bool:
    """Whether a word of the field names the field, not a job's workplace ("an AI company") nor any
    line of work ("a good field")."""
    workplace = mention.end < len(tokens) and tokens[mention.end] in WORKPLACES
    any_field = mention.value in ANY_FIELD and not (mention.start > 0 and tokens[mention.start - 1] in DEFINITE)
    return not workplace and not any_field


def _takes_nothing(intent: Intent) -> bool:
    """Whether the intent's answer takes no role, level or skill from the question."""
    return intent.role_slot == intent.level_slot == intent.skill_slot == "none"


def part_of(decision: Decision) -> tuple:
    """(intent, roles, level, skill) of one part of an answer, as the answer reports it."""
    plan = decision.plan
    return (OUT_OF_SCOPE if decision.kind == OUT_OF_SCOPE else plan.intent, plan.roles, plan.level, plan.skill)


def _number(text: str, count: int) -> int | None:
    """The 0-based position a bare "2" (or "2." / "2)") picks among `count` offers, if any."""
    stripped = text.strip().rstrip(".)")
    if stripped.isascii() and stripped.isdigit() and 0 < int(stripped) <= count:
        return int(stripped) - 1
    return None


def picked(text: str, context: Context) -> tuple[int, Offer] | None:
    """The offer of the previous answer that `text` picks, with its number: a bare number ("2",
    "2." or "2)") picks any; the words of a "did you mean …?" choice pick that choice."""
    offers = context.offers
    index = _number(text, len(offers))
    if index is None and context.choosing and offers:
        match = process.extractOne(text, [offer.text for offer in offers], scorer=fuzz.token_set_ratio,
                                   processor=str.casefold, score_cutoff=90.0)
        index = match[2] if match else None
    return None if index is None else (index + 1, offers[index])


def _pair_in_play(context: Context) -> tuple[str, ...]:
    """The two roles a question can pick one of by its place: those in play, the last two set side
    by side ("DS or MLE? … skills for the former? … and the second one?"), or else the last two
    asked about one after the other, in the order they were named."""
    if len(context.roles) == 2:
        return context.roles
    side_by_side = next((plan.roles for plan in context.asked if len(plan.roles) == 2), ())
    if side_by_side:
        return side_by_side
    named = list(dict.fromkeys(role for plan in context.asked for role in plan.roles))   # newest first
    return (named[1], named[0]) if len(named) >= 2 else ()


def _ordinal(tokens: tuple[str, ...]) -> int | None:
    """Which of two roles in play a question picks by its place ("the latter", "the first one"), if any."""
    if ORDINAL_WORDS.isdisjoint(tokens):
        return None
    for index, token in enumerate(tokens):
        picked = ORDINALS.get(token, ORDINALS.get(" ".join(tokens[index:index + 2])))
        if picked is not None:
            return picked
    return None
