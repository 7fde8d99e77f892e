"""What a hostile data folder costs `careerbot validate`, next to validating the shipped data.

    python benchmarks/hostile_data.py [--repeats 3] [--json] [--max-ratio 5]

Each case is a copy of the shipped `intents` and `knowledge` folders with hostile files added, built
in a temporary folder. Each is validated by `careerbot validate --knowledge --intents` in a process
of its own; the yardstick, measured in the same run, is the same command on an untouched copy. The
wall time and the peak resident memory (`ru_maxrss` of that process alone) of each case are divided
by the yardstick's: the script exits 1 when any ratio is over --max-ratio (default 5).

The cases: the files the reliability issue names (three 1.3 MB files of values that are each a
problem), the most values that fit the byte budget, a file of thousands of unknown fields, big text
values, a thousand small files, folders of many entries, and deep nesting.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import timing

REPO = Path(__file__).resolve().parents[1]
CAREERBOT = [sys.executable, "-m", "careerbot"]


def junk_items(path: Path, size: int) -> None:
    """A topic whose sections are `size` bytes of numbers: each one a problem ("should be a mapping")."""
    count = size // 2
    path.write_text("id: junk\ntitle: Junk\nsections: [" + ",".join(["1"] * count) + "]\n")


def issue_files(root: Path) -> None:
    for name in ("a", "b", "c"):
        junk_items(root / "knowledge" / "topics" / f"junk-{name}.yaml", 1_300_000)


def many_values(root: Path) -> None:
    """As many values as bytes allow, spread over files just under the per-file limit."""
    for name in ("a", "b"):
        junk_items(root / "knowledge" / "topics" / f"values-{name}.yaml", 1_900_000)


VALUE_BUDGET = 90_000
"""The values (YAML nodes) the data folders may hold together: README, "Security and limits"."""


def count_values(path: Path) -> int:
    """The values of a YAML file as the validator counts them: scalars, lists, mappings and aliases."""
    import yaml
    kinds = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)
    return sum(isinstance(event, kinds) for event in yaml.parse(path.read_text(encoding="utf-8"),
                                                               Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def values_at_the_budget(root: Path) -> None:
    """Just under the budget of values, in one file, every one of them a problem: all are built and checked."""
    count = VALUE_BUDGET - sum(count_values(path) for path in root.rglob("*.yaml")) - 100
    path = root / "knowledge" / "topics" / "values.yaml"
    path.write_text("id: values\ntitle: Values\nsections: [" + ",".join(["1"] * count) + "]\n")


def valid_at_the_budget(root: Path) -> None:
    """A valid knowledge base ten times the shipped one (`synth.py --scale 10`), near every budget."""
    shutil.rmtree(root / "intents")
    shutil.rmtree(root / "knowledge")
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "synth.py"), "--scale", "10", "--out", str(root)],
                   check=True, stdout=subprocess.DEVNULL)


def unknown_fields(root: Path) -> None:
    """One mapping with 200,000 fields no one knows: each one a problem."""
    fields = "\n".join(f"f{i}: {i}" for i in range(200_000))
    (root / "knowledge" / "topics" / "fields.yaml").write_text("id: fields\ntitle: Fields\nsections: []\n" + fields)


def big_texts(root: Path) -> None:
    """Valid files whose texts are as long as the byte budget allows."""
    text = "word " * 380_000
    for name in ("a", "b", "c"):
        (root / "knowledge" / "topics" / f"text-{name}.yaml").write_text(
            f"id: text-{name}\ntitle: Text\nsections:\n  - heading: Long\n    items:\n"
            f"      - {{text: {text.strip()}, source: ml-jobs-guide}}\n")


def many_files(root: Path) -> None:
    """Two thousand small topic files (past the file budget)."""
    folder = root / "knowledge" / "topics"
    for i in range(2_000):
        (folder / f"t{i:04}.yaml").write_text(f"id: t{i:04}\ntitle: T\nsections: [1, 2, 3, 4, 5, 6, 7, 8]\n")


def many_entries(root: Path) -> None:
    """A folder of 50,000 empty entries that are not data files."""
    folder = root / "knowledge" / "topics" / "clutter"
    folder.mkdir()
    for i in range(50_000):
        (folder / f"n{i}").touch()


def alias_bomb(root: Path) -> None:
    """Billion laughs: nine levels of nine aliases."""
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))
    (root / "knowledge" / "topics" / "lol.yaml").write_text(text)


def huge_file(root: Path) -> None:
    """A sparse file of 50 MB."""
    with open(root / "knowledge" / "topics" / "big.yaml", "wb") as sparse:
        sparse.truncate(50_000_000)


def deep_nesting(root: Path) -> None:
    """Files of brackets nested a thousand deep, again and again."""
    for i in range(50):
        (root / "knowledge" / "topics" / f"deep-{i}.yaml").write_text(
            "id: deep\ntitle: " + ("[" * 1000 + "]" * 1000 + ", ") * 10 + "\n")


CASES: dict[str, Callable[[Path], None]] = {
    "the issue's three 1.3 MB files": issue_files,
    "values filling the byte budget": many_values,
    "values at the budget, each a problem": values_at_the_budget,
    "a valid knowledge base at 10x": valid_at_the_budget,
    "200,000 unknown fields": unknown_fields,
    "texts filling the byte budget": big_texts,
    "2,000 small files": many_files,
    "50,000 folder entries": many_entries,
    "deep nesting, 50 files": deep_nesting,
    "an alias bomb": alias_bomb,
    "a 50 MB file": huge_file,
}


VALID = {"a valid knowledge base at 10x"}
"""Cases that must validate; every other one must be refused."""


def copy_shipped(root: Path) -> Path:
    shutil.copytree(REPO / "intents", root / "intents")
    shutil.copytree(REPO / "knowledge", root / "knowledge")
    return root


def validate(root: Path) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit code of one `careerbot validate` on `root`."""
    env = {**os.environ, "CAREERBOT_NO_CACHE": "1"}
    env.pop("CAREERBOT_DATA_BUDGET", None)
    command = [*CAREERBOT, "validate", "--knowledge", str(root / "knowledge"), "--intents", str(root / "intents")]
    run = timing.run_process(command, env, check=False)
    return run.seconds, run.peak_mb, run.returncode


def measure(root: Path, repeats: int) -> dict:
    runs = [validate(root) for _ in range(repeats)]
    return {"seconds": timing.p50(r[0] for r in runs), "max_rss_mb": timing.p50(r[1] for r in runs),
            "exit": runs[0][2]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each case; the median counts")
    parser.add_argument("--max-ratio", type=float, default=5.0, help="exit 1 above this ratio to the yardstick")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--build", nargs=2, metavar=("CASE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        CASES[args.build[0]](Path(args.build[1]))
        return 0
    with tempfile.TemporaryDirectory(prefix="careerbot-hostile-") as scratch:
        base = copy_shipped(Path(scratch) / "shipped")
        yardstick = measure(base, args.repeats * 2 + 1)
        results = {}
        for name in CASES:
            root = copy_shipped(Path(scratch) / f"case-{len(results)}")
            # built by a process of its own: Linux counts the memory a child is forked with in its peak,
            # so this process must stay smaller than what it measures
            subprocess.run([sys.executable, __file__, "--build", name, str(root)], check=True)
            result = measure(root, args.repeats)
            result["time_ratio"] = round(result["seconds"] / yardstick["seconds"], 2)
            result["memory_ratio"] = round(result["max_rss_mb"] / yardstick["max_rss_mb"], 2)
            results[name] = result
            shutil.rmtree(root)
    worst = max(max(r["time_ratio"], r["memory_ratio"]) for r in results.values())
    report = {"yardstick": yardstick, "cases": results, "worst_ratio": worst, "max_ratio": args.max_ratio,
              "met": worst <= args.max_ratio and all(r["exit"] == (0 if name in VALID else 1) for name, r in results.items())}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"careerbot validate on the shipped data: {yardstick['seconds'] * 1000:.0f} ms, "
              f"{yardstick['max_rss_mb']:.1f} MB peak (the yardstick)")
        for name, r in results.items():
            print(f"  {name:<34} {r['seconds'] * 1000:6.0f} ms {r['time_ratio']:5.2f}x   "
                  f"{r['max_rss_mb']:6.1f} MB {r['memory_ratio']:5.2f}x   exit {r['exit']}")
        print(f"worst ratio {worst:.2f}x (goal: at most {args.max_ratio:g}x, each case refused or accepted as it should be): "
              f"{'met' if report['met'] else 'NOT MET'}")
    return 0 if report["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
