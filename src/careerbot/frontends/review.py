"""`careerbot review`: what people asked that careerbot could not answer well, grouped by need.

From the question log it takes the questions answered out of scope, the clarifications (a role
asked for, a "did you mean …?"), the answers below LOW_CONFIDENCE and the answers marked unhelpful,
and groups each kind into clusters of the same need, by the engine's own reading of each question
(`Answer.explain`): two questions are one need when their normalised texts are at least SIMILAR
alike (rapidfuzz's token-sort ratio), or when the engine reads the same in both: the same nearest
intent, the same entities and the same unknown words ("how much do nurses make" and "what does a
nurse earn"). Each cluster has its count, three examples and the nearest intent, with its score.

`--export FILE` writes the clusters as a labelled evaluation file (the format `careerbot eval`
reads) whose labels are the engine's guesses, each with a `# check:` comment: a maintainer
corrects the labels, then scores the engine on them. `--purge --before WHEN` deletes old records.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TextIO

from rapidfuzz import fuzz, process

from .. import CareerbotError
from .questionlog import default_log_url, open_store

LOW_CONFIDENCE = 0.5
"""Answers less sure than this are listed for review."""
SIMILAR = 75.0
"""Questions at least this alike (rapidfuzz token-sort ratio of the normalised text) are one need."""
EXAMPLES = 3

REASONS = {
    "unhelpful": "Marked unhelpful",
    "out_of_scope": "Answered out of scope",
    "clarification": "Answered with a question back (which role? did you mean?)",
    "low_confidence": f"Answered with low confidence (below {LOW_CONFIDENCE:.2f})",
}
"""Why a question is listed, in the order the review shows them; each question is listed once, for
the first reason that applies."""

_AGE = re.compile(r"^\s*(\d{1,5})\s*([hdw])\s*$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


class ReviewUsageError(CareerbotError):
    exit_code = 2


def parse_when(text: str, now: dt.datetime, option: str) -> dt.datetime:
    """`7d`, `12h`, `2w` before `now`, or a date (`2026-11-30`) or time in ISO form; naive UTC."""
    age = _AGE.match(text)
    if age:
        return now - dt.timedelta(**{_UNITS[age.group(2).lower()]: int(age.group(1))})
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ReviewUsageError(f"{option}: not an age or a date: {text[:40]!r} (use 7d, 12h, 2w or 2026-11-30)") \
            from None
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return when


def reason_of(question) -> str | None:
    if question.helpful is False:
        return "unhelpful"
    if question.decision == "out_of_scope":
        return "out_of_scope"
    if question.decision in ("clarify", "ambiguous"):
        return "clarification"
    if question.decision == "answer" and question.confidence < LOW_CONFIDENCE:
        return "low_confidence"
    return None


@dataclass
class Cluster:
    """Questions of one kind that ask for the same thing."""

    reason: str
    reading: str                                   # the normalised text the cluster formed around
    asked: Counter = field(default_factory=Counter)   # question text → times asked
    comments: list[str] = field(default_factory=list)
    nearest_intent: str | None = None
    score: float = 0.0

    @property
    def count(self) -> int:
        return sum(self.asked.values())

    @property
    def examples(self) -> list[str]:
        return [text for text, _ in self.asked.most_common(EXAMPLES)]

    def to_dict(self) -> dict:
        return {"reason": self.reason, "count": self.count, "examples": self.examples,
                "nearest_intent": self.nearest_intent, "score": round(self.score, 3),
                "comments": self.comments[:EXAMPLES]}


def reading_of(engine, text: str) -> tuple[str, tuple]:
    """The normalised text of a question, and what the engine found in it: the nearest intent, the
    entities and the unknown words (empty when it found nothing to tell it apart)."""
    explain = engine.ask(text).explain
    if explain is None:
        return text.casefold(), ()
    found = tuple(sorted(f"{e.kind}:{e.value}" for e in explain.entities if not e.from_context))
    unknown = tuple(sorted(explain.unknown_words))
    if not found and not unknown:
        return explain.normalised, ()
    nearest = explain.ranking[0].intent if explain.ranking else None
    return explain.normalised, (nearest, found, unknown)


def clusters_of(engine, questions: Iterable) -> list[Cluster]:
    """The questions to review, in clusters; most frequent first."""
    readings: dict[str, str] = {}
    signatures: dict[str, tuple] = {}
    by_reason: dict[str, list] = {reason: [] for reason in REASONS}
    for question in questions:
        reason = reason_of(question)
        if reason is not None:
            by_reason[reason].append(question)
    clusters: list[Cluster] = []
    for reason, listed in by_reason.items():
        texts = Counter(q.question for q in listed)
        for text in texts:
            if text not in readings:
                readings[text], signature = reading_of(engine, text)
                if signature:
                    signatures.setdefault(readings[text], signature)
        # the most asked reading leads its cluster; the others join the leader they are most like
        per_reading = Counter()
        for text, count in texts.items():
            per_reading[readings[text]] += count
        leaders: list[str] = []
        led_by_signature: dict[tuple, str] = {}
        own: dict[str, Cluster] = {}
        for reading, _ in per_reading.most_common():
            signature = signatures.get(reading)
            leader = led_by_signature.get(signature) if signature else None
            if leader is None and leaders:
                match = process.extractOne(reading, leaders, scorer=fuzz.token_sort_ratio, processor=None,
                                           score_cutoff=SIMILAR)
                leader = match[0] if match else None
            if leader is None:
                leaders.append(reading)
                own[reading] = Cluster(reason, reading)
                leader = reading
            else:
                own[reading] = own[leader]
            if signature:
                led_by_signature.setdefault(signature, leader)
        for question in listed:
            cluster = own[readings[question.question]]
            cluster.asked[question.question] += 1
            if question.comment and reason == "unhelpful":
                cluster.comments.append(question.comment)
        clusters += {id(c): c for c in own.values()}.values()
    for cluster in clusters:
        explain = engine.ask(cluster.examples[0]).explain
        if explain is not None and explain.ranking:
            cluster.nearest_intent, cluster.score = explain.ranking[0].intent, explain.ranking[0].score
    order = list(REASONS)
    clusters.sort(key=lambda c: (-c.count, order.index(c.reason), c.examples[0]))
    return clusters


# -- output ---------------------------------------------------------------------------------------

def render(clusters: list[Cluster], total: int, log_name: str, since: dt.datetime | None) -> str:
    window = f" since {since:%Y-%m-%d %H:%M} UTC" if since else ""
    listed = sum(c.count for c in clusters)
    lines = [f"careerbot review: {total:,} question{'s' if total != 1 else ''} in {log_name}{window}; "
             f"{listed:,} to review in {len(clusters):,} cluster{'s' if len(clusters) != 1 else ''}."]
    if not clusters:
        lines.append("Nothing to review: every question was answered with confidence and none was marked "
                     "unhelpful.")
    for reason, title in REASONS.items():
        mine = [c for c in clusters if c.reason == reason]
        if not mine:
            continue
        count = sum(c.count for c in mine)
        lines += ["", f"{title}: {count:,} question{'s' if count != 1 else ''}"]
        for cluster in mine:
            nearest = (f"nearest intent {cluster.nearest_intent} ({cluster.score:.2f})"
                       if cluster.nearest_intent else "no intent near")
            lines.append(f"  {cluster.count:>5}×  {nearest}")
            lines += [f"          - {example}" for example in cluster.examples]
            lines += [f"          comment: {comment}" for comment in cluster.comments[:EXAMPLES]]
    lines += ["", "careerbot review --export FILE writes these as an evaluation file to label and score."]
    return "\n".join(lines)


def export_text(engine, clusters: list[Cluster], log_name: str, now: dt.datetime) -> str:
    """The clusters as an evaluation file: the engine's guess for each example, to be checked."""
    lines = [
        f"# careerbot review --export: questions from the log {log_name}, {now:%Y-%m-%d %H:%M} UTC.",
        "# Every label below is careerbot's own guess, not a checked answer. For each item: read the",
        "# question, set intent, roles and level to what a right answer needs (out_of_scope when the",
        "# knowledge base cannot answer it), and delete its `# check:` comment. Then score the engine:",
        "#   careerbot eval THIS_FILE",
        "# Clusters come most frequent first; add the confirmed questions as examples to intents/.",
        "",
        "questions:",
    ]
    if not clusters:
        lines[-1] = "questions: []"
    for cluster in clusters:
        nearest = f"nearest intent {cluster.nearest_intent} ({cluster.score:.2f})" if cluster.nearest_intent else ""
        times = "once" if cluster.count == 1 else f"{cluster.count} times"
        lines.append(f"  # {REASONS[cluster.reason].split(' (')[0].lower()}, asked {times}; {nearest}".rstrip("; "))
        for example in cluster.examples:
            answer = engine.ask(example)
            item = f"q: {_quoted(example)}, intent: {answer.intent}, roles: [{', '.join(answer.roles)}]"
            if answer.level:
                item += f", level: {answer.level}"
            lines.append(f"  - {{{item}}}  # check: careerbot answered {answer.intent} "
                         f"({answer.confidence:.2f}); is that right?")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)


# -- the command ----------------------------------------------------------------------------------

def review(args, url: str | None, stdout: TextIO, load_engine: Callable) -> int:
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    if args.before is not None and not args.purge:
        raise ReviewUsageError("--before goes with --purge (careerbot review --purge --before 30d)")
    if args.purge and args.before is None:
        raise ReviewUsageError("--purge needs --before: a date (2026-11-01) or an age (30d)")
    if args.purge and (args.export or args.since):
        raise ReviewUsageError("--purge deletes records; it takes only --before (and --log)")
    before = parse_when(args.before, now, "--before") if args.purge else None
    since = parse_when(args.since, now, "--since") if args.since else None
    store = open_store(url or default_log_url(os.environ), create=False)
    try:
        if before is not None:
            asked, given = store.purge(before)
            stdout.write(f"Deleted {asked:,} question{'s' if asked != 1 else ''} and {given:,} feedback "
                         f"record{'s' if given != 1 else ''} from before {before:%Y-%m-%d %H:%M} UTC "
                         f"in {store.name}.\n")
            return 0
        questions = store.questions(since)
    finally:
        store.dispose()
    engine = load_engine(args)
    clusters = clusters_of(engine, questions)
    if args.export:
        try:
            with open(args.export, "w", encoding="utf-8") as file:
                file.write(export_text(engine, clusters, store.name, now))
        except OSError as error:
            raise CareerbotError(f"cannot write {args.export}: {error.strerror}") from None
    if args.json:
        stdout.write(json.dumps({"log": store.name, "since": since.isoformat() if since else None,
                                 "questions": len(questions), "clusters": [c.to_dict() for c in clusters]},
                                ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write(render(clusters, len(questions), store.name, since) + "\n")
        if args.export:
            items = sum(len(c.examples) for c in clusters)
            stdout.write(f"Wrote {items} question{'s' if items != 1 else ''} to label to {args.export}; "
                         f"then: careerbot eval {args.export}\n")
    return 0
