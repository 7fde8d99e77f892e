"""The question log: what people asked and what careerbot decided, for `careerbot review`.

Off unless asked for (`--log URL` or CAREERBOT_LOG). A frontend calls `record(question, answer)`
after answering; that puts the answer on a bounded in-memory queue (a few microseconds), and one
background thread turns what is queued into rows and writes them to the database in batches. Answering never waits for the
database: when the queue is full or the database fails, records are dropped and one warning line
says so (and another when writing works again); nothing reaches the person asking.

What a row holds: the time (UTC), the question without control characters (its first
MAX_QUESTION_CHARS), the frontend (ask, chat or http), the decision (intent, roles, level, skill,
confidence, out of scope / clarification / did-you-mean, and the parts of a multi-part question)
and the answer's id. Nothing about the client: no address, no user agent, no conversation id.

SQLAlchemy (the `log` extra) is imported when a log is opened, never before.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import queue
import re
import sys
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from .. import MAX_QUESTION_CHARS, CareerbotError, clean_echo

if TYPE_CHECKING:
    from .. import Answer
    from .logstore import LogStore

ENV_LOG = "CAREERBOT_LOG"
"""A database URL: the question log is on, there (the `--log` option wins)."""

MAX_QUEUE = 10_000
"""Records waiting to be written; past this, new ones are dropped (with one warning)."""
BATCH = 2_000
"""Records written in one transaction at most."""
BATCH_WAIT = 1.0
"""Seconds the writer lets records gather before it writes them (unless a flush or close hurries it).
Each transaction costs about as much CPU as a hundred inserts, all of it taken from answering."""
CLOSE_TIMEOUT = 10.0
"""Seconds `close` waits for the queue to be written."""
RETRY_AFTER = 2.0
"""Seconds the writer waits after a failure before it tries the database again."""
FRESH_FOR = 2 * BATCH_WAIT + 1.0
"""Seconds within which an answer given by another process may not be in the database yet."""
LOOKUP_AGAIN = 0.25
RECENT_ANSWERS = 50_000
"""Answer ids this process remembers, so feedback on them needs no database lookup."""
MAX_FEEDBACK_PER_ANSWER = 5
"""Feedback records one answer may receive from this process (a change of mind, not a flood)."""
MAX_COMMENT_CHARS = 500

_WRITE_NOW = ("now",)
"""Put on the queue by `flush`: the writer writes what it has without waiting for a fuller batch."""

_SPACES = re.compile(r"[\t\n\r\v\f\u2028\u2029]+")


class LogUnavailable(CareerbotError):
    """The log extra is not installed."""

    exit_code = 1


def default_log_url(environ: Mapping[str, str]) -> str:
    """`sqlite:///$XDG_STATE_HOME/careerbot/questions.sqlite3` (else under ~/.local/state)."""
    state = environ.get("XDG_STATE_HOME", "")
    base = state if state and os.path.isabs(state) else os.path.join(os.path.expanduser("~"), ".local", "state")
    return "sqlite:///" + os.path.join(base, "careerbot", "questions.sqlite3")


def clean_text(text: str, limit: int) -> str:
    """Text as the log keeps it: terminal sequences and control characters removed, line breaks
    and tabs made spaces, at most `limit` characters."""
    text = text[:limit]
    if text.isascii() and text.isprintable():
        return text.strip()
    return clean_echo(_SPACES.sub(" ", text)).strip()


class AnswerIds:
    """Answer ids: 32 hex digits, the second it was given (8) and a keyed hash of a counter (24),
    so that ids cannot be guessed from one another and any process can tell a fresh one.

    `uuid4` would do for the hash, but it reads the system's random source for every answer, which
    on some virtual machines costs more than answering; here that happens once, for the key."""

    def __init__(self) -> None:
        self._key = os.urandom(32)
        self._counter = itertools.count()

    def __call__(self) -> str:
        number = next(self._counter).to_bytes(8, "little")     # next() on a count is atomic
        digest = hashlib.blake2b(number, key=self._key, digest_size=12).hexdigest()
        return f"{int(time.time()) & 0xFFFFFFFF:08x}{digest}"


def issued_at(answer_id: str) -> int | None:
    """The second an answer id says it was given, if it has the shape of one."""
    if len(answer_id) != 32 or not answer_id.isascii():
        return None
    try:
        return int(answer_id[:8], 16)
    except ValueError:
        return None


def open_store(url: str, *, create: bool = True) -> LogStore:
    """The database behind `url`; `LogUnavailable` when SQLAlchemy is not installed."""
    try:
        from .logstore import LogStore
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] != "sqlalchemy":
            raise
        raise LogUnavailable("the question log needs the log extra (sqlalchemy is not installed): "
                             "pip install 'careerbot[log]'") from None
    return LogStore(url, create=create)


def decision_of(answer: Answer) -> str:
    """How the engine settled the question: answer, clarify, ambiguous, out_of_scope or empty."""
    if answer.intent == "out_of_scope":
        return "out_of_scope"
    explain = answer.explain
    return explain.decision.split(":", 1)[0] if explain is not None else "answer"


class QuestionLog:
    """The log of one process: `record` and `feedback` queue rows; a thread writes them.

    `warn` receives each warning line as it happens; without it, warnings wait in `take_warnings()`
    (the chat prints them between answers, never in the middle of the prompt).
    """

    def __init__(self, store: LogStore, *, warn: Callable[[str], None] | None = None,
                 max_queue: int = MAX_QUEUE, batch: int = BATCH):
        self.store = store
        self._warn = warn
        self._warnings: deque[str] = deque(maxlen=100)
        self._queue: queue.Queue = queue.Queue(maxsize=max_queue)
        self._batch = batch
        self._new_id = AnswerIds()
        self._recent: OrderedDict[str, int] = OrderedDict()     # answer id → feedback received here
        self._recent_lock = threading.Lock()
        self._dropping = False          # a warning was given and writing has not worked since
        self._queue_full = False
        self._closed = False
        self.dropped = 0
        self.written = 0
        self._hurry = threading.Event()       # set by flush and close: write now, do not wait for more
        store.notice = self.warn
        self._thread = threading.Thread(target=self._write_forever, name="careerbot-question-log", daemon=True)
        self._thread.start()

    @classmethod
    def open(cls, url: str, **options) -> QuestionLog:
        """The log at `url`; `LogError` (a CareerbotError) when it cannot work at all."""
        store = open_store(url)
        store.check()
        return cls(store, **options)

    @property
    def name(self) -> str:
        return self.store.name

    # -- what frontends call ----------------------------------------------------------------------------

    def record(self, question: str, answer: Answer, frontend: str) -> str:
        """Queue the question and the decision; return the answer's id. Never raises, never waits."""
        answer_id = self._new_id()
        with self._recent_lock:
            self._recent[answer_id] = 0
            if len(self._recent) > RECENT_ANSWERS:
                self._recent.popitem(last=False)
        self._put(("q", answer_id, time.time(), frontend, question, answer))
        return answer_id

    def knows(self, answer_id: str) -> bool:
        """Whether `answer_id` names an answer in the log (given here, or by another process or
        machine). An answer given in the last seconds elsewhere may still wait in that process's
        queue: for such an id the database is asked again until FRESH_FOR has passed (this blocks:
        call it from a worker thread). A database that cannot be asked counts as yes: the feedback
        is queued, and dropped with the rest if the database stays away."""
        with self._recent_lock:
            if answer_id in self._recent:
                return True
        issued, now = issued_at(answer_id), time.time()
        patient_until = issued + FRESH_FOR if issued is not None and now - FRESH_FOR <= issued <= now + 1 else 0
        while True:
            try:
                if self.store.has_answer(answer_id):
                    return True
            except CareerbotError:
                return True
            if time.time() >= patient_until:
                return False
            time.sleep(LOOKUP_AGAIN)

    def may_give_feedback(self, answer_id: str) -> bool:
        """Counts one more feedback on `answer_id`; False when it has had its share."""
        with self._recent_lock:
            count = self._recent.get(answer_id, 0)
            if count >= MAX_FEEDBACK_PER_ANSWER:
                return False
            self._recent[answer_id] = count + 1
            return True

    def feedback(self, answer_id: str, helpful: bool, comment: str | None = None) -> None:
        """Queue a 👍 or 👎 (with an optional comment) on an answer. Never raises, never waits."""
        comment = clean_text(comment, MAX_COMMENT_CHARS) if comment else None
        self._put(("f", answer_id, time.time(), bool(helpful), comment or None))

    def warn(self, message: str) -> None:
        if self._warn is not None:
            self._warn(message)
        else:
            self._warnings.append(message)

    def take_warnings(self) -> list[str]:
        taken = []
        while self._warnings:
            taken.append(self._warnings.popleft())
        return taken

    def flush(self, timeout: float = CLOSE_TIMEOUT) -> bool:
        """Wait until everything queued so far is written (or dropped); False on timeout."""
        try:
            self._queue.put_nowait(_WRITE_NOW)
        except queue.Full:
            pass                        # a full queue makes full batches anyway
        self._hurry.set()
        deadline = time.monotonic() + timeout
        with self._queue.all_tasks_done:       # notified when the writer has handled all queued
            while self._queue.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._queue.all_tasks_done.wait(remaining)
        return True

    def close(self, timeout: float = CLOSE_TIMEOUT) -> None:
        """Write what is queued (waiting at most `timeout`), then stop the writer."""
        if self._closed:
            return
        self._closed = True
        if not self.flush(timeout):
            self.warn(f"{self._queue.qsize()} question log record(s) not written: the database is too slow")
        try:
            self._queue.put(None, timeout=1.0)
        except queue.Full:
            pass                        # the writer is stuck on the database; it is a daemon thread
        self._hurry.set()
        self._thread.join(timeout=1.0)
        try:
            self.store.dispose()
        except Exception:   # the process is ending; a pool that fails to close changes nothing
            pass

    # -- the writer thread ------------------------------------------------------------------------------

    def _put(self, item: tuple) -> None:
        if self._closed:
            return
        try:
            self._queue.put_nowait(item)
            if self._queue_full and self._queue.qsize() < self._queue.maxsize // 2:
                self._queue_full = False        # caught up: a new backlog gets a new warning
        except queue.Full:
            self.dropped += 1
            if not self._queue_full:
                self._queue_full = True
                self.warn(f"the question log is behind (over {self._queue.maxsize:,} records waiting): "
                          "dropping records until it catches up")

    def _write_forever(self) -> None:
        behind = False
        while True:
            item = self._queue.get()
            if item is not None and item is not _WRITE_NOW and not behind:
                # Let a batch gather. Sleeping on an event, not waiting on the queue, means that
                # records put meanwhile do not wake this thread one by one (each wake-up takes the
                # GIL from the thread that answers).
                self._hurry.wait(BATCH_WAIT)
            self._hurry.clear()
            items = [item]
            while len(items) < self._batch and items[-1] is not None and items[-1] is not _WRITE_NOW:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            behind = len(items) >= self._batch
            records = [i for i in items if i is not None and i is not _WRITE_NOW]
            if records:
                self._write(records)
            for _ in items:
                self._queue.task_done()
            if items[-1] is None:
                return

    def _write(self, records: list[tuple]) -> None:
        questions = [_question_row(*r[1:]) for r in records if r[0] == "q"]
        feedback = [_feedback_row(*r[1:]) for r in records if r[0] == "f"]
        try:
            self.store.write(questions, feedback)
        except Exception as error:      # the log must never take the writer (or anything else) down
            self.dropped += len(records)
            if not self._dropping:
                self._dropping = True
                reason = str(error) if isinstance(error, CareerbotError) else f"{type(error).__name__}: {error}"
                self.warn(f"{reason}; dropping question log records until it works again")
            if not self._closed:
                time.sleep(RETRY_AFTER)
            return
        self.written += len(records)
        if self._dropping:
            self._dropping = False
            self.warn(f"the question log {self.name} is written again")


def _question_row(answer_id: str, asked: float, frontend: str, question: str, answer: Answer) -> tuple:
    """The values of a careerbot_questions row, in QUESTION_COLUMNS order (the time as a timestamp)."""
    parts = answer.parts
    return (answer_id, asked, frontend, clean_text(question, MAX_QUESTION_CHARS), answer.intent,
            decision_of(answer), float(answer.confidence), _json_ids(answer.roles), answer.level,
            answer.skill, _parts(parts) if len(parts) > 1 else None)


def _json_ids(ids: tuple[str, ...]) -> str:
    """`json.dumps(list(ids))`, in a fraction of its time for plain ids such as role ids."""
    if all(i.isascii() and i.isprintable() and '"' not in i and "\\" not in i for i in ids):
        return "[" + ", ".join(f'"{i}"' for i in ids) + "]"
    return json.dumps(list(ids))


def _parts(parts: tuple[tuple, ...]) -> str:
    """The parts of a multi-part question as JSON: each one's intent and entities, and whether it
    was answered (an out-of-scope part was not)."""
    return json.dumps([{"intent": intent, "entities": {"roles": list(roles), "level": level, "skill": skill},
                        "answered": intent != "out_of_scope"} for intent, roles, level, skill in parts],
                      ensure_ascii=False)


def _feedback_row(answer_id: str, given: float, helpful: bool, comment: str | None) -> tuple:
    """The values of a careerbot_feedback row, in FEEDBACK_COLUMNS order."""
    return (answer_id, given, helpful, comment)


def stderr_warning(message: str) -> None:
    """A warning line on standard error, as the command line writes them."""
    try:
        sys.stderr.write(f"careerbot: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
