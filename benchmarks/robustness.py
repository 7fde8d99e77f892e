"""Time budgets of the reliability tests, as ratios to a yardstick measured in the same run.

    python benchmarks/robustness.py [--json]

The unit tests check that hostile questions are answered and hostile conversation states refused;
how long that takes is measured here, where a busy machine slows the yardstick as much as what is
measured, instead of failing a test about 2 runs in 7:

- each hostile question (a megabyte of text, a million-character word, 2,000 characters that
  expand under normalisation, ...) against the median of ordinary questions, stateless, each asked
  once (an engine keeps the readings of short questions, never of texts this long);
- each hostile conversation state (a million roles or choices, nesting 100,000 deep, a number of
  5,000 digits, ...) refused, against restoring a valid state.

Each figure is the median of --repeats runs; the script exits 1 when a ratio is over its budget.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

import questions
import timing

from careerbot import Engine, StateError

ORDINARY = 100
"""How many ordinary questions (the typical ones of questions.py) are each asked once for the yardstick."""
HOSTILE_QUESTIONS = {
    "one megabyte": "what does a data scientist earn? " * 31_250,
    "one word 100,000 times": "salary " * 100_000,
    "one long word": "a" * 1_000_000,
    "digits": "1" * 5000,
    "expanding under normalisation": "\ufdfa\u33c2" * 1000,
    "combining marks": "dáta̸ sc͓i͓e͓n͓t͓i͓s͓t̀́̂̃̄" + "\u0301" * 500,
    "control characters": "\x00what\x01 does\x02 an\x7f MLOps\x1b engineer\x9b earn\x00?\r\n" * 20,
    "lone surrogates": "\ud800 salary \udfff of a data \udbff\udc00scientist \ud800" * 20,
}
QUESTION_BUDGET = 500.0
"""A hostile question may cost this many ordinary ones (the worst costs under 10 here: a long text
is read by its most informative parts)."""

GOOD_STATE = {"version": 1, "roles": ["nlp-engineer"], "topic": "salary", "level": None, "idle": 0,
              "suggestions": ["What skills does an NLP Engineer need?"],
              "choices": [{"intent": "salary", "roles": ["nlp-engineer"], "level": None, "skill": None}]}


def nested(depth: int, as_dict: bool = False) -> object:
    value: object = None
    for _ in range(depth):
        value = {"a": value} if as_dict else [value]
    return value


HOSTILE_STATES = {
    "version nested 100,000 deep": {**GOOD_STATE, "version": nested(100_000)},
    "version a number of 5,000 digits": {**GOOD_STATE, "version": 10 ** 5000},
    "100,000 unknown fields": {**GOOD_STATE, **{f"field{i}": i for i in range(100_000)}},
    "a million roles": {**GOOD_STATE, "roles": ["nlp-engineer"] * 1_000_000},
    "a million suggestions": {**GOOD_STATE, "suggestions": ["x"] * 1_000_000},
    "a million valid choices": {**GOOD_STATE, "choices": GOOD_STATE["choices"] * 1_000_000},
    "a choice of a million roles": {**GOOD_STATE, "choices": [{"intent": "salary",
                                                               "roles": ["nlp-engineer"] * 1_000_000}]},
    "a 1 MB skill": {**GOOD_STATE, "choices": [{"intent": "salary", "skill": "x" * 1_000_000}]},
}
STATE_BUDGET = 50.0
"""Refusing a hostile state may cost this many restores of a valid one."""


def median_seconds(work: Callable[[], object], repeats: int) -> float:
    return timing.p50(timing.time_each(lambda _: work(), range(repeats))[0])


def refuse(engine: Engine, state: dict) -> None:
    try:
        engine.conversation(state)
    except StateError:
        return
    raise AssertionError("a hostile state was accepted")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    engine = Engine.load()
    typical = questions.typical()
    for question in typical[ORDINARY:ORDINARY + 20]:    # warm: what a first question decodes is decoded
        engine.ask(question)
    ordinary = timing.p50(timing.time_each(engine.ask, typical[:ORDINARY])[0])
    valid = median_seconds(lambda: engine.conversation(GOOD_STATE), args.repeats * 10)
    hostile = {name: median_seconds(lambda t=text: engine.ask(t), args.repeats) / ordinary
                 for name, text in HOSTILE_QUESTIONS.items()}
    states = {name: median_seconds(lambda s=state: refuse(engine, s), args.repeats) / valid
              for name, state in HOSTILE_STATES.items()}
    met = max(hostile.values()) <= QUESTION_BUDGET and max(states.values()) <= STATE_BUDGET
    report = {"ordinary_question_ms": ordinary * 1000, "valid_state_restore_us": valid * 1e6,
              "question_ratios": hostile, "question_budget": QUESTION_BUDGET,
              "state_ratios": states, "state_budget": STATE_BUDGET, "met": met}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"an ordinary question: {ordinary * 1000:.3f} ms (the yardstick for questions)")
        for name, ratio in hostile.items():
            print(f"  {name:<34} {ratio:8.1f}x")
        print(f"restoring a valid state: {valid * 1e6:.1f} µs (the yardstick for states)")
        for name, ratio in states.items():
            print(f"  {name:<34} {ratio:8.1f}x")
        print(f"budgets: a question {QUESTION_BUDGET:g}x, a state {STATE_BUDGET:g}x: {'met' if met else 'NOT MET'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
