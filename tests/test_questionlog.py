"""The question log, feedback and `careerbot review`, on a real database.

Every test that takes `database` runs on an SQLite file, and again on the PostgreSQL server that
CAREERBOT_TEST_POSTGRES names (a URL; its tables careerbot_* are dropped before each test). Without
that variable the PostgreSQL runs are skipped, except when CAREERBOT_REQUIRE_POSTGRES is set (CI
sets both), where they fail.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import time
import warnings
from pathlib import Path

import pytest
import sqlalchemy as sa

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient` is deprecated")
    from starlette.testclient import TestClient

from careerbot import Engine
from careerbot.frontends.cli import main
from careerbot.frontends.logstore import SCHEMA_VERSION, LogStore
from careerbot.frontends.questionlog import MAX_FEEDBACK_PER_ANSWER, QuestionLog, decision_of
from careerbot.frontends.server import create_app

POSTGRES = os.environ.get("CAREERBOT_TEST_POSTGRES", "")
REQUIRE_POSTGRES = bool(os.environ.get("CAREERBOT_REQUIRE_POSTGRES"))
TABLES = ("careerbot_feedback", "careerbot_questions", "careerbot_schema")
QUESTION_COLUMNS = {"id", "answer_id", "asked_at", "frontend", "question", "intent", "decision", "confidence",
                    "roles", "level", "skill", "parts"}


class Database:
    """One log database for one test, with the ways a test can break it."""

    def __init__(self, kind: str, url: str, folder: Path):
        self.kind, self.url, self.folder = kind, url, folder
        self.path = folder / "questions.sqlite3" if kind == "sqlite" else None
        self._engine: sa.Engine | None = None

    @property
    def engine(self) -> sa.Engine:
        if self._engine is None:
            url = sa.make_url(self.url)
            if self.kind == "postgresql":
                url = url.set(drivername="postgresql+psycopg")
            self._engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        return self._engine

    def rows(self, table: str) -> list[dict]:
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(sa.text(f"SELECT * FROM {table} ORDER BY id"))]

    def drop_tables(self) -> None:
        with self.engine.begin() as connection:
            for table in TABLES:
                connection.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))

    def remove(self) -> None:
        """The database goes away: the SQLite file is deleted, the PostgreSQL tables dropped."""
        if self.path is not None:
            self.path.unlink()
        else:
            self.drop_tables()

    @contextlib.contextmanager
    def read_only(self):
        """Writing fails while inside: the SQLite file and its folder cannot be written (immutable for
        root, which ignores permissions), or PostgreSQL sessions are read-only, as on a standby."""
        if self.path is not None:
            with _unwritable(self.path, self.folder):
                yield
            return
        name = sa.make_url(self.url).database
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as admin:
            admin.execute(sa.text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
            self._end_other_sessions(admin)
            try:
                yield
            finally:
                admin.execute(sa.text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
                self._end_other_sessions(admin)

    @staticmethod
    def _end_other_sessions(admin: sa.Connection) -> None:
        admin.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                              "datname = current_database() AND pid <> pg_backend_pid() AND usename = current_user"))

    @contextlib.contextmanager
    def writes_held(self):
        """Another connection holds the write lock, so the log's writer waits (up to its 5 s timeout)."""
        if self.path is not None:
            holder = sqlite3.connect(self.path, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            return
        with self.engine.connect() as holder:
            transaction = holder.begin()
            holder.execute(sa.text("LOCK TABLE careerbot_questions IN EXCLUSIVE MODE"))
            try:
                yield
            finally:
                transaction.rollback()


@contextlib.contextmanager
def _unwritable(*paths: Path):
    if os.geteuid() != 0:
        modes = [p.stat().st_mode for p in paths]
        for path in paths:
            path.chmod(0o500 if path.is_dir() else 0o400)
        try:
            yield
        finally:
            for path, mode in zip(paths, modes):
                path.chmod(mode)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", *map(str, paths)],
                                                        capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without chattr +i: nothing can be made read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path: Path) -> Database:
    if request.param == "sqlite":
        folder = tmp_path / "log"
        folder.mkdir()
        yield Database("sqlite", f"sqlite:///{folder / 'questions.sqlite3'}", folder)
        return
    if not POSTGRES:
        if REQUIRE_POSTGRES:
            pytest.fail("CAREERBOT_REQUIRE_POSTGRES is set but CAREERBOT_TEST_POSTGRES names no server")
        pytest.skip("no PostgreSQL server: set CAREERBOT_TEST_POSTGRES=postgresql://user:password@host/db")
    database = Database("postgresql", POSTGRES, tmp_path)
    database.drop_tables()
    yield database
    database.engine.dispose()


@pytest.fixture
def warnings_seen() -> list[str]:
    return []


@pytest.fixture
def question_log(database: Database, warnings_seen: list[str]):
    log = QuestionLog.open(database.url, warn=warnings_seen.append)
    yield log
    log.close()


@pytest.fixture
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("CAREERBOT_LOG", raising=False)
    return tmp_path / "state"


def run(argv: list[str], stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def wait_for(condition, what: str, timeout: float = 10.0) -> None:
    """Poll until `condition()` holds; the timeout only keeps a broken test from hanging."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


# -- recording ------------------------------------------------------------------------------------


def test_ask_records_each_question_and_its_decision_and_nothing_else(database: Database):
    """`careerbot ask --log URL` records each question of standard input, cleaned of control
    characters, with the decision: intent, roles, level, confidence, and out of scope or not."""
    code, out = run(["ask", "--log", database.url],
                    stdin="what does an MLOps engineer earn?\nhow much does a \x1b[31mnurse\x1b[0m earn\n"
                          "senior data scientist salary\n")
    assert code == 0 and out.count("You could ask next") == 3
    rows = database.rows("careerbot_questions")
    assert set(rows[0]) == QUESTION_COLUMNS          # no address, agent or anything else about who asked
    assert [r["question"] for r in rows] == ["what does an MLOps engineer earn?", "how much does a nurse earn",
                                             "senior data scientist salary"]
    assert [(r["intent"], r["decision"], json.loads(r["roles"])) for r in rows] == [
        ("salary", "answer", ["mlops-engineer"]), ("out_of_scope", "out_of_scope", []),
        ("salary", "answer", ["data-scientist"])]
    assert rows[2]["level"] == "senior" and all(r["frontend"] == "ask" for r in rows)
    assert all(0 <= r["confidence"] <= 1 and len(r["answer_id"]) == 32 for r in rows)
    with database.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version FROM careerbot_schema")).all() == [(SCHEMA_VERSION,)]


def test_a_multi_part_question_records_which_parts_were_answered(database: Database):
    """A question in two parts, one of them outside careerbot's sources, is logged with both parts:
    each one's intent and entities, and whether it was answered."""
    question = "what does a data scientist actually do and what does a baker earn"
    assert run(["ask", "--log", database.url, question])[0] == 0
    row = database.rows("careerbot_questions")[0]
    assert row["intent"] == "role_overview" and json.loads(row["roles"]) == ["data-scientist"]
    assert json.loads(row["parts"]) == [
        {"intent": "role_overview", "entities": {"roles": ["data-scientist"], "level": None, "skill": None},
         "answered": True},
        {"intent": "out_of_scope", "entities": {"roles": [], "level": None, "skill": None}, "answered": False}]
    assert run(["ask", "--log", database.url, "what does a data scientist actually do"])[0] == 0
    assert database.rows("careerbot_questions")[1]["parts"] is None      # one part: nothing more to say


def test_the_log_records_nothing_unless_asked(state_home: Path, tmp_path: Path):
    """Without --log or CAREERBOT_LOG nothing is written anywhere; `--log` alone writes the state
    folder's file, created readable by its owner only, and a question after it stays the question."""
    assert run(["ask", "what does a data engineer do"])[0] == 0
    assert not state_home.exists()
    code, out = run(["ask", "--log", "what does a data engineer do"])
    assert code == 0 and "Data Engineer" in out
    log_file = state_home / "careerbot" / "questions.sqlite3"
    assert log_file.stat().st_mode & 0o777 == 0o600
    assert Database("sqlite", f"sqlite:///{log_file}", log_file.parent).rows("careerbot_questions")[0][
        "question"] == "what does a data engineer do"


def test_environment_variable_turns_the_log_on(database: Database, monkeypatch: pytest.MonkeyPatch):
    """CAREERBOT_LOG=URL logs a piped conversation (frontend chat), follow-ups with their context."""
    monkeypatch.setenv("CAREERBOT_LOG", database.url)
    assert run([], stdin="tell me about NLP engineers\nhow much do they make?\n")[0] == 0
    rows = database.rows("careerbot_questions")
    assert [(r["frontend"], r["intent"], json.loads(r["roles"])) for r in rows] == [
        ("chat", "role_overview", ["nlp-engineer"]), ("chat", "salary", ["nlp-engineer"])]


def test_chat_records_questions_and_takes_good_and_bad(database: Database, question_log: QuestionLog,
                                                        engine: Engine, tmp_path: Path):
    """In the chat, /bad with a comment and /good rate the last answer; both land in the log, and
    /good before any question says there is nothing to rate."""
    from prompt_toolkit.output import DummyOutput
    from prompt_toolkit.output.plain_text import PlainTextOutput

    from careerbot.frontends.repl import ChatApp

    printed = io.StringIO()
    app = ChatApp(engine, color=False, output=DummyOutput(), print_output=PlainTextOutput(printed),
                  question_log=question_log, history_file=tmp_path / "history")
    app.handle_line("/good")
    assert "Nothing to rate yet" in printed.getvalue()
    app.handle_line("what does a plumber earn")
    app.handle_line("/bad I wanted plumbing wages")
    app.handle_line("what does a data scientist actually do")
    app.handle_line("/good")
    assert "/good" in _help(app) and "/bad" in _help(app)
    question_log.flush()
    questions = database.rows("careerbot_questions")
    feedback = database.rows("careerbot_feedback")
    assert [q["question"] for q in questions] == ["what does a plumber earn", "what does a data scientist actually do"]
    assert [(f["answer_id"], bool(f["helpful"]), f["comment"]) for f in feedback] == [
        (questions[0]["answer_id"], False, "I wanted plumbing wages"), (questions[1]["answer_id"], True, None)]


def _help(app) -> str:
    app.print_output.stdout.seek(0)
    app.print_output.stdout.truncate()
    app.handle_line("/help")
    return app.print_output.stdout.getvalue()


def test_chat_without_the_log_has_no_feedback_commands(engine: Engine, tmp_path: Path):
    """With the log off, /good and /bad are not commands (so /help does not offer them)."""
    from prompt_toolkit.output import DummyOutput
    from prompt_toolkit.output.plain_text import PlainTextOutput

    from careerbot.frontends.repl import ChatApp

    app = ChatApp(engine, color=False, output=DummyOutput(), print_output=PlainTextOutput(io.StringIO()),
                  history_file=tmp_path / "history")
    assert app.commands.get("good") is None and app.commands.get("bad") is None


# -- the server and feedback ----------------------------------------------------------------------


@pytest.fixture
def logged_client(engine: Engine, question_log: QuestionLog) -> TestClient:
    return TestClient(create_app(engine, question_log))


def test_server_records_answers_and_their_feedback(logged_client: TestClient, question_log: QuestionLog,
                                                   database: Database):
    """With the log on, each /v1/ask answer carries an answer_id; POST /v1/feedback with it records
    helpful true/false and the comment, and both are in the log."""
    first = logged_client.post("/v1/ask", json={"text": "what does a firefighter earn", "state": None}).json()
    second = logged_client.post("/v1/ask", json={"text": "what does an MLOps engineer earn", "state": None}).json()
    assert first["answer_id"] != second["answer_id"]
    response = logged_client.post("/v1/feedback", json={"answer_id": first["answer_id"], "helpful": False,
                                                        "comment": "firefighters\nplease"})
    assert response.status_code == 200 and response.json() == {"answer_id": first["answer_id"], "recorded": True}
    assert logged_client.post("/v1/feedback", json={"answer_id": second["answer_id"], "helpful": True}).status_code \
        == 200
    question_log.flush()
    questions = database.rows("careerbot_questions")
    assert [(q["question"], q["frontend"], q["decision"]) for q in questions] == [
        ("what does a firefighter earn", "http", "out_of_scope"), ("what does an MLOps engineer earn", "http", "answer")]
    assert [(f["answer_id"], bool(f["helpful"]), f["comment"]) for f in database.rows("careerbot_feedback")] == [
        (first["answer_id"], False, "firefighters please"), (second["answer_id"], True, None)]


@pytest.mark.parametrize("body, status", [
    ({"answer_id": "0" * 32, "helpful": True}, 404),
    ({"answer_id": None, "helpful": True}, 422),
    ({"helpful": False}, 422),
    ({"answer_id": "ID", "helpful": "no"}, 422),
    ({"answer_id": "ID", "helpful": False, "comment": "x" * 501}, 422),
    ({"answer_id": "ID", "helpful": False, "comment": 5}, 422),
    (["ID", False], 422),
], ids=["unknown-id", "id-null", "id-missing", "helpful-text", "comment-too-long", "comment-number", "array"])
def test_feedback_refuses_unknown_answers_and_bad_bodies(logged_client: TestClient, body, status: int):
    """Feedback on an id the log does not hold is 404; a body of the wrong shape is 422 with a JSON error."""
    answer_id = logged_client.post("/v1/ask", json={"text": "what does an NLP engineer do"}).json()["answer_id"]
    if isinstance(body, dict) and body.get("answer_id") == "ID":
        body = {**body, "answer_id": answer_id}
    response = logged_client.post("/v1/feedback", json=body)
    assert response.status_code == status, response.text
    assert set(response.json()["error"]) == {"code", "message"}


def test_feedback_is_rate_limited_per_answer(logged_client: TestClient, question_log: QuestionLog,
                                             database: Database):
    """One answer takes a few changes of mind, then 429; another answer still takes feedback."""
    ids = [logged_client.post("/v1/ask", json={"text": text}).json()["answer_id"]
           for text in ("what does a data engineer do", "what does a cloud architect do")]
    codes = [logged_client.post("/v1/feedback", json={"answer_id": ids[0], "helpful": n % 2 == 0}).status_code
             for n in range(MAX_FEEDBACK_PER_ANSWER + 2)]
    assert codes == [200] * MAX_FEEDBACK_PER_ANSWER + [429, 429]
    assert logged_client.post("/v1/feedback", json={"answer_id": ids[1], "helpful": True}).status_code == 200
    question_log.flush()
    assert len(database.rows("careerbot_feedback")) == MAX_FEEDBACK_PER_ANSWER + 1


@pytest.mark.parametrize("written_first", [True, False], ids=["written", "still-queued"])
def test_feedback_on_an_answer_another_server_gave(database: Database, engine: Engine, written_first: bool):
    """Two servers sharing one database (workers, or machines): feedback on an answer of the first,
    sent to the second, is recorded, not a 404: the second looks the answer up in the database, and
    asks again for a few seconds when the id is fresh, since the first lets its batch gather for a
    second before writing it."""
    first_log, second_log = QuestionLog.open(database.url), QuestionLog.open(database.url)
    try:
        first, second = TestClient(create_app(engine, first_log)), TestClient(create_app(engine, second_log))
        answer_id = first.post("/v1/ask", json={"text": "what does an MLOps engineer earn"}).json()["answer_id"]
        if written_first:
            first_log.flush()
        assert second.post("/v1/feedback", json={"answer_id": answer_id, "helpful": True}).status_code == 200
        second_log.flush()
    finally:
        first_log.close()
        second_log.close()
    assert [f["answer_id"] for f in database.rows("careerbot_feedback")] == [answer_id]


def test_records_still_queued_are_written_when_the_server_shuts_down(database: Database, engine: Engine):
    """A server shutting down (as each worker of `serve --workers N` does) writes what its log still
    holds, so the last answers before a restart are not lost."""
    question_log = QuestionLog.open(database.url)
    with TestClient(create_app(engine, question_log)) as client:      # runs the app's lifespan
        answer_id = client.post("/v1/ask", json={"text": "what does a data engineer do"}).json()["answer_id"]
        client.post("/v1/feedback", json={"answer_id": answer_id, "helpful": True})
    assert [q["answer_id"] for q in database.rows("careerbot_questions")] == [answer_id]
    assert [f["answer_id"] for f in database.rows("careerbot_feedback")] == [answer_id]


def test_without_the_log_answers_have_no_id_and_feedback_is_404(engine: Engine):
    """A server that records nothing gives no answer_id (the page then shows no 👍/👎) and refuses feedback."""
    client = TestClient(create_app(engine))
    answer = client.post("/v1/ask", json={"text": "what does an MLOps engineer earn"}).json()
    assert "answer_id" not in answer
    response = client.post("/v1/feedback", json={"answer_id": "0" * 32, "helpful": True})
    assert response.status_code == 404 and response.json()["error"]["code"] == "unknown_answer"


# -- when the database fails ----------------------------------------------------------------------


def test_answers_go_on_when_the_database_disappears(logged_client: TestClient, question_log: QuestionLog,
                                                    database: Database, warnings_seen: list[str],
                                                    monkeypatch: pytest.MonkeyPatch):
    """The log's database vanishing mid-run (file deleted, tables dropped) never fails an answer; the
    log starts afresh and records the questions asked after it."""
    import careerbot.frontends.questionlog
    monkeypatch.setattr(careerbot.frontends.questionlog, "RETRY_AFTER", 0.0)
    assert logged_client.post("/v1/ask", json={"text": "what does a data scientist actually do"}).status_code == 200
    question_log.flush()
    database.remove()
    for text in ("what does an NLP engineer earn", "which roles use Kubernetes?"):
        response = logged_client.post("/v1/ask", json={"text": text})
        assert response.status_code == 200 and response.json()["answer_id"]
        question_log.flush()
    logged = [q["question"] for q in database.rows("careerbot_questions")]
    assert logged[-1] == "which roles use Kubernetes?" and "what does a data scientist actually do" not in logged
    assert 1 <= len(warnings_seen) <= 2 and all("\n" not in w for w in warnings_seen)
    if database.path is not None:       # the new file is as private as the first
        assert database.path.stat().st_mode & 0o777 == 0o600
        assert warnings_seen == [f"the question log {database.path} was deleted or replaced: starting a new one"]


def test_answers_go_on_when_the_database_turns_read_only(logged_client: TestClient, question_log: QuestionLog,
                                                         database: Database, warnings_seen: list[str],
                                                         monkeypatch: pytest.MonkeyPatch):
    """While the database cannot be written, answers and feedback still succeed, records are dropped
    with one warning line, and when it can be written again a line says so and recording resumes."""
    import careerbot.frontends.questionlog
    monkeypatch.setattr(careerbot.frontends.questionlog, "RETRY_AFTER", 0.0)
    logged_client.post("/v1/ask", json={"text": "what does a data engineer do"})
    question_log.flush()
    with database.read_only():
        for text in ("what does an MLOps engineer earn", "tell me about NLP engineers", "what is the best paid ML job"):
            response = logged_client.post("/v1/ask", json={"text": text})
            assert response.status_code == 200 and response.json()["intent"] != "out_of_scope"
            assert logged_client.post("/v1/feedback", json={"answer_id": response.json()["answer_id"],
                                                            "helpful": True}).status_code == 200
            question_log.flush()
        assert len(warnings_seen) == 1 and "dropping question log records" in warnings_seen[0]
    logged_client.post("/v1/ask", json={"text": "which jobs work with Spark?"})
    question_log.flush()
    assert "written again" in warnings_seen[-1] and len(warnings_seen) == 2
    assert [q["question"] for q in database.rows("careerbot_questions")] == [
        "what does a data engineer do", "which jobs work with Spark?"]


def test_a_full_queue_drops_records_with_one_warning(database: Database, engine: Engine, warnings_seen: list[str]):
    """While the writer waits for the database, recording never waits: past the queue's size records
    are dropped with one warning, and the queued ones are written when the database is free."""
    log = QuestionLog(LogStore(database.url), warn=warnings_seen.append, max_queue=4, batch=1)
    try:
        answer = engine.ask("what does a data engineer do")
        log.record("first", answer, "http")
        log.flush()
        with database.writes_held():
            log.record("taken by the writer", answer, "http")
            wait_for(lambda: log._queue.qsize() == 0, "the writer to take the record")
            for n in range(7):
                log.record(f"queued {n}", answer, "http")      # returns at once: the test would hang otherwise
            assert log.dropped == 3 and len(warnings_seen) == 1 and "dropping records" in warnings_seen[0]
        log.flush()
    finally:
        log.close()
    assert [q["question"] for q in database.rows("careerbot_questions")] == [
        "first", "taken by the writer", "queued 0", "queued 1", "queued 2", "queued 3"]


def test_a_log_url_that_cannot_work_is_refused_before_serving(state_home: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture):
    """A URL of another database, no URL at all, or a file that cannot be created stops `serve` and
    `ask` with one line, exit 1."""
    (tmp_path / "a-file").write_text("")
    for argv in (["serve", "--log", "mysql://host/db"], ["ask", "--log", "sqlite://", "hi"],
                 ["ask", "--log", "https://example.org/log", "hi"],
                 ["serve", "--log", f"sqlite:///{tmp_path / 'a-file' / 'questions.sqlite3'}"]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.startswith("careerbot: ") and err.count("\n") == 1 and "Traceback" not in err


# -- review, export, purge ------------------------------------------------------------------------


def seed(database: Database, engine: Engine, asked: dict[str, int], unhelpful: tuple[str, ...] = (),
         when: dt.datetime | None = None) -> None:
    """Questions in the log as if asked `asked[text]` times each (at `when`, else now); the answers to
    those in `unhelpful` marked unhelpful."""
    store = LogStore(database.url)
    log = QuestionLog(store)
    try:
        for text, times in asked.items():
            for _ in range(times):
                answer_id = log.record(text, engine.ask(text), "http")
                if text in unhelpful:
                    log.feedback(answer_id, False, "not what I asked")
        log.flush()
    finally:
        log.close()
    if when is not None:
        with database.engine.begin() as connection:
            connection.execute(sa.text("UPDATE careerbot_questions SET asked_at = :when"), {"when": when})
            connection.execute(sa.text("UPDATE careerbot_feedback SET given_at = :when"), {"when": when})


LOW_CONFIDENCE_CANDIDATES = ("book a table for the ML team dinner", "order coffee for the data engineering team",
                             "is Java enough?", "what jobs actually use Scala?",
                             "is a phd mandatory for research roles", "which course makes sense for me?")
"""Questions the engine has answered with low confidence; which of them still is depends on how it
is tuned, so the test takes the first that is."""


@pytest.fixture(scope="module")
def low_confidence_question(engine: Engine) -> str:
    from careerbot.frontends.review import LOW_CONFIDENCE
    for question in LOW_CONFIDENCE_CANDIDATES:
        answer = engine.ask(question)
        if decision_of(answer) == "answer" and answer.confidence < LOW_CONFIDENCE:
            return question
    pytest.fail("the engine answers none of LOW_CONFIDENCE_CANDIDATES with low confidence: add one that it does")


@pytest.fixture
def asked(low_confidence_question: str) -> dict[str, int]:
    return {
        "how much does a nurse earn": 3, "what do nurses make": 2,     # one need, two wordings
        "what does an MLOps engineer earn": 1,                        # answered well, and marked unhelpful
        "what does a data scientist actually do": 4,                  # answered well: not listed
        "what would my responsibilities be": 2,                        # a clarification: which role?
        low_confidence_question: 1,                                   # answered, with low confidence
    }


def test_review_lists_what_to_improve_in_clusters_most_frequent_first(database: Database, engine: Engine,
                                                                     asked: dict[str, int],
                                                                     low_confidence_question: str):
    """`careerbot review --json`: out-of-scope questions clustered by need (the two nurse wordings
    together, with their count and examples), clarifications, low-confidence and unhelpful answers,
    each cluster with its nearest intent; answers given with confidence are not listed."""
    seed(database, engine, asked, unhelpful=("what does an MLOps engineer earn",))
    code, out = run(["review", "--log", database.url, "--json"])
    assert code == 0
    report = json.loads(out)
    assert report["questions"] == sum(asked.values())
    clusters = report["clusters"]
    assert [(c["reason"], c["count"]) for c in clusters][:1] == [("out_of_scope", 5)]
    nurse = clusters[0]
    assert nurse["examples"] == ["how much does a nurse earn", "what do nurses make"]
    assert nurse["nearest_intent"] == "salary" and 0 < nurse["score"] <= 1
    unhelpful = next(c for c in clusters if c["reason"] == "unhelpful")
    assert unhelpful["examples"] == ["what does an MLOps engineer earn"]
    assert unhelpful["comments"] == ["not what I asked"]
    assert [c["examples"] for c in clusters if c["reason"] == "clarification"] == [["what would my responsibilities be"]]
    assert [c["examples"] for c in clusters if c["reason"] == "low_confidence"] == [[low_confidence_question]]
    assert all("data scientist" not in e for c in clusters for e in c["examples"])
    counts = [c["count"] for c in clusters]
    assert counts == sorted(counts, reverse=True)
    code, text = run(["review", "--log", database.url])
    assert code == 0 and "Answered out of scope: 5 questions" in text and "      5×  nearest intent salary" in text


def test_review_export_is_an_evaluation_file_that_eval_scores(database: Database, engine: Engine, tmp_path: Path,
                                                              asked: dict[str, int]):
    """--export writes each cluster's examples with the engine's guess and a # check: comment; the
    file loads in `careerbot eval`, and a label a maintainer corrects is then scored as wrong."""
    seed(database, engine, asked)
    exported = tmp_path / "to-label.yaml"
    code, _ = run(["review", "--log", database.url, "--export", str(exported)])
    assert code == 0
    text = exported.read_text()
    items = [line for line in text.splitlines() if line.startswith("  - {q:")]
    assert len(items) == 4 and all("# check:" in line for line in items)
    assert '  - {q: "how much does a nurse earn", intent: out_of_scope, roles: []}' in text
    code, report = run(["eval", str(exported), "--json"])
    assert code == 0 and json.loads(report)["summary"]["items"] == 4
    corrected = exported.parent / "labelled.yaml"
    corrected.write_text(text.replace('nurse earn", intent: out_of_scope', 'nurse earn", intent: salary'))
    summary = json.loads(run(["eval", str(corrected), "--json"])[1])["summary"]
    assert summary["items"] == 4 and summary["overall_accuracy"] == 0.75


def test_review_since_and_purge_before(database: Database, engine: Engine):
    """--since 7d leaves out older questions; --purge --before 30d deletes the questions and feedback
    older than that and keeps the rest."""
    seed(database, engine, {"what does a plumber earn": 2}, unhelpful=("what does a plumber earn",),
         when=dt.datetime(2020, 1, 1))
    seed(database, engine, {"what does a baker earn": 1})
    recent = json.loads(run(["review", "--log", database.url, "--json", "--since", "7d"])[1])
    assert recent["questions"] == 1 and recent["clusters"][0]["examples"] == ["what does a baker earn"]
    code, out = run(["review", "--log", database.url, "--purge", "--before", "30d"])
    assert code == 0 and out.startswith("Deleted 2 questions and 2 feedback records")
    assert [q["question"] for q in database.rows("careerbot_questions")] == ["what does a baker earn"]
    assert database.rows("careerbot_feedback") == []


@pytest.mark.parametrize("argv, message", [
    (["--purge"], "--purge needs --before"),
    (["--before", "30d"], "--before goes with --purge"),
    (["--purge", "--before", "last tuesday"], "not an age or a date"),
    (["--since", "soon"], "not an age or a date"),
], ids=["purge-alone", "before-alone", "bad-date", "bad-since"])
def test_review_usage_errors(argv: list[str], message: str, state_home: Path, capsys: pytest.CaptureFixture):
    """Review options that do not fit together, or dates it cannot read, are usage errors (exit 2)."""
    assert main(["review", *argv]) == 2
    assert message in capsys.readouterr().err


def test_review_without_a_log_says_how_to_start_one(state_home: Path, capsys: pytest.CaptureFixture):
    """`careerbot review` before any log exists says so in one line (exit 1) and creates nothing."""
    assert main(["review"]) == 1
    err = capsys.readouterr().err
    assert "there is no question log at" in err and "Traceback" not in err
    assert not (state_home / "careerbot").exists()


def test_a_log_from_a_newer_careerbot_is_not_touched(database: Database, capsys: pytest.CaptureFixture):
    """A log whose schema version is newer than this careerbot knows is refused with a message."""
    LogStore(database.url).ensure_schema()
    with database.engine.begin() as connection:
        connection.execute(sa.text("UPDATE careerbot_schema SET version = :v"), {"v": SCHEMA_VERSION + 1})
    assert main(["review", "--log", database.url]) == 1
    assert "newer than this careerbot understands" in capsys.readouterr().err
