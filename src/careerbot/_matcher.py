"""Reading a question: normalise, correct typos, find entities, rank intents.

Each intent is scored on the question (and on each clause of a long one) by adding up evidence:

- similarity: rapidfuzz compares the question with every example phrase, both as templates in
  which role, skill and level mentions are replaced by placeholders ("what does a @ earn"), so a
  phrasing learnt for one role generalises to all of them;
- keywords: each intent's signal words found in the question, each weighted by how few intents
  share it (a word only one intent lists is strong evidence; one that three list is weak);
- coverage: the share of the question's words that the intent's examples and keywords use;
- slots: two roles set against each other suggest a comparison, a skill a search by skill.

Words outside everything careerbot knows lower the score: "how do I bake bread" looks like
"how do I become a data scientist" letter by letter, but "bake" and "bread" give it away.
"""

import re
from collections import Counter

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from ._entities import BOUNDARY, LEVEL, OCCUPATION, ROLE, SKILL, STOPWORDS, Entities, EntityExtractor
from ._model import KnowledgeBase
from ._record import Record
from ._text import normalise, stem

ROLE_SLOT, SKILL_SLOT, LEVEL_SLOT = "@", "#", "%"
"""Placeholders for mentions: one character, so that sharing one says little on its own."""

FILLER = frozenset("""
a an the and or but so then also too what how about for of as to with on in is are was be it its
ok okay well hmm please now again instead one ones | that this role
""".split())
"""Words that add no topic: "and what about a data engineer then?" only names a role."""

SIMILARITY_WEIGHT = 0.7
KEYWORD_WEIGHT = 0.45
UNKNOWN_PENALTY = 0.6
"""How much a fully unknown question loses (scaled by the share of unknown content words)."""
SLOT_BONUS = 0.1
"""Evidence from entities: two roles suggest a comparison, a skill a search by skill."""
COVERAGE_WEIGHT = 0.4
"""How much an intent loses when none of the question's words occur in its examples or keywords."""

RANKED = 3
"""Intents a reading keeps: the best, a runner-up to weigh ambiguity, a third to explain."""
SIMILARITY_FLOOR = 30.0
"""Similarities below this say nothing."""

SHORTLIST_FROM = 5_000
"""Knowledge bases with more example phrases than this shortlist them by shared words first."""
SHORTLIST_SIZE = 400
SHORTLIST_BUDGET = 60_000
"""How many index entries one question may add up: the rarest words are counted first."""


class IntentScore(Record):
    """How well one intent fits a question, and the evidence for it."""

    intent: str
    score: float
    similarity: float
    example: str
    keywords: tuple[str, ...]


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

    @property
    def best(self) -> IntentScore | None:
        return self.ranking[0] if self.ranking else None

    @property
    def role_only(self) -> bool:
        """Roles and nothing else but filler: "data scientist?", "what about data engineers?"."""
        inside = self.entities.positions()
        return bool(self.entities.roles) and all(t in FILLER for i, t in enumerate(self.tokens) if i not in inside)


def template_of(tokens: tuple[str, ...], entities: Entities) -> str:
    """The words with role, skill and level mentions replaced by placeholders."""
    words: list[str] = []
    position = 0
    for mention in entities.mentions:
        words.extend(tokens[position:mention.start])
        if mention.kind == ROLE:
            words.append(ROLE_SLOT)
        elif mention.kind == SKILL:
            words.append(SKILL_SLOT)
        elif mention.kind == LEVEL:
            words.append(LEVEL_SLOT)
        else:
            words.extend(tokens[mention.start:mention.end])
        position = mention.end
    words.extend(tokens[position:])
    return " ".join(words)


class Matcher:
    """The compiled tables that turn a question into a `Reading`. Immutable once built.

    Keywords, example templates and each intent's vocabulary are kept stemmed ("earned" → "earn"),
    so inflections meet; typo correction aims at the unstemmed words people type.
    """

    def __init__(self, kb: KnowledgeBase):
        self.extractor = EntityExtractor(kb)
        self.intent_ids = tuple(kb.intents)
        self.intent_order = {intent: i for i, intent in enumerate(self.intent_ids)}
        self.slotted_intents = {i.id: (i.role_slot == "pair", i.skill_slot == "required")
                                for i in kb.intents.values() if i.role_slot == "pair" or i.skill_slot == "required"}
        self._compile_keywords(kb)
        templates = self._compile_examples(kb)
        self._compile_vocabulary(kb, templates)

    def _compile_keywords(self, kb: KnowledgeBase) -> None:
        """Stemmed keywords with the intents that list each; phrases indexed by their first word."""
        owners: dict[str, set[str]] = {}
        for intent in kb.intents.values():
            for keyword in intent.keywords:
                owners.setdefault(_stemmed(normalise(keyword).tokens), set()).add(intent.id)
        self.keywords = {kw: tuple(sorted(ids)) for kw, ids in owners.items() if kw}
        self.single_keywords = {kw for kw in self.keywords if " " not in kw}
        self.phrase_keywords: dict[str, tuple[str, ...]] = {}     # first word -> phrases
        for keyword in self.keywords:
            if " " in keyword:
                first = keyword.split(" ", 1)[0]
                self.phrase_keywords[first] = self.phrase_keywords.get(first, ()) + (keyword,)

    def _compile_examples(self, kb: KnowledgeBase) -> list[str]:
        """The example templates: word-sorted and grouped by intent for scoring, indexed by word
        for large knowledge bases. Returns the templates in reading order."""
        templates: list[str] = []
        self.template_intents: list[str] = []
        self.template_examples: list[str] = []
        for intent in kb.intents.values():
            for example in intent.examples:
                tokens = normalise(example).tokens
                templates.append(_stemmed(template_of(tokens, self.extractor.extract(tokens)).split()))
                self.template_intents.append(intent.id)
                self.template_examples.append(example)
        self.sorted_templates = [" ".join(sorted(t.split())) for t in templates]
        grouped: dict[str, tuple[list[str], list[int]]] = {i: ([], []) for i in self.intent_ids}
        for index, (intent, template) in enumerate(zip(self.template_intents, self.sorted_templates)):
            grouped[intent][0].append(template)
            grouped[intent][1].append(index)
        self.intent_templates = {i: group for i, group in grouped.items() if group[0]}
        self.word_index: dict[str, list[int]] | None = None
        if len(templates) > SHORTLIST_FROM:
            self.word_index = {}
            for index, template in enumerate(templates):
                for word in set(template.split()) - STOPWORDS - {ROLE_SLOT, SKILL_SLOT, LEVEL_SLOT}:
                    self.word_index.setdefault(word, []).append(index)
        return templates

    def _compile_vocabulary(self, kb: KnowledgeBase, templates: list[str]) -> None:
        """Which intents use each word; the words typos are corrected to; every word known."""
        intent_words: dict[str, set[str]] = {i: set() for i in self.intent_ids}
        for template, intent in zip(templates, self.template_intents):
            intent_words[intent].update(template.split())
        for keyword, owners in self.keywords.items():
            for intent in owners:
                intent_words[intent].update(keyword.split())
        word_intents: dict[str, list[str]] = {}
        for intent, words in intent_words.items():
            for word in words - STOPWORDS:
                word_intents.setdefault(word, []).append(intent)
        self.word_intents = {word: tuple(intents) for word, intents in word_intents.items()}

        typed = {w for intent in kb.intents.values() for text in (*intent.examples, *intent.keywords)
                 for w in normalise(text).tokens}
        typed |= self.extractor.phrase_words()
        self.spelling_targets: dict[str, list[str]] = {}
        for word in typed - STOPWORDS:         # "clould" means cloud, not could
            if len(word) > 3 and word.isalpha():
                self.spelling_targets.setdefault(word[0], []).append(word)
        known = typed | STOPWORDS | _knowledge_words(kb)
        self.vocabulary = frozenset(known | {stem(w) for w in known})

    # -- reading --------------------------------------------------------------

    def correct(self, tokens: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """Replace misspelt words by the known word they most resemble."""
        fixed, corrections = [], []
        for token in tokens:
            if token in self.vocabulary or stem(token) in self.vocabulary or len(token) < 5 or not token.isalpha():
                fixed.append(token)
                continue
            choices = self.spelling_targets.get(token[0], ())
            best = process.extractOne(token, choices, scorer=fuzz.ratio,
                                      score_cutoff=90.0 if len(token) <= 5 else 80.0)
            # a typo is one slip in a short word, two in a long one: "trench" is no "tech"
            if best and Levenshtein.distance(token, best[0]) <= (1 if len(token) < 8 else 2):
                corrections.append((token, best[0]))
                fixed.append(best[0])
            else:
                fixed.append(token)
        return tuple(fixed), tuple(corrections)

    def read(self, text: str) -> Reading:
        words: list[str] = []
        for clause in _CLAUSE_END.split(text):
            tokens = normalise(clause).tokens
            if tokens:
                words += [BOUNDARY, *tokens] if words else tokens
        tokens, corrections = self.correct(tuple(words))
        entities = self.extractor.extract(tokens, self.vocabulary)
        template = _stemmed(template_of(tokens, entities).split())
        inside = entities.positions()
        # distinct words: a word repeated a hundred times is still one piece of evidence
        content = list(dict.fromkeys(t for i, t in enumerate(tokens) if t not in STOPWORDS and i not in inside))
        unknown = tuple(t for t in content if stem(t) not in self.vocabulary and not t.isdigit())
        content_count = len(content) + len({m.value for m in entities.mentions if m.kind != OCCUPATION})
        ranking = self.rank(template, entities, len(unknown) / content_count if content_count else 0.0, tokens)
        return Reading(text, tokens, corrections, entities, template, unknown, content_count, ranking)

    def keyword_hits(self, tokens: tuple[str, ...]) -> dict[str, list[str]]:
        hits: dict[str, list[str]] = {}
        padded = f" {' '.join(tokens)} "
        for token in dict.fromkeys(tokens):
            found = [token] if token in self.single_keywords else []
            found += [p for p in self.phrase_keywords.get(token, ()) if f" {p} " in padded]
            for keyword in found:
                for intent in self.keywords[keyword]:
                    hits.setdefault(intent, []).append(keyword)
        return hits

    def shortlist(self, words: list[str]) -> list[int]:
        """The example templates sharing the most words with the question, rarest words first.

        Only large knowledge bases have a word index: scoring every example would grow with them.
        """
        postings = sorted((self.word_index[w] for w in set(words) if w in self.word_index), key=len)
        counts: Counter[int] = Counter()
        budget = SHORTLIST_BUDGET
        for posting in postings:
            if budget <= 0:
                break
            counts.update(posting[:budget])
            budget -= len(posting)
        return [index for index, _ in counts.most_common(SHORTLIST_SIZE)]

    def similarities(self, words: list[str], content: list[str]) -> dict[str, tuple[float, int]]:
        """Each intent's best similarity to these words, and the example that gave it.

        The similarity is rapidfuzz's token-sort ratio, computed as a plain ratio between
        word-sorted strings: the examples are sorted once, when the engine is built.
        """
        query = " ".join(sorted(words))
        best: dict[str, tuple[float, int]] = {}
        if self.word_index is None:
            for intent, (choices, indices) in self.intent_templates.items():
                found = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=SIMILARITY_FLOOR)
                if found:
                    best[intent] = (found[1], indices[found[2]])
            return best
        candidates = self.shortlist(content)
        choices = [self.sorted_templates[i] for i in candidates]
        for _, score, position in process.extract(query, choices, scorer=fuzz.ratio, limit=None,
                                                  score_cutoff=SIMILARITY_FLOOR):
            index = candidates[position]
            intent = self.template_intents[index]
            if score > best.get(intent, (0.0, -1))[0]:
                best[intent] = (score, index)
        return best

    def rank(self, template: str, entities: Entities, unknown_share: float,
             tokens: tuple[str, ...] = ()) -> tuple[IntentScore, ...]:
        """The `RANKED` best intents with evidence, best first. A long question is scored clause by clause too
        (and in windows), and each intent keeps its best: "I'm a bootcamp grad. How do I become a
        data scientist?" is about becoming one, whatever the first sentence says."""
        best: dict[str, tuple] = {}
        penalty = 1.0 - UNKNOWN_PENALTY * unknown_share
        bonus = self.slot_evidence(entities, tokens)
        for span in spans(template.split()):
            for scored in self.score_span(span, bonus, penalty):
                current = best.get(scored[1])
                if current is None or scored[0] > current[0]:
                    best[scored[1]] = scored
        ranking = sorted(best.values(), key=lambda s: (-s[0], self.intent_order[s[1]]))[:RANKED]
        return tuple(IntentScore(intent, score, similarity / 100.0,
                                 self.template_examples[index] if index >= 0 else "", keywords)
                     for score, intent, similarity, index, keywords in ranking)

    def score_span(self, words: list[str], bonus: dict[str, float], penalty: float) -> list[tuple]:
        """(score, intent, similarity, example index, keywords) of each intent with evidence."""
        content = list(dict.fromkeys(w for w in words if w not in STOPWORDS))
        best_similarity = self.similarities(words, content)
        hits = self.keyword_hits(tuple(words))
        covering: Counter[str] = Counter()
        for word in content:
            covering.update(self.word_intents.get(word, ()))
        scores = []
        # intents with neither a similar example nor a keyword have no evidence to score
        for intent in dict.fromkeys([*best_similarity, *hits]):
            similarity, index = best_similarity.get(intent, (0.0, -1))
            keywords = tuple(hits.get(intent, ()))
            evidence = min(1.0, sum(1.0 / len(self.keywords[k]) for k in keywords))
            covered = covering[intent] / len(content) if content else 1.0
            score = (SIMILARITY_WEIGHT * similarity / 100.0 + KEYWORD_WEIGHT * evidence) * penalty
            score = score * (1.0 - COVERAGE_WEIGHT * (1.0 - covered)) + bonus.get(intent, 0.0)
            scores.append((min(score, 1.0), intent, similarity, index, keywords))
        return scores

    def slot_evidence(self, entities: Entities, tokens: tuple[str, ...]) -> dict[str, float]:
        """Filled slots that only one kind of question has: two roles (a comparison; all the more
        when they stand side by side: "a DS or a data engineer?"), a skill."""
        evidence = {}
        roles = [m for m in entities.mentions if m.kind == ROLE]
        side_by_side = len(roles) >= 2 and _joined_by_or(tokens[roles[0].end:roles[1].start])
        for intent, (wants_pair, wants_skill) in self.slotted_intents.items():
            if wants_pair and len(entities.roles) >= 2:
                evidence[intent] = evidence.get(intent, 0.0) + SLOT_BONUS * (5 if side_by_side else 1)
            if wants_skill:
                evidence[intent] = evidence.get(intent, 0.0) + (
                    SLOT_BONUS if entities.skill and not entities.roles else -SLOT_BONUS)
        return evidence


WINDOW, STRIDE = 12, 6
_CLAUSE_END = re.compile(r"[.?!;]+(?=\s|$)|\n+")


def spans(words: list[str]) -> list[list[str]]:
    """The word runs a question is scored on: all of it, each clause, and overlapping windows of
    a long clause (examples are short sentences, and a long question holds one)."""
    clauses: list[list[str]] = [[]]
    for word in words:
        if word == BOUNDARY:
            clauses.append([])
        else:
            clauses[-1].append(word)
    clauses = [clause for clause in clauses if clause]
    found = [[w for w in words if w != BOUNDARY]]
    if len(clauses) > 1:
        found += clauses
    for clause in clauses:
        if len(clause) > WINDOW:
            found += [clause[i:i + WINDOW] for i in range(0, len(clause) - WINDOW + STRIDE, STRIDE)]
    return found


_ALTERNATIVES = frozenset({"or", "vs", "versus", "v"})


def _joined_by_or(between: tuple[str, ...]) -> bool:
    """Whether the words between two roles only set them against each other: "or a", "vs"."""
    return bool(_ALTERNATIVES.intersection(between)) and all(
        w in _ALTERNATIVES or w in ("a", "an", "the", "being", "becoming") for w in between)


def _stemmed(words) -> str:
    return " ".join(stem(w) for w in words)


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
