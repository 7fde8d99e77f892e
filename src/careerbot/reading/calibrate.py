"""The numbers behind careerbot's decisions, learnt from labelled questions rather than set by hand.

Two things are learnt:

- **keyword weights**: how strongly a keyword points at each intent that lists it, from how often
  it occurs in that intent's examples, in other intents' examples and in questions careerbot cannot
  answer (its own negatives, and the share of everyday assistant queries that hold it). "salary"
  points at salary; "how much" and "kind of" occur everywhere and point at little.
- **the out-of-scope decision**: a logistic model over a reading's evidence (`FEATURES`): the best
  score, its margin over the runner-up, the pull of the negatives, the share of known words, what
  anchors the question in the field. Its coefficients and cut-off are fitted by `fit_decision` and
  shipped as numbers in `intents/decision.yaml`.

Everything here is plain arithmetic over small tables, so `--explain` can show each number.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from ..knowledge.model import frozen_map

FEATURES = ("score", "margin", "negative_pull", "known_share", "anchored", "role", "skill", "keyword",
            "similarity", "content", "anchored_score", "anchored_pull", "opening", "explained", "asks_role")
"""The evidence the out-of-scope decision weighs, each in [0, 1] (the margin and pulls in [-1, 1]).
`anchored` is a role or a word of the field ("ML", "tech"), `role` a role (or one in the
conversation): a stronger anchor. `explained` is the share of the question's content words that the
best intent's examples and keywords use: "my data scientist coworker is rude, what do I do" has a
role and a clause like a question about roles, but most of its words are nobody's. `anchored_score` and `anchored_pull` weigh the score and the
negatives' pull again for an anchored question: an anchor makes a question likelier to be ours,
not any question that has one. `asks_role` is a question asking which role ("which positions use
Spark?"), which everyday requests seldom do."""

LISTED_PRIOR = 2.0
"""Examples' worth of evidence a keyword gets for being listed by an intent's author."""
SMOOTHING = 1.0
IMPLICIT_WEIGHT = 0.5
"""How much a word of the examples that no intent lists as a keyword counts, against a listed one."""
IMPLICIT_MIN_EXAMPLES = 2
"""A word counts as implicit evidence once this many examples use it."""
NEGATIVE_SCALE = 1.0
"""How many negatives stand for each positive example when a share of negatives is turned into a
count: equal weight to what careerbot must answer and what it must not."""

DEFAULT_COEFFICIENTS = {"score": 6.0, "margin": 2.0, "negative_pull": -4.0, "known_share": 3.0,
                        "anchored": 1.5, "role": 0.5, "skill": 0.5, "keyword": 1.0, "similarity": 1.0, "content": 0.0,
                        "anchored_score": 0.0, "anchored_pull": 0.0, "opening": 1.0,
                        "explained": 0.0, "asks_role": 0.0}
DEFAULT_INTERCEPT = -6.0
DEFAULT_CUTOFF = 0.5
"""A reasonable decision for knowledge bases without a fitted table of their own."""


def keyword_weights(listed: Mapping[str, Iterable[str]], examples: Mapping[str, Sequence[str]],
                    negatives: Sequence[str], negative_rate: Mapping[str, float],
                    implicit: Iterable[str] = ()) -> dict[str, dict[str, float]]:
    """For each keyword (stemmed) and each intent listing it or using it in examples, how much the
    keyword says for it.

    `listed` maps an intent to its keywords, `examples` an intent to its example templates (stemmed),
    `negatives` are the negative templates and `negative_rate` the share of everyday queries holding
    each keyword. The weight is the keyword's share of evidence that goes to the intent:

        (its examples holding it + prior) / (all examples holding it + priors + negatives + 1)

    `implicit` words (the examples' own content words) count too, without a prior and at
    `IMPLICIT_WEIGHT`: "papers" says research even where no intent lists it. A word inside one of
    the intent's own listed phrases is that phrase's evidence, not its own: "pays" in "pays the
    most" says "which pays most", not "pay".
    """
    owners: dict[str, list[str]] = {}
    for intent, keywords in listed.items():
        for keyword in keywords:
            owners.setdefault(keyword, []).append(intent)
    implicit = [word for word in implicit if word not in owners]
    for word in implicit:
        owners[word] = []
    starts: dict[str, set[int]] = {}             # first word -> the lengths of the keywords it starts
    for keyword in owners:
        starts.setdefault(keyword.split(" ", 1)[0], set()).add(keyword.count(" ") + 1)
    lengths = {word: sorted(n) for word, n in starts.items()}
    phrases = {intent: {tuple(k.split()) for k in keywords if " " in k} for intent, keywords in listed.items()}
    # Each template is read once: the keywords it holds, each counted once per template. Counting
    # is linear in the examples, so a knowledge base a hundred times larger costs a hundred times.
    counts: dict[str, Counter[str]] = {}
    for intent, templates in examples.items():
        own = phrases.get(intent, set())
        for template in templates:
            for keyword in _keywords_in(template.split(), owners, own, lengths):
                counts.setdefault(keyword, Counter())[intent] += 1
    in_negatives: Counter[str] = Counter()
    for template in negatives:
        in_negatives.update(_keywords_in(template.split(), owners, set(), lengths))
    positives = sum(len(t) for t in examples.values()) or 1
    weights: dict[str, dict[str, float]] = {}
    for keyword, intents in owners.items():
        found = counts.get(keyword, Counter())
        against = in_negatives[keyword] + negative_rate.get(keyword, 0.0) * positives * NEGATIVE_SCALE
        total = sum(found.values()) + LISTED_PRIOR * len(intents) + against + SMOOTHING
        # The evidence goes to every intent whose examples use the keyword, listed or not: "master"
        # is listed for degrees, but "which tools should I master" asks about skills.
        scale = 1.0 if intents else IMPLICIT_WEIGHT
        weights[keyword] = {intent: scale * (found[intent] + LISTED_PRIOR * (intent in intents)) / total
                            for intent in sorted(set(intents) | {i for i, n in found.items() if n})}
    return weights


def _keywords_in(words: list[str], keywords: Mapping[str, object], phrases: set[tuple[str, ...]],
                 lengths: Mapping[str, Sequence[int]]) -> set[str]:
    """The keywords a template holds, each once; a keyword only inside a longer one of `phrases`
    (the intent's own listed phrases) is not counted there. `lengths` maps a word to the lengths,
    in words, of the keywords it starts: only the runs of words that may be a keyword are looked up."""
    spans = []
    for i, word in enumerate(words):
        for n in lengths.get(word, ()):
            if i + n <= len(words):
                keyword = word if n == 1 else " ".join(words[i:i + n])
                if keyword in keywords:
                    spans.append((i, i + n, keyword))
    covered = [(i, j) for i, j, keyword in spans if j - i > 1 and tuple(keyword.split(" ")) in phrases]
    return {keyword for i, j, keyword in spans
            if not any(a <= i and j <= b and b - a > j - i for a, b in covered)}


CONTENT_SCALE = 12
"""Content words beyond this many say nothing more about a question."""


def reading_features(reading, *, anchored: bool = False, in_topic: bool = False) -> dict[str, float]:
    """The evidence of a `Reading` that the out-of-scope decision weighs (`FEATURES`, in order);
    `anchored` when the conversation has roles in play (which place the question in the field as
    naming a role would), `in_topic` when the question reads as the topic in progress (which places it
    in the field as "ML" would: "how do I start?" after how to get into ML)."""
    ranking = reading.ranking
    best = ranking[0] if ranking else None
    score = best.score if best else 0.0
    runner_up = ranking[1].score if len(ranking) > 1 else 0.0
    negative = reading.negative.score if reading.negative else 0.0
    entities = reading.entities
    unknown_share = len(reading.unknown) / reading.content_words if reading.content_words else 0.0
    in_field = 1.0 if entities.anchored or anchored or in_topic else 0.0
    named_role = 1.0 if entities.roles or anchored else 0.0
    return {
        "score": score,
        "margin": score - runner_up,
        "negative_pull": negative - score,
        "known_share": 1.0 - unknown_share,
        "anchored": in_field,
        "role": named_role,
        "skill": 1.0 if entities.skill else 0.0,
        "keyword": best.keyword_evidence if best else 0.0,
        "similarity": best.similarity if best else 0.0,
        "content": min(reading.content_words, CONTENT_SCALE) / CONTENT_SCALE,
        "anchored_score": in_field * score,
        "anchored_pull": in_field * (negative - score),
        "opening": reading.opening,
        "explained": best.coverage if best else 0.0,
        "asks_role": 1.0 if reading.asks_which_role else 0.0,
    }


def fold(kb, k: int, index: int):
    """The knowledge base without the `index`-th of `k` folds of its examples and negatives, and the
    held-out (example, intent) pairs (`out_of_scope` for a negative). Every `k`-th example of each
    intent goes to one fold, so each fold holds every intent."""
    held_out: list[tuple[str, str]] = []
    intents = {}
    for intent in kb.intents.values():
        kept = tuple(e for i, e in enumerate(intent.examples) if i % k != index)
        held_out += [(e, intent.id) for i, e in enumerate(intent.examples) if i % k == index]
        intents[intent.id] = intent._replace(examples=kept or intent.examples[:1])
    negatives = tuple(e for i, e in enumerate(kb.negatives) if i % k != index)
    held_out += [(e, "out_of_scope") for i, e in enumerate(kb.negatives) if i % k == index]
    return kb._replace(intents=frozen_map(intents), negatives=negatives), held_out


def probability(features: Mapping[str, float], coefficients: Mapping[str, float], intercept: float) -> float:
    """The logistic model's probability that a reading is answerable."""
    z = intercept + sum(coefficients.get(name, 0.0) * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def fit_decision(rows: Sequence[Sequence[float]], labels: Sequence[int], weights: Sequence[float], *,
                 ridge: float = 1e-2, iterations: int = 30) -> tuple[list[float], float]:
    """Weighted logistic regression by Newton's method (iteratively reweighted least squares), with
    a small ridge penalty. Returns (coefficients, intercept).

    Pure Python: some thousands of rows of a dozen features solve in seconds.
    """
    n_features = len(rows[0])
    beta = [0.0] * (n_features + 1)                       # the last is the intercept
    design = [list(row) + [1.0] for row in rows]
    total = sum(weights)
    for _ in range(iterations):
        gradient = [0.0] * (n_features + 1)
        hessian = [[0.0] * (n_features + 1) for _ in range(n_features + 1)]
        for x, y, weight in zip(design, labels, weights):
            z = sum(b * v for b, v in zip(beta, x))
            p = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
            error = (p - y) * weight
            curvature = p * (1 - p) * weight
            for i, xi in enumerate(x):
                gradient[i] += error * xi
                row = hessian[i]
                for j in range(i, n_features + 1):
                    row[j] += curvature * xi * x[j]
        for i in range(n_features + 1):
            for j in range(i):
                hessian[i][j] = hessian[j][i]
            if i < n_features:
                gradient[i] += ridge * beta[i] * total
                hessian[i][i] += ridge * total
        step = _solve(hessian, gradient)
        beta = [b - s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return beta[:-1], beta[-1]


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve matrix · x = vector by Gaussian elimination with partial pivoting."""
    size = len(vector)
    augmented = [row[:] + [value] for row, value in zip(matrix, vector)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(augmented[r][column]))
        augmented[column], augmented[pivot] = augmented[pivot], augmented[column]
        lead = augmented[column][column] or 1e-12
        for row in range(column + 1, size):
            factor = augmented[row][column] / lead
            if factor:
                for k in range(column, size + 1):
                    augmented[row][k] -= factor * augmented[column][k]
    solution = [0.0] * size
    for row in range(size - 1, -1, -1):
        known = sum(augmented[row][k] * solution[k] for k in range(row + 1, size))
        solution[row] = (augmented[row][size] - known) / (augmented[row][row] or 1e-12)
    return solution
