"""careerbot vs ChatterBot on the same corpus, side by side: time per reply.

    python benchmarks/chatterbot_compare.py [--json] [--quick] [--chatterbot-python PATH] [--install]

ChatterBot is installed in a venv of its own (it is only needed here), by default
/tmp/chatterbot-venv:

    python3 -m venv /tmp/chatterbot-venv && /tmp/chatterbot-venv/bin/pip install chatterbot

(or pass --install to do just that). Run this script with careerbot's Python: it builds the corpus
from careerbot's knowledge base — each example phrase of each intent, followed by careerbot's answer
to it — trains a ChatterBot on it with its `ListTrainer` (SQLite storage, `BestMatch`), then asks both
bots the same questions (from shared/eval/dev.yaml and tests/data/paraphrases.yaml) and compares
the median time per reply: ChatterBot's `get_response` in the ChatterBot venv, careerbot's warm
`Engine.ask` here.

ChatterBot's default tagger needs spaCy's `en_core_web_sm` model, which is downloaded from outside
the package index; this benchmark uses ChatterBot's own `LowercaseTagger` (a blank spaCy pipeline)
instead. That does less work per reply than the default, so the ratio is, if anything, in
ChatterBot's favour.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_VENV = Path("/tmp/chatterbot-venv")


# --------------------------------------------------------------------------- the ChatterBot side

def chatterbot_worker(spec_path: str) -> None:
    """Runs under the ChatterBot venv's Python: train, then time get_response per question."""
    import logging
    logging.disable(logging.WARNING)
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    import chatterbot
    from chatterbot import ChatBot
    from chatterbot.tagging import LowercaseTagger
    from chatterbot.trainers import ListTrainer
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        bot = ChatBot("careerbot-corpus", storage_adapter="chatterbot.storage.SQLStorageAdapter",
                      database_uri=f"sqlite:///{scratch}/db.sqlite3", logic_adapters=["chatterbot.logic.BestMatch"],
                      tagger=LowercaseTagger, read_only=True)
        set_up = time.perf_counter() - started
        trainer = ListTrainer(bot, show_training_progress=False)
        started = time.perf_counter()
        for statement, answer in spec["corpus"]:
            trainer.train([statement, answer])
        trained = time.perf_counter() - started
        bot.get_response(spec["questions"][0])                 # first-use set-up is not a reply
        times, replies = [], []
        for question in spec["questions"]:
            started = time.perf_counter()
            response = bot.get_response(question)
            times.append(time.perf_counter() - started)
            replies.append(response.text)
        stored = bot.storage.count()
    json.dump({"version": chatterbot.__version__, "python": sys.version.split()[0], "setup_s": set_up,
               "train_s": trained, "stored_statements": stored, "times_s": times, "replies": replies}, sys.stdout)


# --------------------------------------------------------------------------- the careerbot side

def questions_mix(dev: Path) -> list[str]:
    import yaml
    texts = []
    for path in (dev, REPO / "tests" / "data" / "paraphrases.yaml"):
        if not path.exists():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        texts += [q["q"] for q in data.get("questions") or []]
        texts += [q for q in data.get("out_of_scope") or [] if isinstance(q, str)]
    return list(dict.fromkeys(texts))


def unavailable(reason: str) -> dict:
    return {"status": "unavailable", "reason": reason}


def install(venv: Path) -> str | None:
    """Create the venv and pip install chatterbot; return why it failed, or None."""
    steps = [[sys.executable, "-m", "venv", str(venv)], [str(venv / "bin" / "pip"), "install", "-q", "chatterbot"]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode:
            return f"{' '.join(step[:3])} failed: {(done.stderr or done.stdout).strip().splitlines()[-1:]}"
    return None


def compare(args) -> dict:
    python = Path(args.chatterbot_python or os.environ.get("CHATTERBOT_PYTHON") or DEFAULT_VENV / "bin" / "python")
    if not python.exists() and args.install:
        failure = install(python.parent.parent)
        if failure:
            return unavailable(f"installing ChatterBot failed: {failure}")
    if not python.exists():
        return unavailable(f"no ChatterBot venv at {python.parent.parent} (python3 -m venv {DEFAULT_VENV} && "
                           f"{DEFAULT_VENV}/bin/pip install chatterbot, or pass --install)")
    probe = subprocess.run([str(python), "-c", "import chatterbot, chatterbot.tagging; print(chatterbot.__version__)"],
                           capture_output=True, text=True)
    if probe.returncode:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return unavailable(f"ChatterBot does not import in {python}: {last}")

    from careerbot import Engine
    engine = Engine.load()
    corpus = [(example, engine.ask(example).text) for intent in engine.catalogue().intents
              for example in intent.examples]
    mix = questions_mix(Path(args.dev))
    count = args.questions or (10 if args.quick else 40)
    questions = mix[:: max(1, len(mix) // count)][:count]

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump({"corpus": corpus, "questions": questions}, file)
    try:
        done = subprocess.run([str(python), str(Path(__file__).resolve()), "--chatterbot-worker", file.name],
                              capture_output=True, text=True, timeout=1800)
    finally:
        os.unlink(file.name)
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return unavailable(f"ChatterBot failed while training or answering: {last}")
    theirs = json.loads(done.stdout)

    for question in questions[:3]:                           # warm, like ChatterBot's first reply above
        engine.ask(question)
    rounds = 20 if args.quick else 100
    ours = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            engine.ask(question)
            ours.append(time.perf_counter() - started)
    chatterbot_p50 = statistics.median(theirs["times_s"]) * 1000
    careerbot_p50 = statistics.median(ours) * 1000
    return {
        "status": "ok", "chatterbot_version": theirs["version"], "chatterbot_python": theirs["python"],
        "statements": len(corpus) * 2, "stored_statements": theirs["stored_statements"], "pairs": len(corpus),
        "questions": len(questions), "train_s": theirs["train_s"], "chatterbot_setup_s": theirs["setup_s"],
        "chatterbot_p50_ms": chatterbot_p50, "chatterbot_mean_ms": statistics.fmean(theirs["times_s"]) * 1000,
        "chatterbot_max_ms": max(theirs["times_s"]) * 1000,
        "careerbot_p50_ms": careerbot_p50, "careerbot_mean_ms": statistics.fmean(ours) * 1000,
        "careerbot_asks": len(ours), "ratio": chatterbot_p50 / careerbot_p50,
        "note": f"ChatterBot {theirs['version']} (Python {theirs['python']}, SQLite, BestMatch, LowercaseTagger: "
                f"spaCy's en_core_web_sm cannot be downloaded here); trained on {len(corpus)} example phrases, each "
                f"followed by careerbot's answer, in {theirs['train_s']:.1f} s",
        "samples": [{"q": q, "chatterbot_ms": t * 1000, "chatterbot_reply": r[:80]}
                    for q, t, r in zip(questions, theirs["times_s"], theirs["replies"])][:5],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="careerbot vs ChatterBot, time per reply on the same corpus")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--quick", action="store_true", help="10 questions instead of 40")
    parser.add_argument("--questions", type=int, help="how many questions to ask both bots")
    parser.add_argument("--chatterbot-python", help=f"Python of the ChatterBot venv (default {DEFAULT_VENV}/bin/python)")
    parser.add_argument("--install", action="store_true", help="create that venv and pip install chatterbot if missing")
    parser.add_argument("--dev", default=str(REPO.parent / "shared" / "eval" / "dev.yaml"))
    parser.add_argument("--chatterbot-worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.chatterbot_worker:
        chatterbot_worker(args.chatterbot_worker)
        return 0
    result = compare(args)
    if args.json:
        print(json.dumps(result, indent=2))
    elif result["status"] != "ok":
        print(f"ChatterBot: not run — {result['reason']}")
    else:
        print(f"corpus: {result['pairs']} example phrases + careerbot's answers ({result['statements']} statements); "
              f"{result['questions']} questions")
        print(f"ChatterBot {result['chatterbot_version']} get_response  p50 {result['chatterbot_p50_ms']:9.2f} ms   "
              f"mean {result['chatterbot_mean_ms']:9.2f} ms")
        print(f"careerbot Engine.ask (warm)        p50 {result['careerbot_p50_ms']:9.3f} ms   "
              f"mean {result['careerbot_mean_ms']:9.3f} ms")
        print(f"careerbot is {result['ratio']:,.0f}× faster per reply (goal ≥ 100×)")
        print(result["note"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
