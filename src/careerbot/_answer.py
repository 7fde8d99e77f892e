"""The answer careerbot gives: plain data, the same for every frontend."""

from ._record import Record


class RankedIntent(Record):
    intent: str
    score: float
    example: str
    keywords: tuple[str, ...] = ()


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
    threshold: float
    decision: str

    def to_dict(self) -> dict:
        return {
            "normalised": self.normalised,
            "corrections": [list(pair) for pair in self.corrections],
            "top_intents": [{"intent": r.intent, "score": round(r.score, 3), "example": r.example,
                             "keywords": list(r.keywords)} for r in self.ranking],
            "entities": [{"kind": e.kind, "value": e.value, "text": e.text, "score": round(e.score, 1),
                          "from_context": e.from_context} for e in self.entities],
            "unknown_words": list(self.unknown_words),
            "threshold": self.threshold,
            "decision": self.decision,
        }

    def __str__(self) -> str:
        lines = [f"understood as: {self.normalised or '(nothing)'}"]
        if self.corrections:
            lines.append("typos corrected: " + ", ".join(f"{a} → {b}" for a, b in self.corrections))
        lines.append("top intents:")
        for rank in self.ranking:
            evidence = f'closest example "{rank.example}"' if rank.example else "no similar example"
            if rank.keywords:
                evidence += f"; keywords: {', '.join(rank.keywords)}"
            lines.append(f"  {rank.score:.2f}  {rank.intent:<18} {evidence}")
        lines.append("entities:" if self.entities else "entities: none")
        for entity in self.entities:
            origin = "from the conversation" if entity.from_context else f'"{entity.text}" ({entity.score:.0f}%)'
            lines.append(f"  {entity.kind} {entity.value}: {origin}")
        if self.unknown_words:
            lines.append("unknown words: " + ", ".join(self.unknown_words))
        lines.append(f"decision: {self.decision} (threshold {self.threshold:.2f})")
        return "\n".join(lines)


class Answer(Record):
    """One answer: the text to show, what was understood, and where the facts came from.

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
        }
        if explain and self.explain is not None:
            data["explain"] = self.explain.to_dict()
        return data
