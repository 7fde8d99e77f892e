"""Reading a question: normalise, correct typos, find entities, rank intents.

Intents are scored two ways and the evidence is added up:

- similarity: rapidfuzz compares the question with every example phrase, both as templates in
  which role and skill mentions are replaced by placeholders ("what does a @role earn"), so a
  phrasing learnt for one role generalises to all of them;
- keywords: each intent's signal words found in the question, each weighted by how few intents
  share it (a word only one intent lists is strong evidence; one that three list is weak).

Words outside everything careerbot knows lower the score: "how do I bake bread" looks like
"how do I become a data scientist" letter by letter, but "bake" and "bread" give it away.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ._entities import OCCUPATION, ROLE, SKILL, STOPWORDS, Entities, EntityExtractor
from ._model import KnowledgeBase
from ._text import normalise

ROLE_SLOT, SKILL_SLOT = "@role", "@skill"

FILLER = frozenset("""
a an the and or but so then also too what how about for of as to with on in is are was be it its
ok okay well hmm please now again instead one ones
""".split())
"""Words that add no topic: "and what about a data engineer then?" only names a role."""

SIMILARITY_WEIGHT = 0.7
KEYWORD_WEIGHT = 0.45
UNKNOWN_PENALTY = 0.6
"""How much a fully unknown question loses (scaled by the share of unknown content words)."""
COVERAGE_WEIGHT = 0.4
"""How much an intent loses when none of the question's words occur in its examples or keywords."""


@dataclass(frozen=True, slots=True)
class IntentScore:
    """How well one intent fits a question, and the evidence for it."""

    intent: str
    score: float
    similarity: float
    example: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reading:
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
        inside = {i for m in self.entities.mentions for i in range(m.start, m.end)}
        return bool(self.entities.roles) and all(t in FILLER for i, t in enumerate(self.tokens) if i not in inside)


def template_of(tokens: tuple[str, ...], entities: Entities) -> str:
    """The words with role and skill mentions replaced by placeholders."""
    words: list[str] = []
    position = 0
    for mention in entities.mentions:
        words.extend(tokens[position:mention.start])
        if mention.kind == ROLE:
            words.append(ROLE_SLOT)
        elif mention.kind == SKILL:
            words.append(SKILL_SLOT)
        else:
            words.extend(tokens[mention.start:mention.end])
        position = mention.end
    words.extend(tokens[position:])
    return " ".join(words)


class Matcher:
    """The compiled tables that turn a question into a `Reading`. Immutable once built."""

    def __init__(self, kb: KnowledgeBase):
        self.extractor = EntityExtractor(kb)
        keyword_owners: dict[str, set[str]] = {}
        for intent in kb.intents.values():
            for keyword in intent.keywords:
                keyword_owners.setdefault(normalise(keyword).text, set()).add(intent.id)
        self.keywords = {kw: tuple(sorted(owners)) for kw, owners in keyword_owners.items() if kw}
        self.single_keywords = {kw for kw in self.keywords if " " not in kw}
        self.phrase_keywords = tuple(kw for kw in self.keywords if " " in kw)

        self.templates: list[str] = []
        self.template_intents: list[str] = []
        self.template_examples: list[str] = []
        for intent in kb.intents.values():
            for example in intent.examples:
                tokens = normalise(example).tokens
                self.templates.append(template_of(tokens, self.extractor.extract(tokens)))
                self.template_intents.append(intent.id)
                self.template_examples.append(example)
        self.intent_ids = tuple(kb.intents)
        self.intent_words: dict[str, frozenset[str]] = {}
        for intent in kb.intents.values():
            words = {w for t, i in zip(self.templates, self.template_intents) if i == intent.id for w in t.split()}
            words.update(w for kw in intent.keywords for w in normalise(kw).tokens)
            self.intent_words[intent.id] = frozenset(words - STOPWORDS)

        vocabulary = set(STOPWORDS) | self.extractor.phrase_words()
        vocabulary.update(w for t in self.templates for w in t.split() if not w.startswith("@"))
        vocabulary.update(w for kw in self.keywords for w in kw.split())
        self.spelling_targets = {}
        for word in vocabulary:
            if len(word) > 3 and word.isalpha():
                self.spelling_targets.setdefault(word[0], []).append(word)
        self.vocabulary = frozenset(vocabulary | _knowledge_words(kb))

    # -- reading --------------------------------------------------------------

    def correct(self, tokens: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """Replace misspelt words by the known word they most resemble."""
        fixed, corrections = [], []
        for token in tokens:
            if token in self.vocabulary or len(token) < 5 or not token.isalpha():
                fixed.append(token)
                continue
            choices = self.spelling_targets.get(token[0], ())
            best = process.extractOne(token, choices, scorer=fuzz.ratio,
                                      score_cutoff=85.0 if len(token) <= 5 else 80.0)
            if best:
                corrections.append((token, best[0]))
                fixed.append(best[0])
            else:
                fixed.append(token)
        return tuple(fixed), tuple(corrections)

    def read(self, text: str) -> Reading:
        tokens, corrections = self.correct(normalise(text).tokens)
        entities = self.extractor.extract(tokens)
        template = template_of(tokens, entities)
        inside = {i for m in entities.mentions for i in range(m.start, m.end)}
        # distinct words: a word repeated a hundred times is still one piece of evidence
        content = list(dict.fromkeys(t for i, t in enumerate(tokens) if t not in STOPWORDS and i not in inside))
        unknown = tuple(t for t in content if t not in self.vocabulary and not t.isdigit())
        content_count = len(content) + len({m.value for m in entities.mentions if m.kind != OCCUPATION})
        ranking = self.rank(template, len(unknown) / content_count if content_count else 0.0)
        return Reading(text, tokens, corrections, entities, template, unknown, content_count, ranking)

    def keyword_hits(self, tokens: tuple[str, ...]) -> dict[str, list[str]]:
        hits: dict[str, list[str]] = {}
        for token in dict.fromkeys(tokens):
            if token in self.single_keywords:
                for intent in self.keywords[token]:
                    hits.setdefault(intent, []).append(token)
        padded = f" {' '.join(tokens)} "
        for phrase in self.phrase_keywords:
            if f" {phrase} " in padded:
                for intent in self.keywords[phrase]:
                    hits.setdefault(intent, []).append(phrase)
        return hits

    def rank(self, template: str, unknown_share: float) -> tuple[IntentScore, ...]:
        if not template:
            return ()
        tokens = tuple(template.split())
        content = list(dict.fromkeys(t for t in tokens if t not in STOPWORDS))
        best_similarity: dict[str, tuple[float, int]] = {}
        for window in windows(tokens):
            for _, score, index in process.extract(window, self.templates, scorer=fuzz.token_sort_ratio,
                                                   limit=None, score_cutoff=30.0):
                intent = self.template_intents[index]
                if score > best_similarity.get(intent, (0.0, -1))[0]:
                    best_similarity[intent] = (score, index)
        hits = self.keyword_hits(tokens)
        penalty = 1.0 - UNKNOWN_PENALTY * unknown_share
        scores = []
        for intent in self.intent_ids:
            similarity, index = best_similarity.get(intent, (0.0, -1))
            keywords = tuple(hits.get(intent, ()))
            evidence = min(1.0, sum(1.0 / len(self.keywords[k]) for k in keywords))
            covered = sum(t in self.intent_words[intent] for t in content) / len(content) if content else 1.0
            score = (SIMILARITY_WEIGHT * similarity / 100.0 + KEYWORD_WEIGHT * evidence) * penalty
            score *= 1.0 - COVERAGE_WEIGHT * (1.0 - covered)
            example = self.template_examples[index] if index >= 0 else ""
            scores.append(IntentScore(intent, min(score, 1.0), similarity / 100.0, example, keywords))
        scores.sort(key=lambda s: -s.score)
        return tuple(scores)


WINDOW, STRIDE = 12, 6


def windows(tokens: tuple[str, ...]) -> list[str]:
    """The question, and for a long one overlapping windows of it: examples are short sentences,
    and "I switched from nursing last year; how do I become a data scientist?" holds one."""
    texts = [" ".join(tokens)]
    if len(tokens) > WINDOW:
        texts += [" ".join(tokens[i:i + WINDOW]) for i in range(0, len(tokens) - WINDOW + STRIDE, STRIDE)]
    return texts


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
