"""One measured process for run.py: load an engine, optionally time questions, print JSON.

    python benchmarks/_worker.py SPEC.json

SPEC: {"intents": DIR|null, "knowledge": DIR|null, "sets": {"name": [question, ...]},
       "budget_s": seconds per set, "max_rounds": passes per set, "warmup": questions not timed}

Kept to the standard library's cheapest modules so the process itself adds little to what it
measures: the time to import careerbot and the time inside `Engine.load` are taken with
`perf_counter` in here; the parent times the whole process.
"""

import json
import resource
import sys
import time


def percentile(sorted_values, fraction):
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        spec = json.load(file)
    t0 = time.perf_counter()
    from careerbot import Engine
    t1 = time.perf_counter()
    engine = Engine.load(intents=spec.get("intents"), knowledge=spec.get("knowledge"))
    t2 = time.perf_counter()
    result = {"import_s": t1 - t0, "load_s": t2 - t1, "sets": {}}
    budget = spec.get("budget_s", 5.0)
    max_rounds = spec.get("max_rounds", 10)
    warmup = spec.get("warmup", 3)
    first_ask = None
    for name, questions in spec.get("sets", {}).items():
        if not questions:
            continue
        answers = {}
        for text in questions[:warmup]:            # lazy set-up on first use is not "warm"
            started = time.perf_counter()
            answer = engine.ask(text)
            if first_ask is None:
                first_ask = time.perf_counter() - started
            answers[text] = (answer.intent, list(answer.roles))
        samples = []
        clock = time.perf_counter_ns
        deadline = time.perf_counter() + budget
        rounds = 0
        while rounds < max_rounds:
            for text in questions:
                started = clock()
                answer = engine.ask(text)
                samples.append(clock() - started)
                if rounds == 0:
                    answers[text] = (answer.intent, list(answer.roles))
                if rounds > 0 and time.perf_counter() > deadline:
                    break
            rounds += 1
            if time.perf_counter() > deadline:
                break
        samples.sort()
        result["sets"][name] = {
            "n": len(samples), "rounds": rounds,
            "p50_ms": percentile(samples, 0.50) / 1e6, "p90_ms": percentile(samples, 0.90) / 1e6,
            "p99_ms": percentile(samples, 0.99) / 1e6, "max_ms": samples[-1] / 1e6,
            "mean_ms": sum(samples) / len(samples) / 1e6, "answers": answers,
        }
    result["first_ask_ms"] = first_ask * 1000 if first_ask is not None else None
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
