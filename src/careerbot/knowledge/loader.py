"""Load the knowledge and intent folders into a validated `KnowledgeBase`.

Validation runs in two layers, as in Rasa's validator: the shape of each file (required fields,
types, unknown fields), then checks across files (unknown or duplicate ids, an alias claimed by
two roles, an example listed under two intents, contract intents missing). Every problem is
collected with its file and line; loading is all or nothing: any problem raises `KnowledgeError`
and no half-built knowledge base escapes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from importlib.abc import Traversable
from itertools import islice
from pathlib import Path

from .._errors import KnowledgeError, Problem
from .._record import Record
from .._text import STOPWORDS, normalise
from .folders import DATA_BUDGET, MAX_FOLDER_DEPTH, data_budget_scale, shipped_folder
from .model import (
    ANSWER_KINDS,
    CONTRACT_INTENTS,
    CONTRACT_ROLES,
    DEFAULT_FOR,
    LEVELS,
    PHRASE_FIELDS,
    ROLE_FOLLOW_UPS,
    ROLE_KEYWORD,
    SALARY_KINDS,
    SKILL_GROUPS,
    TOPIC_KINDS,
    VERDICTS,
    DecisionTable,
    Fact,
    Intent,
    KnowledgeBase,
    Role,
    SalaryFigure,
    Section,
    Skill,
    Source,
    Subject,
    Suggestions,
    Summary,
    Topic,
    Uncovered,
    Vocabulary,
    frozen_map,
)
from .yaml import LocatedDict, LocatedList, YamlProblem, count_nodes, parse_yaml, read_limited

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_NAME_CHARS = 60
"""The longest role name, short name, alias, skill name or currency. Names go into follow-up
questions and conversation state, which have limits of their own; the shipped ones are under 45."""
MAX_PHRASE_CHARS = 200
"""The longest example phrase, keyword or entity word; an intent's first example can be offered as
a question (a "did you mean …?"). The shipped ones are under 80."""
MAX_AMOUNT = 10_000_000_000
"""The largest salary figure: ten billion covers a year's pay in any currency; anything above is a typo."""
_CHARACTER_KINDS = {"Cc": "a control character", "Cf": "a format character", "Cs": "a lone surrogate",
                    "Co": "a private-use character", "Cn": "an unassigned character"}
ENTITIES_FILE = "entities.yaml"
OCCUPATIONS_FILE = "occupations.yaml"
UNCOVERED_FILE = "uncovered.yaml"
DECISION_FILE = "decision.yaml"
SUGGESTIONS_FILE = "suggestions.yaml"
NEGATIVES_ID = "out_of_scope"
"""The intent file with this id lists questions careerbot cannot answer (its negatives)."""
ROLE_SLOTS = ("required", "optional", "pair", "none")
INTENT_FIELDS = ("id", "description", "answer", "slots", "role_follow_up", "default_for", "which_role", "phrases",
                 "offers", "general_offers", "ends_chat", "each_role", "keywords", "frames", "examples", "reply")


# --------------------------------------------------------------------------- where the data is

def as_folder(folder: str | Path | Traversable | None, name: str) -> Traversable:
    if folder is None:
        folder = shipped_folder(name)
    if isinstance(folder, (str, Path)):
        folder = Path(folder)
        if not folder.is_dir():
            raise KnowledgeError([Problem(str(folder), None, f"the {name} folder does not exist")])
    return folder


def display_root(folder: str | os.PathLike | Traversable | None, name: str) -> str:
    """How problems name `folder`: as it was given (`/tmp/mykb`, `mykb`), so that each `file:line`
    leads to the file from where the command ran. The shipped folder, given or not, is named
    `name` (`knowledge`, `intents`), as it stands in the repository."""
    if not isinstance(folder, (str, os.PathLike)):
        return name                     # none given, or the shipped one inside an archive
    given = os.fspath(folder)
    try:
        if given == shipped_folder(name):
            return name
    except KnowledgeError:              # no shipped folder: this one is the user's
        pass
    return _printable(given.rstrip("/" + os.sep) or given)


class DataFile(Record):
    display: str
    data: bytes


def _printable(name: str) -> str:
    """A file name as it can be shown on a terminal: control characters escaped, never sent."""
    return name if name.isprintable() else repr(name)[1:-1]


class Budget:
    """What validating a pair of folders may cost: entries looked at, data files and bytes read, and
    values (YAML nodes) built, in all. About ten times what the shipped data needs (47 files,
    190 kB, 8,500 values), so that a hostile folder costs at most a few times validating the
    shipped one; `CAREERBOT_DATA_BUDGET=N` multiplies every figure by N for a bigger knowledge base.

    Once any of them runs out, nothing more is read: validation has failed already, and one problem
    says where.
    """

    LIMITS = {"entries": 4_000, "files": 1_000, "bytes": 2_000_000, "nodes": 90_000}
    NAMES = {"entries": "folder entries", "files": "data files", "bytes": "bytes", "nodes": "values"}

    def __init__(self, scale: float | None = None) -> None:
        if scale is None:
            scale = data_budget_scale()
        self.limits = {kind: int(limit * scale) for kind, limit in self.LIMITS.items()}
        self.left = dict(self.limits)
        self.spent = False

    def spend(self, check: _Checker, display: str, kind: str, amount: int) -> bool:
        """Take `amount` of `kind`; False, with one problem the first time, once it runs out."""
        if not self.spent and amount <= self.left[kind]:
            self.left[kind] -= amount
            return True
        if not self.spent:
            self.spent = True
            check.report(display, None, f"the data files hold more than the {self.limits[kind]:,} "
                                        f"{self.NAMES[kind]} careerbot reads in all, so this and what follows "
                                        f"is not read (set {DATA_BUDGET}=N to allow N times as much)")
        return False


def yaml_files(folder: Traversable, display_root: str, check: _Checker, budget: Budget) -> list[DataFile]:
    """The `*.yaml` files of a folder and its sub-folders, sorted by name.

    A file that cannot be read safely (too big, unreadable, not a regular file, in a folder link
    loop, over the budget) is reported to `check` and left out.
    """
    found: list[DataFile] = []
    visited: set[str] = set()

    def report(display: str, message: str) -> None:
        check.report(display, None, message)

    def walk(node: Traversable, prefix: str, depth: int) -> None:
        if isinstance(node, Path):
            real = os.path.realpath(node)
            if real in visited:
                report(prefix, "the folder links back to a folder already read (a link loop?), so it is skipped")
                return
            visited.add(real)
        try:
            # never more names than the budget has room for: a folder may hold millions
            children = list(islice(node.iterdir(), budget.left["entries"] + 1))
        except OSError as error:
            report(prefix, f"the folder cannot be read ({error.strerror or error})")
            return
        if not budget.spend(check, prefix, "entries", len(children)):
            return
        for child in sorted(children, key=lambda c: c.name):
            display = f"{prefix}/{_printable(child.name)}"
            if child.is_dir():
                if depth < MAX_FOLDER_DEPTH:
                    walk(child, display, depth + 1)
                else:
                    report(display, f"folders nested more than {MAX_FOLDER_DEPTH} deep are not read")
            elif child.name.endswith((".yaml", ".yml")):
                if not child.is_file():
                    report(display, "not a regular file (a broken link, a pipe or a device?)")
                    continue
                if not budget.spend(check, display, "files", 1):
                    return
                try:
                    data = read_limited(lambda file=child: file.open("rb"), display, _size(child))
                except YamlProblem as problem:
                    report(display, problem.problem.message)
                    continue
                if not budget.spend(check, display, "bytes", len(data)):
                    return
                found.append(DataFile(display, data))
            if budget.spent:
                return

    walk(folder, display_root, 0)
    return found


def _size(file: Traversable) -> int | None:
    try:
        return file.stat().st_size if isinstance(file, Path) else None
    except OSError:
        return None


# --------------------------------------------------------------------------- reading fields

MAX_PROBLEMS_PER_FILE, MAX_PROBLEMS = 20, 200
"""Problems listed for one file, and in all; the rest are counted ("… and N more")."""


class _Checker:
    """Collects problems while reading; each reader method returns a value or a safe default."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.per_file: dict[str, int] = {}
        self.total = 0

    def report(self, file: str, line: int | None, message: str) -> None:
        self.total += 1
        count = self.per_file[file] = self.per_file.get(file, 0) + 1
        if count <= MAX_PROBLEMS_PER_FILE and len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(file, line, message))

    def error(self) -> KnowledgeError:
        """Every problem found, as listed: at most MAX_PROBLEMS_PER_FILE a file (then how many more
        that file has) and MAX_PROBLEMS in all."""
        listed, last, shown = list(self.problems), {}, {}
        for position, problem in enumerate(self.problems, 1):
            last[problem.file] = position
            shown[problem.file] = shown.get(problem.file, 0) + 1
        counted = len(self.problems)
        for file, position in sorted(last.items(), key=lambda item: -item[1]):
            if self.per_file[file] > MAX_PROBLEMS_PER_FILE:
                hidden = self.per_file[file] - shown[file]
                listed.insert(position, Problem(file, None, f"… and {hidden:,} more problems in this file"))
                counted += hidden
        return KnowledgeError(listed, total=self.total, unlisted=self.total - counted)

    def mapping(self, value: object, file: str, line: int | None, what: str) -> LocatedDict | None:
        if isinstance(value, LocatedDict):
            return value
        self.report(file, getattr(value, "line", line), f"{what} should be a mapping of fields, not {_kind(value)}")
        return None

    def fields(self, data: LocatedDict, file: str, allowed: Iterable[str], what: str) -> None:
        allowed = tuple(allowed)
        for key in data:
            if key not in allowed:
                self.report(file, data.line_of(key),
                            f"unknown field {key!r} in {what} (expected one of: {', '.join(allowed)})")

    def get(self, data: LocatedDict, key: str, file: str, check: Callable[[object], str | None], *,
            required: bool = True, default: object = None, what: str = "") -> object:
        if key not in data or data[key] is None:
            if required:
                self.report(file, data.line, f"{what or 'this entry'} is missing the required field {key!r}")
            return default
        value = data[key]
        complaint = check(value)
        if complaint:
            self.report(file, data.line_of(key), f"{key!r} {complaint}")
            return default
        return value

    def submap(self, data: LocatedDict, key: str, file: str, complaint: str) -> LocatedDict:
        """An optional mapping field (empty when absent or not a mapping, which is reported)."""
        return self.get(data, key, file, lambda v: None if isinstance(v, LocatedDict) else complaint,
                        required=False, default=LocatedDict())

    def known_keys(self, data: LocatedDict, file: str, known: Iterable[str], what: str) -> list:
        """The keys of `data` that are among `known`; each other one is reported."""
        known = tuple(known)
        for key in data:
            if key not in known:
                self.report(file, data.line_of(key), f"unknown {what} {key!r} (expected one of {', '.join(known)})")
        return [key for key in data if key in known]

    def items(self, data: LocatedDict, key: str, file: str, *, required: bool = False,
              what: str = "") -> list[tuple[object, int]]:
        """A list field as (item, line) pairs."""
        value = self.get(data, key, file, _is_list, required=required, default=LocatedList(), what=what)
        if isinstance(value, LocatedList):
            return [(item, value.line_of(i)) for i, item in enumerate(value)]
        return []


def _kind(value: object) -> str:
    if value is None:
        return "empty"
    return {str: "text", int: "a number", float: "a number", bool: "true/false", LocatedList: "a list",
            LocatedDict: "a mapping"}.get(type(value), type(value).__name__)


def clean(text: str) -> str:
    """Text as careerbot keeps it: every run of whitespace (tabs, newlines, no-break spaces) one space."""
    return " ".join(text.split())


def _is_text(value: object, limit: int | None = None) -> str | None:
    """None for text careerbot can show as it is; else what is wrong with it. Whitespace of any kind
    is allowed (it becomes single spaces); control and format characters are not: YAML escapes
    such as "\\e[2J" would otherwise reach a terminal, and every answer, suggestion and saved
    conversation must hold printable text only."""
    if not isinstance(value, str) or not value.strip():
        return f"should be text, not {_kind(value)}"
    kept = clean(value)
    if not kept.isprintable():
        import unicodedata
        bad = next(c for c in kept if not c.isprintable())
        kind = _CHARACTER_KINDS.get(unicodedata.category(bad), "a character that cannot be shown")
        return f"holds {kind} (U+{ord(bad):04X}); text may hold only printable characters"
    if limit is not None and len(kept) > limit:
        return f"is {len(kept):,} characters long; the limit is {limit:,}"
    return None


def _is_name(value: object) -> str | None:
    return _is_text(value, MAX_NAME_CHARS)


def _is_phrase(value: object) -> str | None:
    return _is_text(value, MAX_PHRASE_CHARS)


def _unfindable(phrase: str) -> str | None:
    """Why a phrase is never found in a question: questions are looked up word run by word run, and
    no run starts or ends with a function word ("which", "the", "up")."""
    words = normalise(phrase).tokens
    for word in dict.fromkeys((words[0], words[-1]) if words else ()):
        if word in STOPWORDS:
            return (f"is never found in a question: read as {' '.join(words)!r}, it starts or ends with "
                    f"the function word {word!r}")
    return None


def _is_id(value: object) -> str | None:
    if isinstance(value, str) and ID_PATTERN.match(value):
        return None
    return "should be an id of lowercase letters, digits, '-' and '_', at most 64 long"


def _is_list(value: object) -> str | None:
    return None if isinstance(value, LocatedList) else f"should be a list, not {_kind(value)}"


def _is_amount(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_AMOUNT:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > MAX_AMOUNT:
        return f"is over the largest plausible figure, {MAX_AMOUNT:,}"
    return f"should be a whole non-negative number, not {_kind(value)}"


def _is_number(value: object) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e6:
        return None
    return f"should be a number, not {_kind(value)}"


def _is_probability(value: object) -> str | None:
    if _is_number(value) is None and 0 <= value <= 1:
        return None
    return "should be a number from 0 to 1"


def _is_bool(value: object) -> str | None:
    return None if isinstance(value, bool) else f"should be true or false, not {_kind(value)}"


def _one_of(options: tuple[str, ...]) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        return None if value in options else f"should be one of {', '.join(options)}, not {value!r}"
    return check


# --------------------------------------------------------------------------- the loader

class _Reader:
    """Reads every file into model objects, remembering where ids and references stand."""

    def __init__(self) -> None:
        self.check = _Checker()
        # (id, file, line) of every reference, resolved once everything is read
        self.source_refs: list[tuple[str, str, int]] = []
        self.role_refs: list[tuple[str, str, int]] = []
        self.alias_lines: dict[tuple[str, str], int] = {}
        self.example_lines: dict[tuple[str, str], int] = {}
        self.occupation_lines: dict[str, tuple[str, int]] = {}
        self.intent_refs: list[tuple[str, str, int]] = []
        self.offer_refs: list[tuple[str, str, int]] = []      # intents offered as questions: they need one
        self.phrase_lines: dict[tuple[str, str], tuple[str, int]] = {}
        self.field_lines: dict[tuple[str, str], int] = {}      # (intent id, field) -> its line

    # -- sources -------------------------------------------------------------

    def sources(self, files: dict[str, tuple[object, DataFile]], root: str) -> dict[str, Source]:
        display = f"{root}/sources.yaml"
        if display not in files:
            self.check.report(display, None, "the file is missing: it lists the sources facts cite")
            return {}
        doc, _ = files.pop(display)
        top = self.check.mapping(doc, display, 1, "the file")
        if top is None:
            return {}
        self.check.fields(top, display, ("sources",), "sources.yaml")
        result: dict[str, Source] = {}
        for item, line in self.check.items(top, "sources", display, required=True, what="sources.yaml"):
            entry = self.check.mapping(item, display, line, "a source")
            if entry is None:
                continue
            self.check.fields(entry, display, ("id", "title", "file"), "a source")
            source_id = self.check.get(entry, "id", display, _is_id, what="a source")
            title = self.check.get(entry, "title", display, _is_text, what="a source")
            file = self.check.get(entry, "file", display, _is_text, what="a source")
            if source_id in result:
                self.check.report(display, entry.line, f"duplicate source id {source_id!r}")
            elif source_id and title and file:
                result[source_id] = Source(source_id, clean(title), clean(file))
        return result

    def source_of(self, entry: LocatedDict, display: str, what: str) -> str:
        """The single `source` of an entry (salary figures)."""
        source = self.check.get(entry, "source", display, _is_id, what=what, default="")
        if source:
            self.source_refs.append((source, display, entry.line_of("source")))
        return source

    def sources_of(self, entry: LocatedDict, display: str, what: str) -> tuple[str, ...]:
        """A fact's `source: id` or `sources: [ids]`: exactly one of the two."""
        if ("source" in entry) == ("sources" in entry):
            self.check.report(display, entry.line, f"{what} needs exactly one of 'source' or 'sources'")
            return ()
        if "source" in entry:
            source = self.source_of(entry, display, what)
            return (source,) if source else ()
        sources = []
        for source, line in self.check.items(entry, "sources", display, required=True, what=what):
            if _is_id(source):
                self.check.report(display, line, f"a source id {_is_id(source)}")
            else:
                sources.append(source)
                self.source_refs.append((source, display, line))
        if not sources:
            self.check.report(display, entry.line, f"{what} lists no sources")
        return tuple(sources)

    # -- shared small shapes ---------------------------------------------------

    def summary(self, value: object, display: str, line: int) -> Summary | None:
        entry = self.check.mapping(value, display, line, "summary")
        if entry is None:
            return None
        self.check.fields(entry, display, ("text", "sources"), "summary")
        text = self.check.get(entry, "text", display, _is_text, what="summary")
        sources = []
        for source, source_line in self.check.items(entry, "sources", display, required=True, what="summary"):
            if _is_id(source):
                self.check.report(display, source_line, f"a source id {_is_id(source)}")
            else:
                sources.append(source)
                self.source_refs.append((source, display, source_line))
        return Summary(clean(text), tuple(sources)) if text else None

    def facts(self, pairs: list[tuple[object, int]], display: str, what: str,
              subjects: tuple[str, ...] | None = None) -> tuple[Fact, ...]:
        """Facts; with `subjects` (a topic's), each may say what it holds of them (`verdicts`)."""
        result = []
        allowed = ("text", "source", "sources") + (("verdicts",) if subjects is not None else ())
        for item, line in pairs:
            entry = self.check.mapping(item, display, line, what)
            if entry is None:
                continue
            self.check.fields(entry, display, allowed, what)
            text = self.check.get(entry, "text", display, _is_text, what=what)
            sources = self.sources_of(entry, display, what)
            verdicts = self.verdicts(entry, display, subjects) if subjects is not None else ()
            if text and sources:
                result.append(Fact(clean(text), sources, verdicts))
        return tuple(result)

    def verdicts(self, entry: LocatedDict, display: str, subjects: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """A fact's `verdicts`: a mapping of the topic's subject ids to one of VERDICTS each."""
        verdicts = self.check.submap(entry, "verdicts", display, "should be a mapping of subject ids to verdicts")
        result = []
        for subject, line in ((key, verdicts.line_of(key)) for key in verdicts):
            if subject not in subjects:
                known = ", ".join(subjects) or "none: the topic lists no 'subjects'"
                self.check.report(display, line, f"unknown subject {subject!r} in 'verdicts' (the topic's subjects: "
                                                 f"{known})")
                continue
            complaint = _one_of(VERDICTS)(verdicts[subject])
            if complaint:
                self.check.report(display, line, f"the verdict on {subject!r} {complaint}")
                continue
            result.append((subject, verdicts[subject]))
        return tuple(result)

    def entries(self, mapping: LocatedDict, display: str, what: str, fields: tuple[str, ...]):
        """The entries of a mapping keyed by ids, each a mapping of `fields`: (id, entry) pairs; a key
        that is no id, or an entry that is no mapping, is reported and left out."""
        for key in mapping:
            line = mapping.line_of(key)
            if _is_id(key):
                self.check.report(display, line, f"{what} {key!r}: an id {_is_id(key)}")
                continue
            entry = self.check.mapping(mapping[key], display, line, f"{what} {key!r}")
            if entry is not None:
                self.check.fields(entry, display, fields, f"{what} {key!r}")
                yield key, entry

    def subjects(self, top: LocatedDict, display: str) -> tuple[Subject, ...]:
        """A topic's `subjects`: what its yes/no questions may ask about, each with a `name` and `words`."""
        subjects = self.check.submap(top, "subjects", display, "should be a mapping of subject ids to subjects")
        result = []
        for subject_id, entry in self.entries(subjects, display, "the subject", ("name", "words")):
            name = self.check.get(entry, "name", display, _is_name, what=f"the subject {subject_id!r}")
            words = []
            for word, word_line in self.check.items(entry, "words", display, required=True,
                                                    what=f"the subject {subject_id!r}"):
                complaint = _is_name(word)
                if complaint:
                    self.check.report(display, word_line, f"a word {complaint}")
                elif len(normalise(word).tokens) != 1:
                    self.check.report(display, word_line, f"{word!r} should be one word")
                else:
                    words.append(normalise(word).tokens[0])
            if name and words:
                result.append(Subject(subject_id, clean(name), tuple(words)))
        return tuple(result)

    def salary_figure(self, item: object, line: int, display: str, *, general: bool) -> SalaryFigure | None:
        what = "a salary level" if general else "a salary figure"
        entry = self.check.mapping(item, display, line, what)
        if entry is None:
            return None
        allowed = ("level", "low", "high", "average", "open_ended", "currency", "period", "note", "source")
        self.check.fields(entry, display, allowed if general else ("describes",) + allowed, what)
        describes = "level" if general else self.check.get(entry, "describes", display, _one_of(SALARY_KINDS),
                                                            what=what)
        level = self.check.get(entry, "level", display, _one_of(LEVELS), required=describes == "level", what=what)
        if level and describes != "level":
            self.check.report(display, entry.line_of("level"), "'level' belongs only to figures that describe a level")
        numbers = {key: self.check.get(entry, key, display, _is_amount, required=False, what=what)
                   for key in ("low", "high", "average")}
        if all(value is None for value in numbers.values()):
            self.check.report(display, entry.line, f"{what} needs at least one of 'low', 'high' or 'average'")
            return None
        if numbers["low"] is not None and numbers["high"] is not None and numbers["low"] > numbers["high"]:
            self.check.report(display, entry.line_of("low"),
                              f"the low figure {numbers['low']:,} is above the high figure {numbers['high']:,}")
            return None
        source = self.source_of(entry, display, what)
        if not describes or not source:
            return None
        return SalaryFigure(
            describes=describes, source=source, level=level, **numbers,
            open_ended=self.check.get(entry, "open_ended", display, _is_bool, required=False, default=False),
            currency=clean(self.check.get(entry, "currency", display, _is_name, required=False, default="USD")),
            period=self.check.get(entry, "period", display, _one_of(("year", "month", "hour")), required=False,
                                  default="year"),
            note=clean(self.check.get(entry, "note", display, _is_text, required=False, default="")),
        )

    def sections(self, pairs: list[tuple[object, int]], display: str,
                 subjects: tuple[str, ...] = ()) -> tuple[Section, ...]:
        result = []
        for item, line in pairs:
            entry = self.check.mapping(item, display, line, "a section")
            if entry is None:
                continue
            self.check.fields(entry, display, ("heading", "items"), "a section")
            heading = self.check.get(entry, "heading", display, _is_text, what="a section")
            facts = self.facts(self.check.items(entry, "items", display, required=True, what="a section"),
                               display, "an item", subjects)
            if heading:
                result.append(Section(clean(heading), facts))
        return tuple(result)

    # -- roles ---------------------------------------------------------------

    def role(self, doc: object, display: str) -> Role | None:
        top = self.check.mapping(doc, display, 1, "a role file")
        if top is None:
            return None
        self.check.fields(top, display, ("id", "name", "short_name", "aliases", "summary", "responsibilities", "skills",
                                         "projects", "salary", "related_roles"), "a role")
        role_id = self.check.get(top, "id", display, _is_id, what="the role")
        name = self.check.get(top, "name", display, _is_name, what="the role")
        short_name = self.check.get(top, "short_name", display, _is_name, required=False, default="")
        aliases = []
        for alias, line in self.check.items(top, "aliases", display, what="the role"):
            if _is_name(alias):
                self.check.report(display, line, f"an alias {_is_name(alias)}")
            else:
                aliases.append(clean(alias))
                self.alias_lines[(top.get("id"), clean(alias))] = line
        summary = None
        if "summary" in top:
            summary = self.summary(top["summary"], display, top.line_of("summary"))
        else:
            self.check.report(display, top.line, "the role is missing the required field 'summary'")
        skills = []
        if "skills" in top and top["skills"] is not None:
            groups = self.check.mapping(top["skills"], display, top.line_of("skills"), "'skills'")
            if groups is not None:
                self.check.fields(groups, display, SKILL_GROUPS, "'skills'")
                for group in SKILL_GROUPS:
                    for item, line in self.check.items(groups, group, display):
                        entry = self.check.mapping(item, display, line, "a skill")
                        if entry is None:
                            continue
                        self.check.fields(entry, display, ("name", "source", "sources"), "a skill")
                        skill_name = self.check.get(entry, "name", display, _is_name, what="a skill")
                        sources = self.sources_of(entry, display, "a skill")
                        if skill_name and sources:
                            skills.append(Skill(clean(skill_name), group, sources))
        salary = []
        for item, line in self.check.items(top, "salary", display):
            figure = self.salary_figure(item, line, display, general=False)
            if figure:
                salary.append(figure)
        related = []
        for other, line in self.check.items(top, "related_roles", display):
            if _is_id(other):
                self.check.report(display, line, f"a related role {_is_id(other)}")
            else:
                related.append(other)
                self.role_refs.append((other, display, line))
        if not (role_id and name and summary):
            return None
        return Role(
            id=role_id, name=clean(name), aliases=tuple(aliases), summary=summary,
            responsibilities=self.facts(self.check.items(top, "responsibilities", display), display,
                                        "a responsibility"),
            skills=tuple(skills),
            projects=self.facts(self.check.items(top, "projects", display), display, "a project"),
            salary=tuple(salary), related_roles=tuple(related), short_name=clean(short_name),
        )

    # -- topics and general salary ---------------------------------------------

    def topic(self, doc: object, display: str) -> Topic | None:
        top = self.check.mapping(doc, display, 1, "a topic file")
        if top is None:
            return None
        self.check.fields(top, display, ("id", "title", "summary", "sections", "roles", "subjects"), "a topic")
        topic_id = self.check.get(top, "id", display, _is_id, what="the topic")
        title = self.check.get(top, "title", display, _is_text, what="the topic")
        summary = self.summary(top["summary"], display, top.line_of("summary")) if top.get("summary") else None
        subjects = self.subjects(top, display)
        subject_ids = tuple(subject.id for subject in subjects)
        sections = self.sections(self.check.items(top, "sections", display, required=True, what="the topic"),
                                 display, subject_ids)
        role_sections = {}
        roles = self.check.get(top, "roles", display, lambda v: None if isinstance(v, LocatedDict)
                               else f"should be a mapping of role ids to sections, not {_kind(v)}",
                               required=False, default=LocatedDict())
        for role_id in roles:
            line = roles.line_of(role_id)
            if _is_id(role_id):
                self.check.report(display, line, f"a role {_is_id(role_id)}")
                continue
            self.role_refs.append((role_id, display, line))
            value = roles[role_id]
            if not isinstance(value, LocatedList):
                self.check.report(display, line, f"the sections of {role_id!r} should be a list")
                continue
            role_sections[role_id] = self.sections([(v, value.line_of(i)) for i, v in enumerate(value)], display,
                                                   subject_ids)
        if not (topic_id and title):
            return None
        return Topic(topic_id, clean(title), summary, sections, frozen_map(role_sections), subjects)

    def salary(self, files: dict[str, tuple[object, DataFile]], root: str) -> tuple[tuple, tuple]:
        display = f"{root}/salary.yaml"
        if display not in files:
            return (), ()
        doc, _ = files.pop(display)
        top = self.check.mapping(doc, display, 1, "the file")
        if top is None:
            return (), ()
        self.check.fields(top, display, ("levels", "notes"), "salary.yaml")
        levels = []
        for item, line in self.check.items(top, "levels", display, required=True, what="salary.yaml"):
            figure = self.salary_figure(item, line, display, general=True)
            if figure:
                levels.append(figure)
        notes = self.facts(self.check.items(top, "notes", display), display, "a note")
        return tuple(levels), notes

    # -- intents ---------------------------------------------------------------

    def intent(self, doc: object, display: str) -> Intent | None:
        top = self.check.mapping(doc, display, 1, "an intent file")
        if top is None:
            return None
        self.check.fields(top, display, INTENT_FIELDS, "an intent")
        intent_id = self.check.get(top, "id", display, _is_id, what="the intent")
        description = self.check.get(top, "description", display, _is_text, what="the intent")
        slots = {"role": "none", "level": "none", "skill": "none"}
        if top.get("slots") is not None:
            given = self.check.mapping(top["slots"], display, top.line_of("slots"), "'slots'")
            if given is not None:
                self.check.fields(given, display, tuple(slots), "'slots'")
                slots["role"] = self.check.get(given, "role", display, _one_of(ROLE_SLOTS), required=False,
                                               default="none")
                slots["level"] = self.check.get(given, "level", display, _one_of(("optional", "none")),
                                                required=False, default="none")
                slots["skill"] = self.check.get(given, "skill", display, _one_of(("required", "none")),
                                                required=False, default="none")
        keywords = self._texts(top, "keywords", display, "a keyword", required=False)
        frames = self._texts(top, "frames", display, "a keyword", required=False)
        first_lines: dict[str, int | None] = {}
        for text, line in keywords + frames:
            problem = _keyword_problem(text)
            said = " ".join(text.casefold().split())
            if problem:
                self.check.report(display, line, f"the keyword {text!r} {problem}")
            elif said in first_lines:
                self.check.report(display, line, f"the keyword {text!r} is listed twice (first on line "
                                                 f"{first_lines[said]})")
            first_lines.setdefault(said, line)
        examples = self._texts(top, "examples", display, "an example", required=True)
        self.example_lines.update(((top.get("id"), text), line) for text, line in examples)
        reply = self.check.get(top, "reply", display, _is_text, required=False)
        each_role = self.check.get(top, "each_role", display, _is_bool, required=False, default=False)
        behaviour = self.intent_behaviour(top, display, top.get("id") == NEGATIVES_ID)
        if not (intent_id and description):
            return None
        return Intent(intent_id, clean(description), slots["role"], slots["level"], slots["skill"],
                      tuple(k for k, _ in keywords + frames), tuple(e for e, _ in examples),
                      clean(reply) if reply else None, each_role, frames=tuple(f for f, _ in frames), **behaviour)

    def intent_behaviour(self, top: LocatedDict, display: str, negatives: bool) -> dict:
        """What an intent declares about its answer: its kind, its phrases, what a role-only follow-up
        does after it, what it offers next, which bare questions it answers, whether it ends the chat."""
        line = top.line_of
        self.field_lines.update(((top.get("id"), key), line(key)) for key in top)
        # small talk may leave its kind out: an intent with a `reply` and no `answer` says its reply
        answer = self.check.get(top, "answer", display, _one_of(ANSWER_KINDS),
                                required=not negatives and top.get("reply") is None, default="reply",
                                what="the intent")
        phrases = {}
        given = self.check.submap(top, "phrases", display, "should map phrase names to templates")
        for name in self.check.known_keys(given, display, PHRASE_FIELDS, "phrase"):
            if _is_phrase(given[name]):
                self.check.report(display, given.line_of(name), f"the phrase {name!r} {_is_phrase(given[name])}")
            else:
                phrases[name] = clean(given[name])
                self.phrase_lines[(top.get("id"), name)] = (display, given.line_of(name))
        offers = self._ids(top, "offers", display, "an intent id", self.intent_refs)
        self.offer_refs += [(i, display, line("offers")) for i in offers]
        which_role = self.check.get(top, "which_role", display, _is_id, required=False)
        if which_role:
            self.intent_refs.append((which_role, display, line("which_role")))
        return {
            "answer": answer or "reply",
            "phrases": frozen_map(phrases),
            "role_follow_up": self.check.get(top, "role_follow_up", display, _one_of(ROLE_FOLLOW_UPS),
                                             required=False, default="new"),
            "offers": offers,
            "general_offers": self._ids(top, "general_offers", display, "a role id", self.role_refs),
            "default_for": self.check.get(top, "default_for", display, _one_of(DEFAULT_FOR), required=False),
            "which_role": which_role,
            "ends_chat": self.check.get(top, "ends_chat", display, _is_bool, required=False, default=False),
        }

    def _ids(self, top: LocatedDict, key: str, display: str, what: str,
             refs: list[tuple[str, str, int]]) -> tuple[str, ...]:
        """A list of ids, each remembered in `refs` to be resolved once everything is read."""
        ids = []
        for value, line in self.check.items(top, key, display):
            if _is_id(value):
                self.check.report(display, line, f"{what} {_is_id(value)}")
            else:
                ids.append(value)
                refs.append((value, display, line))
        return tuple(ids)

    def suggestions(self, doc: object, display: str) -> Suggestions:
        """What careerbot offers next where an answer does not say: intent and role ids."""
        top = self.check.mapping(doc, display, 1, "the file")
        if top is None:
            return Suggestions()
        self.check.fields(top, display, ("starters", "example_roles", "after_a_role", "near_a_job"), SUGGESTIONS_FILE)
        starters = []
        for item, line in self.check.items(top, "starters", display):
            entry = self.check.mapping(item, display, line, "a starter")
            if entry is None:
                continue
            self.check.fields(entry, display, ("intent", "role"), "a starter")
            intent = self.check.get(entry, "intent", display, _is_id, what="a starter")
            role = self.check.get(entry, "role", display, _is_id, what="a starter")
            if intent and role:
                starters.append((intent, role))
                self.intent_refs.append((intent, display, line))
                self.offer_refs.append((intent, display, line))
                self.role_refs.append((role, display, line))
        offered = {}
        for key in ("after_a_role", "near_a_job"):
            offered[key] = self._ids(top, key, display, "an intent id", self.intent_refs)
            self.offer_refs += [(i, display, top.line_of(key)) for i in offered[key]]
        return Suggestions(tuple(starters), self._ids(top, "example_roles", display, "a role id", self.role_refs),
                           **offered)

    def _texts(self, top: LocatedDict, key: str, display: str, what: str, *, required: bool,
               found: bool = False):
        """The texts listed under `key`, with their lines; `found`: each is an entity phrase, looked
        for in questions, so one that cannot be found there is a problem."""
        texts = []
        for value, line in self.check.items(top, key, display, required=required, what="the intent"):
            problem = _is_phrase(value) or (_unfindable(value) if found else None)
            if problem:
                self.check.report(display, line, f"{what} {problem}")
            else:
                texts.append((clean(value), line))
        return texts

    def vocabulary(self, doc: object, display: str) -> Vocabulary:
        top = self.check.mapping(doc, display, 1, "the file")
        if top is None:
            return Vocabulary()
        self.check.fields(top, display, ("levels", "level_titles", "skill_aliases", "domain_words"), ENTITIES_FILE)
        levels = self._level_words(top, "levels", display, "words", "a level word")
        titles = self._level_words(top, "level_titles", display, "title words", "a title word")
        aliases = {}
        given = self.check.get(top, "skill_aliases", display, lambda v: None if isinstance(v, LocatedDict)
                               else "should map skill names to their other spellings", required=False,
                               default=LocatedDict())
        for skill in given:
            aliases[clean(str(skill))] = (given.line_of(skill),
                                   tuple(w for w, _ in self._texts(given, skill, display, "an alias", required=True, found=True)))
        domain = tuple(w for w, _ in self._texts(top, "domain_words", display, "a domain word", required=False, found=True))
        self.skill_alias_lines = {skill: line for skill, (line, _) in aliases.items()}
        return Vocabulary(levels=levels, level_titles=titles, domain_words=domain,
                          skill_aliases=frozen_map((skill, words) for skill, (_, words) in aliases.items()))

    def _level_words(self, top: LocatedDict, key: str, display: str, words: str,
                     what: str) -> Mapping[str, tuple[str, ...]]:
        """The words of each level under `key` ("levels", "level_titles"), in the order of `LEVELS`."""
        given = self.check.submap(top, key, display, f"should map each level to its {words}")
        found = {level: tuple(w for w, _ in self._texts(given, level, display, what, required=True, found=True))
                 for level in self.check.known_keys(given, display, LEVELS, "level")}
        return frozen_map((level, found[level]) for level in LEVELS if level in found)

    def occupations(self, doc: object, display: str) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
        """Jobs outside ML: `near` maps a job to the nearest role ids, `other` lists the rest, and
        `fields` maps a line of work named as a field ("nursing") to its job ("nurse")."""
        top = self.check.mapping(doc, display, 1, "the file")
        if top is None:
            return {}, {}
        self.check.fields(top, display, ("near", "other", "fields"), OCCUPATIONS_FILE)
        jobs: dict[str, tuple[str, ...]] = {}
        near = self.check.get(top, "near", display, lambda v: None if isinstance(v, LocatedDict)
                              else "should map each job to the nearest role ids", required=False,
                              default=LocatedDict())
        for job in near:
            line = near.line_of(job)
            problem = _is_phrase(job) or _unfindable(job)   # a job is shown in answers ("not about nurses")
            if problem:
                self.check.report(display, line, f"a job {problem}")
                continue
            roles = []
            for role_id, role_line in self.check.items(near, job, display, required=True, what=f"the job {job!r}"):
                if _is_id(role_id):
                    self.check.report(display, role_line, f"a role id {_is_id(role_id)}")
                else:
                    roles.append(role_id)
                    self.role_refs.append((role_id, display, role_line))
            self.occupation_lines[str(job)] = (display, line)
            jobs[" ".join(str(job).split())] = tuple(roles)
        for job, line in self._texts(top, "other", display, "a job", required=False, found=True):
            self.occupation_lines[job] = (display, line)
            jobs.setdefault(job, ())
        fields: dict[str, str] = {}
        given = self.check.get(top, "fields", display, lambda v: None if isinstance(v, LocatedDict)
                               else "should map each field of work to its job", required=False,
                               default=LocatedDict())
        for field in given:
            line = given.line_of(field)
            job = given[field]
            problem = _is_phrase(field) or _unfindable(field)
            if problem:
                self.check.report(display, line, f"a field {problem}")
            elif not isinstance(job, str) or " ".join(job.split()) not in jobs:
                self.check.report(display, line, f"the field {field!r} should name a job listed under near or other")
            else:
                fields[clean(field)] = " ".join(job.split())
        return jobs, fields

    def uncovered(self, doc: object, display: str) -> dict[str, Uncovered]:
        """Career subtopics the sources do not cover, each with the sentence that says so."""
        top = self.check.mapping(doc, display, 1, "the file")
        if top is None:
            return {}
        topics = {}
        fields = ("says", "phrases", "intents", "with", "nearby")
        for topic_id, entry in self.entries(top, display, "the subtopic", fields):
            says = self.check.get(entry, "says", display, _is_text, what=f"the subtopic {topic_id!r}")
            phrases = tuple(p for p, _ in self._texts(entry, "phrases", display, "a phrase", required=True, found=True))
            intents = tuple(i for i, _ in self._texts(entry, "intents", display, "an intent id", required=False))
            together = tuple(w for w, _ in self._texts(entry, "with", display, "a word", required=False))
            nearby = self.check.get(entry, "nearby", display, _is_name, required=False, default="")
            self.intent_refs += [(i, display, entry.line_of("intents")) for i in intents]
            if nearby:
                self.intent_refs.append((nearby, display, entry.line_of("nearby")))
            if says and "{" in says.replace("{mention}", ""):
                self.check.report(display, entry.line_of("says"), "'says' may hold only the placeholder {mention}")
            elif says:
                topics[topic_id] = Uncovered(topic_id, " ".join(says.split()), phrases, intents, together, nearby)
        return topics

    def decision(self, doc: object, display: str) -> DecisionTable | None:
        """The fitted decision table: numbers only."""
        top = self.check.mapping(doc, display, 1, "the file")
        if top is None:
            return None
        self.check.fields(top, display, ("coefficients", "intercept", "cutoff", "negative_rate"), DECISION_FILE)
        tables = {}
        for key in ("coefficients", "negative_rate"):
            table = self.check.get(top, key, display, lambda v: None if isinstance(v, LocatedDict)
                                   else "should map names to numbers", required=key == "coefficients",
                                   default=LocatedDict())
            tables[key] = {}
            for name in table:
                if _is_number(table[name]):
                    self.check.report(display, table.line_of(name), f"{name!r} {_is_number(table[name])}")
                else:
                    tables[key][str(name)] = float(table[name])
        intercept = self.check.get(top, "intercept", display, _is_number, default=0.0)
        cutoff = self.check.get(top, "cutoff", display, _is_probability, default=0.5)
        return DecisionTable(frozen_map(tables["coefficients"]), float(intercept), float(cutoff),
                             frozen_map(tables["negative_rate"]))


def _parse_all(files: list[DataFile], check: _Checker, budget: Budget) -> dict[str, tuple[object, DataFile]]:
    parsed = {}
    for file in files:
        try:
            # values are counted before any is built: a few bytes each can cost a kilobyte each to build
            if not budget.spend(check, file.display, "nodes", count_nodes(file.data, budget.left["nodes"])):
                break
            parsed[file.display] = (parse_yaml(file.data, file.display), file)
        except YamlProblem as problem:
            check.report(problem.problem.file, problem.problem.line, problem.problem.message)
    return parsed


def _ordered_roles(roles: dict[str, Role]) -> dict[str, Role]:
    """Contract roles in the contract's order, then any others by id."""
    rank = {role_id: i for i, role_id in enumerate(CONTRACT_ROLES)}
    return dict(sorted(roles.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


def load_knowledge_base(intents: str | Path | Traversable | None = None,
                        knowledge: str | Path | Traversable | None = None) -> KnowledgeBase:
    """Read, validate and assemble both folders; raise `KnowledgeError` listing every problem."""
    intents_folder, knowledge_folder = as_folder(intents, "intents"), as_folder(knowledge, "knowledge")
    intents_root, knowledge_root = display_root(intents, "intents"), display_root(knowledge, "knowledge")
    reader = _Reader()
    check = reader.check
    budget = Budget()
    knowledge_files = _parse_all(yaml_files(knowledge_folder, knowledge_root, check, budget), check, budget)
    intent_files = _parse_all(yaml_files(intents_folder, intents_root, check, budget), check, budget)
    if budget.spent:              # what was not read would only be reported missing: say what was wrong
        raise check.error()

    sources = reader.sources(knowledge_files, knowledge_root)
    salary_levels, salary_notes = reader.salary(knowledge_files, knowledge_root)

    roles: dict[str, Role] = {}
    topics: dict[str, Topic] = {}
    role_lines: dict[str, str] = {}
    topic_files: dict[str, str] = {}
    for display, (doc, _) in knowledge_files.items():
        if display.startswith(f"{knowledge_root}/roles/"):
            _register(roles, role_lines, reader.role(doc, display), "role", display, check)
        elif display.startswith(f"{knowledge_root}/topics/"):
            _register(topics, topic_files, reader.topic(doc, display), "topic", display, check)
        else:
            check.report(display, None, "unexpected file: knowledge files are sources.yaml, salary.yaml, "
                                        "roles/<role>.yaml and topics/<topic>.yaml")
    unloaded_roles = _ids_of_broken_files(f"{knowledge_root}/roles/", knowledge_files, check) - roles.keys()
    unloaded_topics = _ids_of_broken_files(f"{knowledge_root}/topics/", knowledge_files, check) - topics.keys()

    vocabulary = Vocabulary()
    occupations: dict[str, tuple[str, ...]] = {}
    fields: dict[str, str] = {}
    uncovered: dict[str, Uncovered] = {}
    decision = None
    suggestions = Suggestions()
    reader.skill_alias_lines = {}
    intent_map: dict[str, Intent] = {}
    intent_files_by_id: dict[str, str] = {}
    for display, (doc, _) in intent_files.items():
        if display == f"{intents_root}/{ENTITIES_FILE}":
            vocabulary = reader.vocabulary(doc, display)
        elif display == f"{intents_root}/{OCCUPATIONS_FILE}":
            occupations, fields = reader.occupations(doc, display)
        elif display == f"{intents_root}/{UNCOVERED_FILE}":
            uncovered = reader.uncovered(doc, display)
        elif display == f"{intents_root}/{DECISION_FILE}":
            decision = reader.decision(doc, display)
        elif display == f"{intents_root}/{SUGGESTIONS_FILE}":
            suggestions = reader.suggestions(doc, display)
        else:
            _register(intent_map, intent_files_by_id, reader.intent(doc, display), "intent", display, check)
    vocabulary = vocabulary._replace(occupations=frozen_map(occupations), occupation_fields=frozen_map(fields),
                                     uncovered=frozen_map(uncovered))
    unloaded_intents = _ids_of_broken_files(f"{intents_root}/", intent_files, check) - intent_map.keys()

    # -- checks across files -------------------------------------------------
    for source_id, display, line in reader.source_refs:
        if sources and source_id not in sources:
            check.report(display, line, f"unknown source id {source_id!r} (sources.yaml lists: "
                                        f"{', '.join(sources)})")
    for role_id, display, line in reader.role_refs:
        if role_id not in roles and role_id not in unloaded_roles:
            check.report(display, line, f"unknown role id {role_id!r}")
    for role in roles.values():
        display = role_lines[role.id]
        if f"{knowledge_root}/roles/{role.id}.yaml" != display:
            check.report(display, 1, f"the role id {role.id!r} should match its file name")
    _check_aliases(roles, role_lines, reader.alias_lines, check)
    for intent_id, display, line in reader.intent_refs:
        if intent_id not in intent_map and intent_id not in unloaded_intents:
            check.report(display, line, f"unknown intent id {intent_id!r}")
    _check_examples(intent_map, intent_files_by_id, reader.example_lines, check)
    _check_behaviour(intent_map, intent_files_by_id, topics, topic_files, reader, check,
                     (intents_root, knowledge_root), (unloaded_intents, unloaded_topics))
    for intent_id in CONTRACT_INTENTS:
        if intent_id not in intent_map and intent_id not in unloaded_intents:
            check.report(f"{intents_root}/{intent_id}.yaml", None, f"the contract intent {intent_id!r} is missing")
    known_skills = {skill.name for role in roles.values() for skill in role.skills}
    for skill, line in reader.skill_alias_lines.items():
        if roles and not unloaded_roles and skill not in known_skills:
            check.report(f"{intents_root}/{ENTITIES_FILE}", line,
                         f"skill_aliases names {skill!r}, which no role lists as a skill")
    if not roles and not any(p.file.startswith(f"{knowledge_root}/roles/") for p in check.problems):
        check.report(f"{knowledge_root}/roles", None, "no roles are defined")

    if check.total:
        raise check.error()
    negatives = intent_map.pop(NEGATIVES_ID, None)
    return KnowledgeBase(
        sources=frozen_map(sources), roles=frozen_map(_ordered_roles(roles)),
        salary_levels=salary_levels, salary_notes=salary_notes, topics=frozen_map(topics),
        intents=frozen_map((i, intent_map[i]) for i in sorted(intent_map, key=_intent_rank)),
        vocabulary=vocabulary, negatives=negatives.examples if negatives else (), decision=decision,
        suggestions=suggestions,
    )


def _ids_of_broken_files(prefix: str, parsed: dict[str, tuple[object, DataFile]], check: _Checker) -> set[str]:
    """The ids of the files under `prefix` that have problems: each one's name, and the id it
    declares when it could be read. A role, topic or intent whose file is there but did not load is
    not unknown or missing: its file's problems say what is wrong, once, rather than every reference."""
    ids = set()
    for display in check.per_file:
        if display.startswith(prefix):
            ids.add(os.path.splitext(display.rsplit("/", 1)[-1])[0])
            doc = parsed.get(display, (None,))[0]
            if isinstance(doc, LocatedDict) and isinstance(doc.get("id"), str):
                ids.add(doc["id"])
    return ids


def _register(registry: dict, origins: dict, item, kind: str, display: str, check: _Checker) -> None:
    """Add a role, topic or intent under its id, refusing a second one with the same id."""
    if item is None:
        return
    if item.id in registry:
        where = f" (also in {origins[item.id]})" if item.id in origins else ""
        check.report(display, 1, f"duplicate {kind} id {item.id!r}{where}")
    else:
        registry[item.id] = item
        origins[item.id] = display


def _intent_rank(intent_id: str) -> tuple[int, str]:
    return (CONTRACT_INTENTS.index(intent_id) if intent_id in CONTRACT_INTENTS else len(CONTRACT_INTENTS),
            intent_id)


def _check_aliases(roles: dict[str, Role], role_lines: dict[str, str], alias_lines: dict[tuple[str, str], int],
                   check: _Checker) -> None:
    claimed: dict[str, str] = {}
    for role in _ordered_roles(roles).values():
        for alias in (role.name, *((role.short_name,) if role.short_name else ()), *role.aliases):
            key = normalise(alias).text
            owner = claimed.setdefault(key, role.id)
            if owner != role.id:
                check.report(role_lines[role.id], alias_lines.get((role.id, alias)),
                             f"the alias {alias!r} is claimed by both {owner!r} and {role.id!r}")


def _check_examples(intent_map: dict[str, Intent], intent_files_by_id: dict[str, str],
                    example_lines: dict[tuple[str, str], int], check: _Checker) -> None:
    seen: dict[str, str] = {}
    for intent in intent_map.values():
        for example in intent.examples:
            owner = seen.setdefault(normalise(example).text, intent.id)
            if owner != intent.id:
                check.report(intent_files_by_id[intent.id], example_lines.get((intent.id, example)),
                             f"the example {example!r} is also listed under the intent {owner!r}")


def _check_behaviour(intent_map: dict[str, Intent], intent_files_by_id: dict[str, str], topics: dict[str, Topic],
                     topic_files: dict[str, str], reader: _Reader, check: _Checker, roots: tuple[str, str],
                     unloaded: tuple[set[str], set[str]]) -> None:
    """What intents declare about their answers, against each other and the knowledge: every topic
    answer has its knowledge topic and every knowledge topic an intent that answers from it; every
    phrase fills; every intent offered as a question has one; each bare question has one intent.
    `roots` names the intents and knowledge folders as problems show them; `unloaded` holds the ids
    of the intents and the topics whose files are there but did not load (their own problems say why)."""
    import string
    intents_root, knowledge_root = roots
    unloaded_intents, unloaded_topics = unloaded
    intents = {i: intent for i, intent in intent_map.items() if i != NEGATIVES_ID}
    for intent in intents.values():
        display = intent_files_by_id[intent.id]

        def line_of(field: str, intent: Intent = intent) -> int | None:
            return reader.field_lines.get((intent.id, field))

        if TOPIC_KINDS.get(intent.answer) and intent.id not in topics and intent.id not in unloaded_topics:
            check.report(display, line_of("answer"), f"the answer {intent.answer!r} is drawn from the knowledge "
                                                     f"topic {intent.id!r}, but there is no {knowledge_root}/topics/"
                                                     f"{intent.id}.yaml with that id")
        if intent.answer == "reply" and not intent.reply:
            check.report(display, line_of("answer"), "the answer 'reply' needs the intent's 'reply' text")
        if intent.role_follow_up == "continue" and intent.role_slot not in ("required", "optional"):
            check.report(display, line_of("role_follow_up"), "'role_follow_up: continue' needs a role slot "
                                                             "(slots: {role: required} or {role: optional})")
        if intent.default_for == "two roles" and intent.role_slot != "pair":
            check.report(display, line_of("default_for"), "'default_for: two roles' needs slots: {role: pair}")
        if intent.default_for == "role" and intent.role_slot not in ("required", "optional"):
            check.report(display, line_of("default_for"), "'default_for: role' needs a role slot")
        answering = intents.get(intent.which_role) if intent.which_role else None
        if answering is not None and answering.role_slot != "none":
            check.report(display, line_of("which_role"), f"'which_role: {answering.id}' names an intent that "
                                                         "takes a role, but it answers questions that name none")
        if intent.role_slot in ("required", "pair") and not ({"question", "pick"} & set(intent.phrases)):
            check.report(display, line_of("slots"), "an intent that needs roles needs a 'question' (or 'pick') "
                                                    "phrase: it is offered when a question names no role")
        for name, template in intent.phrases.items():
            where, line = reader.phrase_lines[(intent.id, name)]
            complaint = _unfillable(template, _fillable(name, intent), string.Formatter())
            if complaint:
                check.report(where, line, f"the phrase {name!r} cannot be filled: {complaint}")
    for intent_id, display, line in reader.offer_refs:
        offered = intents.get(intent_id)
        if offered is not None and "question" not in offered.phrases:
            check.report(display, line, f"the intent {intent_id!r} is offered as a question, but has no "
                                        f"'question' phrase")
    for topic_id, topic_display in topic_files.items():
        if topic_id in unloaded_intents:           # the intent's own file says what is wrong
            continue
        reader_intent = intents.get(topic_id)
        if reader_intent is None or reader_intent.answer not in TOPIC_KINDS:
            check.report(topic_display, 1, f"no intent answers from the topic {topic_id!r}: a topic is read by the "
                                           f"intent of the same id whose answer is one of "
                                           f"{', '.join(TOPIC_KINDS)}")
    for bare in DEFAULT_FOR:
        owners = [i for i in intents.values() if i.default_for == bare]
        if intents and not owners and not unloaded_intents:
            check.report(intents_root, None, f"no intent has 'default_for: {bare}': one must answer a question of "
                                             f"{'no words' if bare == 'nothing' else bare + ' alone'}")
        for owner in owners if len(owners) > 1 else ():
            others = ", ".join(repr(o.id) for o in owners if o is not owner)
            check.report(intent_files_by_id[owner.id], reader.field_lines.get((owner.id, "default_for")),
                         f"'default_for: {bare}' is also declared by {others}: one intent only")


def _fillable(name: str, intent: Intent) -> set[str]:
    """The placeholders phrase `name` of `intent` can be filled with: the phrase's own, less those of
    slots the intent does not have (a second role, a level, a skill)."""
    fields = set(PHRASE_FIELDS[name])
    if intent.role_slot != "pair":
        fields -= {"an_other", "other"}
    if intent.level_slot == "none":
        fields.discard("at_level")
    if intent.skill_slot == "none":
        fields.discard("skill")
    return fields


def _unfillable(template: str, fields: set[str], formatter) -> str | None:
    """What keeps `template` from being filled with `fields`, or None when it fills."""
    try:
        parsed = list(formatter.parse(template))
    except ValueError as error:
        return f"{error} (a literal brace is written {{{{ or }}}})"
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in fields:
            allowed = ", ".join("{" + f + "}" for f in sorted(fields)) or "none"
            return f"{{{field}}} is not a placeholder it can hold (it can hold: {allowed})"
        if spec or conversion:
            return f"{{{field}}} takes no format or conversion"
    return None


def _keyword_problem(text: str) -> str | None:
    """Why a keyword cannot be matched: a placeholder other than `{role}`, or nothing but it."""
    unknown = [p for p in re.findall(_PLACEHOLDER, text) if p != ROLE_KEYWORD]
    if unknown:
        return f"holds {unknown[0]}: the only placeholder a keyword may hold is {ROLE_KEYWORD}"
    words = re.sub(_PLACEHOLDER, " ", text)
    if "{" in words or "}" in words:
        return "has an unmatched brace"
    if not normalise(words).tokens:
        return f"needs a word besides {ROLE_KEYWORD}"
    return None


_PLACEHOLDER = r"\{[^{}]*\}"
