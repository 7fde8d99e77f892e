"""From a decision to the answer: the blocks of the plan, what is offered next, and why.

`Composer.compose` turns the policy's `Decision` on a reading into the `Answer` a user gets and the
`Offer`s the conversation keeps (each offered question with the plan it asks for).
"""

from __future__ import annotations

from collections.abc import Mapping

from .._text import clean_echo
from ..dialogue.plan import Offer, Plan
from ..dialogue.policy import Decision, part_of
from ..knowledge.model import OUT_OF_SCOPE, Source
from ..reading.entities import ROLE
from ..reading.matcher import Reading
from .answer import Answer, Explanation, FoundEntity, RankedIntent
from .blocks import Notice, Paragraph
from .render import Rendered, Renderer


def _asks(plan: Plan) -> tuple:
    """What a plan asks, whatever words asked it: its intent and slots."""
    return plan.intent, plan.roles, plan.level, plan.skill


class Composer:
    """Writes answers over one knowledge base: its renderer, its sources, the intents that end a chat."""

    __slots__ = ("renderer", "sources", "ends_chat")

    def __init__(self, renderer: Renderer, sources: Mapping[str, Source], ends_chat: frozenset[str]):
        self.renderer, self.sources, self.ends_chat = renderer, sources, ends_chat

    def compose(self, reading: Reading, decision: Decision, note: str = "",
                asked: tuple[Plan, ...] = (), offered: tuple[Offer, ...] = ()) -> tuple[Answer, tuple[Offer, ...]]:
        """The answer to a decision, and the questions it offers next (with their plans): never one
        whose plan is in `asked` (this conversation's recent questions) nor the decision's own."""
        plan, renderer = decision.plan, self.renderer
        if decision.kind == "empty":
            rendered = Rendered.of([Paragraph("Ask me something about machine learning careers, for example what an "
                                              "MLOps engineer earns.")], renderer.starters())
        elif decision.kind == OUT_OF_SCOPE:
            rendered = renderer.out_of_scope(plan, decision.unknown_job, decision.uncovered)
        elif decision.kind == "pick":
            count = len(offered)
            rendered = Rendered.of([Notice(f"There {'is only one suggestion' if count == 1 else f'are only {count} suggestions'}"
                                           f": pick a number from 1 to {count}, or ask a question.")],
                                   offered, every_offer=True)
        elif decision.kind == "more":
            rendered = Rendered.of([Paragraph("That was the whole answer: there is no more to show. Ask me "
                                              "something else.")], renderer.starters())
        elif decision.kind == "clarify":
            question, picks = renderer.clarify_role(plan.intent)
            rendered = Rendered.of([Paragraph(question)], picks, every_offer=True)
        elif decision.kind == "ambiguous":
            choices = tuple(Offer(renderer.question_for(choice), choice) for choice in decision.choices)
            rendered = Rendered.of([Paragraph("I'm not sure which you mean: pick one of the questions below, or "
                                              "ask again in other words.")], choices, every_offer=True)
        else:
            rendered = renderer.render(plan)
            if decision.unknown_job:        # "MLOps vs DevOps": the role, after saying the job is not one
                rendered = rendered.led_by(renderer.job_sentence(decision.unknown_job))
            if decision.uncovered is not None:   # "books or courses": the courses, after saying there are no books
                rendered = rendered.led_by(renderer.uncovered_sentence(decision.uncovered))
            if plan.intent in self.ends_chat:
                rendered = rendered._replace(offers=())
        if decision.kind not in ("ambiguous", "clarify", "pick"):
            seen = {_asks(p) for p in (*asked, plan)}
            rendered = rendered._replace(offers=tuple(o for o in rendered.offers
                                                      if o.plan is None or _asks(o.plan) not in seen)[:3])
        rendered = rendered.with_note(note)
        return self.answer(rendered, decision, reading, (part_of(decision),)), rendered.offers

    def answer(self, rendered: Rendered, decision: Decision, reading: Reading, parts: tuple[tuple, ...]) -> Answer:
        """The answer to give: what was rendered, and what was understood (of the first part)."""
        plan, sources = decision.plan, rendered.sources
        return Answer(text=rendered.text, intent=part_of(decision)[0],
                      confidence=round(max(0.0, min(1.0, decision.confidence)), 3),
                      roles=plan.roles, level=plan.level, skill=plan.skill, sources=sources,
                      suggestions=tuple(offer.text for offer in rendered.offers),
                      explain=self.explanation(reading, decision), parts=parts,
                      choosing=decision.kind == "ambiguous",
                      blocks=rendered.blocks, references=tuple(self.sources[s] for s in sources),
                      full_text=rendered.full_text if rendered.full_text != rendered.text else "",
                      full_blocks=rendered.full_blocks if rendered.full_text != rendered.text else ())

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
            skipped=reading.skipped, background=reading.background,
        )

    def compose_parts(self, readings: list[Reading], decisions: list[Decision], note: str = "") -> tuple[Answer, tuple[Offer, ...]]:
        """One answer to a question of several parts, each part answered in order."""
        rendered = self.renderer.render_parts(tuple(
            (d.kind, d.plan, d.unknown_job, d.uncovered, clean_echo(r.text)) for r, d in zip(readings, decisions)))
        rendered = rendered._replace(offers=rendered.offers[:3])
        rendered = rendered.with_note(note)
        return self.answer(rendered, decisions[0], readings[0], tuple(part_of(d) for d in decisions)), rendered.offers
