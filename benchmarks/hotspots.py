"""Where careerbot's time goes: import times and cProfile hot spots, for the paths run.py times.

    python benchmarks/hotspots.py                 # all sections
    python benchmarks/hotspots.py --only import,cold,warm,load --scale 100 --top 12

Sections:
  import  `python -X importtime -c "import careerbot.frontends.cli"` and the imports of a whole cold
          `careerbot ask`: the slowest modules, by self and by cumulative time;
  cold    cProfile of one cold `careerbot ask "what does an MLOps engineer earn"` (cache warm);
  warm    cProfile of warm Engine.ask over the dev/paraphrase question mix (shipped knowledge);
  load    cProfile of Engine.load on the --scale synthetic knowledge base, from the cache
          (a fresh process, after another built it) and, with --no-cache-too, without it;
  scale   cProfile of warm Engine.ask on the --scale knowledge base.

Uses the same isolated cache and synthetic knowledge bases as run.py (--workdir).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

QUESTION = "what does an MLOps engineer earn"

PROFILE_ENGINE = r"""
import cProfile, pstats, sys, time, json, io
intents, knowledge, out, mode, rounds = sys.argv[1:6]
intents = intents or None; knowledge = knowledge or None
questions = json.load(open(sys.argv[6])) if len(sys.argv) > 6 else []
from careerbot import Engine
profiler = cProfile.Profile()
if mode == "load":
    started = time.perf_counter()
    profiler.enable(); Engine.load(intents=intents, knowledge=knowledge); profiler.disable()
    print(f"Engine.load under the profiler: {time.perf_counter() - started:.3f} s")
else:
    engine = Engine.load(intents=intents, knowledge=knowledge)
    for q in questions[:5]:
        engine.ask(q)
    started = time.perf_counter()
    profiler.enable()
    for _ in range(int(rounds)):
        for q in questions:
            engine.ask(q)
    profiler.disable()
    n = int(rounds) * len(questions)
    print(f"{n} asks under the profiler: {(time.perf_counter() - started) / n * 1000:.3f} ms each")
profiler.dump_stats(out)
"""


def run(command, env, **kwargs):
    return subprocess.run(command, env=env, capture_output=True, text=True, **kwargs)


def show_stats(path: str, top: int, title: str) -> None:
    import pstats
    stats = pstats.Stats(path)
    total = stats.total_tt
    print(f"\n--- {title}: {total * 1000:.1f} ms profiled")
    for key, label in (("tottime", "self time"), ("cumulative", "cumulative")):
        print(f"  top {top} by {label}:")
        entries = sorted(stats.stats.items(), key=lambda kv: -(kv[1][2] if key == "tottime" else kv[1][3]))
        for (file, line, func), (cc, nc, tt, ct, _) in entries[:top]:
            where = file.replace(str(REPO) + "/", "").replace(sys.prefix, "<venv>")
            where = re.sub(r".*/site-packages/", "", where)
            print(f"    {tt * 1000:9.2f} self {ct * 1000:9.2f} cum {nc:>8} calls  {func}  ({where}:{line})")


def import_rows(command: list[str], env) -> list[tuple[int, int, int, str]]:
    """(self µs, cumulative µs, depth, module) for each module a command imports."""
    done = run(command, env)
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), len(m.group(3)), m.group(4)))
    return rows


def importtime(command: list[str], env, top: int, title: str, reference: list[str] | None = None) -> None:
    rows = import_rows(command, env)
    top_level = sum(c for s, c, depth, name in rows if depth <= 1)
    print(f"\n--- importtime: {title}: {len(rows)} modules, {top_level / 1000:.1f} ms of imports")
    print(f"  top {top} by cumulative (package with what it imports):")
    for s, c, depth, name in sorted(rows, key=lambda r: -r[1])[:top]:
        print(f"    {c / 1000:8.2f} ms cum {s / 1000:8.2f} ms self  {name.strip()}")
    print(f"  top {top} by self:")
    for s, c, depth, name in sorted(rows, key=lambda r: -r[0])[:top]:
        print(f"    {s / 1000:8.2f} ms self  {name.strip()}")
    if reference:
        theirs = {name.strip() for _, _, _, name in import_rows(reference, env)}
        extra = [(s_, name.strip()) for s_, _, _, name in rows if name.strip() not in theirs]
        print(f"  beyond the rapidfuzz reference: {len(extra)} modules, {sum(s_ for s_, _ in extra) / 1000:.1f} ms "
              f"self in all; the slowest:")
        for s_, name in sorted(extra, reverse=True)[:top]:
            print(f"    {s_ / 1000:8.2f} ms self  {name}")
    heavy = [name for _, _, _, name in rows if name.split(".")[0] in ("yaml", "prompt_toolkit", "importlib.resources",
                                                                       "pickle", "json", "dataclasses", "typing")]
    print(f"  watched modules imported: {', '.join(sorted(set(n.strip() for n in heavy))) or 'none'}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="careerbot profiles")
    parser.add_argument("--only", default="import,cold,warm,load,scale")
    parser.add_argument("--scale", type=float, default=100)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=20, help="passes over the question mix when profiling asks")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "careerbot-bench"))
    parser.add_argument("--user-cache", action="store_true")
    parser.add_argument("--no-cache-too", action="store_true", help="also profile a load with CAREERBOT_NO_CACHE=1")
    parser.add_argument("--out", help="keep the .prof files in this folder")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    import run as bench_run                     # benchmarks/run.py: the same interpreter, cache and data
    python, careerbot = bench_run.Bench.find_interpreter(None)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    if not args.user_cache:
        env["XDG_CACHE_HOME"] = str(workdir / "cache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)            # as run.py: bytecode written once, then reused
    env["CAREERBOT_DATA_BUDGET"] = "100"                # as run.py: the 100x knowledge base is validated too
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    out = Path(args.out or tempfile.mkdtemp(prefix="careerbot-prof-"))
    out.mkdir(parents=True, exist_ok=True)
    run([careerbot, "ask", QUESTION], env)          # the cache, warm

    if "import" in only:
        importtime([python, "-X", "importtime", "-c", "import careerbot.frontends.cli"], env, args.top, "import careerbot.frontends.cli")
        importtime([python, "-X", "importtime", careerbot, "ask", QUESTION], env, args.top,
                   f"a whole cold `careerbot ask \"{QUESTION}\"`",
                   reference=[python, "-X", "importtime", "-c", "from rapidfuzz import process, fuzz, utils"])
    if "cold" in only:
        prof = str(out / "cold-ask.prof")
        run([python, "-m", "cProfile", "-o", prof, careerbot, "ask", QUESTION], env, check=True)
        show_stats(prof, args.top, "cProfile: one cold `careerbot ask` (imports included)")

    import json
    import yaml
    mix = []
    for path in (REPO.parent / "shared" / "eval" / "dev.yaml", REPO / "tests" / "data" / "paraphrases.yaml"):
        if path.exists():
            data = yaml.safe_load(path.read_text()) or {}
            mix += [q["q"] for q in data.get("questions") or []]
            mix += [t["q"] for d in data.get("dialogues") or [] for t in d.get("turns") or []]
            mix += [q for q in data.get("out_of_scope") or [] if isinstance(q, str)]
    mix = list(dict.fromkeys(mix))
    questions_file = out / "questions.json"
    questions_file.write_text(json.dumps(mix))
    script = out / "profile_engine.py"
    script.write_text(PROFILE_ENGINE)

    def engine_profile(intents, knowledge, mode, rounds, title, extra_env=None, questions=questions_file):
        prof = str(out / f"{title.split(':')[0].replace(' ', '-')}.prof")
        done = run([python, str(script), str(intents or ""), str(knowledge or ""), prof, mode, str(rounds),
                    str(questions)], {**env, **(extra_env or {})})
        if done.returncode:
            print(f"\n--- {title}: failed: {done.stderr.strip().splitlines()[-1:]}")
            return
        print(f"\n{done.stdout.strip()}")
        show_stats(prof, args.top, title)

    if "warm" in only:
        engine_profile(None, None, "ask", args.rounds, "warm 1x: Engine.ask over the question mix")
    if only & {"load", "scale"}:
        import synth
        kb = workdir / f"kb-{args.scale:g}x"
        if not synth.is_current(kb, float(args.scale), 5, REPO / "intents", REPO / "knowledge"):
            synth.generate(kb, float(args.scale), 5)
        intents, knowledge = kb / "intents", kb / "knowledge"
        run([python, str(HERE / "_worker.py"), str(_spec(out, intents, knowledge))], env)   # builds the cache
        if "load" in only:
            engine_profile(intents, knowledge, "load", 1, f"load {args.scale:g}x: Engine.load from the cache")
            if args.no_cache_too:
                engine_profile(intents, knowledge, "load", 1, f"build {args.scale:g}x: Engine.load without cache",
                               {"CAREERBOT_NO_CACHE": "1"})
        if "scale" in only:
            subset = out / "subset.json"
            subset.write_text(json.dumps(mix[:: max(1, len(mix) // 120)]))
            engine_profile(intents, knowledge, "ask", max(1, args.rounds // 4),
                           f"warm {args.scale:g}x: Engine.ask over 120 questions of the mix", questions=subset)
    print(f"\nprofiles kept in {out}")
    return 0


def _spec(out: Path, intents: Path, knowledge: Path) -> Path:
    import json
    path = out / "load-spec.json"
    path.write_text(json.dumps({"intents": str(intents), "knowledge": str(knowledge), "sets": {}}))
    return path


if __name__ == "__main__":
    sys.exit(main())
