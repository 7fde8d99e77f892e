"""Reading a question: normalise, correct typos, find entities, rank intents.

Each intent is scored on the question (and on each clause of a long one) by adding up evidence:

- similarity: rapidfuzz compares the question with every example phrase, both as templates in
  which role, skill and level mentions are replaced by placeholders ("what does a @ earn"), so a
  phrasing learnt for one role generalises to all of them;
- keywords: each intent's signal words found in the question, each weighted by what it
  discriminates (learnt in `_calibrate`: "salary" is strong evidence, "how much" weak);
- coverage: the share of the question's words that the intent's examples and keywords use;
- slots: two roles set against each other suggest a comparison, a skill a search by skill.

Words outside everything careerbot knows lower the score: "how do I bake bread" looks like
"how do I become a data scientist" letter by letter, but "bake" and "bread" give it away. The
negatives (questions careerbot cannot answer) are scored like one more intent, `out_of_scope`:
how close a question comes to them is evidence for the decision (see `_engine`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .._record import Record
from .._text import normalise, stem
from ..knowledge.model import FACT_KINDS, OUT_OF_SCOPE, ROLE_KEYWORD, Deferred, KnowledgeBase, Sharded
from .calibrate import IMPLICIT_MIN_EXAMPLES, keyword_weights
from .entities import (
    AMOUNT,
    BOUNDARY,
    DOMAIN,
    LEVEL,
    OCCUPATION,
    ROLE,
    SKILL,
    STOPWORDS,
    UNCOVERED,
    Entities,
    EntityExtractor,
    Mention,
)
from .sentences import QUESTION_WORDS, one_clause, split_clauses

ROLE_SLOT, SKILL_SLOT, AMOUNT_SLOT, JOB_SLOT = "@", "#", "$", "%"
SLOTS = frozenset({ROLE_SLOT, SKILL_SLOT, AMOUNT_SLOT, JOB_SLOT})
"""Placeholders for mentions: one character, so that sharing one says little on its own."""

JOB_NOUNS = frozenset("job jobs role roles position positions career careers occupation occupations gig gigs "
                      "specialty specialties specialisation specialization path paths title titles vocation "
                      "vocations profession professions specialisations specializations line lines".split())
"""Words for a job, as in "which job …?"."""
KIND_OF = frozenset("kind kinds type types sort sorts of ml ai other different possible entry level".split())
"""Words between "which" and a job that say which kind ("what kind of ML job")."""
DESCRIBING = frozenset("where that which requiring needing using involving with".split())
"""Words by which a clause describes the job before it: "jobs where …", "roles that …"."""
THERE_IS = frozenset("is are there a an any".split())
"""Words that open a question asking whether a job exists ("is there an AI job that …")."""
FILLER = frozenset("""
a an the and or but so then also too what how about for of as to with on in at is are was be it its
ok okay well hmm please pls now again instead one ones | that this role roles job jobs position
probably maybe perhaps guess think specifically especially exactly though tho then instead only just
lol haha same question case side even actually literally basically honestly truly someone somebody just out
person people folks guy guys
""".split())
"""Words that add no topic: "and what about a data engineer then?" only names a role."""

SIMILARITY_WEIGHT = 0.7
KEYWORD_WEIGHT = 0.45
UNKNOWN_PENALTY = 0.6
"""How much a fully unknown question loses (scaled by the share of unknown content words)."""
SLOT_BONUS = 0.15
"""Evidence from entities: two roles suggest a comparison, a skill a search by skill."""
NAMED_TOPIC = 0.35
"""Keyword evidence at which a question names its own topic (two roles then do not ask for a comparison)."""
COVERAGE_WEIGHT = 0.4
"""How much an intent loses when none of the question's words occur in its examples or keywords."""

RANKED = 3
"""Intents a reading keeps: the best, a runner-up to weigh ambiguity, a third to explain."""
SIMILARITY_FLOOR = 30.0
"""Similarities below this say nothing."""
TOP_EXAMPLES = 3
"""An intent's similarity blends its best example with the mean of this many best ones."""
REPEAT_SIMILARITY = 95.0
"""A question this similar to an example (token-sort ratio, 0-100) nearly repeats it."""
SIMILAR_EXAMPLES = 50
"""The closest examples of all intents a span is compared with in detail."""

GENERIC_SHARE = 1 / 3
"""A word the examples or keywords of at least this share of the intents use says no topic of its own."""
SPECIFIC_SHARE = 0.05
"""A keyword used by at most this share of the intents is specific: see `Matcher.combined`."""

SHORTLIST_SIZE = 400
"""At most this many of the examples sharing words with a question are compared, and at most this
many general ones (see `Matcher.shortlist`)."""
_PACKED = "I"
"""The type code (`array`, `memoryview.cast`) of the packed example indexes: 4-byte unsigned."""
SHORTLIST_BUDGET = 3_000
"""How many index entries one question may count in full, the rarest words first; a commoner word
only ranks the examples already found."""
COVERING_EVIDENCE = 0.1
"""The least weight of a word of an intent's examples that makes a question about a subtopic the
intent's (see `Matcher.subtopic_coverage`)."""
ASKED_BESIDE = 0.2
"""The least evidence for an intent, beside the words naming a subtopic, that makes a question
naming a subtopic uncovered only for some topics (layoffs) a question of that intent."""
COVERED, ALONE = "covered", "alone"
"""How an intent covers a subtopic a question names (`Matcher.subtopic_coverage`)."""
READINGS_KEPT = 1024
"""The most readings kept, the latest used, and as many templates' evidence: a question's reading
takes about 3 kB, a template's evidence about as much with the shipped data (a few MB in all), and
about 70 kB with a hundred times as many intents, whose keywords each name many more of them."""
KEPT_CHARS = 300
"""Readings of texts longer than this are not kept: such a text is rarely asked twice, and its
reading is larger."""


class RunEvidence(Record):
    """What one run of a question's words says for each intent (`Matcher.run_evidence`), whatever
    else the question says: kept with its template, and never changed."""

    intents: tuple[tuple[str, float, float, float, int, tuple[tuple[str, float], ...], float], ...]
    """Each intent with evidence: (intent, its evidence, what its coverage of the run's words
    leaves of a score, similarity, closest example, keywords as shown with their weights, that
    example's own similarity), in the order found."""


class WordsExplained(Record):
    """Which intents explain each content word of a question (`Matcher.words_explained`): kept
    with its template, so that each ranked intent's coverage is a count."""

    words: int
    by_any: int
    """The words so many intents use ("make", "good", `GENERIC_SHARE`) that any explains them."""
    owners: tuple[tuple[str, ...], ...]
    """For each other word, the intents whose examples or keywords use it."""

    def coverage(self, intent: str) -> float:
        """The share of the words that the intent's examples or keywords use (1.0 of none)."""
        if not self.words:
            return 1.0
        return (self.by_any + sum(intent in these for these in self.owners)) / self.words


class IntentScore(Record):
    """How well one intent fits a question, and the evidence for it."""

    intent: str
    score: float
    similarity: float
    example: str
    keywords: tuple[tuple[str, float], ...]      # (keyword, its learnt weight for this intent)
    coverage: float = 1.0                        # the share of the question's content words the intent uses

    @property
    def keyword_evidence(self) -> float:
        return min(1.0, sum(weight for _, weight in self.keywords))


class Reading(Record):
    """Everything the matcher understood of one question."""

    text: str
    tokens: tuple[str, ...]
    corrections: tuple[tuple[str, str], ...]
    entities: Entities
    template: str
    unknown: tuple[str, ...]
    content_words: int
    ranking: tuple[IntentScore, ...]
    negative: IntentScore | None = None      # the closest of the negatives, scored like an intent
    opening: float = 0.0                     # how the question opens: > 0 like a career question, < 0 like a request
    skipped: int = 0                         # words of a long text left unread (its least informative parts)
    covered: frozenset[str] = frozenset()    # subtopics listed as uncovered that the best intent covers
    aside: Reading | None = None             # the request a question opens with, when the field comes only after
    repeats: str | None = None               # the intent (or the negatives) of an example the question nearly repeats
    negative_names: frozenset[str] = frozenset()   # the uncovered subtopics the closest negative names
    background: int = 0                      # words of sentences around the question, read for entities only
    alone: frozenset[str] = frozenset()      # subtopics the best intent covers, named with nothing else asked of it

    @property
    def best(self) -> IntentScore | None:
        return self.ranking[0] if self.ranking else None

    @property
    def focus(self) -> tuple[str, ...]:
        """The question's content words, stemmed, outside its entities: what it asks about."""
        inside = self.entities.positions()
        return tuple(dict.fromkeys(stem(t) for i, t in enumerate(self.tokens)
                                   if i not in inside and t not in STOPWORDS and t not in FILLER and t.isalpha()))

    @property
    def asks_which_role(self) -> bool:
        """Whether the question asks for a role: "which" or "what", then a word for a job, perhaps
        after words that say which kind ("which positions call for OpenCV?", "what kind of AI job
        fits me?"; not "what about that job?"), or a clause opens with "who" ("who uses OpenCV?") or
        with a word for a job that a clause describes ("jobs where Docker is a core skill?", "is
        there an AI job that needs it?")."""
        tokens = self.tokens
        if "who" not in tokens and JOB_NOUNS.isdisjoint(tokens):
            return False                 # the words each way of asking needs are not there
        for start in (0, *(i + 1 for i, t in enumerate(tokens) if t == BOUNDARY)):     # each clause's opening
            if _opening_word(tokens[start:start + 4]) == "who":
                return True
            opening = [t for t in tokens[start:start + 6] if t not in KIND_OF and t not in THERE_IS]
            if len(opening) >= 2 and opening[0] in JOB_NOUNS and opening[1] in DESCRIBING:
                return True
        field = self.entities.positions(DOMAIN)      # "which machine learning vocation"
        for index, token in enumerate(tokens):
            if token in ("which", "what"):
                following = (t for i, t in enumerate(tokens[index + 1:index + 5], index + 1)
                             if t not in KIND_OF and i not in field)
                if next(following, None) in JOB_NOUNS:
                    return True
        return False

    @property
    def level_only(self) -> bool:
        """A level and nothing else but filler: "what about at entry level?"."""
        entities = self.entities
        inside = entities.covered
        return (entities.level is not None and not entities.roles
                and all(t in FILLER for i, t in enumerate(self.tokens) if i not in inside))

    @property
    def role_only(self) -> bool:
        """Roles and nothing else but filler: "data scientist?", "what about data engineers?". A
        skill or an amount named is something asked about ("coding skills for an ML eng")."""
        if not self.entities.roles:
            return False
        inside = self.entities.positions(ROLE, LEVEL, DOMAIN, OCCUPATION, UNCOVERED)
        return all(t in FILLER for i, t in enumerate(self.tokens) if i not in inside)


def template_of(tokens: tuple[str, ...], entities: Entities, topics: frozenset[str] = frozenset()) -> str:
    """The words with role, skill, amount and outside-job mentions replaced by placeholders, and
    level words left out (a level says nothing of the topic: "what does a senior X do"; a job
    outside ML says who asks or what is compared, as a role does). A skill named by a keyword
    (`topics`, stemmed: "math") keeps its words: it says the topic too ("what math do I need")."""
    words: list[str] = []
    position = 0
    for mention in entities.mentions:
        words.extend(tokens[position:mention.start])
        if mention.kind == ROLE:
            words.append(ROLE_SLOT)
        elif mention.kind == SKILL:
            named = tokens[mention.start:mention.end]
            if _stemmed(named) in topics:
                words.extend(named)
            else:
                words.append(SKILL_SLOT)
        elif mention.kind == LEVEL:
            pass        # a level says nothing of the topic ("what does a senior X do"): slot evidence weighs it
        elif mention.kind == AMOUNT:
            words.append(AMOUNT_SLOT)
        elif mention.kind == OCCUPATION:
            words.append(JOB_SLOT)
        elif mention.kind == DOMAIN:
            # one word: a keyword inside a phrase of the field says nothing of the topic
            # ("network" in "neural network", "industry" in "the AI industry")
            words.append("_".join(tokens[mention.start:mention.end]))
        else:
            words.extend(tokens[mention.start:mention.end])
        position = mention.end
    words.extend(tokens[position:])
    return " ".join(words)


@lru_cache(maxsize=4096)
def _shown(keyword: str, weight: float) -> tuple[str, float]:
    """A keyword and its weight as `--explain` shows them ("{role} does", 0.412); the same few
    thousand pairs come up again and again."""
    return as_shown(keyword), round(weight, 3)


_SHOWN_SLOTS = {ROLE_SLOT: ROLE_KEYWORD, SKILL_SLOT: "{skill}", AMOUNT_SLOT: "{amount}", JOB_SLOT: "{job}"}


def as_shown(keyword: str) -> str:
    """A keyword as a person reads it: its slots named ("{skill} ml specialty"), a phrase of the
    field in words again ("fast ai")."""
    return " ".join(_SHOWN_SLOTS.get(word) or word.replace("_", " ") for word in keyword.split(" "))


class Matcher:
    """The compiled tables that turn a question into a `Reading`. Immutable once built.

    Keywords, example templates and each intent's vocabulary are kept stemmed ("earned" → "earn"),
    so inflections meet; typo correction aims at the unstemmed words people type.
    """

    # only a question with a word careerbot does not know reads these
    spelling_targets = Deferred()
    dictionary_words = Deferred()
    # a question looks a few of its words up in these
    vocabulary = Sharded()
    word_index = Sharded()
    word_intents = Sharded()
    keywords = Sharded()
    phrase_keywords = Sharded()

    def __init__(self, kb: KnowledgeBase):
        self.extractor = EntityExtractor(kb, frozenset(_english_words()))
        self.intent_ids = tuple(kb.intents)
        self.intent_order = {intent: i for i, intent in enumerate(self.intent_ids)}
        self.pair_intents = tuple(i.id for i in kb.intents.values() if i.role_slot == "pair")
        self.each_role_intents = frozenset(i.id for i in kb.intents.values() if i.each_role)
        self.topic_intents = frozenset(i.id for i in kb.intents.values() if i.answer in FACT_KINDS)
        self.skill_topics = frozenset(form for intent in kb.intents.values() for form in map(keyword_form, intent.keywords)
                                      if any(kind == SKILL for kind, _ in self.extractor.gazetteer.stemmed.get(form, ())))
        templates, slots, typed = self._compile_examples(kb)
        self._compile_slots(slots)
        self._compile_openings(templates)
        # each listed keyword as a question holding it is read, once for the two tables that need it
        forms = {kw: self.keyword_template(kw) for intent in kb.intents.values() for kw in intent.keywords}
        self._compile_keywords(kb, templates, forms)
        self._compile_vocabulary(kb, templates, typed)
        self._compile_coverage(kb, forms)

    def _compile_slots(self, slots: list[frozenset[str]]) -> None:
        """Which intents' examples name a skill, an amount or a level (with a role named or not),
        as shares: "k8s for MLOps?" (a skill and a role) is asked like the skills examples, "k8s,
        which role?" (a skill alone) like the roles-by-skill ones, "is 95k good?" like salary."""
        counts: dict[tuple[str, bool], Counter[str]] = {}
        for kinds, intent in zip(slots, self.template_intents):
            for kind in (SKILL, AMOUNT, LEVEL):
                if kind in kinds:
                    counts.setdefault((kind, ROLE in kinds), Counter())[intent] += 1
        self.slot_shares = {key: {intent: n / sum(c.values()) for intent, n in sorted(c.items())}
                            for key, c in counts.items()}

    def _compile_openings(self, templates: list[str]) -> None:
        """How the examples open against how the negatives do, as a log-odds per first word:
        questions open with "what", "how", "is"; requests with "set", "order", "remind"."""
        counts: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
        for template, intent in zip(templates, self.template_intents):
            first = _opening_word(template.split())
            if first:
                counts[intent != OUT_OF_SCOPE][first] += 1
        words = sorted(set(counts[True]) | set(counts[False]))
        totals = {side: sum(c.values()) + len(words) for side, c in counts.items()}
        self.opening_odds = {}
        for word in words:
            share = {side: (counts[side][word] + 1) / totals[side] for side in (True, False)}
            odds = math.log(share[True]) - math.log(share[False])
            self.opening_odds[word] = round(math.tanh(odds / 2), 4)

    def _compile_keywords(self, kb: KnowledgeBase, templates: list[str], forms: dict[str, str]) -> None:
        """Stemmed keywords with their learnt weight for each intent that lists them; phrases
        indexed by their first word."""
        listed = {intent.id: [k for k in dict.fromkeys(forms[kw] for kw in intent.keywords) if k]
                  for intent in kb.intents.values()}
        by_intent: dict[str, list[str]] = {}
        negatives = []
        for template, intent in zip(templates, self.template_intents):
            (negatives if intent == OUT_OF_SCOPE else by_intent.setdefault(intent, [])).append(template)
        rate = kb.decision.negative_rate if kb.decision else {}
        used = Counter(w for templates_of in by_intent.values() for t in templates_of for w in set(t.split()))
        field = {stem(w) for word in kb.vocabulary.domain_words for w in normalise(word).tokens}
        implicit = sorted(w for w, n in used.items() if n >= IMPLICIT_MIN_EXAMPLES and w not in STOPWORDS
                          and w not in FILLER and w not in field and len(w) > 2 and w.isalpha())
        # keywords of the same weights share one dict of them (half the keywords do): a cached
        # engine loads each once
        same: dict[tuple, dict[str, float]] = {}
        self.keywords = {keyword: same.setdefault(tuple(weights.items()), weights) for keyword, weights
                         in keyword_weights(listed, by_intent, negatives, rate, implicit).items()}
        self.frames = frozenset(form for intent in kb.intents.values() for form in map(keyword_form, intent.frames)
                                if form in self.keywords)
        self.frame_starts = frozenset(frame.split(" ")[0] for frame in self.frames)
        self.phrase_keywords: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}  # first word -> (phrase, words)
        for keyword in self.keywords:
            if " " in keyword:
                words = tuple(keyword.split(" "))
                self.phrase_keywords[words[0]] = self.phrase_keywords.get(words[0], ()) + ((keyword, words),)

    def _compile_examples(self, kb: KnowledgeBase) -> tuple[list[str], list[frozenset[str]], Counter[str]]:
        """The example templates: word-sorted for scoring, indexed by word. Returns the templates
        in reading order, the kinds of entity each one names, and the words the intents' examples
        are written in, with how often they use each."""
        templates: list[str] = []
        self.template_intents: list[str] = []
        examples_read: list[str] = []
        slots: list[frozenset[str]] = []     # the kinds of entity each example names (for building only)
        typed: Counter[str] = Counter()
        sets = [(intent.id, intent.examples) for intent in kb.intents.values()] + [(OUT_OF_SCOPE, kb.negatives)]
        # the uncovered subtopics a negative names ("data engineer salary in Brazil"): a question
        # naming the same one resembles it for that reason, not for being outside the field
        self.negative_subtopics: dict[str, tuple[str, ...]] = {}
        for intent_id, examples in sets:
            for example in examples:
                tokens = normalise(example).tokens
                if intent_id != OUT_OF_SCOPE:
                    typed.update(tokens)
                entities = self.extractor.extract(tokens, fuzzy=False)   # examples are spelt right
                templates.append(_stemmed(template_of(tokens, entities, self.skill_topics).split()))
                slots.append(frozenset(m.kind for m in entities.mentions))
                if intent_id == OUT_OF_SCOPE and any(m.kind == UNCOVERED for m in entities.mentions):
                    self.negative_subtopics[example] = tuple(sorted({m.value for m in entities.mentions
                                                                     if m.kind == UNCOVERED}))
                self.template_intents.append(intent_id)
                examples_read.append(example)
        # the examples as written, shown by `--explain`, as one UTF-8 text and where each starts: a
        # cached engine loads one run of bytes (not thousands of strings, nor one string to decode
        # whole for an accented letter somewhere), and decodes the few a question ranks
        from array import array  # only to build: a cached engine reads the bytes as they are
        encoded = [example.encode() for example in examples_read]
        self.example_bytes = b"".join(encoded)
        self.example_starts = array(_PACKED, accumulate(map(len, encoded), initial=0)).tobytes()
        self.sorted_templates = [" ".join(sorted(t.split())) for t in templates]
        self._compile_word_index(templates)
        return templates, slots, typed

    def _compile_word_index(self, templates: list[str]) -> None:
        """Which templates use each content word, and the general templates, which resemble
        questions by their shape, not their words: those with at most one content word ("what can
        you do", "{role} pay?") and those of small talk and help ("hey, how's everything going"),
        at most `SHORTLIST_SIZE`, the shortest. Each word's indexes are packed (`_PACKED` numbers
        as bytes): a cached engine loads them at once."""
        from array import array  # only to build: a cached engine reads the bytes as they are

        index: dict[str, list[int]] = {}
        general = []
        chat = set(self.intent_ids) - self.topic_intents
        for position, template in enumerate(templates):
            content = set(template.split()) - STOPWORDS - SLOTS
            if len(content) <= 1 or self.template_intents[position] in chat:
                general.append(position)
            for word in content:
                index.setdefault(word, []).append(position)
        self.word_index = {word: array(_PACKED, positions).tobytes() for word, positions in index.items()}
        self.general_templates = sorted(sorted(general, key=lambda i: len(templates[i]))[:SHORTLIST_SIZE])
        self.general_set = frozenset(self.general_templates)

    def _compile_vocabulary(self, kb: KnowledgeBase, templates: list[str], uses: Counter[str]) -> None:
        """Which intents use each word; the words typos are corrected to; every word known."""
        intent_words: dict[str, set[str]] = {i: set() for i in (*self.intent_ids, OUT_OF_SCOPE)}
        for template, intent in zip(templates, self.template_intents):
            intent_words[intent].update(template.split())
        for keyword, owners in self.keywords.items():
            for intent in owners:
                intent_words[intent].update(keyword.split())
        word_intents: dict[str, list[str]] = {}
        for intent, words in intent_words.items():
            for word in sorted(words - STOPWORDS):
                word_intents.setdefault(word, []).append(intent)
        self.word_intents = {word: tuple(intents) for word, intents in word_intents.items()}

        # The negatives' words are not careerbot's vocabulary: "weather" stays unknown.
        typed = set(uses)
        typed |= {w for intent in kb.intents.values() for text in intent.keywords for w in normalise(text).tokens}
        typed |= self.extractor.phrase_words()
        known = typed | STOPWORDS | _knowledge_words(kb)
        # a dict's keys: as quick to look a word up in as a set, and a third of the memory for a
        # cached engine to load (a set's table is kept a third full, a dict's entries packed)
        self.vocabulary = dict.fromkeys(sorted(known | {stem(w) for w in known}))
        # "clould" means cloud, not could: stopwords are no targets, but for the question words
        # ("whiich positions use Kafka")
        targets = sorted(w for w in (typed - STOPWORDS) | QUESTION_TARGETS if len(w) > 3 and w.isalpha())
        # each group of targets the words the examples use most first: a tie between two corrections
        # goes to the commoner ("becme" is "become", not "became")
        self.spelling_targets = _by_start(sorted(targets, key=lambda w: -uses[w]))
        self.longest_target = max((len(w) for w in targets), default=0)
        self.dictionary_words = _dictionary_neighbours(tuple(targets), frozenset(self.vocabulary))

    def _compile_coverage(self, kb: KnowledgeBase, forms: dict[str, str]) -> None:
        """Which intents cover a phrase of a subtopic listed as uncovered: those with a keyword
        holding it. A knowledge base that adds intents about remote work answers remote work
        instead of saying its sources do not cover it. A question is that intent's only where the
        words it says for the intent hold the phrase (`COVERING_EVIDENCE`): "take home" (pay) holds
        "home", but "do ML engineers who work entirely from home get paid less" says "home" only
        in passing for pay. An intent the subtopic lists among its own covers it never:
        "books" is a word of learning resources, and the sources name none. Also the words a
        subtopic is named only together with (`Uncovered.together`), stemmed."""
        topics_of: dict[str, set[str]] = {}
        for topic_id, topic in kb.vocabulary.uncovered.items():
            for phrase in topic.phrases:
                topics_of.setdefault(_stemmed(normalise(phrase).tokens), set()).add(topic_id)
        covered_by: dict[tuple[str, str], set[tuple[str, str]]] = {}
        for intent in kb.intents.values():
            for keyword in intent.keywords:
                words = [stem(w) for w in normalise(keyword).tokens]
                runs = {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
                said = as_shown(forms[keyword])      # as `IntentScore` lists it
                for run in runs:
                    for topic_id in topics_of.get(run, ()):
                        if intent.id not in kb.vocabulary.uncovered[topic_id].intents:
                            covered_by.setdefault((topic_id, run), set()).add((intent.id, said))
        # (subtopic id, stemmed phrase) -> (intent, keyword) of each keyword holding that phrase
        self.covered_by = {phrase: frozenset(pairs) for phrase, pairs in sorted(covered_by.items())}
        self.restricted = frozenset(topic_id for topic_id, topic in kb.vocabulary.uncovered.items() if topic.intents)
        # a subtopic named only together with one of its words ("Google" with "interview", "hiring")
        self.companions = {topic.id: tuple(run for run in (_stemmed(normalise(w).tokens).split() for w in topic.together)
                                           if run)
                           for topic in kb.vocabulary.uncovered.values() if topic.together}

    def keyword_template(self, keyword: str) -> str:
        """A keyword as a question holding it is read (`template_of`): a skill in it a slot ("AWS
        ML specialty" is "# ml specialty", as "is the AWS ML specialty worth it" reads), a phrase of
        the field one word ("fast.ai"), a level word left out; stemmed. A keyword that would read
        as nothing but slots is kept as written: "cv" is a resume where it is no role ("my CV")."""
        words: list[str] = []
        for number, piece in enumerate(keyword.split(ROLE_KEYWORD)):
            tokens = normalise(piece).tokens
            if number:
                words.append(ROLE_SLOT)
            words += template_of(tokens, self.extractor.extract(tokens, fuzzy=False), self.skill_topics).split()
        if all(word in SLOTS for word in words):
            return keyword_form(keyword)
        return _stemmed(words)

    # -- reading --------------------------------------------------------------

    def correct(self, tokens: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """Replace misspelt words by the known word they most resemble.

        A word of the English dictionary, or an inflection of one, is never corrected ("master"
        stays, though careerbot knows "matter"; "electives" is no typo of "executives"); a swapped
        pair of letters counts as one slip ("slaary"); a stretched word is the word ("hiii"); ties
        go to the closer, then to the word listed first (of one start and length, the one the intents'
        examples use most, then the alphabetically first: "becme" is "become", not "became"), so
        every process reads a question the same way.
        """
        fixed, corrections = [], []
        seen: dict[str, str | None] = {}          # a word repeated is looked up once
        for token in tokens:
            if token not in self.vocabulary and _stretched(token):
                plain = self.unstretched(token)
                if plain is not None:             # "hiii", "thanksss", "sooo"
                    fixed.append(plain)
                    corrections.append((token, plain))
                    continue
            if (len(token) < 5 or not token.isalpha() or len(token) > self.longest_target + 2
                    or self.is_word(token)):
                fixed.append(token)
                continue
            if token not in seen:
                seen[token] = self.closest_target(token)
                if seen[token]:
                    corrections.append((token, seen[token]))
            fixed.append(seen[token] or token)
        return tuple(fixed), tuple(corrections)

    def unstretched(self, token: str) -> str | None:
        """The word a stretched one stands for ("hiii" -> "hi", "helloooo" -> "hello"): each run of
        three or more of a letter cut to two, else to one, when that makes a word careerbot knows, a
        word of the dictionary or a stopword."""
        for keep in (2, 1):
            word = "".join(letter * (keep if count >= 3 else count) for letter, count in _runs(token))
            if word in STOPWORDS or self.is_word(word):
                return word
        return None

    def known_words(self) -> Iterator[Collection[str]]:
        """careerbot's words, then the dictionary's: read only for a word that is none of careerbot's."""
        yield self.vocabulary
        yield self.dictionary_words

    def is_word(self, word: str) -> bool:
        """Whether careerbot or the English dictionary knows the word, or the word it inflects."""
        if word in self.vocabulary or word in self.dictionary_words:
            return True
        stemmed = stem(word)
        return stemmed in self.vocabulary or stemmed in self.dictionary_words

    def closest_target(self, token: str) -> str | None:
        """The known word within a typo of `token` (one slip in a short word, two in a long one)."""
        limit = typo_limit(token)
        lengths = range(len(token) - limit, len(token) + limit + 1)
        candidates = _starting(self.spelling_targets, token[0], lengths)
        if token[1] != token[0]:               # "aslary": the first two letters swapped
            candidates += _starting(self.spelling_targets, token[1], lengths, token[0])
        found = process.extract(token, candidates, scorer=OSA.distance, score_cutoff=limit, limit=None)
        if not found:
            return None
        return min(found, key=lambda f: (f[1], -fuzz.ratio(token, f[0]), f[2]))[0]

    def read(self, text: str, budget: int = 0) -> Reading:
        """What `text` says; a long text is read by its most informative `budget` words (by
        default `READ_WORDS`), and scored on a share of `MAX_SPANS` in proportion: the parts of a
        question of several share one budget of both.

        A reading is a pure function of the text and the immutable tables, so the latest readings of
        questions up to `KEPT_CHARS` long are kept: a question asked again (a suggestion clicked, a
        popular question, the same follow-up in many conversations) is not read again."""
        if len(text) <= KEPT_CHARS:
            return self._kept_reading(text, budget)
        return self._reading(text, budget)

    @lru_cache(maxsize=READINGS_KEPT)  # noqa: B019 - matchers live as long as the process; see READINGS_KEPT
    def _kept_reading(self, text: str, budget: int) -> Reading:
        return self._reading(text, budget)

    def _reading(self, text: str, budget: int) -> Reading:
        pieces = [(text, False)] if one_clause(text) else split_clauses(text)
        clauses = [(tokens, asked) for tokens, asked in ((normalise(piece).tokens, asked) for piece, asked in pieces)
                   if tokens]
        clauses, skipped = self.most_informative(clauses, budget or READ_WORDS)
        words: list[str] = []
        for tokens, _ in clauses:
            words += [BOUNDARY, *tokens] if words else list(tokens)
        tokens, corrections = self.correct(tuple(words))
        # entity phrases are matched fuzzily only on words careerbot does not know and that are no
        # English words either: "constant" is no typo of "consultant"
        entities = self.with_companions(self.extractor.extract(tokens, self.known_words()),
                                        tokens)
        template = _stemmed(template_of(tokens, entities, self.skill_topics).split())
        inside = entities.positions()
        # distinct words: a word repeated a hundred times is still one piece of evidence
        content = list(dict.fromkeys(t for i, t in enumerate(tokens) if t not in STOPWORDS and i not in inside))
        unknown = tuple(t for t in content if stem(t) not in self.vocabulary and not t.isdigit())
        content_count = len(content) + len({m.value for m in entities.mentions if m.kind != OCCUPATION})
        most_spans = max(1, MAX_SPANS * budget // READ_WORDS) if budget else MAX_SPANS
        unknown_share = len(unknown) / content_count if content_count else 0.0
        # a question among sentences that are not ("28, mechanic. Our plant hires a CV team. What do they
        # do?") asks what the question sentence asks, when that reads well on its own as a question of
        # the field ("what gives?" and "thoughts?" read as small talk ask about the sentences before
        # them); the rest is the asker's background, read for its roles and subtopics only
        scored, background = template, 0
        question = _asked(template, [asked for _, asked in clauses])
        ranked = self.rank(question, entities, unknown_share, tokens, most_spans) if question else None
        alone_best = ranked[0][0] if ranked and ranked[0] else None      # the question sentence's best intent
        if alone_best and alone_best.score >= QUESTION_SCORE and alone_best.intent in self.topic_intents:
            scored, background = question, sum(len(c) for c, asked in clauses if not asked)
        else:
            ranked = self.rank(template, entities, unknown_share, tokens, most_spans)
        ranking, negative, repeats = ranked
        opening = self.opening_odds.get(_opening_word(scored.split()) or "", 0.0)
        coverage = {m.value: self.subtopic_coverage(ranking[0], m) for m in entities.mentions
                    if m.kind == UNCOVERED and ranking}
        covered = frozenset(value for value, how in coverage.items() if how == COVERED)
        alone = frozenset(value for value, how in coverage.items() if how == ALONE)
        aside = self.request_before_field(tokens, entities, ranking[0].score if ranking else 0.0)
        named = frozenset(self.negative_subtopics.get(negative.example, ())) if negative else frozenset()
        return Reading(text, tokens, corrections, entities, template, unknown, content_count, ranking, negative,
                       opening, skipped, covered, aside, repeats, named, background, alone)

    def subtopic_coverage(self, best: IntentScore, mention: Mention) -> str | None:
        """How the best intent covers the subtopic `mention` names: `COVERED` where the question
        asks it of that intent (it says one of the intent's keywords holding the phrase, or a word
        of the intent's examples holding it that is evidence for it, `COVERING_EVIDENCE`), `ALONE`
        where it says such a word and gives the intent no other evidence (`ASKED_BESIDE`) though the
        subtopic is uncovered only for some topics (`Uncovered.intents`), and None where the intent
        does not cover it. "Any news on layoffs hitting AI teams?" asks about the layoffs; "with all
        the layoffs, is ML still a good career?" about the outlook."""
        phrase = _stemmed(mention.text.split())
        covering = self.covered_by.get((mention.value, phrase), frozenset())
        if not any(intent == best.intent for intent, _ in covering):
            return None
        holding = {keyword for keyword, weight in best.keywords if (best.intent, keyword) in covering
                   or (weight >= COVERING_EVIDENCE and f" {phrase} " in f" {keyword} ")}
        if not holding:
            return None
        other = sum(weight for keyword, weight in best.keywords if keyword not in holding)
        return ALONE if mention.value in self.restricted and other < ASKED_BESIDE else COVERED

    def with_companions(self, entities: Entities, tokens: tuple[str, ...]) -> Entities:
        """The mentions, but those of an uncovered subtopic named only together with one of its
        words where none is in the question: "Google" is a subtopic with "interview", not with
        "pay" (what top companies pay is in the sources)."""
        if not self.companions or not any(m.value in self.companions for m in entities.mentions if m.kind == UNCOVERED):
            return entities
        stems = [stem(t) for t in tokens]
        return Entities(tuple(m for m in entities.mentions if m.kind != UNCOVERED or m.value not in self.companions
                              or any(_holds(stems, words) for words in self.companions[m.value])))

    def request_before_field(self, tokens: tuple[str, ...], entities: Entities, best: float) -> Reading | None:
        """The reading of a question's clauses without the field, when the question opens with a
        request and names the field (a role, "ML") only in a later clause: "set an alarm for 7, big
        day at my new ML job". None when the first clause names the field or is no question or
        command ("moved to Canada last year, …" is the asker's background), or when the whole
        already matches an intent well (`IN_PASSING_SCORE`)."""
        if BOUNDARY not in tokens or best >= IN_PASSING_SCORE:
            return None
        clauses: list[list[int]] = [[]]
        for index, token in enumerate(tokens):
            if token == BOUNDARY:
                clauses.append([])
            else:
                clauses[-1].append(index)
        anchors = {i for m in entities.mentions if m.kind in (ROLE, DOMAIN) for i in range(m.start, m.end)}
        anchored = [bool(anchors.intersection(clause)) for clause in clauses]
        if anchored[0] or not any(anchored) or not self.opens_a_request([tokens[i] for i in clauses[0]]):
            return None
        return self.read(". ".join(" ".join(tokens[i] for i in clause)
                                   for clause, named in zip(clauses, anchored) if not named))

    def most_informative(self, clauses: list[tuple[tuple[str, ...], bool]],
                         budget: int) -> tuple[list[tuple[tuple[str, ...], bool]], int]:
        """A long text's clauses (each with whether it is asked) holding the most evidence (words of
        some intent, entity phrases), in their order, up to `budget` words in all (a clause longer
        than that, its most informative windows), the question's own first; and how many words were
        left out. A short text is read whole."""
        if sum(len(c) for c, _ in clauses) <= budget:
            return clauses, 0
        pieces = list(dict.fromkeys((c[i:i + WINDOW], asked) for c, asked in clauses for i in range(0, len(c), WINDOW)))
        weight = [sum(1 for w in dict.fromkeys(piece) if stem(w) in self.word_intents or self.extractor.starts(w))
                  / len(piece) for piece, _ in pieces]
        chosen, total = [], 0
        for index in sorted(range(len(pieces)), key=lambda i: (not pieces[i][1], -weight[i])):
            if total + len(pieces[index][0]) <= budget:
                chosen.append(index)
                total += len(pieces[index][0])
        return [pieces[i] for i in sorted(chosen)], sum(len(c) for c, _ in clauses) - total

    def opens_a_request(self, tokens: list[str]) -> bool:
        """Whether these words open as a question or as a command: a question word, or a first
        word that opens far more negatives than examples ("set", "play", "remind")."""
        first = _opening_word([stem(t) for t in tokens])
        return first in QUESTION_WORDS or self.opening_odds.get(first or "", 0.0) <= REQUEST_ODDS

    def keyword_hits(self, tokens: tuple[str, ...]) -> dict[str, list[str]]:
        """The keywords in `tokens` (`keyword_spans`). Returns intent -> its keywords."""
        return self._by_intent(keyword for _, _, keyword in self.keyword_spans(tokens))

    def _by_intent(self, keywords: Iterable[str]) -> dict[str, list[str]]:
        hits: dict[str, list[str]] = {}
        for keyword in keywords:
            for intent in self.keywords[keyword]:
                hits.setdefault(intent, []).append(keyword)
        return hits

    @lru_cache(maxsize=READINGS_KEPT)  # noqa: B019 - as `_kept_reading`
    def keyword_evidence(self, keywords: tuple[str, ...]) -> dict[str, tuple[float, tuple[tuple[str, float], ...]]]:
        """Each intent's evidence from the keywords of a run of words (`keyword_spans`): the sum of
        their weights for it (`combined`), and the keywords with their weights as `--explain` shows
        them. Kept for the latest 1,024 sets of keywords: questions worded apart often share them."""
        return {intent: (sum(weight for _, weight in weighed), tuple(_shown(k, weight) for k, weight in weighed))
                for intent, weighed in self.combined(self._by_intent(keywords)).items()}

    def keyword_spans(self, tokens: tuple[str, ...]) -> list[tuple[int, int, str]]:
        """The keywords in `tokens` as (start, length, keyword), each word counted once: the longest
        keyword holding a word wins ("what kind of", not also "kind of" and "kind")."""
        found: list[tuple[int, int, str]] = []
        for start, token in enumerate(tokens):
            if token in self.keywords:          # a word (never holding a space) is a keyword of one word
                found.append((start, 1, token))
            for phrase, words in self.phrase_keywords.get(token, ()):
                if tokens[start:start + len(words)] == words:
                    found.append((start, len(words), phrase))
        taken: set[int] = set()
        seen: set[str] = set()
        spans: list[tuple[int, int, str]] = []
        for start, length, keyword in sorted(found, key=lambda f: (-f[1], f[0])):
            span = range(start, start + length)
            if keyword in seen or taken.intersection(span):
                continue
            taken.update(span)
            seen.add(keyword)
            spans.append((start, length, keyword))
        return spans

    def combined(self, hits: dict[str, list[str]]) -> dict[str, tuple[tuple[str, float], ...]]:
        """Each intent's keywords in the question with their weight for it, where the intents that
        hold the most of the question's specific keywords take those keywords' whole evidence.

        A keyword's learnt weight is its share of the evidence among the intents that use it: when
        a hundred intents of thousands list "tips", each gets a hundredth, though "tips" rules out
        all the others. Of those hundred, the ones that also hold the question's other specific
        keywords ("tips" and "remote work") are what it asks about: they share the keyword's
        evidence among themselves, and the others keep their own share. A keyword is specific when
        at most `SPECIFIC_SHARE` of the intents use it (in a knowledge base of a few dozen intents,
        none that several use is); what an intent holds is the sum of its specific keywords'
        evidence, so that a word of the examples that points nowhere much ("people") counts little."""
        most_owners = SPECIFIC_SHARE * len(self.intent_ids)
        found = {k for keywords in hits.values() for k in keywords}
        mass = {k: sum(self.keywords[k].values()) for k in found if 1 < len(self.keywords[k]) <= most_owners}
        held = {intent: sum(mass.get(k, 0.0) for k in keywords) for intent, keywords in hits.items()} if mass else {}
        share: dict[tuple[str, str], float] = {}
        for keyword, total in mass.items():
            owners = self.keywords[keyword]
            most = max(held[intent] for intent in owners)
            leaders = [intent for intent in owners if held[intent] == most]
            if len(leaders) < len(owners):
                scale = total / sum(owners[intent] for intent in leaders)
                for intent in leaders:
                    share[keyword, intent] = owners[intent] * scale
        return {intent: tuple((k, share.get((k, intent), self.keywords[k][intent])) for k in keywords)
                for intent, keywords in hits.items()}

    def shortlist(self, words: Iterable[str]) -> list[int]:
        """The example templates worth comparing with a question of these content words, in
        their order: the general ones, and those sharing the most words with it, rarest words
        first. Scoring every example would grow with the knowledge base, and most share nothing.

        The rarest words' examples are the candidates (`SHORTLIST_BUDGET` index entries); a word
        too common to fit only ranks them, so a question costs about the same whatever the size.
        Where no more than `SHORTLIST_SIZE` are found, all are taken, and nothing ranks them.
        """
        postings = sorted((memoryview(self.word_index[w]).cast(_PACKED) for w in set(words)
                           if w in self.word_index), key=len)
        counts: Counter[int] = Counter()
        budget = SHORTLIST_BUDGET
        for posting in postings:
            if len(posting) <= budget or not counts:
                counts.update(posting[:budget])
                budget -= len(posting)
            elif len(counts) > SHORTLIST_SIZE:
                counts.update(counts.keys() & posting)
        sharing = counts if len(counts) <= SHORTLIST_SIZE else sorted(
            counts, key=counts.__getitem__, reverse=True)[:SHORTLIST_SIZE]
        # the general ones are one sorted run already: the few others are merged into it
        return sorted(self.general_templates + [i for i in sharing if i not in self.general_set])

    def similarities(self, words: list[str], candidates: list[int]) -> dict[str, tuple[float, int, float]]:
        """Each intent's similarity to these words, the example that gave it and that example's own
        similarity: half the best example's, half the mean of its `TOP_EXAMPLES` best (an intent
        with several close examples is likelier than one with a single lucky match), among the
        `SIMILAR_EXAMPLES` closest of the `candidates`, those worth comparing (`shortlist`): an
        example that shares no word of substance with the question resembles it by its function
        words only ("which course should a complete newcomer take" and "which podcast should a
        data scientist listen to"), which is no evidence that it asks the same.

        The similarity is rapidfuzz's token-sort ratio, computed as a plain ratio between
        word-sorted strings: the examples are sorted once, when the engine is built.
        """
        query = " ".join(sorted(words))
        # one C call to gather them (a third of the time of a lookup each)
        choices = itemgetter(*candidates)(self.sorted_templates) if len(candidates) > 1 else \
            [self.sorted_templates[i] for i in candidates]
        # the closest examples compared, of all intents, in one call, best first; an intent with none
        # among them is far off. Each intent's: [best score, its example, sum of its best scores, how many]
        found_by_intent: dict[str, list] = {}
        intents = self.template_intents
        for _, score, position in process.extract(query, choices, scorer=fuzz.ratio, limit=SIMILAR_EXAMPLES,
                                                  score_cutoff=SIMILARITY_FLOOR):
            index = candidates[position]
            found = found_by_intent.get(intents[index])
            if found is None:
                found_by_intent[intents[index]] = [score, index, score, 1]
            elif found[3] < TOP_EXAMPLES:
                found[2] += score
                found[3] += 1
        return {intent: (_blended(best, total, count), index, best)
                for intent, (best, index, total, count) in found_by_intent.items()}

    def rank(self, template: str, entities: Entities, unknown_share: float, tokens: tuple[str, ...],
             most_spans: int) -> tuple[tuple[IntentScore, ...], IntentScore | None, str | None]:
        """The `RANKED` best intents with evidence, best first, the negatives' score, and the intent
        (or `OUT_OF_SCOPE`) of an example the question nearly repeats (`template_evidence`): each
        intent's evidence in each run of words, weighed by what this question's slots and unknown
        words say. An intent keeps its best run."""
        best: dict[str, tuple] = {}
        penalty = 1.0 - UNKNOWN_PENALTY * unknown_share
        bonus = self.slot_evidence(entities, tokens)
        runs, repeats, whole = self.template_evidence(template, most_spans)
        for run in runs:
            for scored in self.score_run(run, bonus, penalty):
                current = best.get(scored[1])
                if current is None or scored[0] > current[0]:
                    best[scored[1]] = scored
        if repeats is not None:
            best[repeats] = (1.0, *best[repeats][1:])
        negative = best.pop(OUT_OF_SCOPE, None)
        ranking = sorted(best.values(), key=lambda s: (-s[0], self.intent_order[s[1]]))[:RANKED]
        return (tuple(self._intent_score(*scored, whole) for scored in ranking),
                self._intent_score(*negative, whole) if negative else None, repeats)

    @lru_cache(maxsize=READINGS_KEPT)  # noqa: B019 - as `_kept_reading`
    def template_evidence(self, template: str, most_spans: int) -> tuple[tuple[RunEvidence, ...], str | None,
                                                                          WordsExplained]:
        """What a question's wording alone says (its template: "how much doe a {role} make"), kept
        for the latest templates: the evidence of each run of words scored, the intent (or
        `OUT_OF_SCOPE`) of an example the question nearly repeats, and which intents explain its
        content words. Many questions share a template ("… a {role} make" for every role, a typo
        corrected).

        A long question is scored clause by clause too (and in windows), and each intent keeps its
        best: "I'm a bootcamp grad. How do I become a data scientist?" is about becoming one,
        whatever the first sentence says. At most `most_spans` runs of words are scored (the whole
        question among them).

        A question that nearly repeats one example (`REPEAT_SIMILARITY`, and the same words but for
        stopwords and filler), and no example of another intent, scores 1.0 for that example's
        intent: the examples are what the intents mean, and "what's a good gift for a data scientist
        friend", listed among the negatives, is not a question about data scientists however its
        words weigh."""
        runs = self.informative(spans(self.unframed(template.split())), most_spans)
        # one shortlist for all the runs scored, drawn by the words of them all
        candidates = self.shortlist({w for run in runs for w in run} - STOPWORDS)
        evidence = tuple(self.run_evidence(run, candidates) for run in runs)
        asked = _content(runs[0])
        close = [intent for intent, _, _, _, index, _, closest in evidence[0].intents
                 if closest >= REPEAT_SIMILARITY and _content(self.sorted_templates[index].split()) == asked]
        whole = self.words_explained(dict.fromkeys(w for w in runs[0] if w not in STOPWORDS))
        return evidence, close[0] if len(close) == 1 else None, whole

    def informative(self, found: list[list[str]], most: int) -> list[list[str]]:
        """The whole question and at most `most` - 1 of its clauses and windows: those holding
        the most words that are evidence for some intent (the earlier on a tie). A long text costs
        a few spans, not one per clause."""
        if len(found) <= most:
            return found
        evidence = [len({w for w in span if w in self.word_intents}) for span in found[1:]]
        ranked = sorted(range(len(evidence)), key=lambda i: -evidence[i])[:most - 1]
        return [found[0]] + [found[1 + i] for i in sorted(ranked)]

    def _intent_score(self, score: float, intent: str, similarity: float, index: int,
                      keywords: tuple[tuple[str, float], ...], whole: WordsExplained) -> IntentScore:
        """An intent's score, with its coverage of the whole question's content words: a clause
        may score well ("what do I do"), and the rest of the question still be unexplained."""
        return IntentScore(intent, score, similarity / 100.0, self.example(index) if index >= 0 else "",
                           keywords, round(whole.coverage(intent), 3))

    def example(self, index: int) -> str:
        """The example template `index` was made of, as written."""
        starts = memoryview(self.example_starts).cast(_PACKED)
        return str(self.example_bytes[starts[index]:starts[index + 1]], "utf-8")   # bytes, or a view of the cache's

    def words_explained(self, content: Iterable[str]) -> WordsExplained:
        """Which intents' examples or keywords use each of the `content` words; a word that many
        intents use ("make", "good", `GENERIC_SHARE`) is explained by any."""
        generic = GENERIC_SHARE * len(self.intent_ids)
        owners = [self.word_intents.get(word, ()) for word in content]
        specific = tuple(these for these in owners if len(these) < generic)
        return WordsExplained(len(owners), len(owners) - len(specific), specific)

    def run_evidence(self, words: list[str], candidates: list[int]) -> RunEvidence:
        """What a run of words says for each intent: its keywords (`combined`) and its similar
        examples among `candidates` (`shortlist`, `similarities`), weighed into one evidence, and the
        share of the run's content words that the intent's examples or keywords use."""
        content = list(dict.fromkeys(w for w in words if w not in STOPWORDS))
        hits = self.keyword_evidence(tuple(keyword for _, _, keyword in self.keyword_spans(tuple(words))))
        words = [w for w in words if w != BOUNDARY] if BOUNDARY in words else words
        # a run far longer than any example resembles none: its clauses and windows are compared
        similar = self.similarities(words, candidates) if len(words) <= 2 * WINDOW else {}
        covering: Counter[str] = Counter()
        for word in content:
            covering.update(self.word_intents.get(word, ()))
        intents = []
        # intents with neither a similar example nor a keyword have no evidence to score
        for intent in dict.fromkeys([*similar, *hits]):
            similarity, index, closest = similar.get(intent, (0.0, -1, 0.0))
            weight, shown = hits.get(intent, (0.0, ()))
            evidence = SIMILARITY_WEIGHT * similarity / 100.0 + KEYWORD_WEIGHT * min(1.0, weight)
            covered = covering[intent] / len(content) if content else 1.0
            intents.append((intent, evidence, 1.0 - COVERAGE_WEIGHT * (1.0 - covered), similarity, index, shown,
                            closest))
        return RunEvidence(tuple(intents))

    @staticmethod
    def score_run(run: RunEvidence, bonus: dict[str, float], penalty: float) -> list[tuple]:
        """(score, intent, similarity, example index, keywords as shown) of each intent with evidence in
        `run`, with the question's slot `bonus` and its unknown words' `penalty`."""
        return [(min(evidence * penalty * covered + bonus.get(intent, 0.0), 1.0), intent, similarity, index, keywords)
                for intent, evidence, covered, similarity, index, keywords, _ in run.intents]

    def unframed(self, words: list[str]) -> list[str]:
        """The words without the frames asking for a form of answer ("tldr", "in a nutshell") when
        the rest still holds a keyword: "tldr on data engineer pay" asks about pay, "cloud architect
        tldr" about the role."""
        if self.frame_starts.isdisjoint(words):
            return words
        framed = {i for start, length, keyword in self.keyword_spans(tuple(words)) if keyword in self.frames
                  for i in range(start, start + length)}
        rest = [w for i, w in enumerate(words) if i not in framed]
        return rest if framed and self.keyword_spans(tuple(rest)) else words

    def names_a_topic(self, tokens: tuple[str, ...]) -> bool:
        """Whether the keywords name, strongly enough, a topic answered for each role named."""
        hits = self.keyword_hits(tokens)
        return any(sum(self.keywords[k][intent] for k in keywords) >= NAMED_TOPIC
                   for intent, keywords in hits.items() if intent in self.each_role_intents)

    def slot_evidence(self, entities: Entities, tokens: tuple[str, ...]) -> dict[str, float]:
        """Evidence from the slots a question fills: two roles (a comparison; all the more when they
        stand side by side: "a DS or a data engineer?"), and a skill, amount or level, for the
        intents whose examples name one (by their share of the examples that do)."""
        evidence: dict[str, float] = {}
        roles = [m for m in entities.mentions if m.kind == ROLE]
        if len(entities.roles) >= 2:
            # "a DS or a data engineer?" compares; "how much does a DS or a DE make?" asks the pay of both
            side_by_side = _joined_by_or(tokens[roles[0].end:roles[1].start]) and not self.names_a_topic(tokens)
            for intent in self.pair_intents:
                evidence[intent] = SLOT_BONUS * (5 if side_by_side else 1)
        # each skill named counts (up to three): "NLTK or spaCy, or just transformers?" asks about skills
        named = {SKILL: min(len(entities.values(SKILL)), 3), AMOUNT: entities.amount is not None,
                 LEVEL: entities.level is not None}
        for slot, count in named.items():
            for intent, share in self.slot_shares.get((slot, bool(entities.roles)), {}).items() if count else ():
                evidence[intent] = evidence.get(intent, 0.0) + SLOT_BONUS * share * count
        return evidence


WINDOW, STRIDE = 12, 6
MAX_SPANS = 4
"""The most word runs a question is scored on (the whole question among them)."""
POINTING_BACK = frozenset({"that", "this"})
"""A question opening with these ("is that …?", "does this …?") asks about the sentences before it."""
QUESTION_SCORE = 0.4
"""A question sentence among others is read on its own when its best intent scores this high."""
IN_PASSING_SCORE = 0.6
"""A question whose best intent scores this high asks about the field, wherever it names it."""
READ_WORDS = 48
"""A text longer than this many words is read by its most informative clauses and windows."""
MIN_CLAUSE = 2
"""Clauses shorter than this are scored only as part of the whole question."""
def _asked(template: str, asked: list[bool]) -> str | None:
    """The clauses of `template` (one for each of `asked`) in a sentence that is a question, when
    only some are and the question does not point back at the others ("is that …?"); else None."""
    if all(asked) or not any(asked):
        return None
    clauses = [clause for clause, flag in zip(_by_clause(template.split()), asked) if flag and clause]
    if clauses and any(word in POINTING_BACK for word in clauses[0][:2]):
        return None                  # "I never finished college. Will that shut me out?": asked of what was said
    return f" {BOUNDARY} ".join(" ".join(clause) for clause in clauses) or None


def _by_clause(words: Iterable[str]) -> list[list[str]]:
    """The words between `BOUNDARY` marks, one list a clause (an empty one where two marks meet)."""
    clauses: list[list[str]] = [[]]
    for word in words:
        if word == BOUNDARY:
            clauses.append([])
        else:
            clauses[-1].append(word)
    return clauses


def _holds(words: list[str], run: list[str]) -> bool:
    """Whether `run` occurs in `words`, word for word and in order."""
    size = len(run)
    return any(words[i:i + size] == run for i in range(len(words) - size + 1) if words[i] == run[0])


def _content(words: Iterable[str]) -> frozenset[str]:
    """The words that say what is asked: all but stopwords and filler (slots included)."""
    return frozenset(w for w in words if w not in STOPWORDS and w not in FILLER)


def spans(words: list[str]) -> list[list[str]]:
    """The word runs a question is scored on: all of it, each clause, and overlapping windows of
    a long clause (examples are short sentences, and a long question holds one)."""
    clauses = [clause for clause in _by_clause(words) if clause]
    found = [list(words)]           # the clause boundaries kept: no keyword phrase runs across one
    if len(clauses) > 1:
        found += [clause for clause in clauses if len(clause) >= MIN_CLAUSE]   # "ok," says nothing alone
    for clause in clauses:
        if len(clause) > WINDOW:
            found += [clause[i:i + WINDOW] for i in range(0, len(clause) - WINDOW + STRIDE, STRIDE)]
    unique = {tuple(span): span for span in found}      # a repeated clause is scored once
    return list(unique.values())


_ALTERNATIVES = frozenset({"or", "vs", "versus", "v"})


def _joined_by_or(between: tuple[str, ...]) -> bool:
    """Whether the words between two roles only set them against each other: "or a", "vs"."""
    return bool(_ALTERNATIVES.intersection(between)) and all(
        w in _ALTERNATIVES or w in ("a", "an", "the", "being", "becoming") for w in between)


QUESTION_TARGETS = frozenset({"which", "where", "what", "when"})
"""Stopwords typo correction still aims at: a misspelt question word hides what is asked."""
REQUEST_ODDS = -0.5
"""A first word whose opening odds are this low opens a command ("set", "play", "remind")."""

OPENING_SKIP = frozenset("hey hi hello ok okay so yo um uh well pleas pl and but also lol hmm quick question".split())
"""Words that come before what a question opens with ("ok so how do I…"), stemmed."""


def _opening_word(words: list[str]) -> str | None:
    """The first word of a template that says how the question opens (slots and greetings skipped)."""
    return next((w for w in words if w not in OPENING_SKIP and w not in SLOTS and w != BOUNDARY), None)


def _stretched(token: str) -> bool:
    """Whether a word holds a run of three or more of one letter ("hiii"), as no English word does."""
    return token.isalpha() and any(a == b == c for a, b, c in zip(token, token[1:], token[2:]))


def _runs(token: str) -> list[tuple[str, int]]:
    """The runs of one letter in a word, with their lengths: "hiii" -> [("h", 1), ("i", 3)]."""
    runs: list[tuple[str, int]] = []
    for letter in token:
        if runs and runs[-1][0] == letter:
            runs[-1] = (letter, runs[-1][1] + 1)
        else:
            runs.append((letter, 1))
    return runs


def _blended(best: float, total: float, count: int) -> float:
    """Half the best similarity, half the mean of the best `TOP_EXAMPLES` (`count` of them found,
    adding up to `total`; missing ones at the floor)."""
    return 0.5 * best + 0.5 * (total + SIMILARITY_FLOOR * (TOP_EXAMPLES - count)) / TOP_EXAMPLES


MOST_SLIPS = 2
"""The most edits a typo may hold (in a long word)."""


def typo_limit(word: str) -> int:
    """The edits a typo of `word` may hold: one in a short word, two in a long one ("trench" is no "tech")."""
    return _slips(len(word))


def _slips(length: int) -> int:
    """The edits a typo of a word of `length` letters may hold."""
    return 1 if length < 8 else MOST_SLIPS


DICTIONARY_ZIPF = 3.0
"""Words at least this frequent in English (about one in a million words) are real words: never typos."""


@lru_cache(maxsize=2)
def _dictionary_neighbours(targets: tuple[str, ...], vocabulary: frozenset[str]) -> frozenset[str]:
    """The English words within a typo of a word careerbot knows, outside its vocabulary: the words
    typo correction must leave alone. Computed when an engine is built (and kept for the next engine
    built of the same words); each target is compared only with the words of its first letter (or
    its first two letters swapped) and of a length within its typo limit, since no other word can
    be that close."""
    words = [word for word in _english_words() if word not in vocabulary]
    buckets = _by_start(words)
    swapped: dict[tuple[str, str, int], list[str]] = {}     # by first two letters and length
    for word in words:
        swapped.setdefault((word[0], word[1:2], len(word)), []).append(word)
    found: set[str] = set()
    for target in targets:
        # the typo limit is the typed word's: "spinning" may be two slips from "signing"
        lengths = [n for n in range(len(target) - MOST_SLIPS, len(target) + MOST_SLIPS + 1)
                   if abs(n - len(target)) <= _slips(n)]
        choices = _starting(buckets, target[0], lengths)
        if len(target) > 1 and target[1] != target[0]:
            choices += [word for n in lengths for word in swapped.get((target[1], target[0], n), ())]
        found.update(w for w, distance, _ in process.extract(target, choices, scorer=OSA.distance,
                                                              score_cutoff=MOST_SLIPS, limit=None)
                     if distance <= typo_limit(w))
    return frozenset(found)


def _by_start(words: Iterable[str]) -> dict[tuple[str, int], tuple[str, ...]]:
    """Words by first letter and length: a word within a typo of another starts like it (or with
    its first two letters swapped) and is within that many letters of its length."""
    buckets: dict[tuple[str, int], list[str]] = {}
    for word in words:
        buckets.setdefault((word[0], len(word)), []).append(word)
    return {key: tuple(group) for key, group in sorted(buckets.items())}


def _starting(buckets: dict[tuple[str, int], tuple[str, ...]], first: str, lengths: Iterable[int],
              second: str | None = None) -> list[str]:
    """The words of `buckets` starting with `first` (then `second`), of one of `lengths`."""
    return [w for n in lengths for w in buckets.get((first, n), ())
            if second is None or (len(w) > 1 and w[1] == second)]


@lru_cache(maxsize=1)
def _english_words() -> tuple[str, ...]:
    """Common English words (of five letters or more, the shortest careerbot corrects), from wordfreq."""
    from wordfreq import get_frequency_dict
    least = 10 ** (DICTIONARY_ZIPF - 9)          # a Zipf value is log10 of the frequency per billion words
    return tuple(sorted(word for word, frequency in get_frequency_dict("en").items()
                        if frequency >= least and len(word) >= 5 and word.isascii() and word.isalpha()))


def _stemmed(words) -> str:
    return " ".join(stem(w) for w in words)


def keyword_form(text: str) -> str:
    """A keyword as the matcher compares it: stemmed words, and the role slot where it says `{role}`."""
    pieces = [normalise(piece).tokens for piece in text.split(ROLE_KEYWORD)]
    if not any(pieces):
        return ""                                    # a role alone is no keyword
    return _stemmed([*pieces[0], *(w for piece in pieces[1:] for w in (ROLE_SLOT, *piece))])


def _knowledge_words(kb: KnowledgeBase) -> set[str]:
    """Words of the knowledge itself: a question about "Kaggle" is not off topic."""
    texts = [role.summary.text for role in kb.roles.values()]
    for role in kb.roles.values():
        texts += [f.text for f in role.responsibilities + role.projects] + [s.name for s in role.skills]
    for topic in kb.topics.values():
        texts.append(topic.title)
        for section in topic.sections + tuple(s for group in topic.role_sections.values() for s in group):
            texts.append(section.heading)
            texts += [f.text for f in section.items]
    return {word for text in texts for word in normalise(text).tokens}
