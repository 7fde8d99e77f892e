"""An answer as data: a sequence of typed blocks, each drawn by whatever shows it.

    Heading    a line that names what follows ("NLP (Natural Language Processing) Engineer")
    Paragraph  prose, with the sources it rests on
    Notice     careerbot speaking about the answer itself: what the sources do not say, a question cut short
    LeftOut    the notice that ends a short answer: what it left out, by name
    ListBlock  items (bulleted or numbered) under an optional title, each with its sources, and a closing note
    Table      a header row and rows of cells (a comparison of two roles)
    Chart      bars over amounts of money (salary ranges), each with its label and value as text

Sources are ids of `knowledge/sources.yaml`; a frontend numbers them by their place in the answer's
`sources`. `continues` says a block follows the one before it directly, without the space that
otherwise separates blocks (the notes under a list of figures). The text renderer
(`careerbot.answers.plain`), the chat and the web page each draw these; none of them reads the text of another.
"""

from __future__ import annotations

from .._record import Record


class Cited(Record):
    """A piece of text and the sources it rests on."""

    text: str
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"text": self.text, "sources": list(self.sources)}


class Heading(Record):
    text: str
    continues: bool = False
    type = "heading"

    def to_dict(self) -> dict:
        return _with_continues({"type": self.type, "text": self.text}, self)


class Paragraph(Record):
    text: str
    sources: tuple[str, ...] = ()
    continues: bool = False
    type = "paragraph"

    def to_dict(self) -> dict:
        return _with_continues({"type": self.type, "text": self.text, "sources": list(self.sources)}, self)


class Notice(Paragraph):
    """A paragraph in careerbot's own voice, about the answer rather than the field."""

    type = "notice"


class LeftOut(Notice):
    """The notice that ends a short answer, naming what it left out. How to see the rest is each
    frontend's to say: the engine's text says "more" (a follow-up every conversation understands);
    a one-shot command names its option for the whole answer."""

    left_out: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {**super().to_dict(), "left_out": list(self.left_out)}

    def names(self, most: int = 4) -> str:
        """What was left out, to end a sentence with: " (Skills, the chart, …)", or nothing."""
        if not self.left_out:
            return ""
        return f" ({', '.join(self.left_out[:most])}{', …' if len(self.left_out) > most else ''})"


class ListBlock(Record):
    items: tuple[Cited, ...]
    title: str | None = None
    ordered: bool = False
    note: str | None = None        # after the items ("…and 4 more.")
    continues: bool = False
    type = "list"

    def to_dict(self) -> dict:
        return _with_continues({"type": self.type, "title": self.title, "ordered": self.ordered,
                                "items": [item.to_dict() for item in self.items], "note": self.note}, self)


class Table(Record):
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    sources: tuple[str, ...] = ()      # what the table as a whole rests on (its cells are not marked)
    continues: bool = False
    type = "table"

    def to_dict(self) -> dict:
        return _with_continues({"type": self.type, "header": list(self.header),
                                "rows": [list(row) for row in self.rows], "sources": list(self.sources)}, self)


class Bar(Record):
    """One bar of a chart: from `low` to `high` (equal for a single figure), `open_ended` when the
    source says "or more"; `value` is how the figure reads ("$126k–$194k")."""

    label: str
    low: int
    high: int
    value: str
    open_ended: bool = False

    def to_dict(self) -> dict:
        return {"label": self.label, "low": self.low, "high": self.high, "open_ended": self.open_ended,
                "value": self.value}


class Chart(Record):
    bars: tuple[Bar, ...]
    currency: str = "USD"
    title: str | None = None
    continues: bool = False
    type = "chart"

    def to_dict(self) -> dict:
        return _with_continues({"type": self.type, "title": self.title, "currency": self.currency,
                                "bars": [bar.to_dict() for bar in self.bars]}, self)


Block = Heading | Paragraph | Notice | LeftOut | ListBlock | Table | Chart


def _with_continues(data: dict, block) -> dict:
    if block.continues:
        data["continues"] = True
    return data


def marked_sources(block: Block) -> tuple[tuple[str, ...], ...]:
    """The source lists a block marks in its text, in reading order (a table's are not marked)."""
    if isinstance(block, Paragraph):          # and Notice
        return (block.sources,)
    if isinstance(block, ListBlock):
        return tuple(item.sources for item in block.items)
    return ()


def answer_sources(blocks: tuple[Block, ...]) -> tuple[str, ...]:
    """The sources of an answer, numbered in this order: those its text marks, as they first appear,
    then those it rests on as a whole (a table's)."""
    order: dict[str, None] = {}
    for block in blocks:
        for sources in marked_sources(block):
            order.update(dict.fromkeys(sources))
    for block in blocks:
        if isinstance(block, Table):
            order.update(dict.fromkeys(block.sources))
    return tuple(order)
