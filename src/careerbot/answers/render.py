"""Compose answers from the structured knowledge, as typed blocks (`careerbot.answers.blocks`).

Each kind of answer (`answer:` in an intent's file) has one template function over the knowledge
base (`Renderer.KINDS`): no answer text is written by hand for a (role, intent) pair, and what an
intent says about itself (its questions, how it names its topic, what it offers next) is the
intent's own data. Every fact added to a draft brings its source; the text of an answer is laid out
from its blocks by `careerbot.answers.plain`, which marks each line with the numbers of its sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz

from .._record import Record
from .._text import normalise, stem
from ..dialogue.plan import Offer, Plan
from ..knowledge.model import (
    FACT_KINDS,
    LEVELS,
    SKILL_GROUPS,
    Deferred,
    Fact,
    Intent,
    KnowledgeBase,
    Role,
    SalaryFigure,
    Section,
    Subject,
    Topic,
)
from ..reading.entities import Mention, plural
from .blocks import Bar, Block, Chart, Cited, Heading, ListBlock, Notice, Paragraph, Table, answer_sources
from .money import figure_label, figure_span, money
from .plain import answer_text
from .short import SHORT_LINES, asked_words, left_out_notice, shorten, stemmed_words

SKILLS_SHOWN = 4
"""A role's first skills shown when the question asks which role fits without naming a skill."""
GROUP_TITLES = {
    "languages": "Languages", "frameworks_and_tools": "Frameworks and tools", "math": "Math",
    "soft_skills": "Soft skills", "other": "Other",
}
PER_PERIOD = {"month": " a month", "hour": " an hour"}
"""Figures are shown per year, as the answers' headings say, unless a source gives another period."""

OFFER_POOL = 6
"""Offers an answer keeps in reserve: the conversation leaves out what was already asked, then shows three."""

FIELD_PROJECTS = 3
"""Example projects shown for each role when projects are asked of the field as a whole."""
RANKING_LENGTH = 10
"""Rankings show this many roles (a large knowledge base has hundreds)."""

OVERVIEW_DUTIES = 6
"""Responsibilities an overview shows when the question asks about none in particular."""

PAY_WORDS = frozenset(stem(w) for w in ("pay", "pays", "paid", "earn", "earns", "salary", "salaries", "money",
                                         "comp", "compensation", "richer", "wage", "wages", "makes"))
"""Words that make a comparison a question about pay: its answer opens with which pays more."""

LEVEL_TITLES = {"entry": "Entry level", "mid": "Mid level", "senior": "Senior level"}

ASKS = tuple((form, frozenset(stem(w) for w in words)) for form, words in (
    ("without", ("without",)),
    ("worth", ("worth", "worthwhile")),
    ("enough", ("enough", "sufficient", "suffice", "suffices")),
    ("need", ("need", "needs", "needed", "require", "requires", "required", "requirement", "requirements",
              "necessary", "mandatory", "essential", "compulsory", "prerequisite")),
))
"""Words that make a question on one of a topic's subjects ("do I need a master's …?", "can I … without
a degree?", "is a PhD worth it?", "is a bachelor's enough?") a yes/no question about a requirement or
a choice, by the form of the question they ask: its answer opens with what the sources say of it."""

WHETHER = {
    "need": "whether {subject} is required {for_whom}",
    "without": "whether you can work {as_whom} without {subject}",
    "worth": "whether {subject} is worth it {for_whom}",
    "enough": "whether {subject} is enough {for_whom}",
}
"""The question of each form, as the sentence that says the sources don't answer it."""

VERDICT_SENTENCES = {
    "required": {"need": "Yes: {subject} is required {for_whom}, by my sources",
                 "without": "No: {subject} is required {for_whom}, by my sources",
                 "": "{subject} is required {for_whom}, by my sources"},
    "not_required": {"need": "No: {subject} isn't required {for_whom}, by my sources",
                     "without": "Yes: {subject} isn't required {for_whom}, by my sources",
                     "": "{subject} isn't required {for_whom}, by my sources"},
    "recommended": {"": "My sources recommend {subject} {for_whom}"},
    "common": {"": "{subject} is usual {for_whom}, by my sources"},
}
"""The verdict a fact gives on a subject (`careerbot.knowledge.model.VERDICTS`), by the form of the
question ("" for any form): what a yes/no question's answer opens with, the fact after it."""


def article(name: str) -> str:
    """`a Data Scientist`, `an MLOps Engineer`, `an NLP Engineer`."""
    first = name.split()[0]
    if first.isupper() and len(first) > 1 or first[:2] in ("ML", "AI"):
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    return "an" if first[0].lower() in "aeiou" else "a"


def a(name: str) -> str:
    return f"{article(name)} {name}" if name else ""


def _mentions(text: str, focus: tuple[str, ...]) -> bool:
    """Whether `text` holds one of the (stemmed) words of `focus`."""
    return not stemmed_words(text).isdisjoint(focus)


def _clause(text: str) -> str:
    """A fact as the end of a sentence: "Most ML engineers …" → "most ML engineers ….", "PhD" kept."""
    first = text.split()[0] if text.split() else ""
    if first[1:].islower():
        text = text[:1].lower() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _and(names: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class Rendered(Record):
    """An answer as the renderer writes it: its blocks, their text and sources, and what it offers next."""

    blocks: tuple[Block, ...]
    text: str
    sources: tuple[str, ...]
    offers: tuple[Offer, ...]
    full_blocks: tuple[Block, ...] = ()    # the whole answer when `blocks` are its short form
    full_text: str = ""

    @classmethod
    def of(cls, blocks: Iterable[Block], offers: Iterable[Offer] = (), *, every_offer: bool = False,
           focus: tuple[str, ...] | None = None) -> Rendered:
        """The answer of `blocks`, offering at most three questions, each once (or `every_offer` as
        it is: the choices of a "did you mean …?" keep their numbers). With `focus` (the question's
        words) a long answer is shortened (`careerbot.answers.short`), the whole kept beside it."""
        blocks = tuple(blocks)
        sources = answer_sources(blocks)
        offers = tuple(offers) if every_offer else _each_once(offers)
        text = _text(blocks, sources)
        whole = cls(blocks, text, sources, offers, blocks, text)
        return whole.shortened(focus) if focus is not None else whole

    @property
    def long(self) -> bool:
        """Whether the whole answer may need a short form: one whose text fits needs none (its
        blocks alone fit all the more)."""
        return self.full_text.count("\n") >= SHORT_LINES

    def shortened(self, focus: Iterable[str]) -> Rendered:
        """The answer in its short form for a question of these (stemmed) words, when it is `long`."""
        short = shorten(self.full_blocks, tuple(focus)) if self.long else None
        if short is None:
            return self
        return self._replace(blocks=short, text=_text(short, self.sources))

    @classmethod
    def of_parts(cls, parts: Iterable[tuple[Iterable[Block], tuple[str, ...] | None]],
                 offers: Iterable[Offer] = ()) -> Rendered:
        """The answer to a question of several parts, from each part's blocks and words (None for a
        part that is not shortened): what several parts would say is said once, in the part most
        about it (the one of fewest blocks, the first on a tie: "what skills do they need" rather
        than the skills that "how do I become one" lists), and each part is shortened to
        `PART_LINES` lines, one notice at the end naming all that was left out."""
        parts = [(tuple(blocks), focus) for blocks, focus in parts]
        home: dict[tuple, int] = {}
        for index, (blocks, _) in enumerate(parts):
            for key in filter(None, map(_said, blocks)):
                if key not in home or len(blocks) < len(parts[home[key]][0]):
                    home[key] = index
        kept = [(tuple(b for b in blocks if home.get(_said(b), index) == index), focus)
                for index, (blocks, focus) in enumerate(parts)]
        whole = tuple(block for blocks, _ in kept for block in blocks)
        sources = answer_sources(whole)
        shown: list[Block] = []
        left_out: list[str] = []
        for blocks, focus in kept:
            short = shorten(blocks, focus, limit=PART_LINES) if focus is not None and blocks else None
            if short is None:
                shown += blocks
            else:
                *part, notice = short
                shown += part
                left_out += notice.left_out
        text = _text(whole, sources)
        if not left_out:
            return cls(whole, text, sources, _each_once(offers), whole, text)
        short = (*shown, left_out_notice(list(dict.fromkeys(left_out))))
        return cls(short, _text(short, sources), sources, _each_once(offers), whole, text)

    @property
    def whole(self) -> Rendered:
        """The answer with nothing left out."""
        return self._replace(blocks=self.full_blocks, text=self.full_text)

    def led_by(self, notice: str) -> Rendered:
        """The answer with a notice before it ("devops engineers are outside …")."""
        return self._replace(blocks=(Notice(notice), *self.blocks), text=f"{notice}\n\n{self.text}",
                             full_blocks=(Notice(notice), *self.full_blocks), full_text=f"{notice}\n\n{self.full_text}")

    def with_note(self, note: str) -> Rendered:
        """The answer with a notice after it ("I read only the start")."""
        if not note:
            return self
        return self._replace(blocks=(*self.blocks, Notice(note)), text=f"{self.text}\n\n{note}",
                             full_blocks=(*self.full_blocks, Notice(note)), full_text=f"{self.full_text}\n\n{note}")


PART_LINES = 12
"""The longest each part of a short answer to several questions is, in lines."""


def _each_once(offers: Iterable[Offer]) -> tuple[Offer, ...]:
    """The offers, each question once, at most `OFFER_POOL`."""
    first: dict[str, Offer] = {}
    for offer in offers:
        first.setdefault(offer.text, offer)
    return tuple(first.values())[:OFFER_POOL]


def _said(block: Block) -> tuple | None:
    """What a block says, to say it once in an answer: a list's items, a paragraph's text (None
    for blocks that name or frame what follows, which may repeat)."""
    if isinstance(block, ListBlock):
        return ("list", tuple(item.text for item in block.items))
    if isinstance(block, Paragraph):
        return ("text", block.text)
    return None


@lru_cache(maxsize=2048)
def _text(blocks: tuple[Block, ...], sources: tuple[str, ...]) -> str:
    """`answer_text`, kept: questions in many wordings get the same blocks, laid out once."""
    return answer_text(blocks, sources)


class Draft:
    """An answer being written: its blocks, each fact with the sources it rests on."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.suggestions: list[Offer] = []
        self.subjects: tuple[str, ...] = ()     # the roles its suggestions are about, when not the plan's
        self._continues = False

    def add(self, block: Block) -> None:
        if self._continues:
            block = block._replace(continues=True)
            self._continues = False
        self.blocks.append(block)

    def extend(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            self.add(block)

    def tight(self) -> None:
        """The next block follows the last directly (no space between them)."""
        self._continues = True

    def heading(self, text: str) -> None:
        self.add(Heading(text))

    def paragraph(self, text: str, *sources: str) -> None:
        self.add(Paragraph(text, tuple(sources)))

    def notice(self, text: str, *sources: str) -> None:
        self.add(Notice(text, tuple(sources)))

    def items(self, items: Iterable[Cited], title: str | None = None, *, ordered: bool = False,
              note: str | None = None) -> None:
        self.add(ListBlock(tuple(items), title, ordered, note))

    def facts(self, facts: Iterable[Fact], title: str | None = None, note: str | None = None) -> None:
        self.items((Cited(fact.text, fact.sources) for fact in facts), title, note=note)


class Renderer:
    """Turns a `Plan` into answer text, sources and follow-up suggestions."""

    uncovered_phrases = Deferred()  # read only for an answer about a subtopic the sources do not cover

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        # each uncovered subtopic's phrases by their normalised words, to quote them as written
        self.uncovered_phrases = {(topic.id, normalise(p).text): p for topic in kb.vocabulary.uncovered.values()
                                  for p in topic.phrases}
        # each topic subject's words, stemmed as a plan's focus is
        self.subject_words = {(topic.id, subject.id): frozenset(stem(w) for w in subject.words)
                              for topic in kb.topics.values() for subject in topic.subjects}
        # what offering an intent's question needs of it: its role slot, its kind of answer and its
        # question (offers are made after every answer, and a cached engine would decode each
        # intent offered, its hundreds of examples with it, only for these)
        self.asking = {intent.id: (intent.role_slot, intent.answer, intent.phrases.get("question", ""))
                       for intent in kb.intents.values()}

    KINDS = {
        "overview": "overview_answer", "salary": "salary_answer", "skills": "skills_answer",
        "projects": "projects_answer", "topic": "topic_answer", "ranking": "ranking_answer",
        "compare": "compare_answer", "list": "list_answer", "roles_with_skill": "roles_with_skill_answer",
        "help": "help_answer", "reply": "reply_answer",
    }
    """The template method of each kind of answer (`careerbot.knowledge.model.ANSWER_KINDS`). One that
    reads the question's words (`plan.focus`) says which in `drafting_words`: a draft is kept for
    every wording that differs only in other words."""

    def render(self, plan: Plan) -> Rendered:
        """The answer to `plan`, in its short form when it is long. A pure function of the plan and
        the immutable knowledge, so answers are kept: a few hundred plans cover every question of a
        session. The whole answer is written once for the plans that differ only in focus words no
        block reads (`drafting`), and its short form once for the questions whose words choose
        the same one (`careerbot.answers.short.asked_words`)."""
        drafting = self.drafting(plan)
        whole = self._whole(drafting)
        if not whole.long:
            return whole
        return self._short(drafting, asked_words(whole.full_blocks, plan.focus))

    @lru_cache(maxsize=4096)  # noqa: B019 - engines live as long as the process; at most 4,096 answers kept
    def _whole(self, plan: Plan) -> Rendered:
        blocks, offered = self._drafted(plan)
        return Rendered.of(blocks, offered or self.follow_ups(plan))

    @lru_cache(maxsize=4096)  # noqa: B019 - as above
    def _short(self, plan: Plan, asked: frozenset[str]) -> Rendered:
        return self._whole(plan).shortened(asked)

    def drafted(self, plan: Plan) -> tuple[tuple[Block, ...], tuple[Offer, ...]]:
        """The blocks of `plan`'s answer and the questions it offers itself, written once for the
        answer alone and for the part of an answer to several questions, and once for all the plans
        that differ only in focus words no block depends on ("what does a data engineer do all day"
        and "… do at work")."""
        return self._drafted(self.drafting(plan))

    def drafting(self, plan: Plan) -> Plan:
        """`plan` with only the focus words its answer's blocks depend on (`drafting_words`)."""
        if plan.focus:
            words = self.drafting_words(plan.intent, plan.roles[:1])
            if not words.issuperset(plan.focus):
                plan = plan._replace(focus=tuple(w for w in plan.focus if w in words))
        return plan

    @lru_cache(maxsize=1024)  # noqa: B019 - as above
    def drafting_words(self, intent_id: str, roles: tuple[str, ...]) -> frozenset[str]:
        """The focus words that the draft of an answer of this intent about these roles reads: a
        role overview's, the words of the role's duties (those asked about come first); a topic's,
        the words of a yes/no question and of the topic's subjects (`asked_subject`); a
        comparison's, the words of pay. The answers of other kinds read none: one draft serves
        every wording."""
        kind = self.kb.intents[intent_id].answer if intent_id in self.kb.intents else None
        if kind == "overview":
            return frozenset().union(*(stemmed_words(duty.text) for role in roles
                                       for duty in self.role(role).responsibilities))
        if kind == "topic" and intent_id in self.kb.topics:
            topic = self.kb.topics[intent_id]
            return frozenset().union(*(cues for _, cues in ASKS),
                                     *(self.subject_words[(topic.id, s.id)] for s in topic.subjects))
        if kind == "compare":
            return PAY_WORDS
        return frozenset()

    @lru_cache(maxsize=4096)  # noqa: B019 - as above
    def _drafted(self, plan: Plan) -> tuple[tuple[Block, ...], tuple[Offer, ...]]:
        draft = Draft()
        self.compose(plan, draft)
        return tuple(draft.blocks), tuple(draft.suggestions)

    def compose(self, plan: Plan, draft: Draft) -> None:
        """Write the answer of `plan`'s intent kind into `draft`, with the suggestions it offers itself."""
        intent = self.kb.intents[plan.intent]
        draft.subjects = ()
        getattr(self, self.KINDS[intent.answer])(plan, draft)
        if draft.subjects:
            draft.suggestions = self.offers(intent, draft.subjects)
        elif not plan.roles and intent.general_offers:
            draft.suggestions = [self.ask(intent.id, role) for role in intent.general_offers]

    def gives_facts(self, intent_id: str) -> bool:
        """Whether the intent answers from the knowledge (not small talk)."""
        intent = self.kb.intents.get(intent_id)
        return intent is not None and intent.answer in FACT_KINDS

    def render_parts(self, parts: tuple[tuple, ...]) -> Rendered:
        """One answer to a question of several parts: each part's answer in order, one source list.

        A part is (kind, plan, job outside ML, uncovered subtopic, the part's words); a part that
        cannot be answered is named as such."""
        written, suggestions = [], []
        for kind, plan, job, uncovered, words in parts:
            draft, focus, offered = Draft(), None, ()
            if kind == "answer":
                if job:                          # a role set against a job outside ML: the job is named first
                    draft.notice(self.job_sentence(job))
                if uncovered is not None:        # "books or courses": the gap is named first
                    draft.notice(self.uncovered_sentence(uncovered))
                blocks, offered = self.drafted(plan)
                draft.extend(blocks)
                focus = plan.focus
            elif kind == "clarify":
                draft.paragraph(f'"{words}": {self.clarify_role(plan.intent)[0]}')
            elif uncovered is not None:
                draft.notice(self.uncovered_sentence(uncovered))
                if self.gives_facts(plan.intent):
                    draft.tight()
                    draft.heading("What my sources do say:")
                    draft.tight()
                    blocks, offered = self.drafted(plan)
                    draft.extend(blocks)
                    focus = plan.focus
            elif job:
                draft.notice(self.job_sentence(job))
            else:
                draft.notice(f'I can\'t answer "{words}" from my sources.')
            written.append((draft.blocks, focus))
            suggestions = offered or suggestions        # the last part that offers any
        last = parts[-1][1]
        small_talk = last.intent not in self.kb.intents or self.kb.intents[last.intent].answer == "reply"
        return Rendered.of_parts(written, suggestions or (self.starters() if small_talk else self.follow_ups(last)))

    # -- helpers ---------------------------------------------------------------

    def role(self, role_id: str) -> Role:
        return self.kb.roles[role_id]

    def name(self, role_id: str) -> str:
        return self.kb.roles[role_id].label

    def ask(self, intent_id: str, role_id: str, other: str | None = None, template: str | None = None) -> Offer:
        """The intent's question about a role (and a second one), "What does a Data Scientist earn?",
        with the plan it asks for."""
        text = self.fill(template or self.asking[intent_id][2], role_id, other)
        return Offer(text, Plan(intent_id, (role_id, other) if other else (role_id,)))

    def fill(self, template: str, role_id: str | None = None, other: str | None = None) -> str:
        role, other_role = (self.name(role_id) if role_id else ""), (self.name(other) if other else "")
        return template.format(a_role=a(role), an_other=a(other_role), role=role, other=other_role)

    def question_for(self, plan: Plan) -> str:
        """A question that asks for `plan` (the choices of a "did you mean …?")."""
        intent = self.kb.intents.get(plan.intent)
        phrases = intent.phrases if intent else {}
        if "question" in phrases and plan.roles:
            return self.fill(phrases["question"], plan.roles[0], plan.roles[1] if len(plan.roles) > 1 else None)
        general = phrases.get("general")
        if general and (plan.skill or "{skill}" not in general):
            at_level = f" at {LEVEL_TITLES[plan.level].lower()}" if plan.level in LEVEL_TITLES else ""
            return general.format(at_level=at_level, skill=plan.skill)
        example = intent.examples[0] if intent and intent.examples else plan.intent.replace("_", " ")
        return example[:1].upper() + example[1:]

    @lru_cache(maxsize=1)  # noqa: B019 - as above
    def starters(self) -> tuple[Offer, ...]:
        """What to ask when no role is in play (`intents/suggestions.yaml`)."""
        return tuple(self.ask(intent, role) for intent, role in self.kb.suggestions.starters)

    def follow_ups(self, plan: Plan) -> tuple[Offer, ...]:
        """Questions the knowledge base can answer next about the roles in play."""
        return self._follow_ups(plan.intent, plan.roles)

    @lru_cache(maxsize=1024)  # noqa: B019 - as above
    def _follow_ups(self, intent: str, roles: tuple[str, ...]) -> tuple[Offer, ...]:
        if not roles:
            return self.starters()
        return tuple(self.offers(self.kb.intents.get(intent), roles[:1], roles)[:OFFER_POOL])

    def offers(self, intent: Intent | None, subjects: tuple[str, ...], in_play: tuple[str, ...] = ()) -> list[Offer]:
        """The intent's `offers` (else `after_a_role`, less itself), asked about the subject roles in
        turn. An offer that compares takes the first related role not in play; one whose answer would
        hold nothing for the role (projects it has none of) is left out."""
        offered = intent.offers if intent and intent.offers else tuple(
            i for i in self.kb.suggestions.after_a_role if intent is None or i != intent.id)
        questions = []
        for turn in range(max(len(offered), len(subjects)) if offered and subjects else 0):
            target, role = offered[turn % len(offered)], self.role(subjects[turn % len(subjects)])
            slot, kind, _ = self.asking[target]
            other = None
            if slot == "pair":
                other = next((r for r in role.related_roles if r not in (in_play or subjects)), None)
                if other is None:
                    continue
            if (kind == "projects" and not role.projects or kind == "salary" and not role.salary
                    or kind == "skills" and not role.skills):
                continue            # a question whose answer would be "my sources give nothing for this role"
            questions.append(self.ask(target, role.id, other))
        return questions

    def sections(self, draft: Draft, sections: Iterable[Section]) -> None:
        for section in sections:
            draft.facts(section.items, f"{section.heading}:")

    def skill_items(self, role: Role) -> list[Cited]:
        """A role's skills, one item a group: "Languages: Python, R"."""
        items = []
        for group in SKILL_GROUPS:
            skills = [s for s in role.skills if s.group == group]
            if skills:
                names = ", ".join(dict.fromkeys(s.name for s in skills))
                items.append(Cited(f"{GROUP_TITLES[group]}: {names}",
                                   tuple(dict.fromkeys(x for s in skills for x in s.sources))))
        return items

    # -- templates -------------------------------------------------------------

    def duties(self, role: Role, focus: tuple[str, ...], draft: Draft, heading: str = "What they do:") -> None:
        """A role's responsibilities, those the question asks about first; "and N more" for the rest."""
        if not role.responsibilities:
            return
        matching = [f for f in role.responsibilities if focus and _mentions(f.text, focus)]
        shown = matching or list(role.responsibilities[:OVERVIEW_DUTIES])
        rest = len(role.responsibilities) - len(shown)
        draft.facts(shown, heading, note=f"…and {rest} more." if rest else None)

    def overview_answer(self, plan: Plan, draft: Draft) -> None:
        role = self.role(plan.roles[0])
        draft.heading(role.name)
        draft.tight()
        draft.paragraph(role.summary.text, *role.summary.sources)
        self.duties(role, plan.focus, draft)
        about = self.kb.topics.get(plan.intent)
        if about and about.role_sections.get(role.id):
            self.sections(draft, about.role_sections[role.id])
        if role.related_roles:
            draft.paragraph("Related roles: " + ", ".join(self.name(r) for r in role.related_roles))

    def salary_answer(self, plan: Plan, draft: Draft) -> None:
        if plan.amount is not None:
            self.amount_verdict(plan, draft)
        else:
            self.salary_lead(plan, draft)
        for role_id in plan.roles:
            self.role_salary(self.role(role_id), plan.level, draft)
        if len(plan.roles) > 1:
            rows = [(self.name(r), self.headline_figure(self.role(r))) for r in plan.roles]
            rows = [(label, fig) for label, fig in rows if fig]
            if len(rows) > 1:
                draft.add(salary_chart(rows, title="Side by side:"))
        self.general_salary(draft, plan.level, heading=bool(plan.roles))

    def salary_lead(self, plan: Plan, draft: Draft) -> None:
        """The sentence that answers a salary question: the figure for each role (at the level asked),
        or for machine learning jobs at that level."""
        said, sources = [], []
        for role_id in plan.roles:
            role = self.role(role_id)
            at_level = [f for f in role.salary if plan.level and f.level == plan.level]
            figure = next(iter(at_level), None) or self.headline_figure(role)
            if figure is None:
                continue
            level = f" at {LEVEL_TITLES[figure.level].lower()}" if figure.level in LEVEL_TITLES else ""
            said.append(f"{a(role.label)} earns {self.figure_amount(figure)}{PER_PERIOD.get(figure.period, ' a year')}"
                        f"{level}")
            sources.append(figure.source)
        if not plan.roles:
            figures = [f for f in self.kb.salary_levels if f.level == plan.level] if plan.level else []
            if figures:
                said.append(f"{LEVEL_TITLES[plan.level]} machine learning jobs pay "
                            f"{self.figure_amount(figures[0])} a year")
                sources.append(figures[0].source)
            elif self.kb.salary_levels:
                low, high = self.kb.salary_levels[0], self.kb.salary_levels[-1]
                said.append(f"Machine learning jobs pay from {self.figure_amount(low)} a year at "
                            f"{LEVEL_TITLES[low.level].lower()} to {self.figure_amount(high)} at "
                            f"{LEVEL_TITLES[high.level].lower()}")
                sources += [low.source, high.source]
        if said:
            text = "; ".join(said)
            draft.paragraph(text[:1].upper() + text[1:] + ", by my sources.", *dict.fromkeys(sources))

    def amount_verdict(self, plan: Plan, draft: Draft) -> None:
        """Where an amount the question names stands against the figure the sources give for the
        role (or the field) at the level asked: "$95,000 is below the $126,000 entry figure …"."""
        role = self.role(plan.roles[0]) if plan.roles else None
        figures = role.salary if role else self.kb.salary_levels
        at_level = [f for f in figures if plan.level and f.level == plan.level]
        figure = next(iter(at_level), None) or self.headline_figure(role) if role else next(iter(at_level), None)
        if figure is None:
            return
        low, high = figure_span(figure)
        if figure.open_ended and low == high:
            high = None
        amount = money(plan.amount, figure.currency)
        whose = f"{plural(role.label)}" if role else "machine learning jobs"
        what = f"{LEVEL_TITLES[figure.level].lower()} figure" if figure.level else "figure"
        given = self.figure_amount(figure)
        if plan.amount < low:
            verdict = "below"
        elif high is not None and plan.amount > high:
            verdict = "above"
        else:
            verdict = "within" if high is not None and low != high else "at or above"
        draft.paragraph(f"{amount} is {verdict} the {what} my sources give for {whose}: {given}.", figure.source)

    def role_salary(self, role: Role, level: str | None, draft: Draft) -> None:
        if not role.salary:
            draft.notice(f"None of my sources gives a salary figure for {a(role.label)}, so I won't guess one.")
            return
        figures = sorted(role.salary, key=lambda f: (f.describes == "level", LEVELS.index(f.level)
                                                     if f.level in LEVELS else 0))
        if level:
            at_level = [f for f in figures if f.level == level]
            figures = at_level + [f for f in figures if f.describes != "level"]
        draft.items((Cited(self.describe_figure(f), (f.source,)) for f in figures), f"{role.label} salary (per year):")

    def figure_amount(self, figure: SalaryFigure) -> str:
        """`$126,000 – $194,000`, `about $218,000`, `upwards of $260,000` (in the figure's currency)."""
        low, high, average, currency = figure.low, figure.high, figure.average, figure.currency
        if low is not None and high is not None:
            return f"{money(low, currency)} – {money(high, currency)}{'+' if figure.open_ended else ''}"
        if average is not None:
            return f"about {money(average, currency)}"
        if low is not None:
            return f"upwards of {money(low, currency)}" if figure.open_ended else f"from {money(low, currency)}"
        return f"up to {money(high, currency)}"

    def describe_figure(self, figure: SalaryFigure) -> str:
        """`Range: $126,000 – $194,000 (depending on experience and industry)`."""
        kind = {"range": "Range", "average": "Average", "top_companies": "At top companies",
                "level": LEVEL_TITLES.get(figure.level or "", "At one level")}[figure.describes]
        note = f" ({figure.note})" if figure.note else ""
        period = PER_PERIOD.get(figure.period, "")
        return f"{kind}: {self.figure_amount(figure)}{period}{note}"

    def general_salary(self, draft: Draft, level: str | None, heading: bool) -> None:
        figures = self.kb.salary_levels
        if not figures:
            return
        title = ("For machine learning jobs in general, by level:" if heading
                 else "Machine learning salaries by career level (per year):")
        shown = [f for f in figures if f.level == level] if level else list(figures)
        draft.items((Cited(self.describe_figure(f), (f.source,)) for f in shown), title)
        if not level:
            draft.add(salary_chart([(LEVEL_TITLES[f.level], f) for f in figures]))
        for position, note in enumerate(self.kb.salary_notes):
            if position or level:      # the notes are one paragraph; with one level's figures, its own
                draft.tight()
            draft.paragraph(note.text.rstrip(".") + ".", *note.sources)

    def top_figure(self, role: Role) -> SalaryFigure | None:
        """The one figure that ranks a role: the one reaching highest of those its sources give
        (the top of a range, an open-ended "upwards of", an average where that is all there is)."""
        return max(role.salary, key=lambda f: f.top, default=None)

    def ranked_figure(self, figure: SalaryFigure, period: str = "") -> str:
        """`up to $260,000+ (at top companies)`, `about $218,000 (an average)`."""
        kind = {"range": "", "average": "an average", "top_companies": "at top companies",
                "level": f"{LEVEL_TITLES.get(figure.level or '', 'one level').lower()}"}[figure.describes]
        if figure.average is not None and figure.low is None and figure.high is None:
            amount = f"about {money(figure.average, figure.currency)}"
        else:
            amount = f"up to {money(figure.top, figure.currency)}{'+' if figure.open_ended else ''}"
        return amount + period + (f" ({kind})" if kind else "")

    def headline_figure(self, role: Role) -> SalaryFigure | None:
        """The figure that stands for a role in comparisons: its range or average."""
        for kind in ("range", "average"):
            for figure in role.salary:
                if figure.describes == kind:
                    return figure
        return None

    def skills_answer(self, plan: Plan, draft: Draft) -> None:
        if not plan.roles:
            topic = self.kb.topics.get(plan.intent)
            sections = topic.sections if topic else ()
            draft.items((Cited(f"{section.heading}: " + "; ".join(f.text for f in section.items),
                               tuple(dict.fromkeys(x for f in section.items for x in f.sources)))
                         for section in sections), "Skills for machine learning jobs in general:")
            draft.paragraph("Name a role for the skills it needs, e.g. an NLP engineer or an MLOps engineer.")
            return
        for role_id in plan.roles:
            role = self.role(role_id)
            if role.skills:
                draft.items(self.skill_items(role), f"Skills for {a(role.label)}:")
            else:
                draft.notice(f"My sources list no specific skills for {a(role.label)}; here is what the role does.")
                self.duties(role, (), draft, heading="Responsibilities:")

    def projects_answer(self, plan: Plan, draft: Draft) -> None:
        if not plan.roles:            # asked of the field: a few of each role's, to pick from
            shown = [(role, role.projects[:FIELD_PROJECTS]) for role in self.kb.roles.values() if role.projects]
            draft.items((Cited(f"{role.label}: {', '.join(p.text for p in projects)}",
                               tuple(dict.fromkeys(x for p in projects for x in p.sources))) for role, projects in shown),
                        "Example projects, by role:")
            return
        for role_id in plan.roles:
            role = self.role(role_id)
            if role.projects:
                draft.facts(role.projects, f"Example projects for {a(role.label)}:")
            else:
                draft.notice(f"My sources give no example projects for {a(role.label)}; here is what the role works on.")
                self.duties(role, (), draft, heading="Responsibilities:")

    def topic_answer(self, plan: Plan, draft: Draft) -> None:
        topic = self.kb.topics[plan.intent]       # topics are named after their intents (validated)
        phrases = self.kb.intents[plan.intent].phrases
        role = self.role(plan.roles[0]) if plan.roles else None
        specific = topic.role_sections.get(role.id, ()) if role else ()
        self.verdict_lead(plan, topic, role, draft)
        if role and plan.skill:
            self.named_skill(role, plan.skill, draft)
        if role and specific:
            draft.heading(f"{topic.title} — {role.label}:")
            self.sections(draft, specific)
            draft.heading("For machine learning careers in general:")
        elif role:
            phrase = self.fill(phrases.get("topic", "this role"), role.id)
            general = " ".join([topic.summary.text if topic.summary else "",
                                *(f.text for section in topic.sections for f in section.items)]).casefold()
            if any(name.casefold() in general for name in (role.label, role.name)):
                # the general advice names the role: never claim the sources say nothing about it
                draft.notice(f"My sources speak of {phrase} within what they say for machine learning careers "
                             f"in general:")
            else:
                draft.notice(f"My sources have nothing of their own on {phrase}; what they say for machine "
                             f"learning careers in general:")
        else:
            draft.heading(f"{topic.title}:")
        if topic.summary and not specific:
            draft.paragraph(topic.summary.text, *topic.summary.sources)
        self.sections(draft, topic.sections)
        if role and "role_skills" in phrases and role.skills:
            draft.items(self.skill_items(role), self.fill(phrases["role_skills"], role.id))

    def named_skill(self, role: Role, skill: str, draft: Draft) -> None:
        """Where a question on a topic names a skill the role's own skills list ("do NLP engineers
        need a linguistics degree?"), that the sources list it, with its source: the topic's facts
        may not name it."""
        listed = next((s for s in role.skills if s.name == skill), None)
        if listed is not None:
            draft.paragraph(f"My sources list {skill} among the skills of {a(role.label)}.", *listed.sources)

    def asked_subject(self, topic: Topic, focus: tuple[str, ...]) -> tuple[str, Subject] | None:
        """The form of a yes/no question on one of the topic's subjects (`ASKS`) and the subject it
        names (the first of the topic's subjects whose words it holds), or None for any other question."""
        words = set(focus)
        form = next((form for form, cues in ASKS if cues & words), None)
        subject = next((s for s in topic.subjects if self.subject_words[(topic.id, s.id)] & words), None)
        return (form, subject) if form and subject else None

    def verdict_lead(self, plan: Plan, topic: Topic, role: Role | None, draft: Draft) -> None:
        """The first sentence of the answer to a yes/no question on one of the topic's subjects: the
        verdict of the first fact that gives one on it, for the role asked about (its own sections) or,
        without a role, for the field, with that fact; else that the sources don't say, and the
        nearest thing they do say (a fact with a verdict, else one naming a subject)."""
        asked = self.asked_subject(topic, plan.focus)
        if asked is None:
            return
        form, subject = asked
        own = [f for section in topic.role_sections.get(role.id, ()) for f in section.items] if role else []
        general = [f for section in topic.sections for f in section.items]
        words = {"subject": subject.name, "for_whom": f"for {a(role.label)}" if role else "for machine learning careers",
                 "as_whom": f"as {a(role.label)}" if role else "in machine learning"}
        verdict = next(((fact, value) for fact in (own if role else general)
                        for about, value in fact.verdicts if about == subject.id), None)
        if verdict is not None:
            fact, value = verdict
            sentences = VERDICT_SENTENCES[value]
            text = sentences.get(form, sentences[""]).format(**words)
            draft.paragraph(f"{text[:1].upper()}{text[1:]}: {_clause(fact.text)}", *fact.sources)
            return
        named = frozenset().union(*(self.subject_words[(topic.id, s.id)] for s in topic.subjects))

        def speaks(fact: Fact) -> bool:
            return bool(fact.verdicts) or not named.isdisjoint(stemmed_words(fact.text))

        in_general = " for machine learning careers in general" if role else ""
        nearby = (next(((fact, "") for fact in own if speaks(fact)), None)
                  or next(((fact, in_general) for fact in general if speaks(fact)), None))
        text = "My sources don't say " + WHETHER[form].format(**words)
        if nearby is None:
            draft.paragraph(text + ".")
            return
        fact, scope = nearby
        draft.paragraph(f"{text}; what they say{scope}: {_clause(fact.text)}", *fact.sources)

    def ranking_answer(self, plan: Plan, draft: Draft) -> None:
        ranked = [(role, self.top_figure(role)) for role in self.kb.roles.values()]
        with_figures = sorted(((r, f) for r, f in ranked if f), key=lambda rf: -rf[1].top)
        if not with_figures:
            draft.notice("None of my sources gives role salary figures to compare.")
            return
        best, figure = with_figures[0]
        draft.paragraph(f"The best paid role in my sources is the {best.label}: {self.ranked_figure(figure, ' a year')}.",
                        figure.source)
        shown = with_figures[:RANKING_LENGTH]
        more = len(with_figures) - len(shown)
        draft.items((Cited(f"{role.label}: {self.ranked_figure(figure)}", (figure.source,)) for role, figure in shown),
                    "Roles ranked by the top of the range my sources give for each (per year; an average "
                    "where that is all they give):", ordered=True,
                    note=f"… and {more} more roles with figures." if more else None)
        draft.add(salary_chart([(role.label, figure) for role, figure in shown]))
        missing = [role.label for role, figure in ranked if not figure]
        if missing:
            more = f" and {len(missing) - RANKING_LENGTH} more" if len(missing) > RANKING_LENGTH else ""
            draft.notice("No figures in my sources for: " + ", ".join(missing[:RANKING_LENGTH]) + more + ".")
        if plan.level:
            self.general_salary(draft, plan.level, heading=True)
        draft.subjects = (with_figures[0][0].id,)

    def compare_answer(self, plan: Plan, draft: Draft) -> None:
        first, second = (self.role(r) for r in plan.roles[:2])
        if PAY_WORDS & set(plan.focus):
            self.pay_verdict(first, second, draft)
        cited = [source for role in (first, second) for source in (
            *role.summary.sources, *(f.source for f in role.salary), *(x for skill in role.skills for x in skill.sources))]
        draft.add(Table(("", first.label, second.label), (
            ("What they do", first.summary.text, second.summary.text),
            ("Salary", self.salary_brief(first), self.salary_brief(second)),
            ("Key skills", self.skill_brief(first), self.skill_brief(second)),
        ), tuple(dict.fromkeys(cited))))
        figures = [(r.label, self.headline_figure(r)) for r in (first, second)]
        if all(figure for _, figure in figures):       # a chart compares: it needs both figures
            draft.add(salary_chart(figures))
        draft.subjects = (first.id, second.id)

    def pay_verdict(self, first: Role, second: Role, draft: Draft) -> None:
        """Which of two roles pays more, by the one comparable figure of each (`top_figure`)."""
        figures = [(role, self.top_figure(role)) for role in (first, second)]
        known = [(role, figure) for role, figure in figures if figure]
        if len(known) < 2:
            missing = [role.label for role, figure in figures if not figure]
            draft.paragraph(f"My sources give no salary figure for {_and([a(m) for m in missing])}, so I can't say "
                            "which pays more.")
            return
        (high, top), (low, other) = sorted(known, key=lambda rf: -rf[1].top)
        if top.top == other.top:
            draft.paragraph(f"{a(high.label)} and {a(low.label)} reach the same top figure in my sources: "
                            f"{self.ranked_figure(top)}.", top.source, other.source)
            return
        text = (f"{a(high.label)} earns more, by the top of the range my sources give: "
                f"{self.ranked_figure(top)}, against {self.ranked_figure(other)} for {a(low.label)}.")
        draft.paragraph(text[:1].upper() + text[1:], *dict.fromkeys((top.source, other.source)))

    def salary_brief(self, role: Role) -> str:
        figure = self.headline_figure(role)
        if figure is None:
            return "no figure in my sources"
        return figure_label(figure).replace("avg", "on average") + " a year"

    def skill_brief(self, role: Role, most: int = 6) -> str:
        """The role's technical skills first, at most `most` of them (a column must stay short)."""
        names = list(dict.fromkeys(s.name for s in sorted(role.skills, key=lambda s: s.group == "soft_skills")))
        if not names:
            return "none listed"
        return ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")

    def list_answer(self, plan: Plan, draft: Draft) -> None:
        draft.items((Cited(f"{role.label}: {role.summary.text.split('. ')[0].rstrip('.')}.", role.summary.sources[:1])
                     for role in self.kb.roles.values()), f"I know {len(self.kb.roles)} machine learning roles:")
        draft.subjects = tuple(self.kb.roles)[:3]

    def roles_with_skill_answer(self, plan: Plan, draft: Draft) -> None:
        if not plan.skill:
            self.skills_by_role(draft)
            return
        users = [(role, [s for s in role.skills if s.name == plan.skill]) for role in self.kb.roles.values()]
        users = [(role, skills) for role, skills in users if skills]
        if not users:
            draft.notice(f"None of the roles I know lists {plan.skill} as a skill.")
            return
        draft.items((Cited(f"{role.label} ({GROUP_TITLES[skills[0].group].lower()})",
                           tuple(dict.fromkeys(x for s in skills for x in s.sources))) for role, skills in users),
                    f"Roles that use {plan.skill}:")
        draft.subjects = (users[0][0].id,)

    def skills_by_role(self, draft: Draft) -> None:
        """Which role fits, asked without a skill ("which role would suit me?"): what each role
        draws on most (its first few skills), so that the asker can see where they fit, and how to
        ask by skill."""
        examples = ", ".join(list(self.kb.skill_names)[:3])
        draft.paragraph(f"Name a skill you have (for example {examples}) and I'll list the roles that use it. "
                        "What each role draws on most, by my sources:")
        shown = [(role, role.skills[:SKILLS_SHOWN]) for role in self.kb.roles.values() if role.skills]
        draft.items(Cited(f"{role.label}: {', '.join(dict.fromkeys(s.name for s in skills))}",
                          tuple(dict.fromkeys(x for s in skills for x in s.sources))) for role, skills in shown)
        draft.subjects = tuple(self.kb.roles)[:3]

    def clarify_role(self, intent_id: str) -> tuple[str, tuple[Offer, ...]]:
        """Ask which role a question is about, offering example roles; the answer keeps its intent."""
        intent = self.kb.intents[intent_id]
        names = ", ".join(role.label for role in self.kb.roles.values())
        text = f"{intent.phrases.get('which', 'Which role do you mean?')} I know: {names}."
        picks = self.kb.suggestions.example_roles
        template = intent.phrases.get("pick") or intent.phrases["question"]
        if intent.role_slot == "pair":
            return text, ((self.ask(intent_id, picks[0], picks[1], template),) if len(picks) >= 2 else ())
        return text, tuple(self.ask(intent_id, role, template=template) for role in picks)

    def help_answer(self, plan: Plan, draft: Draft) -> None:
        intent = self.kb.intents[plan.intent]
        if intent.reply:
            draft.paragraph(intent.reply)
        draft.paragraph("Roles I know: " + ", ".join(role.label for role in self.kb.roles.values()) + ".")

    def reply_answer(self, plan: Plan, draft: Draft) -> None:
        draft.paragraph(self.kb.intents[plan.intent].reply)

    def out_of_scope(self, plan: Plan, unknown_job: str | None = None, uncovered: Mention | None = None) -> Rendered:
        """What careerbot says when it cannot answer: one sentence on why, then what the sources
        do say nearby (the roles next to a job outside ML; the facts next to an uncovered subtopic)."""
        if uncovered is not None:
            says = Notice(self.uncovered_sentence(uncovered))
            if not self.gives_facts(plan.intent):
                return Rendered.of([says], self.starters())
            nearby = self.render(plan)
            first, *rest = nearby.full_blocks
            return Rendered.of([says, Heading("What my sources do say:"), first._replace(continues=True), *rest],
                               nearby.offers, focus=plan.focus)
        if unknown_job:
            near = [r for r in self.kb.vocabulary.occupations.get(unknown_job, ()) if r in self.kb.roles]
            offers = [self.ask(intent, r) for r in near for intent in self.kb.suggestions.near_a_job]
            return Rendered.of([Notice(self.job_sentence(unknown_job))], offers[:3] or self.starters())
        head = "Sorry, that's outside what I know. I answer questions about machine learning careers."
        text = (f"{head} Ask me what a role does, what it earns, which skills it needs, example projects, "
                f"how to get in (education, courses, certifications, job search), which industries hire "
                f"and pay most, or where the field is going.")
        return Rendered.of([Notice(text)], self.starters())

    def job_sentence(self, job: str) -> str:
        """ "Data analysts are outside the machine learning careers I know about. The nearest …" """
        near = [self.name(r) for r in self.kb.vocabulary.occupations.get(job, ()) if r in self.kb.roles]
        text = f"I know about machine learning careers, and {plural(job)} are outside them."
        return text + (f" The nearest roles I know: {_and(near)}." if near else "")

    def uncovered_sentence(self, mention: Mention) -> str:
        """ "My sources don't cover remote work.", with the words the question used."""
        topic = self.kb.vocabulary.uncovered[mention.value]
        # the phrase as written in the data, for the words the question used (or misspelt)
        phrase = self.uncovered_phrases.get((topic.id, mention.text)) or max(
            topic.phrases, key=lambda p: fuzz.ratio(normalise(p).text, mention.text))
        return topic.says.replace("{mention}", phrase)


def salary_chart(rows: list[tuple[str, SalaryFigure]], title: str | None = None) -> Chart:
    """A chart of salary figures, one bar a (label, figure), in the first figure's currency."""
    bars = tuple(Bar(label, *figure_span(figure), figure_label(figure), figure.open_ended) for label, figure in rows)
    return Chart(bars, rows[0][1].currency if rows else "USD", title)
