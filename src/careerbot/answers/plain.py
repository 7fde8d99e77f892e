"""The plain-text layout of answers: `Answer.text`, the command line's output and the chat's.

Blocks (`careerbot.answers.blocks`) are laid out as styled spans, `(style, text)` pairs: the command line
and `Answer.text` join their text, the chat maps each style to a colour. One layout, so that what
the chat shows is what `text` says. Blocks are separated by a blank line, except one that
`continues` the block before it; numbers in brackets after a line ("[1, 2]") point at the answer's
sources, by their place in `sources`, when it has more than one.

With a `width`, prose (paragraphs, notices, list items, headings) is wrapped to it, bullets with a
hanging indent and citations whole; tables fit their columns to it; charts keep theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest

from .blocks import Bar, Block, Chart, Heading, LeftOut, ListBlock, Notice, Paragraph, Table
from .money import short_money

Span = tuple[str, str]
"""(style, text): style is "" or one of the names below."""

CITATION, HEADING, NOTICE, SOURCE, NUMBER, TITLE = "citation", "heading", "notice", "source", "number", "title"

BAR_WIDTH = 28
TRACK, FILL, MORE = "·", "█", "▸"
TABLE_COLUMN = 36
"""The widest a table column is (a comparison's cells are sentences)."""
NARROWEST_COLUMN = 16


def answer_text(blocks: Sequence[Block], sources: Sequence[str]) -> str:
    """The plain text of an answer's blocks (`Answer.text`)."""
    return "".join(text for _, text in block_spans(blocks, sources))


def block_spans(blocks: Sequence[Block], sources: Sequence[str], width: int | None = None) -> list[Span]:
    """The blocks as styled spans, a blank line between blocks (a newline before one that continues)."""
    numbers = {source: i + 1 for i, source in enumerate(sources)} if len(sources) > 1 else {}
    spans: list[Span] = []
    for index, block in enumerate(blocks):
        if index:
            spans.append(("", "\n" if block.continues else "\n\n"))
        lines = _LAYOUT[type(block)](block, numbers, width)
        for position, line in enumerate(lines):
            if position:
                spans.append(("", "\n"))
            spans.extend(line)
    return spans


def citation(sources: Sequence[str], numbers: dict[str, int]) -> str:
    """` [1, 2]` for the numbers of `sources`, or nothing when the answer has a single source."""
    if not numbers or not sources:
        return ""
    return " [" + ", ".join(str(numbers[s]) for s in dict.fromkeys(sources)) + "]"


def _prose(text: str, sources: Sequence[str], numbers: dict[str, int], width: int | None,
           style: str = "", hanging: str = "") -> list[list[Span]]:
    """One line of prose with its citation, wrapped to `width` when it is longer."""
    cite = citation(sources, numbers)
    line = text + cite
    if width is None or len(line) <= width:
        return [[(style, text)] + ([(CITATION, cite)] if cite else [])]
    import textwrap  # only for wrapping: a cold `careerbot ask` does without
    glued = text + cite.replace(" ", "\xa0").replace("\xa0[", " [", 1)
    wrapped = textwrap.wrap(glued, width=width, subsequent_indent=hanging, break_long_words=False,
                            break_on_hyphens=False)
    lines = [[(style, part.replace("\xa0", " "))] for part in wrapped]
    mark = cite.strip()
    if cite and wrapped[-1].replace("\xa0", " ").endswith(mark):
        last = wrapped[-1].replace("\xa0", " ")
        lines[-1] = [(style, last[:-len(mark)])] * (len(last) > len(mark)) + [(CITATION, mark)]
    return lines


def _heading(block: Heading, numbers: dict[str, int], width: int | None) -> list[list[Span]]:
    return _prose(block.text, (), numbers, width, TITLE)


def _paragraph(block: Paragraph, numbers: dict[str, int], width: int | None) -> list[list[Span]]:
    return _prose(block.text, block.sources, numbers, width)


def _notice(block: Notice, numbers: dict[str, int], width: int | None) -> list[list[Span]]:
    return _prose(block.text, block.sources, numbers, width, NOTICE)


def _list(block: ListBlock, numbers: dict[str, int], width: int | None) -> list[list[Span]]:
    lines = _prose(block.title, (), numbers, width, HEADING) if block.title else []
    for position, item in enumerate(block.items, 1):
        marker = f"{position}. " if block.ordered else "- "
        lines += _prose(marker + item.text, item.sources, numbers, width,
                        hanging="" if block.ordered else "  ")
    if block.note:
        lines += _prose(block.note, (), numbers, width)
    return lines


def _table(block: Table, numbers: dict[str, int], width: int | None) -> list[list[Span]]:
    """A label column and the other columns side by side, each cell wrapped to its column; a blank
    line between rows."""
    rows = (block.header, *block.rows)
    label_width = max(len(row[0]) for row in rows)
    columns = len(block.header) - 1
    column = TABLE_COLUMN
    if width is not None and columns:
        column = max(NARROWEST_COLUMN, min(TABLE_COLUMN, (width - label_width - 2 * columns) // columns))
    lines: list[list[Span]] = []
    for index, row in enumerate(rows):
        if index:
            lines.append([])
        cells = [[row[0]], *(_cell_lines(cell, column) for cell in row[1:])]
        for parts in zip_longest(*cells, fillvalue=""):
            text = f"{parts[0]:<{label_width}}" + "".join(f"  {part:<{column}}" for part in parts[1:-1])
            text = (text + f"  {parts[-1]}").rstrip()
            lines.append([(HEADING if index == 0 else "", text)])
    return lines


def _cell_lines(cell: str, column: int) -> list[str]:
    """A table cell's lines, wrapped to `column` wide. A cell that fits as it is, with no space at
    either end and no other white space than spaces (most: "$126,000", "Entry level"), is its own
    line, as `textwrap` would make it, in a hundredth of its time."""
    if 0 < len(cell) <= column and cell.isprintable() and cell[0] != " " != cell[-1]:
        return [cell]
    import textwrap
    return textwrap.wrap(cell, column) or [""]


def _chart(block: Chart, numbers: dict[str, int], width: int | None) -> list[list[Span]]:
    """One bar a row on a common scale, with the scale's ends under it; open-ended figures end in ▸.

    The scale starts a little below the lowest figure rather than at zero, so that ranges a few
    thousand apart still look different.
    """
    if not block.bars:
        return []
    lines = [[(HEADING, block.title)]] if block.title else []
    lowest = min(bar.low for bar in block.bars)
    highest = max(bar.high for bar in block.bars)
    start_at = int(lowest * 0.8) // 10_000 * 10_000
    span = max(highest - start_at, 1)
    label_width = max(len(bar.label) for bar in block.bars)
    for bar in block.bars:
        lines.append([("", f"  {bar.label:<{label_width}}  {_bar(bar, start_at, span):<{BAR_WIDTH + 1}}  {bar.value}")])
    left, right = short_money(start_at, block.currency), short_money(highest, block.currency)
    lines.append([("", f"  {'':<{label_width}}  {left}{right:>{BAR_WIDTH + 1 - len(left)}}")])
    return lines


def _bar(bar: Bar, start_at: int, span: int) -> str:
    start = min(BAR_WIDTH - 1, round((bar.low - start_at) / span * BAR_WIDTH))
    end = max(start + 1, round((bar.high - start_at) / span * BAR_WIDTH))
    return TRACK * start + FILL * (end - start) + (MORE if bar.open_ended else "")


_LAYOUT = {Heading: _heading, Paragraph: _paragraph, Notice: _notice, LeftOut: _notice, ListBlock: _list, Table: _table,
           Chart: _chart}


def source_lines(answer) -> list[str]:
    """`[1] Title (file)` for each of the answer's sources, numbered as its text cites them."""
    references = answer.references
    return [(f"[{number}] " if len(references) > 1 else "") + f"{reference.title} ({reference.file})"
            for number, reference in enumerate(references, 1)]


def answer_spans(answer, width: int | None = None, *, explain: bool = False) -> list[Span]:
    """The whole answer as the command line and the chat show it: its blocks, then its sources, the
    numbered suggestions and, with `explain`, why."""
    spans = block_spans(answer.blocks, answer.sources, width)
    sources = source_lines(answer)
    if sources:
        label = "Sources:" if len(sources) > 1 else "Source:"
        spans.append((SOURCE, f"\n\n{label}\n" + "\n".join(f"  {line}" for line in sources)))
    if answer.suggestions:
        spans.append((HEADING, "\n\nDid you mean:" if getattr(answer, "choosing", False) else "\n\nYou could ask next:"))
        for number, suggestion in enumerate(answer.suggestions, 1):
            spans += [(NUMBER, f"\n  {number}."), ("", f" {suggestion}")]
    if explain and answer.explain is not None:
        spans.append(("", "\n\nWhy this answer:\n" + "\n".join(f"  {line}" for line in str(answer.explain).splitlines())))
    return spans


def format_answer(answer, *, explain: bool = False) -> str:
    """The whole answer as plain text (see `answer_spans`)."""
    return "".join(text for _, text in answer_spans(answer, explain=explain))
