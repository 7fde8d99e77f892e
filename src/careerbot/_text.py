"""Text normalisation: the first step of understanding a question.

Case, unicode compatibility forms and accents, curly quotes, contractions ("what's" → "what is"),
possessives ("engineer's" → "engineer") and punctuation are folded so that the matcher compares
words, not spellings. Symbols that are part of skill names survive: "c++", "c#".
"""

import re
from functools import lru_cache

from ._record import Record

MAX_QUESTION_CHARS = 1000
"""Longer questions are cut to this length (with a note), so time per question stays bounded."""

BOUNDARY = "|"
"""Stands between the clauses of a question ("I'm a nurse. How do I become a data scientist?")."""

STOPWORDS = frozenset((BOUNDARY + """
a an the and or but of to in on at for from by with about as into than then so if is are was were be been
being am do does did doing have has had having i me my mine we us our you your yours he him his she her it
its they them their this that these those there here what which who whom whose when where why how whats
can could would should will shall may might must not no yes please just also too very really some any all
each every more most other such only own same get got let like want wanna tell know say said give show
one ones s t up out over there again ought whilst hence thus therefore nor upon among amongst thereby whereby
former latter
um umm uh uhh uhm erm hmm hmmm mhm ah ahh
""").split())
"""Function words and hesitation sounds ("umm"): never entities, never typo targets, and not counted
as unknown. An entity phrase that starts or ends with one is never found in a question (validation
says so)."""

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})

_IRREGULAR = {
    "can't": "can not", "cannot": "can not", "won't": "will not", "shan't": "shall not", "ain't": "is not",
    "let's": "let us", "y'all": "you all", "gonna": "going to", "wanna": "want to", "gotta": "got to",
    "kinda": "kind of", "dunno": "do not know", "master's": "masters", "bachelor's": "bachelors",
    "masters'": "masters", "bachelors'": "bachelors", "sorta": "sort of", "lemme": "let me", "gimme": "give me",
    "u": "you", "ur": "your", "ya": "you", "plz": "please", "pls": "please", "wat": "what", "ppl": "people",
    "thx": "thanks", "tho": "though", "bc": "because", "abt": "about", "comps": "competitions",
    "rly": "really", "proj": "project", "projs": "projects", "yt": "youtube", "w/o": "without",
    "yoe": "years of experience", "hrs": "hours", "eng": "engineer", "engs": "engineers",
}
_IS_WORDS = frozenset("what that it there here who where how when why which he she this".split())
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"), ("'d", " would"),
             ("'m", " am"))

_TOKEN = r"\$\d+|[a-z0-9]+(?:\+\+|#)?|\+\+"
_DIGITS = frozenset("0123456789")
_SPACED = bytearray(b" " * 256)
_SPACED[48:58], _SPACED[97:123] = b"0123456789", b"abcdefghijklmnopqrstuvwxyz"
"""A `bytes.translate` table: every character that is neither a lower-case letter nor a digit, as
a space. In an ASCII text with no "$", "+" or "#", the words `_TOKEN` finds are what is left
between spaces (and translating its bytes takes a third of the time of `str.translate`)."""
_APOSTROPHE_WORD = r"(?<![a-z])[a-z]+(?:'[a-z]*)+"   # from a word's start: linear in the text
_SLANG_WORDS = frozenset(w for w in _IRREGULAR if "'" not in w)
_SLANG = r"\b(?:%s)\b" % "|".join(_SLANG_WORDS)
_ARE = r"\br(?= (?:the|there|these|those|they|you|we|any|all|some)\b)"
"""Chat's "r" for "are" ("what r the roles"), where it cannot be the R language."""


class Normalised(Record):
    """The words of a text after normalisation, and their joined form."""

    tokens: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def _expand(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix):
            return word[: -len(suffix)] + replacement
    if word.endswith("'s"):
        stem = word[:-2]
        return f"{stem} is" if stem in _IS_WORDS else stem   # "what's" vs "engineer's"
    if word.endswith("s'"):
        return word[:-1]                                      # "engineers'"
    return word.replace("'", "")


def fold(text: str, limit: int | None = None) -> str:
    """Unicode- and case-fold `text` and drop accents (ASCII text takes the short way). A text that
    compatibility forms make longer ("\ufb03" is "ffi", "\ufdfa" eighteen letters) is cut at `limit`
    characters, so that what the first 1,000 characters of a question become stays bounded."""
    if text.isascii():
        return text.replace("`", "'").casefold()
    import unicodedata
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))[:limit]
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


AMOUNT_PREFIX = "$"
"""An amount of money is one word: "$120,000", "120k" and "120 grand" all read as `$120000`."""

# Patterns most questions never need are strings, compiled (and kept by `re`) when first used: a
# cold start compiles only what its question needs.
_AMOUNT = (r"(?<![\w.])(?P<dollar>\$\s?)?(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
           r"(?:\s?(?P<unit>k|grand|thousand|m|mil|million)\b)?")
_WORD_AMOUNTS = (r"\b(?:(?P<six>six|6)[ -]figures?|(?P<seven>seven|7)[ -]figures?|a quarter (?:of a )?mil(?:lion)?"
                 r"|half a mil(?:lion)?)\b")
_NUMBER_WORDS = dict(zip(
    "a one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split(), [1, *range(1, 20)]))
_NUMBER_WORDS.update(zip("twenty thirty forty fifty sixty seventy eighty ninety".split(), range(20, 100, 10)))
_JOINED = {("on", "call"): "oncall", ("tl", "dr"): "tldr"}
"""Word pairs read as one word: "on" is a word no phrase may start with."""
_JOINED_SECOND = frozenset(second for _, second in _JOINED)
_UNITS = {"k": 1_000, "grand": 1_000, "thousand": 1_000, "m": 1_000_000, "mil": 1_000_000, "million": 1_000_000}
MAX_AMOUNT = 100_000_000


def _amount(match: re.Match) -> str:
    """The amount a match states as one `$` word, or the text unchanged when it states none."""
    number, unit = match["number"], match["unit"]
    if unit is None and not match["dollar"]:
        return match.group()                   # "3 years", "2026": a bare number is no amount
    if unit in ("m", "mil", "million") and not match["dollar"] and float(number.replace(",", "")) > 10:
        return match.group()                   # "50 million users"
    value = float(number.replace(",", "")) * _UNITS.get(unit or "", 1)
    if not 1 <= value <= MAX_AMOUNT:
        return match.group()
    return f" {AMOUNT_PREFIX}{int(value)} "


def _word_amount(match: re.Match) -> str:
    if match["six"]:
        return f" {AMOUNT_PREFIX}100000 "
    if match["seven"]:
        return f" {AMOUNT_PREFIX}1000000 "
    return f" {AMOUNT_PREFIX}{250_000 if 'quarter' in match.group() else 500_000} "


def _spelled_amounts(tokens: list[str]) -> list[str]:
    """ "two hundred and sixty thousand" as the one word `$260000`, like "260k"; "a thousand" and
    "the grand total" stay as they are."""
    out: list[str] = []
    for token in tokens:
        if token in ("thousand", "grand"):
            start = len(out)
            while start > 0 and (out[start - 1] in _NUMBER_WORDS or out[start - 1] in ("hundred", "and")):
                if out[start - 1] == "a":                 # "a" only as it opens "a hundred"
                    if out[start:start + 1] == ["hundred"]:
                        start -= 1
                    break
                start -= 1
            run = out[start:]
            while run and run[0] == "and":
                run.pop(0)
            value = 0
            for word in run:
                if word == "hundred":
                    value = max(value, 1) * 100
                elif word != "and":
                    value += _NUMBER_WORDS[word]
            if 1 < value < 1000 and any(word in _NUMBER_WORDS for word in run):
                del out[len(out) - len(run):]
                token = f"{AMOUNT_PREFIX}{value * 1000}"
        out.append(token)
    return out


def _joined(tokens: list[str]) -> list[str]:
    """Word pairs read as one word (`_JOINED`): "on call" and "on-call" as "oncall"."""
    out: list[str] = []
    for token in tokens:
        if out and (out[-1], token) in _JOINED:
            out[-1] = _JOINED[out[-1], token]
        else:
            out.append(token)
    return out


def _words(folded: str) -> list[str]:
    """The words of a folded text (`_TOKEN`): for most, ASCII with no "$", "+" or "#", without
    the regular expression, whose compiling took 0.24 ms of a cold `careerbot ask`."""
    if folded.isascii() and "$" not in folded and "+" not in folded and "#" not in folded:
        return folded.encode("ascii").translate(_SPACED).decode("ascii").split()
    return re.findall(_TOKEN, folded)


def _has_digit(folded: str) -> bool:
    """Whether a folded text holds a digit (`\\d`): ASCII ones looked for without a regular expression."""
    if folded.isascii():
        return not _DIGITS.isdisjoint(folded)
    return re.search(r"\d", folded) is not None


def normalise(text: str) -> Normalised:
    """Fold `text` and split it into words."""
    folded = fold(text, max(len(text), MAX_QUESTION_CHARS))
    if "$$" in folded:
        folded = re.sub(r"\${2,}", " money ", folded)     # "ML consultant $$?": chat's word for pay
    if _has_digit(folded) or "figure" in folded or " mil" in folded:
        folded = re.sub(_WORD_AMOUNTS, _word_amount, folded)
        folded = re.sub(_AMOUNT, _amount, folded)
    if "'" in folded:
        folded = re.sub(_APOSTROPHE_WORD, lambda m: _expand(m.group()), folded)
    tokens = _words(folded)
    # the slang and "r" patterns run (compiled, then kept by `re`) only on a text that may hold them
    bare = tokens if "+" not in folded and "#" not in folded else [token.rstrip("+#") for token in tokens]
    slang = not _SLANG_WORDS.isdisjoint(bare)
    if slang:
        folded = re.sub(_SLANG, lambda m: _IRREGULAR[m.group()], folded)
    are = _standalone_r(folded)
    if are:
        folded = re.sub(_ARE, "are", folded)
    if slang or are:
        tokens = _words(folded)
    if "thousand" in tokens or "grand" in tokens:
        tokens = _spelled_amounts(tokens)
    if not _JOINED_SECOND.isdisjoint(tokens):
        tokens = _joined(tokens)
    return Normalised(tuple(tokens))


def _standalone_r(text: str) -> bool:
    """Whether `text` holds "r " at the start of a word, as `_ARE` needs."""
    at = text.find("r ")
    while at != -1:
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
            return True
        at = text.find("r ", at + 1)
    return False


_KEEP = frozenset("""
this his its is was has does goes yes us bus plus less class process business analysis basis
thus always news series species bias gas ties masters evening evenings
""".split())


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light suffix stripper, so that "earns", "earning" and "earned" count as "earn".

    Deliberately simple (plural -s, -ies, -ing, -ed): enough for keywords and example phrases to
    meet a question's inflections, predictable enough to reason about.
    """
    if len(word) <= 3 or not word.isalpha() or word in _KEEP:
        return word
    if word.endswith("ings") and len(word) > 6:
        word = word[:-1]                                  # "earnings" → "earning" → "earn"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    else:
        return word
    if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]                                  # "mapping" → "mapp" → "map"
    return word


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
