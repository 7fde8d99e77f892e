"""The knowledge base as immutable, typed values.

Everything here is built once by the loader and never changes: records (frozen, typed tuples; see
`_record`), tuples and read-only mappings, safe to share between threads.
"""

import marshal
from collections.abc import Mapping

from .._record import Record

LEVELS = ("entry", "mid", "senior")

CONTRACT_ROLES = (
    "ml-engineer", "data-scientist", "research-scientist", "computer-vision-engineer", "nlp-engineer",
    "mlops-engineer", "data-engineer", "big-data-engineer", "ai-product-manager", "ai-ethics-specialist",
    "ml-consultant", "cloud-architect",
)

CONTRACT_INTENTS = (
    "role_overview", "salary", "skills", "projects", "how_to_become", "education", "certifications",
    "learning_resources", "job_search", "industries", "highest_paying", "compare_roles", "list_roles",
    "roles_by_skill", "outlook", "greeting", "goodbye", "thanks", "help",
)
"""Intents a knowledge base must define. `out_of_scope` is what is left below the threshold."""

OUT_OF_SCOPE = "out_of_scope"

ROLE_KEYWORD = "{role}"
"""Where a keyword of an intent holds the place of any role named: "{role} does" is "what does a data
engineer do", not "what does a data engineer earn"."""

SKILL_GROUPS = ("languages", "frameworks_and_tools", "math", "soft_skills", "other")

SALARY_KINDS = ("range", "average", "top_companies", "level")

ANSWER_KINDS = ("overview", "salary", "skills", "projects", "topic", "ranking", "compare", "list",
                "roles_with_skill", "help", "reply")
"""The kinds of answer an intent may declare (`answer:` in its file). Each is one template of the
renderer (`careerbot.answers.render.Renderer.KINDS`); what each draws on is documented in the README."""

TOPIC_KINDS = {"topic": True, "overview": False, "skills": False}
"""Kinds that read the knowledge topic named after their intent: True where they cannot answer
without it, False where it only adds to the answer."""

FACT_KINDS = frozenset(ANSWER_KINDS) - {"help", "reply"}
"""Kinds that answer from the knowledge (not small talk): what an out-of-scope answer may show nearby."""

PHRASE_FIELDS = {
    "question": ("a_role", "an_other", "role", "other"),
    "pick": ("a_role", "an_other", "role", "other"),
    "general": ("at_level", "skill"),
    "topic": ("a_role", "role"),
    "role_skills": ("a_role", "role"),
    "which": (),
}
"""The phrases an intent may give, with the placeholders each may hold:

- `question`: the question that asks the intent about a role ("What does {a_role} earn?"), offered as
  a follow-up and as a "did you mean …?" choice; `{an_other}`/`{other}` name a second role;
- `pick`: what is offered when a question lacks the roles the intent needs (default: `question`);
- `general`: the question about the field as a whole ("What do machine learning jobs pay{at_level}?");
- `topic`: how a general answer names what the sources say nothing specific about for a role;
- `role_skills`: the heading under which a role's skills follow a topic answer about that role;
- `which`: the question asked back when the roles are missing (default "Which role do you mean?").

`{a_role}` is "a Data Scientist", `{role}` "Data Scientist"; `{at_level}` is " at entry level" or
nothing; `{skill}` a skill name."""

ROLE_FOLLOW_UPS = ("continue", "new")
"""What a follow-up naming only a role ("what about data engineers?") does after an answer of this
intent: `continue` the topic for the new role, or ask about the `new` role afresh (an overview)."""

VERDICTS = ("required", "recommended", "common", "not_required")
"""What a topic's fact may say of one of the topic's subjects (`Topic.subjects`: a degree level, a
certification) for a yes/no question about it ("do I need a master's …?"): it is `required`, the
sources `recommend` it, it is `common` (most people in the role have it), or it is `not_required`."""

DEFAULT_FOR = ("nothing", "role", "two roles")
"""Questions an intent answers when they hold nothing else: no words at all, one role alone ("data
scientist?"), two roles alone ("NLP or CV?"). One intent each."""


class FrozenDict(dict):
    """A dict that refuses changes: the engine shares its tables between threads.

    (A dict subclass rather than `MappingProxyType`, so that the compiled engine can be cached.)
    """

    __slots__ = ()

    def _refuse(self, *args, **kwargs):
        raise TypeError("careerbot's knowledge is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __reduce__(self):
        return (type(self), (dict(self),))


class Encoded(Mapping):
    """A read-only mapping whose values stay encoded (`marshal` bytes of their plain values) until
    first read, then are kept decoded: a knowledge base of thousands of roles loads from the engine
    cache in the time its bytes take to read, and a question decodes the few entries it uses."""

    __slots__ = ("_encoded", "_decode", "_decoded")

    def __init__(self, encoded: Mapping[str, bytes], decode):
        self._encoded, self._decode, self._decoded = encoded, decode, {}

    def __getitem__(self, key):
        try:
            return self._decoded[key]
        except KeyError:
            value = self._decoded[key] = self._decode(marshal.loads(self._encoded[key]))
            return value

    def __contains__(self, key) -> bool:
        return key in self._encoded

    def __iter__(self):
        return iter(self._encoded)

    def __len__(self) -> int:
        return len(self._encoded)

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __reduce__(self):
        return (FrozenDict, (dict(self.items()),))


class Deferred:
    """A table of a compiled part (the matcher's, the renderer's) that a cached engine keeps as
    `marshal` bytes until first read, then decoded: tables only some questions need (the typo
    tables, for a question with an unknown word) cost a cold start nothing.

    Declared on the class (`spelling_targets = Deferred()`); the cache writes such a table's bytes
    under `ENCODED_TABLES` in the instance's dict (`careerbot._cache`). An engine built from its
    files holds the table itself in the instance's dict, which comes first: this is never read.
    Decoding is idempotent, so two threads reading at once at worst decode it twice."""

    __slots__ = ("name",)

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = marshal.loads(instance.__dict__[ENCODED_TABLES][self.name])
        return value

    def encode(self, table, prepare) -> object:
        """What the cache writes of `table`: its `marshal` bytes (of `prepare(table)`: see
        `careerbot._cache.shared`)."""
        return marshal.dumps(prepare(table))


SHARDS = 256
"""The buckets a `Sharded` table is kept in."""
SHARDED_READS = 64
"""Reads of a `Sharded` table after which the whole of it is decoded: a short question reads each
table a few times to a few dozen (a 15-word one, the keywords 164 times), so a process that answers
more than one looks words up in plain dicts from its second or third."""


def shard_of(key: object) -> int:
    """The bucket of `key`: by its first and last letters (the same in every process; `hash()` of
    a string is not)."""
    return (ord(key[0]) * 31 + ord(key[-1])) % SHARDS if isinstance(key, str) and key else 0


class Sharded(Deferred):
    """A table of words (a dict keyed by strings) that a cached engine keeps as `marshal` bytes in
    `SHARDS` buckets, decoding a bucket when a key of it is first looked up: a question looks up a
    few words in each table, and a one-shot `careerbot ask` decodes their buckets, not the
    thousands of entries of every table (most of what reading the cache cost a cold start). After
    `SHARDED_READS` reads of the table the whole of it is decoded into a plain dict in the
    instance's dict, which later reads find first: a process that answers many questions soon
    looks words up at a dict's speed. Only lookups (`in`, `[]`, `get`) are cheap before then;
    nothing that answers a question walks these tables."""

    __slots__ = ()

    def encode(self, table, prepare) -> list[bytes]:
        from array import array  # only to write the cache
        from itertools import accumulate
        buckets: list[dict] = [{} for _ in range(SHARDS)]
        for key, value in table.items():
            buckets[shard_of(key)][key] = value
        encoded = [marshal.dumps(prepare(bucket)) for bucket in buckets]
        return [b"".join(encoded), array("I", accumulate(map(len, encoded), initial=0)).tobytes()]

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        encoded = instance.__dict__[ENCODED_TABLES]
        table = encoded.get(self.name)
        if table is None:                   # decoded whole by another thread meanwhile
            return instance.__dict__[self.name]
        if not isinstance(table, ShardedTable):
            table = encoded[self.name] = ShardedTable(*table)
        table.reads += 1
        if table.reads < SHARDED_READS:
            return table
        whole = instance.__dict__[self.name] = table.whole()
        encoded.pop(self.name, None)        # its bytes and buckets are kept no more
        return whole


class ShardedTable(Mapping):
    """A `Sharded` table while it is read bucket by bucket (the bytes and where each bucket starts,
    as `Sharded.encode` wrote them)."""

    __slots__ = ("_encoded", "_starts", "_buckets", "reads")

    def __init__(self, encoded: bytes | memoryview, starts: bytes | memoryview):
        self._encoded, self._starts = memoryview(encoded), memoryview(starts).cast("I")
        self._buckets: list[dict | None] = [None] * (len(self._starts) - 1)
        self.reads = 0

    def bucket(self, index: int) -> dict:
        found = self._buckets[index]
        if found is None:       # decoding is idempotent: two threads at once at worst decode it twice
            found = self._buckets[index] = marshal.loads(self._encoded[self._starts[index]:self._starts[index + 1]])
        return found

    def __getitem__(self, key):
        return self.bucket(shard_of(key))[key]

    def __contains__(self, key) -> bool:
        return key in self.bucket(shard_of(key))

    def get(self, key, default=None):
        return self.bucket(shard_of(key)).get(key, default)

    @property
    def decoded(self) -> int:
        """How many of its buckets are decoded."""
        return sum(bucket is not None for bucket in self._buckets)

    def whole(self) -> dict:
        """Every bucket in one dict."""
        whole: dict = {}
        for index in range(len(self._buckets)):
            whole.update(self.bucket(index))
        return whole

    def __iter__(self):
        return iter(self.whole())

    def __len__(self) -> int:
        return len(self.whole())


ENCODED_TABLES = "_encoded_tables"


def deferred_tables(part: object) -> tuple[str, ...]:
    """The names of the `Deferred` (and `Sharded`) tables of `part`'s class."""
    return tuple(name for name, value in vars(type(part)).items() if isinstance(value, Deferred))


def frozen_map(items=()) -> FrozenDict:
    """A read-only mapping of `items`."""
    return FrozenDict(items)


EMPTY_MAP = FrozenDict()


class Source(Record):
    id: str
    title: str
    file: str


class Fact(Record):
    """One statement and the sources that make it; in a topic, what it says of the topic's subjects
    (`verdicts`: (subject id, one of VERDICTS) pairs)."""

    text: str
    sources: tuple[str, ...]
    verdicts: tuple[tuple[str, str], ...] = ()


class Summary(Record):
    text: str
    sources: tuple[str, ...]


class Skill(Record):
    name: str
    group: str
    sources: tuple[str, ...]


class SalaryFigure(Record):
    """A figure exactly as a source gives it: a range, an average, a top-company or a level figure."""

    describes: str
    source: str
    low: int | None = None
    high: int | None = None
    average: int | None = None
    level: str | None = None
    open_ended: bool = False
    currency: str = "USD"
    period: str = "year"
    note: str = ""

    @property
    def top(self) -> int:
        """The highest number the figure states (what rankings compare)."""
        return max(n for n in (self.low, self.high, self.average) if n is not None)


class Role(Record):
    id: str
    name: str
    aliases: tuple[str, ...]
    summary: Summary
    responsibilities: tuple[Fact, ...] = ()
    skills: tuple[Skill, ...] = ()
    projects: tuple[Fact, ...] = ()
    salary: tuple[SalaryFigure, ...] = ()
    related_roles: tuple[str, ...] = ()
    short_name: str = ""

    @property
    def label(self) -> str:
        """The name used in running text and charts: the short name when there is one."""
        return self.short_name or self.name


class Section(Record):
    heading: str
    items: tuple[Fact, ...]


class Subject(Record):
    """What a yes/no question on a topic may ask about ("a master's degree"), and the words that name it."""

    id: str
    name: str
    words: tuple[str, ...]


class Topic(Record):
    id: str
    title: str
    summary: Summary | None
    sections: tuple[Section, ...]
    role_sections: Mapping[str, tuple[Section, ...]] = EMPTY_MAP
    subjects: tuple[Subject, ...] = ()      # in the order a question's words are tried: the most specific first


class Intent(Record):
    id: str
    description: str
    role_slot: str = "none"      # required | optional | pair | none
    level_slot: str = "none"     # optional | none
    skill_slot: str = "none"     # required | none
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    reply: str | None = None
    each_role: bool = False      # answers for every role named ("how much do DS or DE make?")
    answer: str = "reply"        # its kind of answer: one of ANSWER_KINDS
    phrases: Mapping[str, str] = EMPTY_MAP     # name -> template (see PHRASE_FIELDS)
    role_follow_up: str = "new"  # continue | new (see ROLE_FOLLOW_UPS)
    offers: tuple[str, ...] = ()            # intents offered next about the answer's roles
    general_offers: tuple[str, ...] = ()    # without a role: this intent's question about these roles
    default_for: str | None = None          # one of DEFAULT_FOR
    which_role: str | None = None           # the intent answering this topic asked of no role as "which role …?"
    ends_chat: bool = False                 # the chat ends after this answer ("bye")
    frames: tuple[str, ...] = ()            # keywords asking for a form of answer ("tldr"), among `keywords`


class Uncovered(Record):
    """A career subtopic the sources do not cover ("remote work", "pay in India").

    `says` is the sentence that admits it; `{mention}` in it stands for the phrase found.
    """

    id: str
    says: str
    phrases: tuple[str, ...]
    intents: tuple[str, ...] = ()     # only questions on these topics are uncovered (none: any question)
    together: tuple[str, ...] = ()    # only questions that also hold one of these words (none: any question)
    nearby: str = ""                  # the topic answered after the admission (none: the question's best)


class Vocabulary(Record):
    """Entity words that are not roles: levels, skill spellings, jobs outside ML, field words and
    the subtopics the sources do not cover."""

    levels: Mapping[str, tuple[str, ...]] = EMPTY_MAP
    skill_aliases: Mapping[str, tuple[str, ...]] = EMPTY_MAP
    occupations: Mapping[str, tuple[str, ...]] = EMPTY_MAP    # job outside ML -> nearest role ids
    occupation_fields: Mapping[str, str] = EMPTY_MAP          # its field of work ("nursing") -> the job
    domain_words: tuple[str, ...] = ()
    uncovered: Mapping[str, Uncovered] = EMPTY_MAP
    level_titles: Mapping[str, tuple[str, ...]] = EMPTY_MAP   # level words of a job's title only ("lead")


class Suggestions(Record):
    """What careerbot offers to ask next where an answer does not say (`intents/suggestions.yaml`)."""

    starters: tuple[tuple[str, str], ...] = ()     # (intent, role) offered when no role is in play
    example_roles: tuple[str, ...] = ()            # offered when a question needs a role it did not name
    after_a_role: tuple[str, ...] = ()             # intents offered about the role an answer was about
    near_a_job: tuple[str, ...] = ()               # intents offered about the roles nearest a job outside ML


class DecisionTable(Record):
    """Numbers fitted on labelled questions (see `careerbot.reading.calibrate`): how much evidence an
    answer needs, and how often each keyword occurs in questions careerbot cannot answer."""

    coefficients: Mapping[str, float]        # feature -> weight of the logistic decision
    intercept: float
    cutoff: float                            # the probability of "answerable" an answer needs
    negative_rate: Mapping[str, float] = EMPTY_MAP   # stemmed keyword -> share of negatives holding it


class KnowledgeBase(Record):
    sources: Mapping[str, Source]
    roles: Mapping[str, Role]
    salary_levels: tuple[SalaryFigure, ...]
    salary_notes: tuple[Fact, ...]
    topics: Mapping[str, Topic]
    intents: Mapping[str, Intent]
    vocabulary: Vocabulary
    negatives: tuple[str, ...] = ()          # questions careerbot cannot answer, in our own words
    decision: DecisionTable | None = None
    suggestions: Suggestions = Suggestions()

    @property
    def skill_names(self) -> tuple[str, ...]:
        """Every canonical skill name the knowledge base mentions, in first-seen order."""
        names = {skill.name: None for role in self.roles.values() for skill in role.skills}
        return tuple(names)


# --- the knowledge base as plain values (the engine cache) ---------------------------------------------

ENCODED = ("roles", "topics", "intents")
"""The knowledge base's mappings whose entries the engine cache keeps encoded one by one (`Encoded`)."""


def to_plain(value):
    """A value of the model as plain values that `marshal` writes: each record as the list of its
    fields, each read-only mapping as a dict, tuples as tuples; the knowledge base itself with the
    entries of its `ENCODED` mappings as `marshal` bytes each."""
    if isinstance(value, KnowledgeBase):
        return [{key: marshal.dumps(to_plain(item)) for key, item in field.items()} if name in ENCODED
                else to_plain(field) for name, field in zip(value._fields, value)]
    if isinstance(value, Record):
        return [to_plain(field) for field in value]
    if isinstance(value, Mapping):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(to_plain(item) for item in value)
    return value


def from_plain(data: list) -> KnowledgeBase:
    """The knowledge base `to_plain` wrote. Builds the model's own records and nothing else; those
    of roles, topics and intents when first read."""
    sources, roles, levels, notes, topics, intents, vocabulary, negatives, decision, suggestions = data
    return KnowledgeBase(
        frozen_map((key, Source(*value)) for key, value in sources.items()),
        Encoded(roles, _role),
        _figures(levels), _facts(notes),
        Encoded(topics, _topic),
        Encoded(intents, _intent),
        _vocabulary(vocabulary), negatives,
        None if decision is None else DecisionTable(frozen_map(decision[0]), decision[1], decision[2],
                                                    frozen_map(decision[3])),
        Suggestions(*suggestions),
    )


def _facts(items) -> tuple[Fact, ...]:
    return tuple(Fact(*item) for item in items)


def _figures(items) -> tuple[SalaryFigure, ...]:
    return tuple(SalaryFigure(*item) for item in items)


def _role(value: list) -> Role:
    role_id, name, aliases, summary, duties, skills, projects, salary, *rest = value
    return Role(role_id, name, aliases, Summary(*summary), _facts(duties), tuple(Skill(*s) for s in skills),
                _facts(projects), _figures(salary), *rest)


def _sections(items) -> tuple[Section, ...]:
    return tuple(Section(heading, _facts(facts)) for heading, facts in items)


def _topic(value: list) -> Topic:
    topic_id, title, summary, sections, role_sections, subjects = value
    return Topic(topic_id, title, None if summary is None else Summary(*summary), _sections(sections),
                 frozen_map((role, _sections(items)) for role, items in role_sections.items()),
                 tuple(Subject(*subject) for subject in subjects))


def _intent(value: list) -> Intent:
    fields = list(value)
    fields[10] = frozen_map(fields[10])            # phrases
    return Intent(*fields)


def _vocabulary(value: list) -> Vocabulary:
    levels, aliases, occupations, fields, domain_words, uncovered, titles = value
    return Vocabulary(frozen_map(levels), frozen_map(aliases), frozen_map(occupations), frozen_map(fields),
                      domain_words, frozen_map((key, Uncovered(*item)) for key, item in uncovered.items()),
                      frozen_map(titles))
