"""Entities: which roles, level, skill or outside occupation a question mentions.

Phrases (role aliases, level words, skill names) are compiled once into a `Gazetteer`. A question's
word n-grams are looked up exactly, then fuzzily with rapidfuzz, so that "machin lerning enginer"
still finds the machine learning engineer. Short phrases ("ds", "mle", "r") must match exactly:
fuzzy matching on two or three letters would find roles in every short common word.
"""

from collections.abc import Collection, Iterable, Mapping

from rapidfuzz import fuzz, process

from .._record import Record
from .._text import AMOUNT_PREFIX, BOUNDARY, STOPWORDS, normalise, stem
from ..knowledge.model import Deferred, KnowledgeBase, Sharded

ROLE, LEVEL, SKILL, DOMAIN, OCCUPATION = "role", "level", "skill", "domain", "occupation"
UNCOVERED, AMOUNT = "uncovered", "amount"
_KIND_RANK = {ROLE: 0, SKILL: 1, DOMAIN: 2, LEVEL: 3, OCCUPATION: 4, UNCOVERED: 5, AMOUNT: 6}

POSSESSIVES = frozenset({"my", "your", "our", "his", "her", "their"})
POINTING = frozenset({"the", "that", "this"})
"""Words before "<a word of a role's name> one": "the ethics one" points at a role, as in a list."""
JOB_WORDS = frozenset("job jobs role roles career position offer interview interviews hunt search team work "
                      "salary pay comp tc".split())
"""Words after which an abbreviation is the field again, possessive or not: "my DS job", "your CV role"."""

EXACT_ONLY_CHARS = 4
"""Phrases this short or shorter match only exactly."""
FUZZY_LENGTH = 1.5
"""A run of words longer than this many times the longest entity phrase is no misspelling of one."""
FUZZY_LOOKUPS = 48
"""The most runs of words of one text looked up fuzzily, the longest first: of seventeen thousand
questions and everyday requests, none needed more than 35 (a sum of many numbers); a text of
nothing but unknown words would need hundreds."""


MIN_FUZZY = 85.0
"""The least rapidfuzz ratio of any fuzzy match (`fuzzy_cutoff` asks more of short phrases)."""


def fuzzy_cutoff(length: int) -> float:
    """The rapidfuzz ratio a fuzzy match needs, by phrase length: longer phrases tolerate more typos."""
    return 88.0 if length <= 7 else 85.0


class Mention(Record):
    """One entity found in a question: what it is, where, and the words that matched."""

    kind: str
    value: str
    start: int
    end: int
    text: str
    score: float
    alternative: str | None = None     # another value the words match almost as well


AMBIGUITY_POINTS = 2.0
"""A fuzzy match whose runner-up (another value) is this close is ambiguous."""


class Gazetteer:
    """Entity phrases of every kind, compiled once for exact, stemmed and fuzzy n-gram lookup.

    One table for all kinds, so that a question's n-grams are walked once.
    """

    by_length = Deferred()          # read only for a run of words holding an unknown one
    exact = Sharded()               # a question looks a few of its words up in these
    stemmed = Sharded()
    first_words = Sharded()

    def __init__(self, phrases: Mapping[str, tuple[tuple[str, str], ...]]):
        # normalised phrase -> ((kind, value), ...); equal entries are one object, which the engine
        # cache then writes once (a cold start reads thousands of phrases for a few hundred entries)
        shared: dict[tuple, tuple] = {}
        self.exact = {phrase: shared.setdefault(entries, entries) for phrase, entries in phrases.items()}
        self.stemmed: dict[str, tuple[tuple[str, str], ...]] = {}   # "nlp engineering" finds "nlp engineer"
        for phrase, entries in self.exact.items():
            self.stemmed.setdefault(" ".join(stem(w) for w in phrase.split()), entries)
        self.max_words = max((p.count(" ") + 1 for p in self.exact), default=0)
        buckets: dict[str, list[str]] = {}
        for phrase in self.exact:
            if len(phrase) > EXACT_ONLY_CHARS:
                buckets.setdefault(phrase[0], []).append(phrase)
        # Typos rarely hit the first letter: comparing only within it keeps lookups cheap. Within a
        # first letter, phrases by length (and their place): a phrase far longer or shorter than
        # the words looked up cannot come close enough, and is not compared.
        self.by_length = {first: _by_length(group) for first, group in buckets.items()}
        self.longest = max((len(p) for p in self.exact), default=0)
        # the first word of every phrase (as written or stemmed) -> the phrases' lengths in words, longest first
        sizes: dict[str, set[int]] = {}
        for phrase in (*self.exact, *self.stemmed):
            sizes.setdefault(phrase.split(" ", 1)[0], set()).add(phrase.count(" ") + 1)
        self.first_words = {word: tuple(sorted(n, reverse=True)) for word, n in sorted(sizes.items())}

    def find(self, tokens: tuple[str, ...], known: Iterable[Collection[str]] | None = None,
             fuzzy: bool = True) -> list[Mention]:
        """Candidate mentions in `tokens`, overlapping. Fuzzy matching looks only at word runs
        holding a word in none of the word sets `known` (taken in turn, and no further once every
        word is known): known words were matched exactly already (typos are corrected before this).
        Without `fuzzy`, only exact matches (the intents' own examples)."""
        stems = [stem(t) for t in tokens]
        if not fuzzy:
            return self.exact_mentions(tokens, stems)
        found = []
        fuzzy_found: dict[str, list[tuple]] = {}     # a repeated run of words is compared once
        lookups = FUZZY_LOOKUPS
        # unknown[i]: how many of the first i words are unknown (all are, without `known`)
        unknown_words = set(tokens)
        for words in known or ():
            unknown_words = {word for word in unknown_words if word not in words}
            if not unknown_words:
                break
        unknown = [0]
        for token in tokens:
            unknown.append(unknown[-1] + (token in unknown_words))
        count = len(tokens)
        # the runs worth looking up, longest first: those as long as a phrase their first word
        # starts (as written or stemmed), and those holding a word that may be a typo
        runs: list[tuple[int, int]] = []
        for start, (token, stem_) in enumerate(zip(tokens, stems)):
            exact = self.first_words.get(token, ())
            if stem_ != token:
                exact += self.first_words.get(stem_, ())
            longest = min(self.max_words, count - start)
            if unknown[start + longest] == unknown[start]:       # no unknown word within reach
                if exact:
                    runs += [(-size, start) for size in set(exact) if size <= longest]
            else:
                runs += [(-size, start) for size in range(longest, 0, -1)
                         if size in exact or unknown[start + size] > unknown[start]]
        runs.sort()
        for size, start in runs:
            end = start - size
            words = tokens[start:end]
            if words[0] in STOPWORDS or words[-1] in STOPWORDS or BOUNDARY in words:
                continue
            gram = " ".join(words)
            entries = self.entries(gram, stems[start:end])
            if entries is not None:
                found += [Mention(kind, value, start, end, gram, 100.0) for kind, value in entries]
            elif EXACT_ONLY_CHARS < len(gram) <= self.longest * FUZZY_LENGTH \
                    and unknown[end] > unknown[start]:
                if gram not in fuzzy_found:
                    if not lookups:
                        continue
                    lookups -= 1
                    fuzzy_found[gram] = [(m.kind, m.value, m.score, m.alternative)
                                         for m in self.fuzzy(gram, start, end)]
                found += [Mention(kind, value, start, end, gram, score, alternative)
                          for kind, value, score, alternative in fuzzy_found[gram]]
        return found

    def exact_mentions(self, tokens: tuple[str, ...], stems: list[str]) -> list[Mention]:
        """The mentions that match a phrase exactly (or stemmed), looked up only from the words that
        start a phrase and only for the lengths of the phrases they start: what a knowledge base of
        100,000 examples costs to read at build time."""
        found = []
        first_words = self.first_words
        for start, (token, stem_) in enumerate(zip(tokens, stems)):
            if token in STOPWORDS:
                continue
            sizes = first_words.get(token, ())          # longest first
            if stem_ != token and stem_ in first_words:
                sizes = sorted({*sizes, *first_words[stem_]}, reverse=True)
            for size in sizes:
                end = start + size
                words = tokens[start:end]
                if end > len(tokens) or words[-1] in STOPWORDS or BOUNDARY in words:
                    continue
                gram = " ".join(words)
                entries = self.entries(gram, stems[start:end])
                if entries is not None:
                    found += [Mention(kind, value, start, end, gram, 100.0) for kind, value in entries]
        return found

    def entries(self, gram: str, stems: list[str]) -> tuple[tuple[str, str], ...] | None:
        """The (kind, value) entries of the words `gram`, as written or else stemmed ("nlp
        engineering" finds "nlp engineer"; one word stemmed is too loose); None for no phrase."""
        entries = self.exact.get(gram)
        if entries is None and len(stems) > 1:
            entries = self.stemmed.get(" ".join(stems))
        return entries

    def fuzzy(self, gram: str, start: int, end: int) -> list[Mention]:
        from bisect import bisect_left, bisect_right  # only for a word that is no known one
        if gram[0] not in self.by_length:
            return []
        lengths, phrases, places = self.by_length[gram[0]]
        # fuzz.ratio is at most 200 * shorter / (both lengths): 85 needs lengths within 85:115
        low, high = bisect_left(lengths, (85 * len(gram) + 114) // 115), bisect_right(lengths, 115 * len(gram) // 85)
        if low == high:
            return []
        found = process.extract(gram, phrases[low:high], scorer=fuzz.ratio, score_cutoff=MIN_FUZZY, limit=None)
        # the best four, ties in the phrases' order, as if all the letter's phrases had been compared
        ranked = sorted(found, key=lambda f: (-f[1], places[low + f[2]]))[:4]
        if not ranked or ranked[0][1] < fuzzy_cutoff(min(len(gram), len(ranked[0][0]))):
            return []
        best, score, _ = ranked[0]
        if not _word_by_word(gram, best):
            return []
        mentions = []
        for kind, value in self.exact[best]:
            rival = next((v for phrase, other, _ in ranked[1:] if score - other <= AMBIGUITY_POINTS
                          and _word_by_word(gram, phrase)
                          for k, v in self.exact[phrase] if k == kind and v != value), None)
            mentions.append(Mention(kind, value, start, end, gram, score, rival))
        return mentions


def _next_word(tokens: tuple[str, ...], index: int) -> str:
    return tokens[index] if index < len(tokens) else ""


def _by_length(phrases: list[str]) -> tuple[list[int], list[str], list[int]]:
    """Phrases sorted by length: their lengths, the phrases, and each one's place in `phrases`."""
    ordered = sorted((len(phrase), place, phrase) for place, phrase in enumerate(phrases))
    return ([length for length, _, _ in ordered], [phrase for _, _, phrase in ordered],
            [place for _, place, _ in ordered])


def _word_by_word(gram: str, phrase: str) -> bool:
    """A fuzzy match must hold word for word: "machine learning people" is no "machine learning engineer".

    Where the word counts differ (words run together or split apart) only a close match counts.
    """
    gram_words, phrase_words = gram.split(), phrase.split()
    if len(gram_words) != len(phrase_words):
        return fuzz.ratio(gram, phrase) >= 90.0
    return all(fuzz.ratio(a, b) >= 75.0 for a, b in zip(gram_words, phrase_words))


def plural(phrase: str) -> str:
    """`data analysts`, `attorneys`, `mles`: the plural of a phrase's last word."""
    last = phrase.rsplit(" ", 1)[-1]
    if len(last) <= EXACT_ONLY_CHARS and " " not in phrase:
        return phrase + "s"                              # "mles"
    if last.endswith(("s", "x", "ch", "sh")):
        return phrase + "es"
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        return phrase[:-1] + "ies"
    return phrase + "s"


def _phrases(table: dict[str, tuple[tuple[str, str], ...]], kind: str, pairs: Iterable[tuple[str, str]],
             plurals: bool = False) -> None:
    """Add each (phrase, value) of one kind to `table`, normalised (and with its plural)."""
    for phrase, value in pairs:
        key = normalise(phrase).text
        for form in (key, plural(key)) if plurals and key else (key,):
            if form and (kind, value) not in table.get(form, ()) and not any(k == kind for k, _ in table.get(form, ())):
                table[form] = table.get(form, ()) + ((kind, value),)


class Entities(Record):
    """Every entity of a question, chosen so that no two overlap, with what they say worked out
    once, when they are made (`Entities(mentions)`): a reading and a decision ask it many times."""

    mentions: tuple[Mention, ...]
    roles: tuple[str, ...] = ()
    """The roles, in the order the question names them."""
    level: str | None = None
    """The level asked about: the last named ("junior DE here: what will I earn once senior?")."""
    skill: str | None = None
    """The first skill named."""
    amount: int | None = None
    """The first amount of money named ("95k" → 95000)."""
    anchored: bool = False
    """Whether a role or a word of the field places the question in machine learning. A skill
    named by English words alone does not ("how do I replace a spark plug" names Spark); one named
    by a word of its own does ("best way to learn scikit-learn", `EntityExtractor.field_skills`)."""
    covered: frozenset[int] = frozenset()
    """The word positions the mentions cover."""

    def __new__(cls, mentions: tuple[Mention, ...], *worked_out):
        if worked_out:                     # a copy (pickling): its values are worked out already
            return super().__new__(cls, mentions, *worked_out)
        skills = _values(mentions, SKILL)
        return super().__new__(
            cls, mentions, _values(mentions, ROLE),
            next((m.value for m in reversed(mentions) if m.kind == LEVEL), None),
            skills[0] if skills else None,
            next((int(m.value) for m in mentions if m.kind == AMOUNT), None),
            any(m.kind in (ROLE, DOMAIN) for m in mentions),
            frozenset(i for m in mentions for i in range(m.start, m.end)))

    def values(self, kind: str) -> tuple[str, ...]:
        """Distinct values of one kind, in the order the question names them."""
        return _values(self.mentions, kind)

    def positions(self, *kinds: str) -> frozenset[int]:
        """The word positions the mentions cover (of the given kinds, or of every kind)."""
        if not kinds:
            return self.covered
        return frozenset(i for m in self.mentions if m.kind in kinds for i in range(m.start, m.end))

    @property
    def occupations(self) -> tuple[str, ...]:
        return self.values(OCCUPATION)


def _values(mentions: tuple[Mention, ...], kind: str) -> tuple[str, ...]:
    """Distinct values of one kind, in the order the mentions name them."""
    return tuple(dict.fromkeys(m.value for m in mentions if m.kind == kind))


NO_ENTITIES = Entities(())
"""What a text naming no entity holds: one object for them all."""


FIELD_SKILL_LETTERS = 5
"""The shortest word of a skill's name that, being no English word, places a question in the field
(the English word list holds words of five letters and more)."""


class EntityExtractor:
    """Finds roles, levels, skills and outside occupations in normalised words."""

    def __init__(self, kb: KnowledgeBase, english: Collection[str] = ()):
        vocabulary = kb.vocabulary
        roles = [(alias, role.id) for role in kb.roles.values()
                 for alias in (role.name, role.label, role.id.replace("-", " "), *role.aliases)]
        skills = [(name, name) for name in kb.skill_names]
        skills += [(alias, name) for name, aliases in vocabulary.skill_aliases.items() for alias in aliases]
        levels = [(word, level) for level, words in vocabulary.levels.items() for word in words]
        titles = [(word, level) for level, words in vocabulary.level_titles.items() for word in words]
        occupations = [(job, job) for job in vocabulary.occupations]
        domain = [(word, normalise(word).text) for word in vocabulary.domain_words]
        uncovered = [(phrase, topic.id) for topic in vocabulary.uncovered.values() for phrase in topic.phrases]
        table: dict[str, tuple[tuple[str, str], ...]] = {}
        _phrases(table, ROLE, roles, plurals=True)
        _phrases(table, SKILL, skills)
        _phrases(table, LEVEL, levels, plurals=True)
        _phrases(table, LEVEL, titles)
        # a title word says its level only right before a role ("lead data scientist")
        self.title_words = frozenset(normalise(word).text for word, _ in titles)
        _phrases(table, OCCUPATION, occupations, plurals=True)
        _phrases(table, OCCUPATION, list(vocabulary.occupation_fields.items()))
        _phrases(table, DOMAIN, domain, plurals=True)
        _phrases(table, UNCOVERED, uncovered)
        self.gazetteer = Gazetteer(table)
        # the words of one role's name alone ("ethics", "cloud", "product"): "the ethics one"
        owners: dict[str, set[str]] = {}
        for role in kb.roles.values():
            for name in (role.name, role.short_name, role.label):
                for word in normalise(name or "").tokens:
                    if word not in STOPWORDS:
                        owners.setdefault(word, set()).add(role.id)
        self.role_heads = {word: ids.pop() for word, ids in sorted(owners.items()) if len(ids) == 1}
        # a skill named by a word that is no English word ("PyTorch", "scikit-learn", not "Spark" or
        # "Python") places a question in the field as a word of the field does
        self.field_skills = frozenset(
            phrase for phrase, entries in self.gazetteer.exact.items() if any(kind == SKILL for kind, _ in entries)
            and any(len(word) >= FIELD_SKILL_LETTERS and word.isalpha() and word not in english
                    for word in phrase.split()))

    def pointed_roles(self, tokens: tuple[str, ...]) -> list[Mention]:
        """The roles pointed at by a word of their name alone, as one does after a list: "the ethics
        one sounds interesting", "what about that cloud one"."""
        return [Mention(ROLE, self.role_heads[tokens[i]], i, i + 2, f"{tokens[i]} one", 100.0)
                for i in range(1, len(tokens) - 1)
                if tokens[i + 1] == "one" and tokens[i - 1] in POINTING and tokens[i] in self.role_heads]

    def starts(self, word: str) -> bool:
        """Whether an entity phrase starts with `word` (as written or stemmed)."""
        return word in self.gazetteer.first_words or stem(word) in self.gazetteer.first_words

    def phrase_words(self) -> set[str]:
        """Every word of every entity phrase (part of the vocabulary typo correction aims at)."""
        return {word for phrase in self.gazetteer.exact for word in phrase.split()}

    def extract(self, tokens: tuple[str, ...], known: Iterable[Collection[str]] | None = None,
                fuzzy: bool = True) -> Entities:
        candidates = self.gazetteer.find(tokens, known, fuzzy)
        candidates += [Mention(AMOUNT, token[1:], i, i + 1, token, 100.0)
                       for i, token in enumerate(tokens) if token.startswith(AMOUNT_PREFIX)]
        if "one" in tokens:
            candidates += self.pointed_roles(tokens)
        if not candidates:
            return NO_ENTITIES
        # "my CV", "your DS": an abbreviation after a possessive is a thing of the person's, not a
        # role; "my DS job" is the field again
        # "a data scientist's CV" too, once normalisation has taken the "'s": an abbreviation right after
        # a role's full name (not after another abbreviation: "CV NLP or MLOps" lists three)
        after_name = {m.end for m in candidates if m.kind == ROLE and len(m.text) > EXACT_ONLY_CHARS}
        candidates = [m for m in candidates if not (m.kind == ROLE and len(m.text) <= EXACT_ONLY_CHARS
                                                    and m.start > 0 and (tokens[m.start - 1] in POSSESSIVES
                                                                         or m.start in after_name)
                                                    and _next_word(tokens, m.end) not in JOB_WORDS)]
        # "starting" is a level in "starting salary", a verb in "roles starting to appear"
        candidates = [m for m in candidates if not (m.kind == LEVEL and m.text.endswith("ing")
                                                    and _next_word(tokens, m.end) == "to")]
        if self.title_words:
            roles_from = {m.start for m in candidates if m.kind == ROLE}
            candidates = [m for m in candidates if not (m.kind == LEVEL and m.text in self.title_words
                                                        and m.end not in roles_from)]
        # Longer and better matches first (a fuzzy match must be much longer to beat an exact one);
        # on a tie, roles before skills before levels.
        candidates.sort(key=lambda m: (-len(m.text) * (m.score / 100) ** 8, _KIND_RANK[m.kind], m.start))
        taken = [False] * len(tokens)
        chosen = []
        for mention in candidates:
            if not any(taken[mention.start:mention.end]):
                chosen.append(mention)
                taken[mention.start:mention.end] = [True] * (mention.end - mention.start)
        chosen.sort(key=lambda m: m.start)
        entities = Entities(tuple(chosen))
        if not entities.anchored and any(m.kind == SKILL and m.text in self.field_skills for m in chosen):
            return entities._replace(anchored=True)
        return entities
