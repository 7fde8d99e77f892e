"""Where the question log lives: one SQL schema through SQLAlchemy Core, on SQLite or PostgreSQL.

    sqlite:///relative/path.sqlite3     one machine (the file is created owner-only, 0600)
    sqlite:////absolute/path.sqlite3
    postgresql://user:password@host/db  several machines sharing one log (psycopg 3)

Three tables, prefixed so that they can share a database with others:

    careerbot_schema     the schema version: how many of MIGRATIONS have run
    careerbot_questions  one row per answered question (nothing about who asked)
    careerbot_feedback   one row per 👍/👎 on an answer

MIGRATIONS is a plain ordered list: a database at version n runs the ones after n, in one
transaction, and a database newer than this code is refused rather than written to. SQLAlchemy
is imported only here, and this module only when the log is on: the base install needs neither.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from .. import CareerbotError

EXIT_FAILURE = 1


class LogError(CareerbotError):
    """The question log cannot be opened, read or written."""

    exit_code = EXIT_FAILURE


metadata = sa.MetaData()

schema_table = sa.Table(
    "careerbot_schema", metadata,
    sa.Column("version", sa.Integer, nullable=False),
)

questions_table = sa.Table(
    "careerbot_questions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("answer_id", sa.String(40), nullable=False, unique=True),
    sa.Column("asked_at", sa.DateTime, nullable=False),      # UTC; no index: review reads all, rarely
    sa.Column("frontend", sa.String(16), nullable=False),                      # ask | chat | http
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("intent", sa.String(64), nullable=False),
    sa.Column("decision", sa.String(16), nullable=False),   # answer | clarify | ambiguous | out_of_scope | empty
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("roles", sa.Text, nullable=False),                               # JSON list of role ids
    sa.Column("level", sa.String(16)),
    sa.Column("skill", sa.String(100)),
    sa.Column("parts", sa.Text),               # JSON: one {"intent", "entities", "answered"} per part, or null
)

feedback_table = sa.Table(
    "careerbot_feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("answer_id", sa.String(40), nullable=False, index=True),
    sa.Column("given_at", sa.DateTime, nullable=False),                        # UTC
    sa.Column("helpful", sa.Boolean, nullable=False),
    sa.Column("comment", sa.Text),
)


QUESTION_COLUMNS = ("answer_id", "asked_at", "frontend", "question", "intent", "decision", "confidence", "roles",
                    "level", "skill", "parts")
FEEDBACK_COLUMNS = ("answer_id", "given_at", "helpful", "comment")
"""The values `LogStore.write` takes, in order; the time (second) as a UNIX timestamp."""


def _version_1(connection: sa.Connection) -> None:
    """The first schema: questions and feedback."""
    for table in (questions_table, feedback_table):
        table.create(connection, checkfirst=True)


MIGRATIONS: list[Callable[[sa.Connection], None]] = [_version_1]
"""Each entry brings the schema one version up; the version is the number of entries that ran."""

SCHEMA_VERSION = len(MIGRATIONS)

ROWS_PER_INSERT = 80
"""Rows in one INSERT statement: 11 values a row stay under 999, the fewest placeholders any SQLite
build takes."""


@dataclass(frozen=True, slots=True)
class LoggedQuestion:
    """One row of the log, as `careerbot review` reads it."""

    answer_id: str
    asked_at: dt.datetime
    frontend: str
    question: str
    intent: str
    decision: str
    confidence: float
    roles: tuple[str, ...]
    level: str | None
    skill: str | None
    helpful: bool | None          # the latest feedback on this answer, if any
    comment: str | None


def utc_now() -> dt.datetime:
    """Now, in UTC, without a time zone (how the log stores times on every database)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def engine_url(url: str) -> sa.URL:
    """The SQLAlchemy URL for a log URL; `postgresql://` means psycopg 3 (not SQLAlchemy's default driver)."""
    try:
        parsed = sa.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        raise LogError(f"not a database URL: {describe(url)} (use sqlite:///PATH or postgresql://...)") from None
    if parsed.drivername == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise LogError("a SQLite log needs a file: sqlite:///PATH")
        return parsed
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    raise LogError(f"the question log takes sqlite:/// or postgresql:// URLs, not {parsed.drivername}://")


def describe(url: str) -> str:
    """A URL fit for a message: the password hidden."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):
        return repr(url[:80])


def sqlite_path(url: str) -> str | None:
    parsed = engine_url(url)
    return os.path.abspath(parsed.database) if parsed.drivername == "sqlite" else None


def create_owner_only(path: str) -> None:
    """Create the SQLite file (and its folder) readable by its owner only, before SQLite opens it;
    SQLite gives its journal files the permissions of the database file."""
    folder = os.path.dirname(path)
    if folder and not os.path.isdir(folder):
        os.makedirs(folder, mode=0o700, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(descriptor)


class LogStore:
    """The log's database: schema set-up, batched writes, and the reads and deletes of `careerbot review`.

    Every method may raise `LogError`; the writer thread of `QuestionLog` turns those into a warning.
    """

    def __init__(self, url: str, *, create: bool = True):
        self.url = url
        self.name = describe(url)
        self._url = engine_url(url)
        self.path = os.path.abspath(self._url.database) if self._url.drivername == "sqlite" else None
        self._create = create
        self._engine: sa.Engine | None = None
        self._identity: tuple[int, int] | None = None    # the SQLite file opened (device, inode)
        self._ready = False
        self.notice: Callable[[str], None] | None = None     # told when the log file is started afresh

    # -- connecting ------------------------------------------------------------------------------

    def _connect(self) -> sa.Engine:
        if self._engine is not None and self.path is not None and self._identity != _identity(self.path):
            # the file was deleted or replaced under us: writing on would go to a file nobody can read
            self.dispose()
            if self.notice is not None:
                self.notice(f"the question log {self.path} was deleted or replaced: starting a new one")
        if self._engine is None:
            if self.path is not None:
                if not self._create and not os.path.exists(self.path):
                    raise LogError(f"there is no question log at {self.path}")
                try:
                    create_owner_only(self.path)
                except OSError as error:
                    raise LogError(f"cannot create the question log {self.path}: {error.strerror}") from None
                self._identity = _identity(self.path)
                self._engine = _sqlite_engine(self._url)
            else:
                try:
                    self._engine = sa.create_engine(self._url, pool_pre_ping=True, pool_size=2, max_overflow=2,
                                                    connect_args={"connect_timeout": 5})
                except ModuleNotFoundError as error:
                    raise LogError(f"a PostgreSQL log needs psycopg ({error.name} is not installed): "
                                   "pip install 'careerbot[postgres]'") from None
            self._ready = False
        return self._engine

    def check(self) -> None:
        """Fail now if this log cannot work at all: its driver is missing, or its SQLite file cannot be
        created. (A database server that does not answer is not checked: that only costs warnings.)"""
        self._connect()

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._engine, self._identity, self._ready = None, None, False

    def ensure_schema(self) -> None:
        """Create or migrate the tables (once per connection set-up)."""
        if self._ready and self._engine is not None and (self.path is None or self._identity == _identity(self.path)):
            return
        with self.transaction() as connection:
            if connection.dialect.name == "postgresql":
                # machines starting together migrate one at a time
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(7216010016)"))
            schema_table.create(connection, checkfirst=True)
            version = connection.execute(sa.select(schema_table.c.version)).scalar()
            if version is None:
                connection.execute(schema_table.insert().values(version=0))
                version = 0
            if version > SCHEMA_VERSION:
                raise LogError(f"the question log {self.name} has schema version {version}, newer than this "
                               f"careerbot understands ({SCHEMA_VERSION}): upgrade careerbot")
            for migration in MIGRATIONS[version:]:
                migration(connection)
            if version < SCHEMA_VERSION:
                connection.execute(schema_table.update().values(version=SCHEMA_VERSION))
        self._ready = True

    def transaction(self):
        return _Transaction(self)

    # -- writing ---------------------------------------------------------------------------------

    def write(self, questions: list[tuple], feedback: list[tuple]) -> None:
        """Insert a batch in one transaction: rows of QUESTION_COLUMNS and FEEDBACK_COLUMNS values.

        This runs beside the thread that answers, and each microsecond here is one taken from it: the
        rows go to the driver as they are, past SQLAlchemy's per-value processing (only the time is
        converted, as SQLAlchemy would store it), and many rows make one INSERT statement. The
        driver lets other threads run during each statement it executes; row by row, the GIL would
        change hands between this thread and the one answering a thousand times a batch."""
        self.ensure_schema()
        with self.transaction() as connection:
            dialect = connection.dialect
            stamp = _sqlite_time if dialect.name == "sqlite" else _utc
            for table, columns, rows in ((questions_table, QUESTION_COLUMNS, questions),
                                         (feedback_table, FEEDBACK_COLUMNS, feedback)):
                for start in range(0, len(rows), ROWS_PER_INSERT):
                    chunk = rows[start:start + ROWS_PER_INSERT]
                    values = [value for row in chunk for value in (row[0], stamp(row[1]), *row[2:])]
                    connection.exec_driver_sql(_insert_sql(dialect, table, columns, len(chunk)), tuple(values))

    def has_answer(self, answer_id: str) -> bool:
        self.ensure_schema()
        with self.transaction() as connection:
            query = sa.select(questions_table.c.id).where(questions_table.c.answer_id == answer_id).limit(1)
            return connection.execute(query).first() is not None

    # -- reading and deleting, for `careerbot review` --------------------------------------------------

    def questions(self, since: dt.datetime | None = None) -> list[LoggedQuestion]:
        """Every logged question asked at or after `since`, oldest first, with its latest feedback."""
        self.ensure_schema()
        q, f = questions_table.c, feedback_table.c
        latest = (sa.select(f.answer_id, sa.func.max(f.id).label("last")).group_by(f.answer_id).subquery())
        last_feedback = (sa.select(f.answer_id, f.helpful, f.comment)
                         .join(latest, latest.c.last == f.id).subquery())
        query = (sa.select(q.answer_id, q.asked_at, q.frontend, q.question, q.intent, q.decision, q.confidence,
                           q.roles, q.level, q.skill, last_feedback.c.helpful, last_feedback.c.comment)
                 .outerjoin(last_feedback, last_feedback.c.answer_id == q.answer_id)
                 .order_by(q.id))
        if since is not None:
            query = query.where(q.asked_at >= since)
        with self.transaction() as connection:
            rows = connection.execute(query).all()
        return [LoggedQuestion(r.answer_id, r.asked_at, r.frontend, r.question, r.intent, r.decision,
                               float(r.confidence), tuple(_roles(r.roles)), r.level, r.skill,
                               None if r.helpful is None else bool(r.helpful), r.comment) for r in rows]

    def purge(self, before: dt.datetime) -> tuple[int, int]:
        """Delete the questions asked before `before` and the feedback given before it; the counts."""
        self.ensure_schema()
        with self.transaction() as connection:
            asked = connection.execute(questions_table.delete().where(questions_table.c.asked_at < before)).rowcount
            given = connection.execute(feedback_table.delete().where(feedback_table.c.given_at < before)).rowcount
        return asked, given

    def counts(self) -> tuple[int, int]:
        self.ensure_schema()
        with self.transaction() as connection:
            asked = connection.execute(sa.select(sa.func.count()).select_from(questions_table)).scalar()
            given = connection.execute(sa.select(sa.func.count()).select_from(feedback_table)).scalar()
        return int(asked or 0), int(given or 0)


class _Transaction:
    """`with store.transaction() as connection`: one transaction; any database failure is a LogError
    (and the connection is set up afresh next time)."""

    def __init__(self, store: LogStore):
        self.store = store
        self._context: Any = None

    def __enter__(self) -> sa.Connection:
        try:
            self._context = self.store._connect().begin()
            return self._context.__enter__()
        except sa.exc.SQLAlchemyError as error:
            self.store.dispose()
            raise LogError(f"the question log {self.store.name} is unavailable: {_reason(error)}") from None

    def __exit__(self, kind, error, traceback) -> bool:
        try:
            self._context.__exit__(kind, error, traceback)
        except sa.exc.SQLAlchemyError as failure:
            error = error or failure
        if isinstance(error, sa.exc.SQLAlchemyError):
            self.store.dispose()
            raise LogError(f"the question log {self.store.name} cannot be written: {_reason(error)}") from None
        return False


@functools.lru_cache(maxsize=64)
def _insert_sql(dialect, table: sa.Table, columns: tuple[str, ...], rows: int) -> str:
    """INSERT INTO table (columns) VALUES (...), (...): `rows` rows of driver placeholders."""
    quote = dialect.identifier_preparer.quote
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    row = f"({', '.join([marker] * len(columns))})"
    return f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) VALUES {', '.join([row] * rows)}"


def _utc(timestamp: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).replace(tzinfo=None)


def _sqlite_time(timestamp: float) -> str:
    """A UTC time as SQLAlchemy's DateTime keeps it in SQLite (so it reads and compares the same)."""
    return _utc(timestamp).isoformat(" ", "microseconds")


def _identity(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    """A SQLite engine whose transactions take the write lock at once (several worker processes may
    write one file), waiting up to 5 s for it."""
    engine = sa.create_engine(url, connect_args={"timeout": 5}, poolclass=sa.pool.NullPool)

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection, record) -> None:
        dbapi_connection.isolation_level = None     # SQLAlchemy says BEGIN, below

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    return text[0][:200] if text else type(original).__name__


def _roles(text: str) -> Iterable[str]:
    try:
        roles = json.loads(text)
    except ValueError:
        return ()
    return [r for r in roles if isinstance(r, str)] if isinstance(roles, list) else ()
