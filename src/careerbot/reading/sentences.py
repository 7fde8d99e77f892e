"""Where a question's sentences, clauses and parts begin and end: the first cut of its text.

A text is cut at two grains, for two readers:

- **parts** (`split_parts`), for the engine: the separate questions of one message, each answered
  in turn ("how much does a cloud architect earn and what do they do?" is two). A sentence that
  asks nothing stays with the question next to it, as its context.
- **clauses** (`split_clauses`), for the matcher: the pieces of one question, each with whether its
  sentence asks, so that "I've got years of Docker; what job fits?" is read by its question and the
  rest is the asker's background.

Most questions are one sentence of one clause; `one_clause` and the short way of `split_parts` tell
so without a regular expression, and the patterns are compiled (and kept by `re`) only when a
longer text comes: a cold start compiles none of them.
"""

from __future__ import annotations

import re

from .._text import normalise, stem

QUESTION_WORDS = frozenset("what how when where which who why is are can could should would will do does did".split())
"""First words of a question (stemmed)."""

CLAUSE_END = r"(?=[.?!;,:\s])(?:[.?!;,:]+(?=\s|$)|\s[-\u2013\u2014]+\s|\n+)"
"""Where a clause ends; compiled (and kept by `re`) when a text of several clauses comes. It
opens with a look at the one character any match starts with, so that other positions are passed
over at once (as the part patterns below do)."""

_HARD_ENDS = frozenset(".?!\n")
_SOFT_ENDS = frozenset(";")
"""A sentence ending in one of these asks only when it opens with a question word: "I've got years
of Docker; what job fits?" asks once, "what do they do; what do they earn?" twice. A colon is no
sentence end: what comes before it is often the topic ("internships: where do I look?")."""
_ANY_END = _HARD_ENDS | _SOFT_ENDS


def split_clauses(text: str) -> list[tuple[str, bool]]:
    """The clauses of a text, each with whether the sentence it belongs to asks: it ends with "?",
    or it opens with a question word and ends softly (`_SOFT_ENDS`), or it is the last, has no end,
    and follows another (the first part of "…. Is it realistic, and how would I start?" comes
    without its question mark)."""
    pieces, ends, start = [], [], 0
    for found in re.finditer(CLAUSE_END, text):
        pieces.append(text[start:found.start()])
        ends.append(found.group())
        start = found.end()
    pieces.append(text[start:])
    ends.append("")
    sentences: list[list[int]] = [[]]         # the pieces of each sentence
    for index, end in enumerate(ends):
        sentences[-1].append(index)
        if _ANY_END.intersection(end) and index < len(ends) - 1:
            sentences.append([])
    asked = []
    for number, sentence in enumerate(sentences):
        end = ends[sentence[-1]]
        if len(sentence) > 1 and _introduction(pieces[sentence[0]]):
            # "bootcamp grad here, how do I get my first DE role": who asks, then what
            asked += [False] + [True] * (len(sentence) - 1)
            continue
        if "?" in end:
            question = True
        elif _HARD_ENDS.intersection(end) or (not end and number == 0):
            question = False
        else:                                  # a soft end, or the last sentence without one
            opening = normalise(pieces[sentence[0]]).tokens[:1]
            question = bool(opening) and stem(opening[0]) in QUESTION_WORDS
        asked += [question] * len(sentence)
    return list(zip(pieces, asked))


INTRODUCTION_WORDS = 5
"""The most words of a chat introduction ("long time lurker here")."""


def _introduction(clause: str) -> bool:
    """Whether a clause introduces the asker the way chat does: a few words ending in "here"
    ("new grad here", "ex-teacher here")."""
    if not clause.rstrip().lower().endswith("here"):       # most clauses: no need to read the words
        return False
    words = normalise(clause).tokens
    return 1 < len(words) <= INTRODUCTION_WORDS and words[-1] == "here" and stem(words[0]) not in QUESTION_WORDS


def one_clause(text: str) -> bool:
    """Whether `CLAUSE_END` finds no clause end in `text` but at its very end, for certain: most
    questions are one clause and need no regular expression."""
    body = text.rstrip().rstrip(".?!;,:")
    return not any(mark in body for mark in ".?!;,:\n-\u2013\u2014")


_OPENERS = ("what|whats|how|hows|which|where|who|why|when|is|are|do|does|did|can|could|should|would|will|any|"
            "tell|explain|list|compare")
# Patterns for texts of several sentences, compiled (and kept by `re`) when such a text comes: most
# questions are one sentence (`_one_sentence`), and a cold start compiles none of them.
# each pattern opens with a look at one character that any match starts with (or follows): a
# position that cannot start one is passed over at once (on 1,000 characters, in about half the time)
_PART_END = r"(?<=[?!;.])(?:(?<=[?!;])\s*|(?<=[a-z0-9)]\.)\s+(?=[A-Za-z]))"
_ASKING_VERBS = "is|are|do|does|did|can|could|should|would|will"
# after "and", a verb opens a question only in a sentence that asks ("…and is it worth it?"); in one
# that does not, it goes on with the same subject ("my plant sells parts and is hiring")
_JOINT = (r"(?=[\s,+&ap])\s*(?:,\s*)?(?:\band\b|\balso\b|\bplus\b|\+|&)\s+(?:(?:also|second|secondly|then|next|finally|lastly)\b,?\s+)?"
          r"(?=(?:%s)\b|(?:%s)\b[^?]*\?\s*$)"
          % ("|".join(w for w in _OPENERS.split("|") if w not in _ASKING_VERBS.split("|")), _ASKING_VERBS))
_AFTER_COLON = r":\s+(?=(?:%s)\b)" % _OPENERS
"""A question opening after a colon, its topic or the asker's background before it."""
_QUESTION_SHAPED = (r"^\W*(?:(?:first|firstly|first off|first question|quick question|ok|okay|so)\W+)*(?:%s)\b|\?\s*$|%s"
                    % (_OPENERS, _AFTER_COLON))
BACKGROUND_WORDS = 3
"""Words before a colon from which they are the asker's background, not the question's topic."""
_PLUS = r"(?<=\w)\s+\+\s+(?=\w)"
_TOPIC = r"\s*[\w'/-]+(?:\s+[\w'/-]+)*\s*\??\s*"
"""A few words with no mark but a question mark at the end: a topic, not a clause ("tableau, which role")."""
PLUS_TOPIC_WORDS = 3
"""The most words of a topic a "+" adds as a question of its own ("+ certs?", "+ work-life balance")."""


def split_parts(text: str) -> list[str]:
    """The questions in `text`: sentences, and clauses joined by "and", "also", "plus" or "+" when
    the next one starts a question ("…earn and what do they do?"). A sentence that asks nothing
    ("I'm a DBA making 85k.") stays with the question after it, as its context."""
    if _one_sentence(text):
        return [text.strip()] if text.strip() else []
    return _split_parts(text)


def _split_parts(text: str) -> list[str]:
    """`split_parts` by its regular expressions: for any text. A "+" before a topic of a few words
    at the end parts the questions ("cloud architect salary + certs?", "what does a DS do + pay +
    skills"); one inside a longer question joins its words ("is LinkedIn + meetups the way to …")."""
    chunks = re.split(_PLUS, text) if "+" in text else [text]
    if len(chunks) > 1 and not all(len(chunk.split()) <= PLUS_TOPIC_WORDS and re.fullmatch(_TOPIC, chunk)
                                   for chunk in chunks[1:]):
        chunks = [text]
    return [part for chunk in chunks for part in _questions_in(chunk)]


def _questions_in(text: str) -> list[str]:
    """The questions in a text with no " + " in it: sentences, and clauses joined by a word that
    starts a question; a sentence that asks nothing goes with a question next to it."""
    pieces = [p for sentence in re.split(_PART_END, text)
              for p in re.split(_JOINT, sentence, flags=re.IGNORECASE) if p and p.strip()]
    parts: list[str] = []
    pending = ""
    for piece in pieces:
        if re.search(_QUESTION_SHAPED, piece, re.IGNORECASE):
            parts.append(f"{pending} {_background_apart(piece)}".strip())
            pending = ""
        else:
            pending = f"{pending} {piece}".strip()
    if pending:
        if parts:
            parts[-1] = f"{parts[-1]} {pending}"
        else:
            parts.append(pending)
    return parts


def _background_apart(piece: str) -> str:
    """A question after a colon, with the words before it made a sentence of their own when they
    are the asker's background ("product owner on a fintech team: how much does an AI PM make"),
    and left as they are when they are a short topic ("certs: which ones matter for MLOps?")."""
    found = re.search(_AFTER_COLON, piece, re.IGNORECASE)
    if found is None or len(piece[:found.start()].split()) < BACKGROUND_WORDS:
        return piece
    return f"{piece[:found.start()]}. {piece[found.end():]}"


def _one_sentence(text: str) -> bool:
    """Whether `text` is one sentence with no joint ("and", "+", …) for certain: no mark that ends
    a sentence but one at its very end. Most questions are; they need no regular expression."""
    body = text.rstrip()
    body = body[:-1] if body.endswith(("?", "!", ".", ";")) else body
    lowered = body.lower()
    return not any(mark in body for mark in "?!;.+&") and not any(word in lowered for word in ("and", "also", "plus"))
