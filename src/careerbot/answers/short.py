"""The short answer: what a user sees first, with the rest one "more" away.

An answer's blocks are cut to at most `SHORT_LINES` lines of text: its first block (the sentence
that answers, or the heading that names what follows) always, then the blocks that hold the
question's own words, then the others in their order, each while it fits; a list that does not fit
whole keeps the items that do (those with the question's words first). What is kept keeps its order,
and a notice says what was left out and how to see it. Nothing is reworded: every fact of the short
answer is a fact of the full one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from .._text import normalise, stem
from .blocks import Block, Chart, Cited, Heading, LeftOut, ListBlock, Table
from .plain import answer_text

SHORT_LINES = 15
"""The longest a short answer's text is, in lines (a one-part answer: the notice after it included)."""

MORE_WORD = "more"
"""What a user says (or clicks) for the whole answer."""


@lru_cache(maxsize=8192)
def stemmed_words(text: str) -> frozenset[str]:
    """The (stemmed) words of `text`, as a question's words are compared with an answer's."""
    return frozenset(stem(word) for word in normalise(text).tokens)


@lru_cache(maxsize=8192)
def _block_words(block: Block) -> frozenset[str]:
    if isinstance(block, ListBlock):
        return stemmed_words(" ".join([block.title or "", *(item.text for item in block.items)]))
    if isinstance(block, Table):
        return stemmed_words(" ".join(" ".join(row) for row in (block.header, *block.rows)))
    text = getattr(block, "text", None)
    return stemmed_words(text) if isinstance(text, str) else frozenset()


def _units(blocks: Sequence[Block]) -> list[list[int]]:
    """The blocks in groups that stay together: a heading with the blocks that continue it."""
    units: list[list[int]] = []
    for index, block in enumerate(blocks):
        if units and (block.continues or isinstance(blocks[index - 1], Heading)):
            units[-1].append(index)
        else:
            units.append([index])
    return units


def _lines(blocks: Sequence[Block]) -> int:
    """The lines of the blocks' text: each block's own, and a blank line between two blocks unless
    the second continues the first."""
    return sum(_block_lines(block) + (1 if index and not block.continues else 0) for index, block in enumerate(blocks))


@lru_cache(maxsize=8192)
def _block_lines(block: Block) -> int:
    """The lines of one block's text, whatever the answer's sources: their numbers end lines, they
    never break one."""
    return len(answer_text([block], ()).splitlines())


def left_out_notice(names: list[str]) -> LeftOut:
    """The notice that ends a short answer, naming what it left out."""
    notice = LeftOut("", left_out=tuple(names))
    return notice._replace(text=f'That is the short answer. Say "{MORE_WORD}" for the rest{notice.names()}.')


def _name(block: Block) -> str:
    if isinstance(block, Heading):
        return block.text.rstrip(":")
    if isinstance(block, ListBlock) and block.title:
        return block.title.rstrip(":")
    if isinstance(block, Chart):
        return (block.title or "the chart").rstrip(":")
    return ""


def shorten(blocks: Sequence[Block], focus: Sequence[str] = (),
            limit: int = SHORT_LINES) -> tuple[Block, ...] | None:
    """The short form of `blocks`, or None when they fit `limit` lines as they are."""
    blocks = tuple(blocks)
    if _lines(blocks) <= limit:
        return None
    return _shortened(blocks, asked_words(blocks, focus), limit)


def asked_words(blocks: tuple[Block, ...], focus: Iterable[str]) -> frozenset[str]:
    """The question's (stemmed) words that choose what a short form of `blocks` keeps first: those
    the blocks hold. The rest change nothing of it: many wordings, one short form."""
    return _vocabulary(blocks).intersection(focus)


@lru_cache(maxsize=1024)
def _vocabulary(blocks: tuple[Block, ...]) -> frozenset[str]:
    """The (stemmed) words of the blocks, list items included."""
    return frozenset().union(*map(_block_words, blocks))


@lru_cache(maxsize=2048)
def _shortened(blocks: tuple[Block, ...], asked: frozenset[str], limit: int) -> tuple[Block, ...] | None:
    units = _units(blocks)
    order = [units[0]] + sorted(units[1:], key=lambda unit: not any(asked & _block_words(blocks[i]) for i in unit))
    kept: dict[int, Block] = {}
    notice = left_out_notice([])

    def fits(candidate: dict[int, Block]) -> bool:
        chosen = [candidate[i] for i in sorted(candidate)]
        return _lines([*chosen, notice]) <= limit

    for unit in order:
        trial = {**kept, **{i: blocks[i] for i in unit}}
        if fits(trial):
            kept = trial
            continue
        # a list that does not fit whole: the items that fit, those with the question's words first
        last = unit[-1]
        block = blocks[last]
        if isinstance(block, Table):
            for most in (None, 100, 70):
                brief = {**kept, **{i: blocks[i] for i in unit[:-1]}, last: _brief_table(block, most)}
                if fits(brief):
                    break
            if fits(brief) or unit is units[0]:
                kept = brief
            continue
        if not isinstance(block, ListBlock):
            if unit is units[0]:
                kept = trial           # the first block always stays: it says what the answer is about
            continue
        items = sorted(range(len(block.items)), key=lambda i: not (asked & stemmed_words(block.items[i].text)))
        chosen: list[int] = []
        for item in items:
            candidate = sorted([*chosen, item])
            cut = _cut_list(block, candidate)
            if not fits({**kept, **{i: blocks[i] for i in unit[:-1]}, last: cut}):
                break               # the items are in the order they matter: the rest matter less
            chosen = candidate
        if chosen:
            kept = {**kept, **{i: blocks[i] for i in unit[:-1]}, last: _cut_list(block, chosen)}
    if not kept:
        return None
    shown = [kept[i] for i in sorted(kept)]
    left_out = [name for i, b in enumerate(blocks) if (i not in kept or kept[i] is not b) and (name := _name(b))]
    # a block that continued one left out now stands apart
    shown = [b._replace(continues=False) if b.continues and (i - 1) not in kept else b
             for i, b in ((i, kept[i]) for i in sorted(kept))]
    return (*shown, left_out_notice(list(dict.fromkeys(left_out))))


def _brief_table(block: Table, most: int | None = None) -> Table:
    """The table with each cell cut to its first sentence (a comparison's cells are paragraphs),
    and to about `most` characters, at a word, when given."""
    def first(cell: str) -> str:
        sentence = cell.split(". ")[0]
        sentence = sentence if sentence == cell else sentence + "."
        if most is not None and len(sentence) > most:
            sentence = sentence[:most].rsplit(" ", 1)[0].rstrip(",;:") + " …"
        return sentence
    return block._replace(rows=tuple((row[0], *(first(cell) for cell in row[1:])) for row in block.rows))


def _cut_list(block: ListBlock, chosen: list[int]) -> ListBlock:
    rest = len(block.items) - len(chosen)
    items: tuple[Cited, ...] = tuple(block.items[i] for i in chosen)
    note = block.note if not rest else f"…and {rest} more."
    return block._replace(items=items, note=note)


def is_more(text: str) -> bool:
    """Whether `text` asks for the rest of the last answer: "more", "tell me more", "show more"."""
    # Every phrase holds one of `_MORE_MARKS`, and normalising a text adds none that it lacks once
    # case-folded: most questions, ASCII, are told apart by a few substring searches.
    if text.isascii():
        folded = text.casefold()
        if not any(mark in folded for mark in _MORE_MARKS):
            return False
    # Each run of characters holding an ASCII letter or digit is a word at least after normalisation
    # (or part of an amount, which no phrase holds): more of them than a phrase has words, and the
    # text is no phrase. A long text is not normalised to find that out.
    words = 0
    for chunk in text.split():
        if any(c.isascii() and c.isalnum() for c in chunk):
            words += 1
            if words > _MORE_WORDS:
                return False
    words = normalise(text).tokens
    return tuple(words) in _MORE_PHRASES


_MORE_PHRASES = {tuple(p.split()) for p in (
    "more", "more please", "tell me more", "show more", "show me more", "go on", "the rest",
    "full answer", "the full answer", "give me the full answer", "more details", "more detail",
    "say more", "tell me more please", "keep going", "show all", "show everything",
)}
_MORE_WORDS = max(len(phrase) for phrase in _MORE_PHRASES)
_MORE_MARKS = ("more", "go", "rest", "full", "detail", "show")
