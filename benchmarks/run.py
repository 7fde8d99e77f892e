"""careerbot benchmarks: every figure of the speed issue, each beside its reference, in one run.

    python benchmarks/run.py            # the table (about 20 s; about a minute more whenever the
                                        # 100x cache must be rebuilt, e.g. after a code change)
    python benchmarks/run.py --quick    # a smoke run (about 10 s): fewer repeats, 10x only
    python benchmarks/run.py --json     # the same figures for machines

Run it with the Python of the environment careerbot is installed in (the `careerbot` script next
to that Python is what the cold-start and batch figures time). Figures:

  (a) cold `careerbot ask "what does an MLOps engineer earn"` in a new process vs
      `python -c "from rapidfuzz import process, fuzz, utils"` (and `python -c pass`), medians of
      the same number of interleaved runs, after one ask that lets careerbot build its cache;
  (b) warm `Engine.ask` p50/p99 over the questions of shared/eval/dev.yaml and
      tests/data/paraphrases.yaml, on the shipped knowledge base;
  (c) 10x and 100x synthetic knowledge bases (benchmarks/synth.py): warm p50/p99, cold load
      (perf_counter around Engine.load in a fresh process, after one process built the cache, and
      the whole process), peak memory (ru_maxrss), and how per-question time grows with size;
  (d) batch: `careerbot ask` answering 10,000 questions from standard input;
  (e) accuracy at 1x (`careerbot eval --json`) against benchmarks/baseline.json;
  (f) ChatterBot on the same corpus (benchmarks/chatterbot_compare.py), when it is installed.

careerbot's cache goes to an isolated $XDG_CACHE_HOME under --workdir (use --user-cache to use
yours); synthetic knowledge bases are generated there once and reused while current.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402  (benchmarks/synth.py)

QUESTION = "what does an MLOps engineer earn"
GOALS = {
    "cold_ratio": 1.3,            # cold ask / rapidfuzz import, at most
    "warm_p50_ms": 0.5, "warm_p99_ms": 2.0,
    "scale_p50_ms": 8.0, "scale_load_s": 0.3, "scale_peak_mb": 300.0,
    "growth_exponent": 1.0,       # p50 ~ size**k per 10x step: sub-linear means k < 1
    "batch_qps": 5000.0,
    "chatterbot_ratio": 100.0,    # ChatterBot time per reply / careerbot's, at least
}


# --------------------------------------------------------------------------- small helpers

def median(values):
    return statistics.median(values) if values else None


def ms(seconds):
    return None if seconds is None else seconds * 1000


def fmt_ms(value, digits=None):
    if value is None:
        return "—"
    if digits is None:
        digits = 3 if value < 1 else 2 if value < 10 else 1 if value < 1000 else 0
    return f"{value:,.{digits}f} ms"


def fmt_s(value):
    return "—" if value is None else f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def verdict(ok):
    return "—" if ok is None else "met" if ok else "NOT MET"


class Failed(Exception):
    pass


class Bench:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.python, self.careerbot = self.find_interpreter(args.careerbot)
        self.workdir = Path(args.workdir).resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ)
        if not args.user_cache:
            self.cache_home = self.workdir / "cache"
            if args.fresh_cache:
                shutil.rmtree(self.cache_home, ignore_errors=True)
            self.cache_home.mkdir(exist_ok=True)
            self.env["XDG_CACHE_HOME"] = str(self.cache_home)
        else:
            base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
            self.cache_home = Path(base)
        self.env.pop("CAREERBOT_NO_CACHE", None)
        # the synthetic knowledge bases are up to 100 times the shipped one: so is the validation budget
        self.env["CAREERBOT_DATA_BUDGET"] = "100"
        self.bytecode = "as the environment has it"
        if not args.bytecode_as_is:
            # Measured processes load compiled bytecode as on any normal install. With
            # PYTHONDONTWRITEBYTECODE set (as some environments do), every module edited since its .pyc
            # was written would be compiled again on each start; the pycs go under --workdir instead.
            self.env.pop("PYTHONDONTWRITEBYTECODE", None)
            self.env["PYTHONPYCACHEPREFIX"] = str(self.workdir / "pycache")
            self.bytecode = f"written once under {self.workdir / 'pycache'}"
        self.results: dict = {}
        self.rows: list[dict] = []
        self.log_lines: list[str] = []

    # -- processes ------------------------------------------------------------

    @staticmethod
    def find_interpreter(explicit):
        script = Path(explicit) if explicit else Path(sys.executable).parent / "careerbot"
        if not script.exists():
            found = shutil.which("careerbot")
            if not found:
                raise SystemExit("cannot find the `careerbot` script: run with the Python careerbot is installed "
                                 "in, or pass --careerbot PATH")
            script = Path(found)
        python = sys.executable
        try:
            first = script.read_bytes()[:300].split(b"\n", 1)[0]
            if first.startswith(b"#!"):
                candidate = first[2:].decode().strip().split()[0]
                if Path(candidate).exists():
                    python = candidate
        except OSError:
            pass
        return python, str(script)

    def log(self, text):
        self.log_lines.append(text)
        if not self.args.json:
            print(f"  … {text}", file=sys.stderr, flush=True)

    def run(self, command, *, stdin=None, capture=False, timeout=900):
        """Run a command; return (wall seconds, stdout or None). Raises Failed on a non-zero exit."""
        started = time.perf_counter()
        done = subprocess.run(command, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                              stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env=self.env, timeout=timeout)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
            raise Failed(f"{' '.join(map(str, command[:3]))}… exited {done.returncode}: {' | '.join(tail)}")
        return wall, (done.stdout.decode() if capture else None)

    def worker(self, intents=None, knowledge=None, sets=None, budget=1.0, max_rounds=10, warmup=3):
        spec = {"intents": str(intents) if intents else None, "knowledge": str(knowledge) if knowledge else None,
                "sets": sets or {}, "budget_s": budget, "max_rounds": max_rounds, "warmup": warmup}
        with tempfile.NamedTemporaryFile("w", suffix=".json", dir=self.workdir, delete=False) as file:
            json.dump(spec, file)
        try:
            wall, out = self.run([self.python, str(HERE / "_worker.py"), file.name], capture=True, timeout=1800)
        finally:
            os.unlink(file.name)
        result = json.loads(out)
        result["wall_s"] = wall
        return result

    def cache_state(self):
        folder = self.cache_home / "careerbot"
        files = [p for p in folder.glob("*") if p.is_file()] if folder.is_dir() else []
        return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in files}

    # -- rows -----------------------------------------------------------------

    def row(self, key, figure, value, reference="", ratio="", goal="", met=None, note=""):
        self.rows.append({"key": key, "figure": figure, "value": value, "reference": reference, "ratio": ratio,
                          "goal": goal, "met": met, "note": note})

    # -- the questions ----------------------------------------------------------

    def question_sets(self):
        import yaml
        texts, labelled = [], []
        sources = [Path(self.args.dev), REPO / "tests" / "data" / "paraphrases.yaml"]
        used = []
        for path in sources:
            if not path.exists():
                self.log(f"{path} is missing: the question mix leaves it out")
                continue
            used.append(str(path))
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for item in data.get("questions") or []:
                texts.append(item["q"])
                labelled.append(item)
            for dialogue in data.get("dialogues") or []:
                texts += [turn["q"] for turn in dialogue.get("turns") or []]
            texts += [q for q in data.get("out_of_scope") or [] if isinstance(q, str)]
        if not texts:
            raise SystemExit("no questions: neither the dev set nor tests/data/paraphrases.yaml was found")
        mix = list(dict.fromkeys(texts))
        self.results["question_mix"] = {"files": used, "questions": len(mix)}
        return mix

    # -- (a) cold start ---------------------------------------------------------

    def cold_start(self):
        n = self.args.runs or (5 if self.quick else 20)
        ask = [self.careerbot, "ask", QUESTION]
        rapidfuzz = [self.python, "-c", "from rapidfuzz import process, fuzz, utils"]
        bare = [self.python, "-c", "pass"]
        before = self.cache_state()
        first, _ = self.run(ask)                       # lets careerbot build its cache
        after = self.cache_state()
        for command in (bare, rapidfuzz):
            self.run(command)
        times = {"ask": [], "rapidfuzz": [], "pass": []}
        for _ in range(n):                              # interleaved: drift hits all three alike
            times["pass"].append(self.run(bare)[0])
            times["rapidfuzz"].append(self.run(rapidfuzz)[0])
            times["ask"].append(self.run(ask)[0])
        med = {k: median(v) for k, v in times.items()}
        ratio = med["ask"] / med["rapidfuzz"]
        self.results["cold"] = {"runs": n, "first_ask_s": first, "cache_written": before != after,
                                "median_s": med, "min_s": {k: min(v) for k, v in times.items()},
                                "ratio_to_rapidfuzz": ratio, "cache_files": sorted(after)}
        self.row("a", f"cold `careerbot ask` (new process, median of {n})", fmt_ms(ms(med["ask"])),
                 f"rapidfuzz import {fmt_ms(ms(med['rapidfuzz']))}", f"{ratio:.2f}×",
                 f"≤ {GOALS['cold_ratio']}×", ratio <= GOALS["cold_ratio"],
                 f"the first ask {'wrote the cache' if before != after else 'found the cache current'}: "
                 f"{fmt_ms(ms(first))}; fastest of {n}: {fmt_ms(ms(min(times['ask'])))} vs "
                 f"{fmt_ms(ms(min(times['rapidfuzz'])))}")
        self.row("a", "  python -c pass (floor)", fmt_ms(ms(med["pass"])), "", "", "", None)

    # -- (b) warm at 1x ---------------------------------------------------------

    def warm(self, mix, subset):
        budget = 1.5 if self.quick else 4.0
        result = self.worker(sets={"mix": mix, "subset": subset}, budget=budget, max_rounds=3 if self.quick else 20)
        self.results["warm_1x"] = {k: v for k, v in result.items() if k != "sets"}
        self.results["warm_1x"]["sets"] = {name: {k: v for k, v in s.items() if k != "answers"}
                                           for name, s in result["sets"].items()}
        self.answers_1x = result["sets"]["subset"]["answers"]
        stats = result["sets"]["mix"]
        what = f"{len(mix)} questions, {stats['n']:,} asks"
        self.row("b", f"warm Engine.ask p50, 1× ({what})", fmt_ms(stats["p50_ms"]), "", "",
                 f"≤ {GOALS['warm_p50_ms']} ms", stats["p50_ms"] <= GOALS["warm_p50_ms"])
        self.row("b", "warm Engine.ask p99, 1×", fmt_ms(stats["p99_ms"]), "", "",
                 f"≤ {GOALS['warm_p99_ms']} ms", stats["p99_ms"] <= GOALS["warm_p99_ms"],
                 f"max {fmt_ms(stats['max_ms'])}; first ask after load {fmt_ms(result['first_ask_ms'])}")
        return result["sets"]["subset"]["p50_ms"]

    # -- (c) scale ----------------------------------------------------------------

    def knowledge_base(self, scale):
        out = self.workdir / f"kb-{scale:g}x"
        if synth.is_current(out, float(scale), self.args.seed, REPO / "intents", REPO / "knowledge"):
            meta = json.loads((out / "synth.json").read_text())
        else:
            self.log(f"generating the {scale:g}× knowledge base in {out}")
            meta = synth.generate(out, float(scale), self.args.seed)
        return out, meta

    def scale(self, scale, subset, growth):
        out, meta = self.knowledge_base(scale)
        intents, knowledge = out / "intents", out / "knowledge"
        import yaml
        heldout = [q["q"] for q in (yaml.safe_load((out / "heldout.yaml").read_text()) or {}).get("questions", [])]
        expected = {q["q"]: q["intent"] for q in yaml.safe_load((out / "heldout.yaml").read_text())["questions"]}
        heldout = heldout[:: max(1, len(heldout) // (20 if self.quick else 60))]
        self.log(f"{scale:g}×: first load (builds the cache)")
        before = self.cache_state()
        build = self.worker(intents, knowledge)
        built = self.cache_state() != before
        loads, walls = [], []
        n_loads = 1 if self.quick else (self.args.runs and max(1, self.args.runs // 5)) or 2
        for _ in range(n_loads):
            result = self.worker(intents, knowledge)
            loads.append(result["load_s"])
            walls.append(result["wall_s"])
        self.log(f"{scale:g}×: warm questions")
        budget = 1.0 if self.quick else 6.0
        warm = self.worker(intents, knowledge, {"mix": subset, "heldout": heldout}, budget=budget, max_rounds=20)
        loads.append(warm["load_s"])
        try:
            ask_walls = [self.run([self.careerbot, "ask", "--intents", str(intents), "--knowledge", str(knowledge),
                                   QUESTION])[0] for _ in range(1 if self.quick else 3)]
            ask_note = f"cold `careerbot ask --intents --knowledge` on it: {fmt_s(median(ask_walls))}"
        except Failed as error:
            ask_walls, ask_note = [], f"cold `careerbot ask` on it failed: {error}"
        mix_stats, held_stats = warm["sets"]["mix"], warm["sets"].get("heldout")
        same = sum(1 for q, a in mix_stats["answers"].items() if self.answers_1x.get(q) == a)
        held_right = sum(1 for q, a in (held_stats or {}).get("answers", {}).items() if expected.get(q) == a[0])
        figures = {
            "kb": {k: meta[k] for k in ("roles", "intents", "examples", "topics", "sources", "yaml_bytes")},
            "first_load_s": build["load_s"], "first_load_wall_s": build["wall_s"], "cache_written": built,
            "first_load_maxrss_mb": build["maxrss_mb"],
            "load_s": loads, "load_median_s": median(loads), "load_process_wall_s": walls,
            "load_process_median_s": median(walls), "import_s": warm["import_s"],
            "cold_ask_wall_s": ask_walls, "cold_ask_median_s": median(ask_walls),
            "p50_ms": mix_stats["p50_ms"], "p99_ms": mix_stats["p99_ms"], "max_ms": mix_stats["max_ms"],
            "asks": mix_stats["n"], "questions": len(subset),
            "first_ask_ms": warm["first_ask_ms"], "peak_mb": warm["maxrss_mb"],
            "same_as_1x": same / len(mix_stats["answers"]) if mix_stats["answers"] else None,
            "heldout_p50_ms": held_stats["p50_ms"] if held_stats else None,
            "heldout_intent_accuracy": held_right / len(held_stats["answers"]) if held_stats else None,
        }
        self.results[f"scale_{scale:g}x"] = figures
        growth[scale] = mix_stats["p50_ms"]
        kb = meta
        label = f"{scale:g}×"
        self.row("c", f"{label} KB: {kb['roles']:,} roles, {kb['intents']:,} intents, {kb['examples']:,} phrases",
                 f"{kb['yaml_bytes'] / 1e6:.1f} MB YAML", "", "", "", None)
        big = scale >= 100
        self.row("c", f"  {label} warm p50 ({len(subset)} questions, {mix_stats['n']:,} asks)",
                 fmt_ms(mix_stats["p50_ms"]), "", "",
                 f"≤ {GOALS['scale_p50_ms']:g} ms" if big else "", (mix_stats["p50_ms"] <= GOALS["scale_p50_ms"])
                 if big else None)
        self.row("c", f"  {label} warm p99", fmt_ms(mix_stats["p99_ms"]), "", "", "", None,
                 f"same answer as 1×: {figures['same_as_1x']:.0%}" if figures["same_as_1x"] is not None else "")
        if held_stats:
            self.row("c", f"  {label} warm p50, held-out synthetic questions", fmt_ms(held_stats["p50_ms"]), "", "",
                     "", None, f"their intent right: {figures['heldout_intent_accuracy']:.0%} of "
                               f"{len(held_stats['answers'])}")
        self.row("c", f"  {label} cold load: Engine.load in a fresh process (median of {len(loads)})",
                 fmt_s(median(loads)), "", "", f"≤ {GOALS['scale_load_s']} s" if big else "",
                 (median(loads) <= GOALS["scale_load_s"]) if big else None,
                 f"first load {fmt_s(build['load_s'])} ({'built the cache' if built else 'cache already current'})")
        self.row("c", f"  {label} cold load, whole process (python + import + load)", fmt_s(median(walls)), "", "", "",
                 None, ask_note)
        self.row("c", f"  {label} peak memory (ru_maxrss: load + answering)", f"{warm['maxrss_mb']:.0f} MB", "", "",
                 f"≤ {GOALS['scale_peak_mb']:g} MB" if big else "",
                 (warm["maxrss_mb"] <= GOALS["scale_peak_mb"]) if big else None,
                 f"the first process ({'built the cache' if built else 'cache already current'}): "
                 f"{build['maxrss_mb']:.0f} MB")

    def growth(self, growth):
        sizes = sorted(growth)
        if len(sizes) < 2:
            return
        steps = []
        for a, b in zip(sizes, sizes[1:]):
            ratio = growth[b] / growth[a]
            exponent = math.log(ratio) / math.log(b / a) if ratio > 0 else 0.0
            steps.append({"from": a, "to": b, "ratio": ratio, "exponent": exponent})
        self.results["growth"] = {"p50_ms": {f"{s:g}x": growth[s] for s in sizes}, "steps": steps}
        text = " → ".join(f"{growth[s]:.2f}" for s in sizes) + " ms"
        ratios = ", ".join(f"{s['from']:g}×→{s['to']:g}×: {s['ratio']:.1f}× (k={s['exponent']:.2f})" for s in steps)
        worst = max(s["exponent"] for s in steps)
        self.row("c", "per-question p50 growth " + "→".join(f"{s:g}×" for s in sizes), text, ratios, "",
                 "sub-linear: k < 1 per 10× step", worst < GOALS["growth_exponent"],
                 "k = log(time ratio) / log(size ratio); linear scan → 1")

    # -- (d) batch ------------------------------------------------------------------

    def batch(self, mix):
        n = self.args.batch or (2000 if self.quick else 10000)
        rng = random.Random(self.args.seed)
        questions = [mix[i % len(mix)] for i in range(n)]
        rng.shuffle(questions)
        path = self.workdir / f"batch-{n}.txt"
        path.write_text("\n".join(questions) + "\n", encoding="utf-8")
        with path.open("rb") as stdin:
            wall, _ = self.run([self.careerbot, "ask"], stdin=stdin)
        qps = n / wall
        self.results["batch"] = {"questions": n, "wall_s": wall, "questions_per_s": qps}
        self.row("d", f"batch: `careerbot ask` < {n:,} questions (whole process)", f"{qps:,.0f} q/s",
                 f"{fmt_s(wall)} in all", "", f"≥ {GOALS['batch_qps']:,.0f} q/s", qps >= GOALS["batch_qps"])

    # -- (e) accuracy ---------------------------------------------------------------

    def accuracy(self):
        baseline_path = HERE / "baseline.json"
        baseline = json.loads(baseline_path.read_text()) if baseline_path.exists() else {}
        files = {"dev": Path(self.args.dev), "paraphrases": REPO / "tests" / "data" / "paraphrases.yaml"}
        found = {}
        for name, path in files.items():
            if not path.exists():
                continue
            _, out = self.run([self.careerbot, "eval", str(path), "--json"], capture=True)
            found[name] = json.loads(out)["summary"]
        self.results["accuracy"] = {"now": found, "baseline": baseline.get("accuracy", {}),
                                    "baseline_note": baseline.get("note")}
        for name, summary in found.items():
            was = baseline.get("accuracy", {}).get(name, {}).get("overall_accuracy")
            now = summary["overall_accuracy"]
            detail = (f"in scope {summary['in_scope_accuracy']:.1%}, out of scope {summary['out_of_scope_accuracy']:.1%}, "
                      f"dialogue turns {summary['dialogue_turn_accuracy']:.1%}, expect {summary['expect_found']}/"
                      f"{summary['expect_total']}")
            self.row("e", f"accuracy at 1×, {name} ({summary['items']} items)", f"{now:.1%}",
                     f"baseline {was:.1%}" if was is not None else "no baseline.json", "",
                     "unchanged (≥ baseline)" if name == "dev" else "", (now >= was - 1e-9)
                     if (was is not None and name == "dev") else None, detail)
        if self.args.record_baseline:
            baseline = {"note": self.args.record_baseline, "recorded": datetime.date.today().isoformat(),
                        "accuracy": found}
            baseline_path.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
            self.log(f"wrote {baseline_path}")

    # -- (f) ChatterBot ---------------------------------------------------------------

    def chatterbot(self):
        command = [self.python, str(HERE / "chatterbot_compare.py"), "--json"]
        if self.quick:
            command.append("--quick")
        if self.args.chatterbot_python:
            command += ["--chatterbot-python", self.args.chatterbot_python]
        _, out = self.run(command, capture=True, timeout=1200)
        result = json.loads(out)
        self.results["chatterbot"] = result
        if result.get("status") != "ok":
            self.row("f", "ChatterBot on the same corpus", "not run", "", "", f"≥ {GOALS['chatterbot_ratio']:g}×",
                     None, result.get("reason", ""))
            return
        ratio = result["ratio"]
        self.row("f", f"ChatterBot {result['chatterbot_version']} get_response vs Engine.ask "
                      f"({result['statements']:,} statements, {result['questions']} questions)",
                 f"careerbot {fmt_ms(result['careerbot_p50_ms'])}", f"ChatterBot {fmt_ms(result['chatterbot_p50_ms'])}",
                 f"{ratio:,.0f}× faster", f"≥ {GOALS['chatterbot_ratio']:g}×", ratio >= GOALS["chatterbot_ratio"],
                 result.get("note", ""))


# --------------------------------------------------------------------------- the machine

def machine(python):
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    probe = ("import json, sys, platform, rapidfuzz, yaml, careerbot; print(json.dumps({'python': sys.version.split()[0], "
             "'implementation': platform.python_implementation(), 'rapidfuzz': rapidfuzz.__version__, "
             "'pyyaml': yaml.__version__, 'libyaml': bool(getattr(yaml, '__with_libyaml__', False)), "
             "'careerbot': careerbot.__version__}))")
    versions = json.loads(subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True).stdout)
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {"cpu": cpu, "cores": os.cpu_count(), "usable_cores": usable, "os": platform.platform(),
            "interpreter": python, **versions}


# --------------------------------------------------------------------------- output

def render(bench, info, elapsed):
    lines = []
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines.append(f"careerbot benchmarks — {when}{' (quick)' if bench.quick else ''}")
    lines.append(f"machine: {info['cpu']}, {info['cores']} cores; {info['os']}")
    lines.append(f"python {info['python']} ({info['implementation']}), rapidfuzz {info['rapidfuzz']}, "
                 f"PyYAML {info['pyyaml']} ({'libyaml' if info['libyaml'] else 'pure Python'}), "
                 f"careerbot {info['careerbot']}")
    mix = bench.results.get("question_mix", {})
    lines.append(f"questions: {mix.get('questions', 0)} from {', '.join(Path(f).name for f in mix.get('files', []))}; "
                 f"cache: {bench.cache_home}/careerbot; bytecode: {bench.bytecode}")
    lines.append("")
    headers = ("", "figure", "measured", "reference", "ratio", "goal", "status")
    table = [headers] + [(r["key"], r["figure"], r["value"], r["reference"], r["ratio"], r["goal"],
                          verdict(r["met"]) if r["goal"] else "") for r in bench.rows]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(headers))]
    widths[3] = min(widths[3], 48)
    for i, row in enumerate(table):
        cells = [str(c) for c in row]
        lines.append("  ".join(c.ljust(w) if j < len(cells) - 1 else c for j, (c, w) in enumerate(zip(cells, widths)))
                     .rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    notes = [(r["key"], r["figure"].strip(), r["note"]) for r in bench.rows if r["note"]]
    if notes:
        lines.append("")
        lines.append("notes:")
        lines += [f"  ({k}) {figure}: {note}" for k, figure, note in notes]
    goals = [r for r in bench.rows if r["goal"] and r["met"] is not None]
    met = sum(r["met"] for r in goals)
    lines.append("")
    lines.append(f"goals met: {met} of {len(goals)}; run took {elapsed:.0f} s")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description="careerbot benchmarks (see the module docstring)")
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer repeats, 10× only, 2,000-question batch")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--runs", type=int, help="cold-start repeats (default 20; quick 5)")
    parser.add_argument("--scales", default=None, help="synthetic sizes, comma-separated (default 10,100; quick 10)")
    parser.add_argument("--batch", type=int, help="questions in the batch run (default 10,000; quick 2,000)")
    parser.add_argument("--only", default="abcdef", help="the figures to run, e.g. 'ab' (default: abcdef)")
    parser.add_argument("--dev", default=str(REPO.parent / "shared" / "eval" / "dev.yaml"),
                        help="the labelled dev set (default: ../shared/eval/dev.yaml)")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "careerbot-bench"),
                        help="where synthetic knowledge bases, the cache and scratch files go")
    parser.add_argument("--user-cache", action="store_true", help="use your own $XDG_CACHE_HOME, not one in --workdir")
    parser.add_argument("--fresh-cache", action="store_true", help="delete the benchmark's cache first")
    parser.add_argument("--bytecode-as-is", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE/PYTHONPYCACHEPREFIX as they are (default: measured "
                             "processes write and reuse .pyc files under --workdir, as on a normal install)")
    parser.add_argument("--seed", type=int, default=5, help="seed for synthetic data and the batch order")
    parser.add_argument("--careerbot", help="the careerbot script to time (default: next to this Python)")
    parser.add_argument("--chatterbot-python", help="the Python of a venv with ChatterBot "
                                                    "(default: /tmp/chatterbot-venv/bin/python)")
    parser.add_argument("--record-baseline", metavar="NOTE",
                        help="write the accuracy figures of this run to benchmarks/baseline.json")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    bench = Bench(args)
    info = machine(bench.python)
    mix = bench.question_sets()
    subset = mix[:: max(1, len(mix) // (40 if args.quick else 120))]
    scales = [float(s) for s in (args.scales or ("10" if args.quick else "10,100")).split(",") if s.strip()]
    growth = {}
    steps = [
        ("a", "cold start", bench.cold_start, ()),
        ("b", "warm 1×", None, ()),
        ("c", "scale", None, ()),
        ("d", "batch", bench.batch, (mix,)),
        ("e", "accuracy", bench.accuracy, ()),
        ("f", "ChatterBot", bench.chatterbot, ()),
    ]
    bench.answers_1x = {}
    for key, name, function, call_args in steps:
        if key not in args.only:
            continue
        bench.log(name)
        try:
            if key == "b":
                growth[1.0] = bench.warm(mix, subset)
            elif key == "c":
                if "b" not in args.only:
                    growth[1.0] = bench.warm(mix, subset)
                for scale in scales:
                    try:
                        bench.scale(scale, subset, growth)
                    except (Failed, subprocess.TimeoutExpired, OSError, ValueError) as error:
                        bench.row("c", f"{scale:g}× knowledge base", "error", "", "", "", False, str(error))
                bench.growth(growth)
            else:
                function(*call_args)
        except (Failed, subprocess.TimeoutExpired, OSError, ValueError, KeyError) as error:
            bench.row(key, name, "error", "", "", "see note", False, str(error)[:300])
    elapsed = time.perf_counter() - started
    if args.json:
        out = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"), "quick": args.quick,
               "machine": info, "goals": GOALS, "bytecode": bench.bytecode, "cache": str(bench.cache_home), "figures": bench.results,
               "table": [{k: v for k, v in r.items()} for r in bench.rows], "elapsed_s": elapsed}
        print(json.dumps(out, indent=2, default=str))
    else:
        print(render(bench, info, elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
