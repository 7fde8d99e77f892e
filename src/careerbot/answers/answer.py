"""The answer careerbot gives: plain data, the same for every frontend."""

from .._record import Record
from ..knowledge.model import Source
from .blocks import Block


class RankedIntent(Record):
    intent: str
    score: float
    example: str
    keywords: tuple[tuple[str, float], ...] = ()     # (keyword, its learnt weight for this intent)


class FoundEntity(Record):
    kind: str                 # role | level | skill | occupation
    value: str
    text: str                 # the words that matched, or "" when taken from the conversation
    score: float
    from_context: bool = False


class Explanation(Record):
    """Why careerbot answered as it did."""

    normalised: str
    corrections: tuple[tuple[str, str], ...]
    ranking: tuple[RankedIntent, ...]
    entities: tuple[FoundEntity, ...]
    unknown_words: tuple[str, ...]
    decision: str
    features: tuple[tuple[str, float], ...] = ()   # the evidence the calibrated decision weighed
    probability: float | None = None               # ...what it came to: the chance the question is answerable
    cutoff: float | None = None                    # ...and what an answer needs
    negative: RankedIntent | None = None           # the closest question careerbot cannot answer
    skipped: int = 0                               # words of a long text left unread
    background: int = 0                            # words around the question sentence, read for entities only

    def to_dict(self) -> dict:
        return {
            "normalised": self.normalised,
            "corrections": [list(pair) for pair in self.corrections],
            "top_intents": [{"intent": r.intent, "score": round(r.score, 3), "example": r.example,
                             "keywords": {k: w for k, w in r.keywords}} for r in self.ranking],
            "closest_negative": ({"score": round(self.negative.score, 3), "example": self.negative.example}
                                 if self.negative else None),
            "entities": [{"kind": e.kind, "value": e.value, "text": e.text, "score": round(e.score, 1),
                          "from_context": e.from_context} for e in self.entities],
            "unknown_words": list(self.unknown_words),
            "features": {name: round(value, 3) for name, value in self.features},
            "probability": None if self.probability is None else round(self.probability, 3),
            "cutoff": self.cutoff,
            "decision": self.decision,
            "skipped_words": self.skipped,
            "background_words": self.background,
        }

    def __str__(self) -> str:
        lines = [f"understood as: {self.normalised or '(nothing)'}"]
        if self.skipped:
            lines.append(f"long text: read by its most informative parts; {self.skipped} words left out")
        if self.background:
            lines.append(f"intent read from the question sentence; {self.background} words of background "
                         "read for roles and subtopics only")
        if self.corrections:
            lines.append("typos corrected: " + ", ".join(f"{a} → {b}" for a, b in self.corrections))
        lines.append("top intents:")
        for rank in self.ranking:
            evidence = f'closest example "{rank.example}"' if rank.example else "no similar example"
            if rank.keywords:
                evidence += "; keywords: " + ", ".join(f"{k} ({w:.2f})" for k, w in rank.keywords)
            lines.append(f"  {rank.score:.2f}  {rank.intent:<18} {evidence}")
        if self.negative:
            lines.append(f'  {self.negative.score:.2f}  {"(cannot answer)":<18} closest example "{self.negative.example}"')
        lines.append("entities:" if self.entities else "entities: none")
        for entity in self.entities:
            origin = "from the conversation" if entity.from_context else f'"{entity.text}" ({entity.score:.0f}%)'
            lines.append(f"  {entity.kind} {entity.value}: {origin}")
        if self.unknown_words:
            lines.append("unknown words: " + ", ".join(self.unknown_words))
        if self.probability is not None:
            lines.append("evidence: " + ", ".join(f"{name} {value:.2f}" for name, value in self.features))
            lines.append(f"answerable: probability {self.probability:.2f} (an answer needs {self.cutoff:.2f})")
        lines.append(f"decision: {self.decision}")
        return "\n".join(lines)


class Answer(Record):
    """One answer: the text to show, what was understood, and where the facts came from.

    `blocks` are the answer as data (`careerbot.answers.blocks`) and `text` their plain-text layout;
    `to_dict()` gives the JSON object of the contract; `explain` says why.
    """

    text: str
    intent: str
    confidence: float
    roles: tuple[str, ...] = ()
    level: str | None = None
    skill: str | None = None
    sources: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    explain: Explanation | None = None
    parts: tuple[tuple, ...] = ()     # (intent, roles, level, skill) of each part of the question, in order
    blocks: tuple[Block, ...] = ()    # the answer as typed blocks; `text` is their plain-text layout
    references: tuple[Source, ...] = ()   # the sources resolved: id, title and file, in the order of `sources`
    choosing: bool = False             # the suggestions are the choices of a "did you mean …?"
    full_text: str = ""                # the whole answer when `text` is its short form ("" when it is whole)
    full_blocks: tuple[Block, ...] = ()   # ...and its blocks

    @property
    def shortened(self) -> bool:
        """Whether `text` leaves part of the answer out (`full_text` holds it all)."""
        return bool(self.full_text) and self.full_text != self.text

    def whole(self) -> "Answer":
        """This answer with nothing left out: the full text and blocks as `text` and `blocks`."""
        if not self.shortened:
            return self
        return self._replace(text=self.full_text, blocks=self.full_blocks or self.blocks)

    @property
    def entities(self) -> dict:
        return {"roles": list(self.roles), "level": self.level, "skill": self.skill}

    def to_dict(self, *, explain: bool = False) -> dict:
        data = {
            "text": self.text,
            "intent": self.intent,
            "confidence": round(self.confidence, 3),
            "entities": self.entities,
            "sources": list(self.sources),
            "suggestions": list(self.suggestions),
            "parts": [{"intent": intent, "entities": {"roles": list(roles), "level": level, "skill": skill}}
                      for intent, roles, level, skill in self.parts],
            "blocks": [block.to_dict() for block in self.blocks],
            "references": [{"id": r.id, "title": r.title, "file": r.file} for r in self.references],
            "full_text": self.full_text or self.text,
        }
        if self.choosing:
            data["choices"] = True
        if self.shortened and self.full_blocks:
            data["full_blocks"] = [block.to_dict() for block in self.full_blocks]
        if explain and self.explain is not None:
            data["explain"] = self.explain.to_dict()
        return data

    def spans(self, width: int | None = None, *, explain: bool = False) -> list[tuple[str, str]]:
        """The whole answer as `careerbot ask` and the chat show it, as `(style, text)` spans: its
        blocks (prose wrapped to `width`, when given), its sources, the numbered suggestions and, with
        `explain`, why. Styles: "", "heading", "title", "notice", "citation", "source", "number"."""
        from .plain import answer_spans
        return answer_spans(self, width, explain=explain)

    def display(self, *, explain: bool = False) -> str:
        """The whole answer as plain text (the text of `spans()`)."""
        return "".join(text for _, text in self.spans(explain=explain))

    def source_lines(self) -> list[str]:
        """`[1] Title (file)` for each source, numbered as the text cites them."""
        from .plain import source_lines
        return source_lines(self)

    def to_json(self, *, explain: bool = False, ascii_only: bool = False) -> str:
        """The answer object as one line of JSON; `ascii_only` escapes every other character (for an
        output whose encoding is not UTF-8: the escapes lose nothing, a replaced character would)."""
        import json
        return json.dumps(self.to_dict(explain=explain), ensure_ascii=ascii_only)
