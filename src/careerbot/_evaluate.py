"""Score the engine on a labelled file (the format of the development set).

    questions:      [{q, intent (an id or a list of acceptable ids), roles, level?, expect?}]
    dialogues:      [{name, turns: [same as questions]}]   (one conversation each)
    out_of_scope:   [question, ...]

A question is right when the intent is acceptable, the roles are the expected ones in order, the
level matches (where given) and every `expect` string is in the answer text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ._engine import Engine
from ._errors import CareerbotError
from ._record import Record
from .answers.answer import Answer
from .knowledge.model import OUT_OF_SCOPE
from .knowledge.yaml import YamlProblem, parse_yaml, read_limited


class EvalFileError(CareerbotError):
    """The evaluation file cannot be read or does not have the expected shape."""

    exit_code = 2


class Case(Record):
    text: str
    intents: tuple[str, ...]
    roles: tuple[str, ...]
    level: str | None = None
    check_level: bool = False
    expect: tuple[str, ...] = ()


class Outcome(Record):
    case: Case
    answer: Answer
    kind: str                     # question | out_of_scope | dialogue

    @property
    def answerable(self) -> bool:
        """Whether the item is labelled as a question careerbot can answer."""
        return OUT_OF_SCOPE not in self.case.intents

    @property
    def understood(self) -> bool:
        if not self.answerable:               # "cannot answer" is right whatever the roles read
            return self.answer.intent == OUT_OF_SCOPE
        level_ok = not self.case.check_level or self.answer.level == self.case.level
        return (self.answer.intent in self.case.intents and self.answer.roles == self.case.roles and level_ok)

    @property
    def missing(self) -> tuple[str, ...]:
        text = self.answer.text.casefold()
        return tuple(s for s in self.case.expect if s.casefold() not in text)

    @property
    def correct(self) -> bool:
        return self.understood and not self.missing


class Report:
    """The outcome of every labelled item, and the figures drawn from them."""

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []

    def of(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == kind]

    @staticmethod
    def share(hits: int, total: int) -> float:
        return hits / total if total else 1.0

    def summary(self) -> dict:
        questions, oos, turns = self.of("question"), self.of("out_of_scope"), self.of("dialogue")
        answerable = [o for o in questions if o.answerable]
        lookalikes = [o for o in questions if not o.answerable]
        expects = [(o, s) for o in questions + turns for s in o.case.expect]
        missing = [(o, s) for o in questions + turns for s in o.missing]
        return {
            "questions": len(questions),
            "in_scope_accuracy": self.share(sum(o.understood for o in questions), len(questions)),
            "answerable": len(answerable),
            "answerable_accuracy": self.share(sum(o.understood for o in answerable), len(answerable)),
            "lookalikes": len(lookalikes),
            "lookalike_accuracy": self.share(sum(o.understood for o in lookalikes), len(lookalikes)),
            "expect_found": len(expects) - len(missing),
            "expect_total": len(expects),
            "out_of_scope": len(oos),
            "out_of_scope_accuracy": self.share(sum(o.correct for o in oos), len(oos)),
            "dialogue_turns": len(turns),
            "dialogue_turn_accuracy": self.share(sum(o.correct for o in turns), len(turns)),
            "overall_accuracy": self.share(sum(o.correct for o in self.outcomes), len(self.outcomes)),
            "items": len(self.outcomes),
        }

    def per_intent(self) -> dict[str, dict]:
        expected = Counter(o.case.intents[0] for o in self.outcomes)
        predicted = Counter(o.answer.intent for o in self.outcomes)
        right = Counter(o.answer.intent for o in self.outcomes if o.answer.intent in o.case.intents)
        result = {}
        for intent in sorted(set(expected) | set(predicted)):
            result[intent] = {
                "precision": self.share(right[intent], predicted[intent]),
                "recall": self.share(right[intent], expected[intent]),
                "support": expected[intent],
            }
        return result

    def confusions(self) -> list[dict]:
        pairs = Counter((o.case.intents[0], o.answer.intent) for o in self.outcomes
                        if o.answer.intent not in o.case.intents)
        return [{"expected": e, "got": g, "count": n} for (e, g), n in pairs.most_common()]

    def failures(self) -> list[dict]:
        return [{"q": o.case.text, "kind": o.kind, "expected_intent": list(o.case.intents),
                 "expected_roles": list(o.case.roles), "got_intent": o.answer.intent,
                 "got_roles": list(o.answer.roles), "got_level": o.answer.level,
                 "missing_text": list(o.missing)}
                for o in self.outcomes if not o.correct]

    def to_dict(self) -> dict:
        return {"summary": self.summary(), "per_intent": self.per_intent(), "confusions": self.confusions(),
                "failures": self.failures()}

    def render(self, name: str) -> str:
        s = self.summary()
        lines = [
            f"careerbot eval: {name}",
            f"  answerable      {s['answerable']:4d}   intent, roles and level right: {s['answerable_accuracy']:.1%}"
            f"   expected text found: {s['expect_found']}/{s['expect_total']}",
            f"  look-alikes     {s['lookalikes']:4d}   answered out of scope: {s['lookalike_accuracy']:.1%}",
            f"  everyday        {s['out_of_scope']:4d}   answered out of scope: {s['out_of_scope_accuracy']:.1%}",
            f"  dialogue turns  {s['dialogue_turns']:4d}   right: {s['dialogue_turn_accuracy']:.1%}",
            f"  overall         {s['items']:4d}   right: {s['overall_accuracy']:.1%}",
            "",
            "  intent                precision  recall  support",
        ]
        for intent, row in self.per_intent().items():
            lines.append(f"  {intent:<20}  {row['precision']:9.2f}  {row['recall']:6.2f}  {row['support']:7d}")
        confusions = self.confusions()
        if confusions:
            lines += ["", "  confusions (expected → answered):"]
            lines += [f"    {c['expected']} → {c['got']}: {c['count']}" for c in confusions]
        failures = self.failures()
        if failures:
            lines += ["", "  wrong answers:"]
            for f in failures:
                why = []
                if f["got_intent"] not in f["expected_intent"]:
                    why.append(f"intent {f['got_intent']} (expected {'/'.join(f['expected_intent'])})")
                if f["got_roles"] != f["expected_roles"]:
                    why.append(f"roles {f['got_roles']} (expected {f['expected_roles']})")
                if f["missing_text"]:
                    why.append(f"missing {f['missing_text']}")
                lines.append(f"    \"{f['q']}\": {'; '.join(why) or 'level'}")
        lines += ["", f"overall accuracy: {s['overall_accuracy']:.1%} ({sum(o.correct for o in self.outcomes)}"
                      f"/{s['items']})"]
        return "\n".join(lines)


def _case(item: object, where: str) -> Case:
    if isinstance(item, str):
        return Case(item, (OUT_OF_SCOPE,), ())
    if not isinstance(item, dict) or not isinstance(item.get("q"), str):
        raise EvalFileError(f"{where}: each question needs a text field 'q'")
    intent = item.get("intent")
    intents = tuple(intent) if isinstance(intent, list) else (intent,)
    if not intents or not all(isinstance(i, str) for i in intents):
        raise EvalFileError(f"{where}: 'intent' must be an intent id or a list of them")
    roles = item.get("roles") or []
    expect = item.get("expect") or []
    if not isinstance(roles, list) or not isinstance(expect, list):
        raise EvalFileError(f"{where}: 'roles' and 'expect' must be lists")
    return Case(item["q"], intents, tuple(map(str, roles)), item.get("level"), "level" in item,
                tuple(map(str, expect)))


def load_cases(path: str | Path) -> tuple[list[Case], list[list[Case]], list[Case]]:
    path = Path(path)
    try:
        data = parse_yaml(read_limited(lambda: path.open("rb"), str(path)), str(path))
    except YamlProblem as problem:
        raise EvalFileError(str(problem.problem)) from None
    if not isinstance(data, dict):
        raise EvalFileError(f"{path}: expected a mapping with questions, dialogues and out_of_scope")
    for section in ("questions", "dialogues", "out_of_scope"):
        if data.get(section) is not None and not isinstance(data[section], list):
            raise EvalFileError(f"{path}:{data.line_of(section)}: '{section}' must be a list")
    questions = [_case(q, f"{path}:{data['questions'].line_of(i)}") for i, q in enumerate(data.get("questions") or [])]
    dialogues = []
    for i, dialogue in enumerate(data.get("dialogues") or []):
        if not isinstance(dialogue, dict) or not isinstance(dialogue.get("turns"), list):
            raise EvalFileError(f"{path}:{data['dialogues'].line_of(i)}: a dialogue needs a list of 'turns'")
        dialogues.append([_case(t, f"{path}:{dialogue['turns'].line_of(j)}") for j, t in enumerate(dialogue["turns"])])
    oos = []
    for i, text in enumerate(data.get("out_of_scope") or []):
        if not isinstance(text, str):
            raise EvalFileError(f"{path}:{data['out_of_scope'].line_of(i)}: out_of_scope lists question texts")
        oos.append(_case(text, ""))
    return questions, dialogues, oos


def cross_validate(engine: Engine, k: int) -> Report:
    """Score the engine's own examples k-fold: an engine built without each fold answers it.

    An intent's example is right when the intent and the roles it names come back; a negative
    (an `out_of_scope` example) when it is answered out of scope. Measures how far the examples
    generalise, where scoring them on an engine that holds them would only measure recall.
    """
    from .reading.calibrate import fold
    if k < 2:
        raise EvalFileError("--cross-validate needs at least 2 folds")
    kb = engine._knowledge
    report = Report()
    for index in range(k):
        train, held_out = fold(kb, k, index)
        fold_engine = Engine(_knowledge=train)
        for text, intent in held_out:
            roles = () if intent == OUT_OF_SCOPE else engine._read(text).entities.roles
            report.outcomes.append(Outcome(Case(text, (intent,), roles), fold_engine.ask(text), "question"))
    return report


def evaluate(engine: Engine, path: str | Path) -> Report:
    questions, dialogues, oos = load_cases(path)
    report = Report()
    for case in questions:
        report.outcomes.append(Outcome(case, engine.ask(case.text), "question"))
    for case in oos:
        report.outcomes.append(Outcome(case, engine.ask(case.text), "out_of_scope"))
    for turns in dialogues:
        chat = engine.conversation()
        for case in turns:
            report.outcomes.append(Outcome(case, chat.ask(case.text), "dialogue"))
    return report
