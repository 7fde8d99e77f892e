"""The HTTP API and the web chat page: a thin frontend over one shared, immutable engine.

    POST /v1/ask        {"text": str, "state": object | null}
                        → the contract's answer object + "source_titles" + "state"
    POST /v1/feedback   {"answer_id": str, "helpful": bool, "comment": str | null}   (with --log only)
    GET  /v1/roles      the roles the knowledge base knows
    GET  /healthz       liveness, for load balancers
    GET  /openapi.json  this API as an OpenAPI 3.1 document
    GET  /              the chat page (static files shipped in careerbot/web)

The server keeps no conversation: the state travels with the client and comes back validated
(`careerbot.StateError` → 422), so any worker or machine can answer any turn of any conversation.
Every error is JSON, `{"error": {"code": ..., "message": ...}}`, with its own status, and closes
the connection:

    400 host_not_allowed     the Host header names a host not in --allowed-host (DNS rebinding)
    400 malformed_json       the body is not JSON (or not UTF-8)
    413 body_too_large       the body is over MAX_BODY_BYTES
    415 unsupported_media_type  a POST body that is not Content-Type: application/json
    422 invalid_request      not an object, "text" missing or not a string
    422 text_too_long        "text" is over MAX_TEXT_CHARS characters
    422 invalid_state        "state" is not a state this version can trust
    404 not_found / 405 method_not_allowed / 500 internal_error
    408 request_timeout / 503 too_many_connections   from the connection itself (see _connections)

A short question (`ON_LOOP_CHARS` ASCII characters at most, a typical question's length and
cost) is answered on the event loop; longer text, or text that may expand under normalisation, in
a small pool of threads, so that a slow question does not hold up the other connections. Needs
the `web` extra (Starlette, uvicorn and orjson); the core install does not.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

import anyio
import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import MAX_QUESTION_CHARS, CareerbotError, Engine, KnowledgeError, Problem, StateError, __version__
from . import kept_engine
from .connections import LOG, GuardedConfig, GuardedProtocol, Limits, connection_limit
from .questionlog import ENV_LOG, MAX_COMMENT_CHARS, QuestionLog, stderr_warning

MAX_BODY_BYTES = 16 * 1024
"""Largest request body /v1/ask reads; a question and a state need well under 2 KiB."""

MAX_TEXT_CHARS = 4000
"""Longest "text" accepted. The engine reads the first MAX_QUESTION_CHARS of it and says so."""

ON_LOOP_CHARS = 100
"""Longest question answered on the event loop, in ASCII (other text may grow under normalisation).
Handing a question to a thread and back costs more than answering a typical one; the longest
questions cost several times a typical one, and go to the threads."""

ENGINE_THREADS = 4
"""Threads that run the engine. Its work holds the interpreter lock, so more would not answer
faster; they keep the event loop free to read, write and refuse while a question is answered."""

ENV_INTENTS, ENV_KNOWLEDGE = "CAREERBOT_INTENTS", "CAREERBOT_KNOWLEDGE"
ENV_ALLOWED_HOSTS = "CAREERBOT_ALLOWED_HOSTS"
"""How `serve --workers N` hands the data folders and allowed hosts to worker processes it does not build itself."""

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
"""The Host names a server accepts unless told otherwise (--allowed-host)."""

_COMMON_HEADERS = {"X-Content-Type-Options": "nosniff"}
_PAGE_HEADERS = {
    **_COMMON_HEADERS,
    "Cache-Control": "no-cache",
    # the page loads nothing from elsewhere and runs no inline script: say so to the browser
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}
_ASSETS = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/static/style.css": ("style.css", "text/css; charset=utf-8"),
}
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
               bool: "a boolean", type(None): "null"}


class ApiError(Exception):
    """A request the API refuses: its status, a stable code for programs and a message for people."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


class JSONBody(Response):
    """JSON as UTF-8, compact, written by orjson (an answer in a twentieth of the standard library's
    time); a lone surrogate (legal in JSON text, not in UTF-8) falls back to escaped ASCII."""

    media_type = "application/json"

    def render(self, content: object) -> bytes:
        try:
            return orjson.dumps(content)
        except orjson.JSONEncodeError:
            return json.dumps(content, separators=(",", ":")).encode("ascii")


def json_value(body: bytes) -> object:
    """The value of a JSON body. orjson reads what it can (a third of the standard library's
    time); what it refuses (a lone surrogate's escape, a number beyond 64 bits, NaN) the standard
    library decides, as it always has: the same values and the same errors."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)


def json_response(content: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONBody(content, status_code=status, headers={**_COMMON_HEADERS, **(headers or {})})


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error as JSON; the connection closes after it, so a client still sending a refused body
    is not read to its end."""
    return json_response({"error": {"code": code, "message": message}}, status,
                         {"Connection": "close", **(headers or {})})


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def require_json(request: Request) -> None:
    """415 unless the body says it is JSON: a web page elsewhere can post a form or text/plain to
    this server without asking it first (CORS), but not application/json."""
    if _media_type(request) != "application/json":
        given = _media_type(request) or "none"
        raise ApiError(415, "unsupported_media_type",
                       f"the request body must be sent as Content-Type: application/json (not {given})")


def host_name(header: str) -> str:
    """The host of a Host header, without its port: `localhost:8000` → `localhost`, `[::1]:80` → `::1`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def host_allowed(header: str, allowed: tuple[str, ...]) -> bool:
    """Whether a Host header names an allowed host: a name, `*.example.com` for its sub-domains, or `*`."""
    host = host_name(header)
    return any(pattern == "*" or host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:]))
               for pattern in allowed)


class HostCheck:
    """ASGI middleware: requests whose Host header is not allowed get 400 host_not_allowed. A page
    that rebinds its own name to 127.0.0.1 (DNS rebinding) still sends its own name as the Host."""

    def __init__(self, app, allowed: Iterable[str]):
        self.app = app
        self.allowed = tuple(host.lower() for host in allowed)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            header = next((value.decode("latin-1") for name, value in scope["headers"] if name == b"host"), "")
            if not host_allowed(header, self.allowed):
                shown = header if header.isprintable() and len(header) <= 100 else "(unprintable)"
                response = error_response(400, "host_not_allowed", f"this server does not answer for the host "
                                                                   f"{shown or '(none)'}; see --allowed-host")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, refused with 413 as soon as it is known to be over `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "body_too_large", f"the request body is over the limit of {limit:,} bytes")


def parse_ask(body: bytes) -> tuple[str, object]:
    """Check an /v1/ask body; return its text and its (not yet validated) state."""
    try:
        data = json_value(body)
    except RecursionError:
        raise ApiError(400, "malformed_json", "the request body is not valid JSON (nested too deeply)") from None
    except ValueError as error:   # JSONDecodeError and UnicodeDecodeError alike
        raise ApiError(400, "malformed_json", f"the request body is not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_request",
                       f'the request body must be a JSON object with a "text" field, not {_json_type(data)}')
    if "text" not in data:
        raise ApiError(422, "invalid_request", 'the field "text" is missing')
    text = data["text"]
    if not isinstance(text, str):
        raise ApiError(422, "invalid_request", f'"text" must be a string, not {_json_type(text)}')
    if len(text) > MAX_TEXT_CHARS:
        raise ApiError(422, "text_too_long",
                       f'"text" is {len(text):,} characters long; the limit is {MAX_TEXT_CHARS:,}')
    return text, data.get("state")


def create_app(engine: Engine | None = None, question_log: QuestionLog | None = None,
               allowed_hosts: Iterable[str] | None = None) -> Starlette:
    """The ASGI app over `engine` (the shipped knowledge base when None); loads everything once, here.
    With a `question_log`, each answer is recorded and carries its `answer_id`, and feedback is taken.
    With `allowed_hosts`, requests for any other Host are refused (see `HostCheck`)."""
    engine = Engine.load() if engine is None else engine
    catalogue = engine.catalogue()
    roles = {"roles": [{"id": role.id, "name": role.name, "label": role.label, "aliases": list(role.aliases)}
                       for role in catalogue.roles]}
    health = {"status": "ok", "version": __version__, "roles": len(catalogue.roles),
              "intents": len(catalogue.intents)}
    openapi = with_feedback(openapi_document())
    web = files("careerbot.frontends") / "web"
    assets = {path: (web / name).read_bytes() for path, (name, _) in _ASSETS.items()}

    def answer(text: str, state: object) -> dict:
        try:
            chat = engine.conversation(state)
        except StateError as error:
            raise ApiError(422, "invalid_state", str(error)) from None
        answer = chat.ask(text)
        data = answer.to_dict()
        data["source_titles"] = {reference.id: reference.title for reference in answer.references}
        data["state"] = chat.state
        if question_log is not None:
            data["answer_id"] = question_log.record(text, answer, "http")
        return data

    threads: list[anyio.CapacityLimiter] = []      # made on first use: it belongs to the running loop

    async def ask(request: Request) -> Response:
        require_json(request)
        text, state = parse_ask(await read_body(request))
        if len(text) <= ON_LOOP_CHARS and text.isascii():
            return json_response(answer(text, state))
        if not threads:
            threads.append(anyio.CapacityLimiter(ENGINE_THREADS))
        # several times a typical question's cost: on the event loop it would hold up every connection
        return json_response(await anyio.to_thread.run_sync(answer, text, state, limiter=threads[0]))

    async def list_roles(request: Request) -> Response:
        return json_response(roles)

    async def healthz(request: Request) -> Response:
        return json_response(health)

    async def openapi_json(request: Request) -> Response:
        return json_response(openapi)

    async def asset(request: Request) -> Response:
        path = request.url.path
        return Response(assets[path], media_type=_ASSETS[path][1], headers=_PAGE_HEADERS)

    routes = [
        Route("/v1/ask", ask, methods=["POST"]),
        Route("/v1/roles", list_roles, methods=["GET"]),
        Route("/v1/feedback", feedback_endpoint(question_log), methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/openapi.json", openapi_json, methods=["GET"]),
        *(Route(path, asset, methods=["GET"]) for path in _ASSETS),
    ]
    handlers = {ApiError: _api_error, HTTPException: _http_error, Exception: _internal_error}
    lifespan = closing_on_shutdown(question_log) if question_log is not None else None
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
    if allowed_hosts is not None:
        app.add_middleware(HostCheck, allowed=allowed_hosts)
    return app


async def _api_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    return error_response(error.status, error.code, error.message, error.headers)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if error.status_code == 404:
        return error_response(404, "not_found", f"there is nothing at {request.method} {request.url.path}")
    if error.status_code == 405:
        allowed = (error.headers or {}).get("Allow", "")
        return error_response(405, "method_not_allowed",
                              f"{request.url.path} does not take {request.method} (it takes {allowed})",
                              {"Allow": allowed})
    return error_response(error.status_code, "http_error", str(error.detail))


async def _internal_error(request: Request, error: Exception) -> Response:
    return error_response(500, "internal_error", "the server failed to answer this request")


def app_from_environment() -> Starlette:
    """The app for a worker process: the data folders come from CAREERBOT_INTENTS / CAREERBOT_KNOWLEDGE,
    the question log from CAREERBOT_LOG, the allowed hosts from CAREERBOT_ALLOWED_HOSTS (comma-separated;
    unset: any)."""
    hosts = os.environ.get(ENV_ALLOWED_HOSTS)
    share_the_interpreter()
    return create_app(kept_engine(os.environ.get(ENV_INTENTS) or None, os.environ.get(ENV_KNOWLEDGE) or None),
                      question_log=log_from_environment(),
                      allowed_hosts=None if hosts is None else [h for h in hosts.split(",") if h])


def share_the_interpreter() -> None:
    """Hand the interpreter lock between threads every millisecond rather than every five: while
    the engine threads work on slow questions, the event loop and quick questions get their turn
    sooner (each request needs it several times)."""
    sys.setswitchinterval(0.001)


def default_allowed_hosts(host: str) -> tuple[str, ...]:
    """The loopback names, and the address the server listens on unless it is all of them."""
    return LOOPBACK_HOSTS + (() if host in ("0.0.0.0", "::", "") or host in LOOPBACK_HOSTS else (host.lower(),))


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          intents: Path | None = None, knowledge: Path | None = None, log: str | None = None,
          allowed_hosts: Iterable[str] | None = None) -> None:
    """Run the server until interrupted. The knowledge base is loaded (and validated) before binding.
    With `log` (a database URL), questions and feedback are recorded there. `allowed_hosts` are the
    Host names it answers for (default: loopback and `host`; "*": any).

    With `workers` > 1, uvicorn's own supervisor runs that many worker processes, and each loads
    the engine; the supervisor loads none. It first loads the data in a short-lived process (see
    `check_data_apart`): broken folders stop the server there, with their problems listed."""
    hosts = tuple(allowed_hosts) if allowed_hosts else default_allowed_hosts(host)
    limits = connection_limit(Limits())
    if workers == 1:
        engine = kept_engine(intents, knowledge)
        share_the_interpreter()
        question_log = QuestionLog.open(log, warn=stderr_warning) if log else None
        config = GuardedConfig(create_app(engine, question_log, allowed_hosts=hosts), host=host, port=port,
                               server_header=False, limits=limits)
        warn_if_exposed(host, allowed_hosts, hosts)
        try:
            uvicorn.Server(config).run()
        except KeyboardInterrupt:
            pass
        finally:
            if question_log is not None:
                question_log.close()
        return
    check_data_apart(intents, knowledge)
    if log:
        os.environ[ENV_LOG] = log        # each worker process opens its own writer on the same database
    else:
        os.environ.pop(ENV_LOG, None)
    # worker processes import the app by name, so the data folders travel in the environment
    for name, folder in ((ENV_INTENTS, intents), (ENV_KNOWLEDGE, knowledge)):
        if folder is not None:
            os.environ[name] = str(Path(folder).resolve())
        else:
            os.environ.pop(name, None)
    os.environ[ENV_ALLOWED_HOSTS] = ",".join(hosts)
    warn_if_exposed(host, allowed_hosts, hosts)
    # each worker's connections take the default limits (`Limits`), under its own descriptor limit
    uvicorn.run(WORKER_APP, factory=True, host=host, port=port, workers=workers, http=GuardedProtocol,
                timeout_keep_alive=max(1, round(limits.idle)), backlog=limits.backlog, server_header=False)


WORKER_APP = "careerbot.frontends.server:app_from_environment"
"""What each worker process of `serve --workers N` imports and calls to build its app."""


def check_data_apart(intents: Path | None, knowledge: Path | None) -> None:
    """Load the engine once in a short-lived process of its own, so that this process never holds
    one: broken folders raise their `KnowledgeError` here, before any worker starts (each would
    fail alike), and the engine cache written there lets the workers start at once."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        failure = pool.submit(data_failure, intents, knowledge).result()
    if failure is None:
        return
    if failure[0] == "knowledge":
        _, problems, total, unlisted = failure
        raise KnowledgeError([Problem(*problem) for problem in problems], total, unlisted)
    error = CareerbotError(failure[1])
    error.exit_code = failure[2]
    raise error


def data_failure(intents: Path | None, knowledge: Path | None) -> tuple | None:
    """Why the engine does not load from these folders, as plain data (None when it does)."""
    try:
        Engine.load(intents=intents, knowledge=knowledge)
    except KnowledgeError as error:
        problems = [(p.file, p.line, p.message) for p in error.problems]
        return ("knowledge", problems, error.total, error.unlisted)
    except CareerbotError as error:
        return ("error", str(error), error.exit_code)
    return None


# --- feedback on answers (with the question log on) -----------------------------------------------

MAX_ANSWER_ID_CHARS = 64


def closing_on_shutdown(question_log: QuestionLog):
    """A lifespan that writes out the log's queue when the server shuts down (a worker process
    ends with os._exit, which runs no atexit handler)."""
    import contextlib

    from starlette.concurrency import run_in_threadpool

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        await run_in_threadpool(question_log.close)

    return lifespan


def log_from_environment() -> QuestionLog | None:
    """The question log of a worker process, from CAREERBOT_LOG; written out when the process ends."""
    url = os.environ.get(ENV_LOG)
    if not url:
        return None
    import atexit
    question_log = QuestionLog.open(url, warn=stderr_warning)
    atexit.register(question_log.close)
    return question_log


def parse_feedback(body: bytes) -> tuple[str, bool, str | None]:
    """Check a /v1/feedback body; return the answer id, whether it helped, and the comment."""
    try:
        data = json_value(body)
    except RecursionError:
        raise ApiError(400, "malformed_json", "the request body is not valid JSON (nested too deeply)") from None
    except ValueError as error:
        raise ApiError(400, "malformed_json", f"the request body is not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_request", 'the request body must be a JSON object with "answer_id" and '
                                               f'"helpful", not {_json_type(data)}')
    answer_id, helpful, comment = data.get("answer_id"), data.get("helpful"), data.get("comment")
    if not isinstance(answer_id, str) or not answer_id or len(answer_id) > MAX_ANSWER_ID_CHARS:
        raise ApiError(422, "invalid_request", '"answer_id" must be the answer_id of an answer (a string)')
    if not isinstance(helpful, bool):
        raise ApiError(422, "invalid_request", f'"helpful" must be true or false, not {_json_type(helpful)}')
    if comment is not None and not isinstance(comment, str):
        raise ApiError(422, "invalid_request", f'"comment" must be a string, not {_json_type(comment)}')
    if comment is not None and len(comment) > MAX_COMMENT_CHARS:
        raise ApiError(422, "comment_too_long",
                       f'"comment" is {len(comment):,} characters long; the limit is {MAX_COMMENT_CHARS}')
    return answer_id, helpful, comment


def feedback_endpoint(question_log: QuestionLog | None):
    """POST /v1/feedback: 👍/👎 on an answer this log recorded (here or on another machine sharing it)."""
    from starlette.concurrency import run_in_threadpool

    async def feedback(request: Request) -> Response:
        require_json(request)
        answer_id, helpful, comment = parse_feedback(await read_body(request))
        if question_log is None:
            raise ApiError(404, "unknown_answer", "this server does not record questions, so it takes no feedback")
        if not await run_in_threadpool(question_log.knows, answer_id):
            raise ApiError(404, "unknown_answer", f"there is no answer {answer_id[:MAX_ANSWER_ID_CHARS]!r} in the "
                                                  "question log")
        if not question_log.may_give_feedback(answer_id):
            raise ApiError(429, "too_much_feedback", "this answer has had all the feedback it can take")
        question_log.feedback(answer_id, helpful, comment)
        return json_response({"answer_id": answer_id, "recorded": True})

    return feedback


def with_feedback(document: dict) -> dict:
    """The OpenAPI document with POST /v1/feedback and the answer's `answer_id`."""
    error = {"$ref": "#/components/schemas/Error"}
    schemas = document["components"]["schemas"]
    schemas["AskResponse"]["properties"]["answer_id"] = {
        "type": "string", "description": "Only when the server records questions: the id POST /v1/feedback takes"}
    schemas["FeedbackRequest"] = {
        "type": "object", "required": ["answer_id", "helpful"],
        "properties": {"answer_id": {"type": "string", "maxLength": MAX_ANSWER_ID_CHARS},
                       "helpful": {"type": "boolean"},
                       "comment": {"type": ["string", "null"], "maxLength": MAX_COMMENT_CHARS}}}
    document["paths"]["/v1/feedback"] = {"post": {
        "summary": "Say whether an answer helped (only when the server records questions)",
        "operationId": "feedback",
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/FeedbackRequest"}}}},
        "responses": {
            "200": {"description": "Recorded", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"answer_id": {"type": "string"}, "recorded": {"const": True}}}}}},
            "400": {"description": "Not JSON (malformed_json)", "content": {"application/json": {"schema": error}}},
            "404": {"description": "No such answer in the log, or the log is off (unknown_answer)",
                    "content": {"application/json": {"schema": error}}},
            "422": {"description": "Wrong shape (invalid_request) or a comment over the limit (comment_too_long)",
                    "content": {"application/json": {"schema": error}}},
            "429": {"description": "The answer has had its feedback (too_much_feedback)",
                    "content": {"application/json": {"schema": error}}},
        },
    }}
    return document


def warn_if_exposed(host: str, allowed_hosts: Iterable[str] | None, hosts: tuple[str, ...]) -> None:
    """Listening on every address without --allowed-host: say which names it answers for."""
    if host in ("0.0.0.0", "::") and not allowed_hosts:
        LOG.warning("listening on every address, but answering only for the Host names %s: add --allowed-host "
                    "NAME for others (and put a reverse proxy in front: see the README)", ", ".join(hosts))


def openapi_document() -> dict:
    """The OpenAPI 3.1 description of this API, written by hand to stay small and exact."""
    error = {"$ref": "#/components/schemas/Error"}

    def error_reply(description: str) -> dict:
        return {"description": description, "content": {"application/json": {"schema": error}}}

    nullable_str = {"type": ["string", "null"]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "careerbot",
            "version": __version__,
            "description": "Answers questions about machine-learning careers. Stateless: send back the "
                           "`state` of the previous answer to continue a conversation.",
        },
        "paths": {
            "/v1/ask": {"post": {
                "summary": "Answer one question, in the conversation its state describes",
                "operationId": "ask",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/AskRequest"}}}},
                "responses": {
                    "200": {"description": "The answer and the state for the next question",
                            "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/AskResponse"}}}},
                    "400": error_reply("The body is not valid JSON (code malformed_json), or the Host header "
                                       "names a host the server does not answer for (host_not_allowed)"),
                    "413": error_reply(f"The body is over {MAX_BODY_BYTES} bytes (code body_too_large)"),
                    "415": error_reply("The body is not sent as Content-Type: application/json "
                                       "(code unsupported_media_type)"),
                    "422": error_reply("Wrong shape (invalid_request), text over the limit (text_too_long) "
                                       "or a state that does not validate (invalid_state)"),
                },
            }},
            "/v1/roles": {"get": {
                "summary": "The roles careerbot knows",
                "operationId": "listRoles",
                "responses": {"200": {"description": "Every role, in the knowledge base's order",
                                      "content": {"application/json": {"schema": {
                                          "type": "object", "required": ["roles"],
                                          "properties": {"roles": {"type": "array", "items": {
                                              "$ref": "#/components/schemas/Role"}}}}}}}},
            }},
            "/healthz": {"get": {
                "summary": "Liveness",
                "operationId": "health",
                "responses": {"200": {"description": "The server is up", "content": {"application/json": {
                    "schema": {"type": "object", "required": ["status"], "properties": {
                        "status": {"const": "ok"}, "version": {"type": "string"},
                        "roles": {"type": "integer"}, "intents": {"type": "integer"}}}}}}},
            }},
            "/openapi.json": {"get": {
                "summary": "This document",
                "operationId": "openapi",
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}},
            }},
        },
        "components": {"schemas": {
            "AskRequest": {
                "type": "object",
                "required": ["text"],
                "properties": {
                    "text": {"type": "string", "maxLength": MAX_TEXT_CHARS,
                             "description": f"The question. Only the first {MAX_QUESTION_CHARS} characters "
                                            "are read; the answer says so when it cuts."},
                    "state": {"oneOf": [{"$ref": "#/components/schemas/State"}, {"type": "null"}],
                              "description": "The state of the previous answer; null or absent starts afresh."},
                },
            },
            "State": {
                "type": "object",
                "description": "Conversation state, opaque to clients: send back what you received.",
                "required": ["version"],
                "properties": {"version": {"type": "integer"}},
            },
            "AskResponse": {
                "type": "object",
                "required": ["text", "intent", "confidence", "entities", "sources", "suggestions", "parts",
                             "blocks", "references", "source_titles", "state"],
                "properties": {
                    "text": {"type": "string", "description": "The plain-text layout of `blocks`: newlines, "
                                                              "\"- \" lists and small text bar charts; [n] cites "
                                                              "sources[n-1]"},
                    "blocks": {"type": "array", "items": {"$ref": "#/components/schemas/Block"},
                               "description": "The answer as typed blocks, to draw without reading `text`"},
                    "references": {"type": "array", "items": {"$ref": "#/components/schemas/Reference"},
                                   "description": "The sources resolved, in the order of `sources`"},
                    "parts": {"type": "array", "items": {"type": "object", "required": ["intent", "entities"]},
                              "description": "Each part of the question: its intent and entities"},
                    "intent": {"type": "string"},
                    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                    "entities": {"type": "object", "required": ["roles", "level", "skill"], "properties": {
                        "roles": {"type": "array", "items": {"type": "string"}},
                        "level": {"enum": ["entry", "mid", "senior", None]},
                        "skill": nullable_str}},
                    "sources": {"type": "array", "items": {"type": "string"}},
                    "suggestions": {"type": "array", "items": {"type": "string"}},
                    "source_titles": {"type": "object", "additionalProperties": {"type": "string"},
                                      "description": "The title of each source id in sources"},
                    "state": {"$ref": "#/components/schemas/State"},
                },
            },
            "Reference": {
                "type": "object",
                "required": ["id", "title", "file"],
                "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "file": {"type": "string"}},
            },
            "Block": _block_schema(),
            "Role": {
                "type": "object",
                "required": ["id", "name", "label", "aliases"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "label": {"type": "string"},
                               "aliases": {"type": "array", "items": {"type": "string"}}},
            },
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"}}}},
            },
        }},
    }


def _block_schema() -> dict:
    """The answer blocks (see `careerbot.answers.blocks` and the README), one schema a type."""
    sources = {"type": "array", "items": {"type": "string"}}
    text = {"type": "string"}
    optional_text = {"type": ["string", "null"]}

    def block(kind: str, properties: dict) -> dict:
        return {"type": "object", "required": ["type", *properties],
                "properties": {"type": {"const": kind}, **properties, "continues": {"type": "boolean"}}}

    item = {"type": "object", "required": ["text", "sources"], "properties": {"text": text, "sources": sources}}
    bar = {"type": "object", "required": ["label", "low", "high", "open_ended", "value"],
           "properties": {"label": text, "low": {"type": "integer"}, "high": {"type": "integer"},
                          "open_ended": {"type": "boolean"}, "value": text}}
    cells = {"type": "array", "items": text}
    return {"oneOf": [
        block("heading", {"text": text}),
        block("paragraph", {"text": text, "sources": sources}),
        block("notice", {"text": text, "sources": sources}),
        block("list", {"title": optional_text, "ordered": {"type": "boolean"}, "items": {"type": "array", "items": item},
                       "note": optional_text}),
        block("table", {"header": cells, "rows": {"type": "array", "items": cells}, "sources": sources}),
        block("chart", {"title": optional_text, "currency": text, "bars": {"type": "array", "items": bar}}),
    ]}
