"""What the question log costs the HTTP server, measured in one run against same-run yardsticks.

    python benchmarks/log_cost.py [--base REF] [--rounds 5] [--requests 3000] [--json]

Three servers take the load of `http_load.py` in turn, round after round, each one first, second
and third in as many rounds (the place in a round changes the figures too), so that a slow minute
of the machine weighs on all three alike:

    base   the code of --base, from a `git archive`: careerbot without the question log (by default
           the commit where this branch leaves main: `git merge-base HEAD main`)
    off    this checkout, logging off
    on     this checkout with `--log sqlite:///...` (a fresh file in a temporary folder)

Each round gives two ratios of neighbouring runs (on/off, off/base); their medians over the rounds
are the costs (a slow minute of the machine then weighs on both sides of a ratio). It reports
them, each server's median requests per second, and the goals: logging on costs at most 10% of
the throughput of logging off, with no failed request; logging off costs at most 2% against base.
Exit 1 when a goal is not met. Throughput on a shared machine swings with whatever else runs, so
it also reports the server's CPU time per request (from /proc), the steadier figure of what the
code costs. Traffic stays on 127.0.0.1; every run is bounded.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_load import load_server, machine  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOG_ON_MAX_COST = 0.10
LOG_OFF_MAX_COST = 0.02


def checkout(ref: str, folder: str) -> None:
    """The files of `ref` (src, intents, knowledge) unpacked into `folder`."""
    archive = subprocess.run(["git", "-C", REPO, "archive", ref, "src", "intents", "knowledge"],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", help="git ref of the code without the question log (default: the merge base "
                                       "of HEAD and main)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the three servers (default 5)")
    parser.add_argument("--requests", type=int, default=3000, help="requests per server per round (3000)")
    parser.add_argument("--concurrency", type=int, default=32, help="connections at once (default 32)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if args.base is None:
        args.base = subprocess.run(["git", "-C", REPO, "merge-base", "HEAD", "main"], capture_output=True,
                                   text=True, check=True).stdout.strip()[:12]
    if not 1 <= args.rounds <= 50 or not 100 <= args.requests <= 100_000:
        parser.error("--rounds 1..50, --requests 100..100000")

    rates: dict[str, list[float]] = {"base": [], "off": [], "on": []}
    cpu: dict[str, list[float]] = {"base": [], "off": [], "on": []}      # server CPU µs per request
    errors: dict[str, int] = {"base": 0, "off": 0, "on": 0}
    with tempfile.TemporaryDirectory(prefix="careerbot-log-cost-") as work:
        base = os.path.join(work, "base")
        checkout(args.base, base)
        log_url = f"sqlite:///{os.path.join(work, 'questions.sqlite3')}"
        variants = {"base": {"code": base}, "off": {}, "on": {"log": log_url}}
        for round_number in range(args.rounds):
            names = list(variants)          # each server takes each place in a round equally often
            order = names[round_number % 3:] + names[:round_number % 3]
            for name in order:
                tally, duration = load_server(args.requests, args.concurrency, 1, **variants[name])
                rates[name].append(tally.sent / duration)
                if tally.server_cpu is not None and tally.sent:
                    cpu[name].append(tally.server_cpu / tally.sent * 1e6)
                errors[name] += sum(tally.errors.values()) + (args.requests - tally.sent)
            if not args.json:
                print(f"round {round_number + 1}: " + ", ".join(
                    f"{n} {rates[n][-1]:,.0f}/s" + (f" {cpu[n][-1]:,.0f} µs" if cpu[n] else "") for n in variants),
                    file=sys.stderr)
    median = {name: statistics.median(values) for name, values in rates.items()}
    on_ratios = [on / off for on, off in zip(rates["on"], rates["off"])]
    off_ratios = [off / base for off, base in zip(rates["off"], rates["base"])]
    cpu_median = {name: statistics.median(values) if values else None for name, values in cpu.items()}
    on_cost = 1 - statistics.median(on_ratios)
    off_cost = 1 - statistics.median(off_ratios)
    goals = {
        "log_on_cost": {"measured": round(on_cost, 4), "goal": f"<= {LOG_ON_MAX_COST:.0%} and 0 errors",
                        "met": on_cost <= LOG_ON_MAX_COST and errors["on"] == 0},
        "log_off_cost": {"measured": round(off_cost, 4), "goal": f"<= {LOG_OFF_MAX_COST:.0%}",
                         "met": off_cost <= LOG_OFF_MAX_COST},
    }
    report = {"base": args.base, "rounds": args.rounds, "requests_per_round": args.requests,
              "concurrency": args.concurrency, "median_requests_per_second": {k: round(v, 1) for k, v in median.items()},
              "requests_per_second": {k: [round(v, 1) for v in values] for k, values in rates.items()},
              "ratios": {"on_to_off": [round(r, 3) for r in on_ratios], "off_to_base": [round(r, 3) for r in off_ratios]},
              "server_cpu_us_per_request": {k: v and round(v, 1) for k, v in cpu_median.items()},
              "errors": errors, "goals": goals, "machine": machine()}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"POST /v1/ask, {args.rounds} rounds of {args.requests:,} requests, {args.concurrency} at once, "
              "1 worker; medians:")
        for name, label in (("base", f"{args.base} (no question log)"), ("off", "this code, log off"),
                            ("on", "this code, log on (SQLite)")):
            cpu_text = f"   server CPU {cpu_median[name]:,.0f} µs/request" if cpu_median[name] else ""
            print(f"  {label:<32} {median[name]:8,.0f} requests/s{cpu_text}   errors: {errors[name]}")
        print(f"  ratios by round, on/off: {' '.join(f'{r:.2f}' for r in on_ratios)}; "
              f"off/{args.base}: {' '.join(f'{r:.2f}' for r in off_ratios)}")
        print(f"  log on costs {on_cost:+.1%} against log off (goal {goals['log_on_cost']['goal']}): "
              f"{'met' if goals['log_on_cost']['met'] else 'NOT MET'}")
        print(f"  log off costs {off_cost:+.1%} against {args.base} (goal {goals['log_off_cost']['goal']}): "
              f"{'met' if goals['log_off_cost']['met'] else 'NOT MET'}")
    if all(cpu_median.values()):
        print(f"  server CPU per request: log on {cpu_median['on'] / cpu_median['off'] - 1:+.1%} against log off, "
              f"log off {cpu_median['off'] / cpu_median['base'] - 1:+.1%} against {args.base}")
    return 0 if all(goal["met"] for goal in goals.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
