"""Fit careerbot's out-of-scope decision and keyword weights; write `intents/decision.yaml`.

    python scripts/fit_decision.py [EVERYDAY_QUERIES.tsv] [--folds 5]

Positives are the intents' own examples, each read by an engine built without it (k-fold), so the
evidence looks like that of a new question. Negatives are careerbot's own (the `out_of_scope`
examples, k-fold too) and a file of everyday assistant queries (tab-separated: domain, intent,
query; '#' lines are comments), by default CLINC150's training split beside this repository. The
table written holds numbers only: the share of everyday queries holding each keyword, and the
coefficients and cut-off of the logistic decision. Run it again after changing the intents.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from careerbot import Engine
from careerbot._text import normalise, stem
from careerbot.dialogue.state import Context
from careerbot.knowledge.loader import load_knowledge_base
from careerbot.knowledge.model import DecisionTable, frozen_map
from careerbot.reading.calibrate import (
    DEFAULT_COEFFICIENTS,
    DEFAULT_CUTOFF,
    DEFAULT_INTERCEPT,
    FEATURES,
    fit_decision,
    fold,
    probability,
    reading_features,
)
from careerbot.reading.matcher import keyword_form

REPO = Path(__file__).resolve().parent.parent
DEFAULT_QUERIES = REPO.parent / "shared" / "eval" / "clinc150_train.tsv"
ANSWERED_AS_SMALL_TALK = {"greeting", "goodbye", "thank_you", "what_can_i_ask_you"}
"""Everyday intents careerbot answers itself (hello, bye, thanks, what can you do): not negatives."""
OWN_SHARE = 0.4
"""The weight of careerbot's own negatives in the fit (the everyday queries get 0.5 less this): the
cut-off keeps everyday queries out (`MIN_EVERYDAY_REJECTED`) whatever the fit, so the fit's weight
goes where the decision is hard, the close look-alikes."""
MIN_EVERYDAY_REJECTED = 0.986
"""The cut-off is the highest share of answerable questions kept while rejecting this share of
everyday queries."""

HEADER = """\
# careerbot's out-of-scope decision and keyword weights: numbers fitted by scripts/fit_decision.py.
# Do not edit by hand; run the script again after changing the intents.
#
# Fitted on: the intents' own examples (positives) and negatives: careerbot's own out_of_scope
# examples and the everyday assistant queries of CLINC150's training split (Larson et al., "An
# Evaluation Dataset for Intent Classification and Out-of-Scope Prediction", EMNLP-IJCNLP 2019;
# data from the GitHub repository clinc/oos-eval; licensed CC BY 3.0). No query of it is copied
# here: `negative_rate` gives, for each keyword of the intents, the share of those queries that
# hold it; `coefficients`, `intercept` and `cutoff` are those of the logistic decision.
"""


def everyday_queries(path: Path) -> list[str]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        domain, intent, query = line.split("\t")
        if domain != "domain" and intent not in ANSWERED_AS_SMALL_TALK:
            queries.append(query)
    return queries


def negative_rates(kb, queries: list[str]) -> dict[str, float]:
    """The share of `queries` holding each keyword of the intents (stemmed, as the matcher sees it)."""
    keywords = {keyword_form(k) for i in kb.intents.values() for k in i.keywords}
    texts = [f" {' '.join(stem(w) for w in normalise(q).tokens)} " for q in queries]
    rates = {}
    for keyword in sorted(k for k in keywords if k):
        share = sum(f" {keyword} " in t for t in texts) / len(texts)
        if share:
            rates[keyword] = round(share, 5)
    return rates


def rows_of(engine: Engine, questions: list[str]) -> list[list[float]]:
    """The features of each question that reaches the calibrated decision (the others are
    settled before it: a job outside ML, a role on its own, small talk)."""
    rows = []
    for question in questions:
        reading = engine._read(question)
        if engine._policy.screen(reading, Context()) is None:
            rows.append([reading_features(reading)[name] for name in FEATURES])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("queries", nargs="?", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--intents", type=Path, default=REPO / "intents")
    parser.add_argument("--output", type=Path, help="default: decision.yaml in the intents folder")
    args = parser.parse_args(argv)

    queries = everyday_queries(args.queries)
    output = args.output or args.intents / "decision.yaml"
    kb = load_knowledge_base(intents=args.intents, knowledge=REPO / "knowledge")
    rates = negative_rates(kb, queries)
    kb = kb._replace(decision=DecisionTable(frozen_map(DEFAULT_COEFFICIENTS), DEFAULT_INTERCEPT, DEFAULT_CUTOFF,
                                            frozen_map(rates)))
    positives, own_negatives = [], []
    for index in range(args.folds):
        train, held_out = fold(kb, args.folds, index)
        engine = Engine(_knowledge=train)
        positives += rows_of(engine, [q for q, intent in held_out if intent != "out_of_scope"])
        own_negatives += rows_of(engine, [q for q, intent in held_out if intent == "out_of_scope"])
        print(f"fold {index + 1}/{args.folds}: {len(held_out)} held out", file=sys.stderr)
    everyday = rows_of(Engine(_knowledge=kb), queries)
    print(f"rows: {len(positives)} answerable, {len(own_negatives)} own negatives, {len(everyday)} everyday "
          f"(of {len(queries)})", file=sys.stderr)

    rows = positives + own_negatives + everyday
    labels = [1] * len(positives) + [0] * (len(own_negatives) + len(everyday))
    # Half the weight to what careerbot must answer; the other half shared by its own negatives
    # (close look-alikes, which name roles) and the everyday queries (which rarely do).
    weights = ([0.5 / len(positives)] * len(positives) + [OWN_SHARE / len(own_negatives)] * len(own_negatives)
               + [(0.5 - OWN_SHARE) / len(everyday)] * len(everyday))
    coefficients, intercept = fit_decision(rows, labels, weights)
    named = dict(zip(FEATURES, coefficients))

    def share(group, cutoff, answerable):
        chances = [probability(dict(zip(FEATURES, row)), named, intercept) for row in group]
        return sum((c >= cutoff) == answerable for c in chances) / (len(chances) or 1)

    cutoff = 0.5
    for candidate in [i / 100 for i in range(5, 96)]:
        if share(everyday, candidate, False) >= MIN_EVERYDAY_REJECTED:
            cutoff = candidate
            break
    print(f"cut-off {cutoff:.2f}: answerable kept {share(positives, cutoff, True):.3f}, own negatives rejected "
          f"{share(own_negatives, cutoff, False):.3f}, everyday rejected {share(everyday, cutoff, False):.3f}",
          file=sys.stderr)

    lines = [HEADER, "coefficients:"]
    lines += [f"  {name}: {value:.4f}" for name, value in named.items()]
    lines += [f"intercept: {intercept:.4f}", f"cutoff: {cutoff:.2f}", "negative_rate:"]
    lines += [f"  {keyword}: {rate:.5f}" if keyword.replace(" ", "").isalnum() else f'  "{keyword}": {rate:.5f}'
              for keyword, rate in rates.items()]
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
