"""A measured process for run.py: a bot that answers the questions it is sent and times each answer.

    python benchmarks/_worker.py careerbot [INTENTS KNOWLEDGE]    # Engine.load, then Engine.ask
    python benchmarks/_worker.py chatterbot CORPUS.json           # under ChatterBot's Python

It prints one JSON line when ready (how long loading took, its CPU time and peak memory so far),
then answers requests, one JSON line each way, until its standard input ends:

    {"ask": [text, ...], "text": false}  ->  {"seconds": [...], "answers": [...], "texts": [...]}
    {"ask": [...], "yardstick": [phrase, ...]}  ->  also {"yardstick_seconds": [...]}
    {"peak": true}  ->  {"peak_mb": ...}

Each question is timed on its own inside this process (`timing.time_each`), so the pipe costs
nothing to the figures. A careerbot answer is its intent and roles; a ChatterBot answer, its reply.
With "yardstick", each answer is followed by the yardstick, timed too: one rapidfuzz lookup of the
same question among the phrases given (`process.extractOne`, `token_sort_ratio`).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time

import timing


def careerbot(folders: list[str]):
    started = timing.clock()
    from careerbot import Engine
    imported = timing.clock()
    engine = Engine.load(intents=folders[0] if folders else None, knowledge=folders[1] if folders else None)
    ready = {"import_s": imported - started, "load_s": timing.clock() - imported}

    def ask(text):
        answer = engine.ask(text)
        return [answer.intent, list(answer.roles)], answer.text

    return ready, ask


def chatterbot(folders: list[str]):
    import logging
    logging.disable(logging.WARNING)
    with open(folders[0], encoding="utf-8") as file:
        corpus = json.load(file)
    import chatterbot as package
    from chatterbot import ChatBot
    from chatterbot.tagging import LowercaseTagger
    from chatterbot.trainers import ListTrainer
    scratch = tempfile.mkdtemp(prefix="chatterbot-")
    bot = ChatBot("careerbot-corpus", storage_adapter="chatterbot.storage.SQLStorageAdapter",
                  database_uri=f"sqlite:///{scratch}/db.sqlite3", logic_adapters=["chatterbot.logic.BestMatch"],
                  tagger=LowercaseTagger, read_only=True)
    trainer = ListTrainer(bot, show_training_progress=False)
    started = timing.clock()
    for statement, reply in corpus:
        trainer.train([statement, reply])
    ready = {"version": package.__version__, "python": sys.version.split()[0], "train_s": timing.clock() - started,
             "statements": bot.storage.count()}

    def ask(text):
        reply = bot.get_response(text).text
        return reply[:80], reply

    return ready, ask


def main() -> None:
    ready, ask = {"careerbot": careerbot, "chatterbot": chatterbot}[sys.argv[1]](sys.argv[2:])
    ready.update(peak_mb=timing.peak_mb(), cpu_s=time.process_time())
    print(json.dumps(ready), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if "ask" not in request:
            print(json.dumps({"peak_mb": timing.peak_mb()}), flush=True)
            continue
        if request.get("yardstick"):
            from rapidfuzz import fuzz, process, utils
            choices = [utils.default_process(c) for c in request["yardstick"]]

            def lookup(text, choices=choices):
                return process.extractOne(utils.default_process(text), choices, scorer=fuzz.token_sort_ratio)

            seconds, results, lookups = timing.time_in_turn(ask, lookup, request["ask"])
            reply = {"seconds": seconds, "answers": [r[0] for r in results], "yardstick_seconds": lookups}
        else:
            seconds, results = timing.time_each(ask, request["ask"])
            reply = {"seconds": seconds, "answers": [r[0] for r in results]}
        if request.get("text"):
            reply["texts"] = [r[1] for r in results]
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
