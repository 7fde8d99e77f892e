"""The varied question sets run.py asks, built from the repository's own files, the same every run.

- typical: the in-scope questions of tests/data/paraphrases.yaml, and questions about each shipped
  role in ten everyday wordings (the role's name or short name in turn);
- typos: a typical question with one letter swapped, dropped, doubled or replaced (two in questions
  of eight words or more);
- out of scope: the out-of-scope questions of paraphrases.yaml, questions about jobs outside machine
  learning (intents/occupations.yaml), and everyday questions about anything else;
- long: inputs of 250, 500 and 1,000 characters of five kinds (typical questions one after the
  other, a story ending in a question, one run of letters, one word over and over, characters
  that expand under Unicode normalisation), several of each (twice as many of 1,000), all different.

Every question is distinct, so each is a first ask in a fresh engine.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
PARAPHRASES = REPO / "tests" / "data" / "paraphrases.yaml"

ROLE_WORDINGS = [
    "what does a {r} earn", "how do I become a {r}", "what skills does a {r} need", "{r} salary",
    "what projects does a {r} work on", "what does a {r} do all day", "is {r} a good career",
    "which certifications help a {r}", "how do {r}s find a job", "what should I study to be a {r}",
]
JOB_WORDINGS = ["how much does a {j} make", "how do I become a {j}", "what skills does a {j} need"]
EVERYDAY = [
    "what's the weather like tomorrow", "how do I bake banana bread", "which country won the 2014 world cup",
    "recommend a good sci-fi novel", "how many calories does a pear have", "what's the local time in Lima",
    "how do I fix a leaking tap", "best way to learn to swim as an adult", "what is the capital of Peru",
    "how long should I boil an egg", "can you book me a flight to Lisbon", "tell me a funny story about dogs",
    "how do I change a flat tyre", "what's a good name for a puppy", "is it going to rain this weekend",
    "how tall is Mount Everest", "what should I cook for dinner tonight", "how do I get red wine out of a carpet",
    "who painted the Mona Lisa", "what's the exchange rate from euros to dollars",
]
STORY = [
    "I have been working in retail for a few years and I am thinking about a change.",
    "My manager says the team might be reorganised next spring.",
    "A friend of mine moved into tech last year and seems much happier.",
    "I studied economics at university but never used much of it.",
    "Honestly I am not sure where to start, there is so much information online.",
    "I can code a little in Python and I did an online statistics course.",
    "My family thinks I should stay where I am because it is safe.",
    "I live in a small town, so remote work would matter a lot to me.",
    "Last month I built a small project that predicts house prices.",
    "I do not want to go back to school for years if I can avoid it.",
]
EXPANDING = "\ufdfa\u33c2\ufb03\u2474\u3392\u01c4"
"""Characters that normalisation turns into several (ﷺ into 18)."""
LENGTHS = (250, 500, 1000)


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def typical() -> list[str]:
    asked = [item["q"] for item in _load(PARAPHRASES).get("questions") or []]
    for index, path in enumerate(sorted((REPO / "knowledge" / "roles").glob("*.yaml"))):
        role = _load(path)
        names = [role["name"], role.get("short_name") or role["name"]]
        asked += [re.sub(r"\ba (?=[AEIOUaeiou])", "an ", wording.format(r=names[(index + i) % 2]))
                  for i, wording in enumerate(ROLE_WORDINGS)]
    return list(dict.fromkeys(asked))


def typo(question: str, rng: random.Random) -> str:
    words = question.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    for i in rng.sample(candidates, min(len(candidates), 2 if len(words) >= 8 else 1)):
        word, at = words[i], rng.randrange(1, len(words[i]) - 1)
        kind = rng.choice(("swap", "drop", "double", "replace"))
        if kind == "swap":
            word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
        elif kind == "drop":
            word = word[:at] + word[at + 1:]
        elif kind == "double":
            word = word[:at] + word[at] + word[at:]
        else:
            word = word[:at] + rng.choice("aeiourstnl") + word[at + 1:]
        words[i] = word
    return " ".join(words)


def out_of_scope() -> list[str]:
    asked = [q for q in _load(PARAPHRASES).get("out_of_scope") or [] if isinstance(q, str)]
    jobs = _load(REPO / "intents" / "occupations.yaml")
    titles = sorted([*(jobs.get("near") or {}), *(jobs.get("other") or [])])
    for index, title in enumerate(titles[:: max(1, len(titles) // 25)]):
        asked.append(JOB_WORDINGS[index % len(JOB_WORDINGS)].format(j=title))
    return list(dict.fromkeys(asked + EVERYDAY))


def long_inputs(base: list[str], variants: int, rng: random.Random) -> dict[str, list[str]]:
    """Inputs of each kind and length, named "kind, N characters": `variants` of each, twice as many
    of 1,000 characters (the worst case is judged on them)."""
    words = sorted({w for q in base for w in q.split() if w.isalpha() and len(w) > 3})

    def fill(pieces, length):
        text = ""
        while len(text) < length:
            text += pieces()
        return text[:length]

    kinds = {
        "typical questions one after the other": lambda: rng.choice(base).rstrip("?.") + ". ",
        "a story ending in a question": None,
        "one run of letters": lambda: rng.choice("abcdefghijklmnopqrstuvwxyz"),
        "one word over and over": None,
        "characters that expand under normalisation": lambda: rng.choice(EXPANDING),
    }
    made: dict[str, list[str]] = {}
    for kind, piece in kinds.items():
        for length in LENGTHS:
            texts = []
            for _ in range(variants * (2 if length == LENGTHS[-1] else 1)):
                if kind == "a story ending in a question":
                    question = " " + rng.choice(base)
                    texts.append(fill(lambda: rng.choice(STORY) + " ", length - len(question)) + question)
                elif kind == "one word over and over":
                    word = rng.choice(words)
                    texts.append(fill(lambda w=word: w + " ", length))
                else:
                    texts.append(fill(piece, length))
            made[f"{kind}, {length:,} characters"] = texts
    return made


def sets(seed: int, long_variants: int) -> dict:
    """{"typical": [...], "typos": [...], "out of scope": [...], "long": {name: [...]}}, all distinct,
    and "typo_of": the question each misspelt one was made from."""
    rng = random.Random(seed)
    plain = typical()
    typo_of = {typo(q, rng): q for q in plain[::2]}
    result = {"typical": plain, "typos": [q for q in typo_of if q not in plain], "typo_of": typo_of,
              "out of scope": out_of_scope(), "long": long_inputs(plain, long_variants, rng)}
    seen: set[str] = set()
    for name in ("typical", "typos", "out of scope"):
        result[name] = [q for q in result[name] if not (q in seen or seen.add(q))]
    for name, texts in result["long"].items():
        result["long"][name] = [t for t in texts if not (t in seen or seen.add(t))]
    return result
