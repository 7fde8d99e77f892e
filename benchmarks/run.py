"""careerbot benchmarks: every goal of the speed issue in one table, each figure beside a yardstick
measured in the same run.

    .venv/bin/python benchmarks/run.py            # everything: about 4 minutes
    .venv/bin/python benchmarks/run.py --quick    # CI: 10x for 100x, fewer repeats, no ChatterBot, no
                                                  # reliability checks (CI runs those on their own); exits 1
                                                  # when a ratio is over 2x worse than in baseline.json
    .venv/bin/python benchmarks/run.py --quick --record-baseline   # baseline.json from this run's ratios
    .venv/bin/python benchmarks/run.py --json     # the same, for machines

Run it with the Python careerbot is installed in. First it compiles careerbot's bytecode
(`python -m compileall -q -f` on the package, as the README's set-up does, every module afresh);
every process it measures then runs with PYTHONDONTWRITEBYTECODE=1 and careerbot's cache in
--workdir. What it measures:

- cold: `careerbot ask` in a new process against `python -c "from rapidfuzz import process, fuzz,
  utils"` and `python -c pass`, interleaved runs;
- asks: in one fresh engine, every question of questions.py asked once (first asks, in a shuffled
  order, each followed by the yardstick: one rapidfuzz lookup of the same question among the
  shipped example phrases), then all of them again (repeated asks); the worst kind of
  1,000-character input beside the typical questions;
- scale: the knowledge base of synth.py at 100x (--quick: 10x): building it from no cache, beside
  building the shipped one; loading it from the cache; its added-content questions (synth.py's
  held-out questions, each asked once) beside the same questions asked of the shipped knowledge base;
- ChatterBot: trained on the shipped example phrases, each followed by careerbot's answer, and asked
  the same questions as a fresh careerbot, one question to each in turn (first asks both);
- HTTP: /v1/ask against /healthz on one server (two-turn conversations of 40 requests in all,
  answered from the engine's kept replies once warm; then each short question of questions.py once,
  on its own, every one answered afresh), 1 worker against 2, and the memory of the supervisor of
  `serve --workers 2` against its workers and against a process without an engine;
- reliability: robustness.py, hostile_data.py, http_abuse.py and http_load.py (question log on),
  whose checks CI runs on their own.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import questions
import synth
import timing
import yaml
from http_load import load, server

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
QUESTION = "what does an MLOps engineer earn"
WARM_UP = ["hello", "thanks", "what are you for"]
"""Asked first in every fresh engine and not timed: set-up on first use is not an answer."""
CHATTERBOT_VENV = Path("/tmp/chatterbot-venv")
REGRESSION = 2.0
"""--quick fails when a ratio is this many times worse than in baseline.json."""


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.1f} s"
    value = seconds * 1000
    return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"


class Worker:
    """A `_worker.py` process: a bot that answers what it is sent and times each answer itself."""

    def __init__(self, bench: Bench, mode: str, *folders, python: str | None = None, env: dict | None = None):
        self.errors = tempfile.TemporaryFile("w+")
        self.process = subprocess.Popen([python or bench.python, str(HERE / "_worker.py"), mode, *map(str, folders)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
                                        env=env or bench.env(), text=True)
        self.ready = self.read()

    def read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.errors.seek(0)
            raise RuntimeError(f"a measured process ended: {self.errors.read()[-400:]}")
        return json.loads(line)

    def request(self, **request) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self.read()

    def ask(self, texts: list[str], text: bool = False) -> dict:
        return self.request(ask=texts, text=text)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *_) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self.errors.close()


class Bench:
    def __init__(self, args):
        self.args, self.quick = args, args.quick
        self.python = sys.executable
        script = Path(sys.executable).parent / "careerbot"
        self.careerbot = str(script) if script.exists() else shutil.which("careerbot")
        if not self.careerbot:
            raise SystemExit("no `careerbot` script next to this Python: run this with careerbot's own Python")
        self.workdir = Path(args.workdir).resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.rows: list[dict] = []
        self.ratios: dict[str, dict] = {}
        self.figures: dict = {}
        self.one: Worker | None = None          # a warm engine over the shipped data, kept for comparisons
        self.big: tuple | None = None           # the synthetic knowledge base: (factor, folder, cache name)

    def env(self, cache: str = "cache", budget: bool = False) -> dict:
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPYCACHEPREFIX", "CAREERBOT_NO_CACHE", "CAREERBOT_LOG", "CAREERBOT_DATA_BUDGET")}
        env.update(PYTHONDONTWRITEBYTECODE="1", XDG_CACHE_HOME=str(self.workdir / cache))
        if budget:          # the validation budget, 100 times the shipped data's, for the synthetic ones
            env["CAREERBOT_DATA_BUDGET"] = "100"
        return env

    def row(self, goal: str, measured: str, met: bool | None = None, note: str = "") -> None:
        self.rows.append({"goal": goal, "measured": measured, "met": met, "note": note})

    def ratio(self, key: str, value: float, what: str, better: str = "lower", check: bool = True) -> float:
        self.ratios[key] = {"value": round(value, 4), "what": what, "better": better, "check": check}
        return value

    def log(self, text: str) -> None:
        if not self.args.json:
            print(f"… {text}", file=sys.stderr, flush=True)

    # -- cold start --------------------------------------------------------------------------

    def compile(self) -> str:
        probe = "import careerbot, os; print(os.path.dirname(careerbot.__file__))"
        package = subprocess.run([self.python, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
        # -f: compileall keeps a module's bytecode when the source's time stamp matches to the second,
        # so a module edited within a second of its last compile would be compiled again at every start
        subprocess.run([self.python, "-m", "compileall", "-q", "-f", package], check=True, env=env)
        return package

    def cold(self) -> None:
        runs = 7 if self.quick else 21
        ask = [self.careerbot, "ask", QUESTION]
        yardstick = [self.python, "-c", "from rapidfuzz import process, fuzz, utils"]
        floor = [self.python, "-c", "pass"]
        timing.run_process(ask, self.env())                     # writes careerbot's cache, when it must
        seconds = timing.interleaved({"ask": ask, "rapidfuzz": yardstick, "pass": floor}, runs, self.env())
        median = {name: timing.p50(values) for name, values in seconds.items()}
        ratio = self.ratio("cold_ask", median["ask"] / median["rapidfuzz"], "cold `careerbot ask` / rapidfuzz import")
        self.figures["cold"] = {"runs": runs, "seconds": seconds}
        self.row(f'cold `careerbot ask "{QUESTION}"` ≤ 1.3× `python -c "from rapidfuzz import process, fuzz, utils"`',
                 f"{ratio:.2f}×: {fmt(median['ask'])} vs {fmt(median['rapidfuzz'])} (medians of {runs} interleaved "
                 f"runs; `python -c pass` {fmt(median['pass'])})", ratio <= 1.3)

    # -- first and repeated asks at 1x ------------------------------------------------------------

    def asks(self) -> None:
        sets = questions.sets(self.args.seed, long_variants=4)
        kinds = {text: name for name in ("typical", "typos", "out of scope") for text in sets[name]}
        kinds.update({text: "long" for texts in sets["long"].values() for text in texts})
        order = list(kinds)
        random.Random(self.args.seed).shuffle(order)
        examples = example_phrases(REPO / "intents")
        self.one = Worker(self, "careerbot")
        self.one.ask(WARM_UP)
        first = self.one.request(ask=order, yardstick=examples)
        again = self.one.ask(order)
        yardstick = timing.p50(s for t, s in zip(order, first["yardstick_seconds"]) if kinds[t] == "typical")
        first_s = dict(zip(order, first["seconds"]))
        again_s = dict(zip(order, again["seconds"]))
        answers = dict(zip(order, first["answers"]))
        self.figures["asks"] = {"yardstick_s": yardstick, "first_s": first_s, "repeated_s": again_s,
                                "load_s": self.one.ready["load_s"], "peak_mb": self.one.ready["peak_mb"]}
        counts = {name: sum(1 for k in kinds.values() if k == name) for name in ("typical", "typos", "out of scope",
                                                                                  "long")}
        p50 = timing.p50(first["seconds"])
        ratio = self.ratio("first_ask", p50 / yardstick, "first-ask p50, every question / yardstick")
        self.row("warm first ask, p50 ≤ 0.5 ms over ≥ 300 distinct questions of every kind",
                 f"{fmt(p50)} over {len(order)} ({', '.join(f'{n} {k}' for k, n in counts.items())}): {ratio:.2f}× "
                 f"the yardstick, one rapidfuzz lookup of a question among the {len(examples):,} example phrases "
                 f"({fmt(yardstick)}); p90 {fmt(timing.percentile(first['seconds'], 0.9))}, p99 "
                 f"{fmt(timing.percentile(first['seconds'], 0.99))}", p50 <= 0.0005 and len(order) >= 300)
        repeated = timing.p50(again["seconds"])
        ratio = self.ratio("repeated_ask", repeated / yardstick, "repeated-ask p50, every question / yardstick")
        self.row("repeated ask (the same questions again), p50",
                 f"{fmt(repeated)}: {ratio:.2f}× the yardstick, {repeated / p50:.2f}× the first ask")
        for name in ("typical", "typos", "out of scope", "long"):
            texts = [t for t in order if kinds[t] == name]
            one, two = timing.p50(first_s[t] for t in texts), timing.p50(again_s[t] for t in texts)
            key = "first_" + name.replace(" ", "_")
            ratio = self.ratio(key, one / yardstick, f"first-ask p50, {name} / yardstick")
            note = ""
            if name == "typos":
                same = sum(answers[t] == answers[sets["typo_of"][t]] for t in texts)
                note = f"; the same answer as without the typos for {same / len(texts):.0%}"
            label = "long, 250 to 1,000 characters" if name == "long" else name
            self.row(f"{label}: {len(texts)} questions, first and repeated asks apart",
                     f"first {fmt(one)} ({ratio:.2f}× the yardstick), repeated {fmt(two)} ({two / yardstick:.2f}×)"
                     + note)
        typical = timing.p50(first_s[t] for t in sets["typical"])
        worst = {name.split(",")[0]: timing.p50(first_s[t] for t in texts)
                 for name, texts in sets["long"].items() if name.endswith("1,000 characters")}
        kind = max(worst, key=worst.get)
        ratio = self.ratio("worst_1000", worst[kind] / typical, "worst 1,000-character kind / typical first ask")
        count = len(next(iter(sets["long"].values()))) * 2
        self.row("worst 1,000-character input ≤ 5× the typical question's first-ask p50",
                 f"{ratio:.0f}×: {fmt(worst[kind])} ({kind}, p50 of {count}) vs {fmt(typical)}; "
                 + ", ".join(f"{name} {value / typical:.0f}×" for name, value in worst.items() if name != kind),
                 ratio <= 5)

    # -- a knowledge base 100 times the shipped one ------------------------------------------------

    def build(self, cache: str, *folders: Path) -> dict:
        """A fresh process loading a knowledge base with no cache (so it builds and writes one): the
        seconds Engine.load took, the process's CPU seconds and peak MB."""
        shutil.rmtree(self.workdir / cache, ignore_errors=True)
        with Worker(self, "careerbot", *folders, env=self.env(cache, budget=True)) as built:
            return built.ready

    def scale(self, factor: int) -> None:
        out = self.workdir / f"kb-{factor}x"
        if not synth.is_current(out, float(factor), self.args.seed, REPO / "intents", REPO / "knowledge"):
            self.log(f"writing the {factor}× knowledge base")
            synth.generate(out, float(factor), self.args.seed)
        meta = json.loads((out / "synth.json").read_text())
        heldout = yaml.safe_load((out / "heldout.yaml").read_text(encoding="utf-8"))["questions"]
        texts = [q["q"] for q in heldout]
        self.log(f"building the {factor}× knowledge base from no cache")
        built_1x = self.build("build-1x")
        built = self.build(f"build-{factor}x", out / "intents", out / "knowledge")
        with Worker(self, "careerbot", out / "intents", out / "knowledge", env=self.env(f"build-{factor}x", True)) as big:
            big.ask(WARM_UP)
            asked, at_one = in_turn([big, self.one], texts)
            peak = big.request(peak=True)["peak_mb"]
            load_s = big.ready["load_s"]
        self.big = (factor, out, f"build-{factor}x")
        right = sum(answer[0] == q["intent"] for answer, q in zip(asked["answers"], heldout)) / len(heldout)
        p50, p50_one = timing.p50(asked["seconds"]), timing.p50(at_one["seconds"])
        cpu = self.ratio(f"build_{factor}x", built["cpu_s"] / built_1x["cpu_s"], f"{factor}× build / 1× build, CPU time")
        added = self.ratio(f"added_{factor}x", p50 / p50_one, f"{factor}× added-content p50 / the same at 1×")
        loaded = self.ratio(f"load_{factor}x", load_s / self.one.ready["load_s"], f"{factor}× load / 1× load",
                            check=False)            # a few milliseconds, once: too few to judge a regression
        self.figures[f"scale_{factor}x"] = {"kb": meta, "build": built, "build_1x": built_1x,
                                            "load_s": load_s, "peak_mb": peak, "added_p50_s": p50,
                                            "added_p50_1x_s": p50_one, "added_right": right}
        judged = factor == 100
        size = f"{factor}× ({meta['roles']:,} roles, {meta['intents']:,} intents, {meta['examples']:,} phrases)"
        self.row(f"{size} builds in ≤ 10 s" + ("" if judged else ", for 100×"),
                 f"{fmt(built['load_s'])}: {built['load_s'] / built_1x['load_s']:.0f}× building the shipped one "
                 f"({fmt(built_1x['load_s'])}), both from no cache in a fresh process (CPU time {cpu:.0f}×); peak "
                 f"memory {built['peak_mb']:.0f} MB ({built_1x['peak_mb']:.0f} MB)",
                 built["load_s"] <= 10 if judged else None)
        self.row(f"{factor}× added content: p50 ≤ 3× the same questions at 1×, ≥ 90% answered right"
                 + ("" if judged else ", for 100×"),
                 f"{added:.1f}×: {fmt(p50)} vs {fmt(p50_one)} ({len(texts)} held-out questions, first asks); "
                 f"{right:.0%} right", added <= 3 and right >= 0.9 if judged else None)
        self.row(f"{factor}× load from the cache ≤ 0.3 s, memory ≤ 300 MB (the earlier goals)"
                 + ("" if judged else ", for 100×"),
                 f"{fmt(load_s)}: {loaded:.1f}× the shipped one's ({fmt(self.one.ready['load_s'])}); "
                 f"{peak:.0f} MB after answering ({self.figures['asks']['peak_mb']:.0f} MB at 1× after loading)",
                 load_s <= 0.3 and peak <= 300 if judged else None)

    # -- ChatterBot ------------------------------------------------------------------------------

    def chatterbot(self) -> None:
        goal = "against ChatterBot on the same corpus, first asks interleaved in one run: ≥ 100× faster"
        python = Path(self.args.chatterbot_python or os.environ.get("CHATTERBOT_PYTHON")
                      or CHATTERBOT_VENV / "bin" / "python")
        if not python.exists() and self.args.install_chatterbot:
            self.log("installing ChatterBot")
            subprocess.run([sys.executable, "-m", "venv", str(python.parent.parent)], check=False)
            subprocess.run([str(python.parent / "pip"), "install", "-q", "chatterbot"], check=False)
        probe = subprocess.run([str(python), "-c", "import chatterbot.tagging"], capture_output=True, text=True) \
            if python.exists() else None
        if probe is None or probe.returncode:
            why = (probe.stderr.strip().splitlines() or ["?"])[-1] if probe else f"no {python}"
            self.row(goal, f"not measured: ChatterBot cannot be used ({why}); install it with `python3 -m venv "
                           f"{CHATTERBOT_VENV} && {CHATTERBOT_VENV}/bin/pip install chatterbot` or --install-chatterbot")
            return
        examples = example_phrases(REPO / "intents")
        corpus = list(zip(examples, self.one.ask(examples, text=True)["texts"]))
        corpus_path = self.workdir / "chatterbot-corpus.json"
        corpus_path.write_text(json.dumps(corpus), encoding="utf-8")
        sets = questions.sets(self.args.seed, long_variants=1)
        mix = sets["typical"] + sets["typos"] + sets["out of scope"]
        asked = mix[:: len(mix) // 40][:40]
        self.log(f"training ChatterBot on {len(corpus):,} pairs")
        with Worker(self, "chatterbot", corpus_path, python=str(python), env=self.env("chatterbot-cache")) as theirs, \
                Worker(self, "careerbot") as ours:
            theirs.ask(WARM_UP)
            ours.ask(WARM_UP)
            mine, chatterbot = in_turn([ours, theirs], asked)
            info = theirs.ready
        times = {"careerbot": mine["seconds"], "chatterbot": chatterbot["seconds"]}
        ours_p50, theirs_p50 = timing.p50(times["careerbot"]), timing.p50(times["chatterbot"])
        ratio = self.ratio("chatterbot", theirs_p50 / ours_p50, "ChatterBot first ask / careerbot first ask",
                           better="higher", check=False)
        self.figures["chatterbot"] = {**info, "questions": asked, "seconds": times}
        self.row(goal, f"{ratio:,.0f}× faster: careerbot {fmt(ours_p50)} vs ChatterBot {info['version']} "
                       f"{fmt(theirs_p50)} (p50 of {len(asked)} questions; trained on {len(corpus):,} example phrases "
                       f"each followed by careerbot's answer, SQLite, BestMatch, LowercaseTagger)", ratio >= 100)

    # -- HTTP ------------------------------------------------------------------------------------

    def http(self) -> None:
        requests, rounds = (1000, 2) if self.quick else (4000, 3)
        cores = timing.machine()["usable_cores"]
        runs: dict[str, list[dict]] = {"healthz": [], "ask": [], "ask2": []}
        with server(1, env=self.env()) as (one, single, _), server(2, env=self.env()) as (two, _, _):
            for port, path in ((one, "/healthz"), (one, "/v1/ask"), (two, "/v1/ask")):
                load(port, 300, 8, path)                                  # warm-up
            for _ in range(rounds):                                       # interleaved rounds
                runs["healthz"].append(load(one, requests, 32, "/healthz", pid=single.pid))
                runs["ask"].append(load(one, requests, 32, pid=single.pid))
                runs["ask2"].append(load(two, requests, 32))
            # the load above repeats 40 requests, answered from the engine's kept replies once warm:
            # the same server asked each of the benchmark's short questions once, on its own
            sets = questions.sets(self.args.seed, long_variants=0)
            texts = [text for name in ("typical", "typos", "out of scope") for text in sets[name]]
            fresh = load(one, len(texts), 32, pid=single.pid, questions=texts)
        rate = {name: timing.p50(r["requests_per_second"] for r in results) for name, results in runs.items()}
        cpu = {name: timing.p50(r["server_cpu_us"] or 0 for r in runs[name]) for name in ("healthz", "ask")}
        errors = sum(r["errors"] for results in runs.values() for r in results)
        self.figures["http"] = {"runs": runs}
        ratio = self.ratio("ask_vs_healthz", rate["ask"] / rate["healthz"], "/v1/ask / /healthz throughput",
                           better="higher", check=False)   # the client shares the machine: it swings
        self.ratio("ask_vs_healthz_cpu", cpu["ask"] / cpu["healthz"], "server CPU a request, /v1/ask / /healthz")
        p99 = timing.p50(r["latency_ms"]["p99"] for r in runs["ask"])
        self.row("`/v1/ask` throughput ≥ 0.6× `/healthz` on the same server (1 worker)",
                 f"{ratio:.2f}×: {rate['ask']:,.0f} vs {rate['healthz']:,.0f} requests/s (medians of {rounds} "
                 f"interleaved rounds of {requests:,} requests over 32 connections; /v1/ask p99 {p99:.0f} ms; "
                 f"{errors} errors); server CPU a request {cpu['ask']:,.0f} vs {cpu['healthz']:,.0f} µs",
                 ratio >= 0.6 and not errors)
        ratio = self.ratio("fresh_ask_vs_healthz", fresh["requests_per_second"] / rate["healthz"],
                           "/v1/ask, questions asked once / /healthz throughput", better="higher", check=False)
        self.row("`/v1/ask`, every question asked for the first time, beside `/healthz`",
                 f"{ratio:.2f}×: {fresh['requests_per_second']:,.0f} requests/s ({fresh['requests']:,} distinct questions "
                 f"of the first-ask set but the long ones, each once, without a state; p99 "
                 f"{fresh['latency_ms']['p99']:.0f} ms; {fresh['errors']} errors); server CPU a request "
                 f"{fresh['server_cpu_us'] or 0:,.0f} µs")
        ratio = self.ratio("workers_2_vs_1", rate["ask2"] / rate["ask"], "2 workers / 1 worker, /v1/ask throughput",
                           better="higher", check=False)
        self.row(f"1 and 2 workers, measured on {cores} cores",
                 f"2 workers {ratio:.2f}× 1 worker: {rate['ask2']:,.0f} vs {rate['ask']:,.0f} /v1/ask requests/s "
                 f"(the client shares the {cores} cores)")
        self.supervisor()

    def supervisor(self) -> None:
        """The memory of `serve --workers 2` over the biggest knowledge base of the run, where an engine
        is largest, against its workers and against a process that has imported what it needs: the
        server's module (careerbot's code, uvicorn and starlette), and no engine."""
        factor, out, cache = self.big
        options = ("--intents", str(out / "intents"), "--knowledge", str(out / "knowledge"))
        with server(2, env=self.env(cache, budget=True), options=options) as (port, supervisor, _):
            load(port, 200, 8)
            workers = [timing.rss_mb(pid) for pid in children(supervisor.pid)]
            supervisor_mb = timing.rss_mb(supervisor.pid)
        code = "import careerbot.frontends.server, timing; print(timing.peak_mb())"
        bare_mb = float(subprocess.run([self.python, "-c", code], cwd=HERE, env=self.env(), capture_output=True,
                                       text=True, check=True).stdout)
        goal = f"the supervisor of `serve --workers 2` holds no engine ({factor}× knowledge base)"
        if not supervisor_mb or not any(workers):
            self.row(goal, "not measured: no /proc here")
            return
        worker_mb = timing.p50(w for w in workers if w)
        share = (supervisor_mb - bare_mb) / max(1e-9, worker_mb - bare_mb)
        ratio = self.ratio("supervisor_vs_worker", supervisor_mb / worker_mb, "supervisor / worker memory")
        self.figures["supervisor"] = {"supervisor_mb": supervisor_mb, "workers_mb": workers, "bare_mb": bare_mb}
        self.row(goal + ": at most 0.25 of the memory a worker's engine takes",
                 f"it holds {share:.2f} of an engine: {supervisor_mb:.0f} MB, {ratio:.2f}× a worker's "
                 f"{worker_mb:.0f} MB; Python with the server's code imported (careerbot, uvicorn, starlette; "
                 f"no engine): {bare_mb:.0f} MB",
                 share <= 0.25)

    # -- reliability checks --------------------------------------------------------------------------

    def script(self, name: str, *args: str) -> dict:
        done = subprocess.run([self.python, str(HERE / name), "--json", *args], capture_output=True, text=True,
                              timeout=1800, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        if not done.stdout.strip():
            raise RuntimeError(f"{name} printed nothing: {done.stderr[-300:]}")
        return json.loads(done.stdout)

    def reliability(self) -> None:
        report = self.script("robustness.py")
        question = max(report["question_ratios"], key=report["question_ratios"].get)
        state = max(report["state_ratios"], key=report["state_ratios"].get)
        self.row("hostile questions ≤ 500× an ordinary one, hostile states refused ≤ 50× restoring a valid one "
                 "(robustness.py)", f"worst question {report['question_ratios'][question]:.0f}× ({question}); worst "
                                    f"state {report['state_ratios'][state]:.1f}× ({state})", report["met"])
        report = self.script("hostile_data.py")
        case = max(report["cases"], key=lambda c: max(report["cases"][c]["time_ratio"], report["cases"][c]["memory_ratio"]))
        self.row("hostile data folders: `careerbot validate` ≤ 5× the shipped data's time and memory, each refused or "
                 "accepted as it should be (hostile_data.py)", f"worst {report['worst_ratio']:.1f}× ({case})",
                 report["met"])
        report = self.script("http_abuse.py", "--seconds", "3")
        self.row("a normal client keeps ≥ 50% of its throughput beside 300 idle connections and 4 endless bodies "
                 "(http_abuse.py)", f"{report['throughput_share']:.0%}; beside 2 clients asking 1,000-character "
                                    f"worst-case questions: {report['worst_case_share']:.0%}", report["met"])
        with tempfile.TemporaryDirectory() as folder:
            on = self.script("http_load.py", "--requests", "4000", "--log", f"sqlite:///{folder}/questions.sqlite3")
        off = self.script("http_load.py", "--requests", "4000")
        self.row("the question log on (SQLite): no failed request (http_load.py)",
                 f"{on['errors']} of {on['requests']:,} failed; {on['requests_per_second']:,.0f} requests/s, "
                 f"{on['requests_per_second'] / off['requests_per_second']:.2f}× the log off in the next run",
                 on["errors"] == 0 and off["errors"] == 0)


def in_turn(workers: list[Worker], texts: list[str]) -> list[dict]:
    """Each question to every worker in turn, who goes first alternating: so that a slow moment of
    the machine weighs on all alike. Each worker's {"seconds": [...], "answers": [...]}."""
    results = [{"seconds": [], "answers": []} for _ in workers]
    for index, text in enumerate(texts):
        turn = list(enumerate(workers))
        for place, worker in turn[index % len(turn):] + turn[:index % len(turn)]:
            reply = worker.ask([text])
            results[place]["seconds"] += reply["seconds"]
            results[place]["answers"] += reply["answers"]
    return results


def example_phrases(intents: Path) -> list[str]:
    phrases = []
    for path in sorted(intents.glob("*.yaml")):
        phrases += [str(e) for e in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("examples") or ()]
    return list(dict.fromkeys(phrases))


def children(pid: int) -> list[int]:
    """The worker processes a supervisor started (multiprocessing's spawned children), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "stat").read_text().rsplit(")", 1)[1].split()[1] == str(pid) \
                    and b"spawn_main" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except (OSError, IndexError):
            continue
    return found


def check(ratios: dict, baseline: dict) -> list[str]:
    """Each ratio against the baseline's: the lines to print, a regression marked."""
    lines = []
    for key, now in ratios.items():
        was = baseline.get(key)
        if was is None or not now["check"]:
            continue
        worse = now["value"] / was if now["better"] == "lower" else was / now["value"]
        mark = "REGRESSION" if worse > REGRESSION else ""
        lines.append(f"  {key:<22} {was:>9.3f} → {now['value']:>9.3f}  {worse:5.2f}× {mark}".rstrip())
    return lines


def render(bench: Bench, conditions: list[str], elapsed: float) -> str:
    lines = [conditions[0], "", *(f"- {line}" for line in conditions[1:]), "",
             "| goal | measured, beside its same-run yardstick | met? |", "| --- | --- | --- |"]
    for row in bench.rows:
        status = {True: "met", False: "**missed**", None: ""}[row["met"]]
        lines.append(f"| {row['goal']} | {row['measured']} | {status} |")
    judged = [row["met"] for row in bench.rows if row["met"] is not None]
    lines += ["", f"goals met: {sum(judged)} of {len(judged)}; the run took {elapsed:.0f} s"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the CI run: 10x, fewer repeats, ratios checked")
    parser.add_argument("--record-baseline", action="store_true", help="write this run's ratios to baseline.json")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--seed", type=int, default=5, help="seed of the questions and the synthetic data")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "careerbot-bench"),
                        help="careerbot's cache, the synthetic knowledge bases and scratch files")
    parser.add_argument("--chatterbot-python", help=f"ChatterBot's Python (default {CHATTERBOT_VENV}/bin/python)")
    parser.add_argument("--install-chatterbot", action="store_true", help=f"create {CHATTERBOT_VENV} if missing")
    args = parser.parse_args(argv)
    started = timing.clock()
    bench = Bench(args)
    info = timing.machine()
    versions = subprocess.run([bench.python, "-c", "import careerbot, rapidfuzz; print(careerbot.__version__, "
                               "rapidfuzz.__version__)"], capture_output=True, text=True, check=True).stdout.split()
    package = bench.compile()
    conditions = [
        f"careerbot {versions[0]} benchmarks, {datetime.date.today().isoformat()}"
        f"{', quick (--quick)' if args.quick else ''}",
        f"machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), {info['system']}; "
        f"{info['implementation']} {info['python']}, rapidfuzz {versions[1]}",
        f"bytecode: compiled (`python -m compileall -q -f` on {Path(package).name}/), PYTHONDONTWRITEBYTECODE=1 in every "
        f"measured process; careerbot's cache written once, then read",
    ]
    if args.quick:
        conditions.append("quick: 10× stands for 100×, fewer runs; no ChatterBot and no reliability checks (CI runs "
                          "those on their own)")
    steps = [("cold start", bench.cold), ("first and repeated asks", bench.asks),
             (f"{10 if args.quick else 100}× knowledge base", lambda: bench.scale(10 if args.quick else 100))]
    if not args.quick:
        steps.append(("ChatterBot", bench.chatterbot))
    steps.append(("HTTP", bench.http))
    if not args.quick:
        steps.append(("reliability checks", bench.reliability))
    try:
        for name, step in steps:
            bench.log(name)
            try:
                step()
            except (RuntimeError, OSError, ValueError, KeyError, subprocess.SubprocessError) as error:
                bench.row(name, f"error: {str(error)[:300]}", False)
    finally:
        if bench.one is not None:
            bench.one.__exit__()
    elapsed = timing.clock() - started
    baseline_path = HERE / "baseline.json"
    baseline = json.loads(baseline_path.read_text()) if baseline_path.exists() else {}
    lines = check(bench.ratios, baseline.get("ratios", {})) if args.quick else []
    failed = any(line.endswith("REGRESSION") for line in lines) or any(
        row["measured"].startswith("error:") for row in bench.rows)
    if args.record_baseline:
        ratios = {key: ratio["value"] for key, ratio in bench.ratios.items()}
        baseline_path.write_text(json.dumps({"recorded": datetime.date.today().isoformat(), "quick": args.quick,
                                             "machine": info, "ratios": ratios}, indent=2) + "\n")
    if args.json:
        print(json.dumps({"conditions": conditions, "machine": info, "rows": bench.rows, "ratios": bench.ratios,
                          "figures": bench.figures, "regressions": lines, "elapsed_s": elapsed}, indent=2))
    else:
        print(render(bench, conditions, elapsed))
        if args.quick:
            print(f"\nratios against {baseline_path.name} (recorded {baseline.get('recorded', 'never')}); "
                  f"fails above {REGRESSION:g}× worse:")
            print("\n".join(lines) or "  no baseline to compare with")
    return 1 if args.quick and failed else 0


if __name__ == "__main__":
    sys.exit(main())
