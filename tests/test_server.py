"""The HTTP API and the chat page, through Starlette's test client: what a frontend in any language sees."""

from __future__ import annotations

import json
import re
import sys
import warnings

import pytest

with warnings.catch_warnings():
    # newer Starlette prefers httpx2 for its test client and warns about httpx, which every
    # Starlette since 0.37 accepts; the test extra installs httpx
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient` is deprecated")
    from starlette.testclient import TestClient

from careerbot import MAX_QUESTION_CHARS, Engine
from careerbot.frontends.cli import main
from careerbot.frontends.server import MAX_BODY_BYTES, MAX_TEXT_CHARS, app_from_environment, create_app

ANSWER_FIELDS = {"text", "intent", "confidence", "entities", "sources", "suggestions"}


@pytest.fixture(scope="module")
def client(engine: Engine) -> TestClient:
    return TestClient(create_app(engine))


JSON = {"Content-Type": "application/json"}


def ask(client: TestClient, text: str, state: object = None):
    return client.post("/v1/ask", json={"text": text, "state": state})


def post(client: TestClient, body, headers: dict[str, str] | None = None):
    """POST /v1/ask with a raw body, sent as JSON unless `headers` say otherwise."""
    return client.post("/v1/ask", content=body, headers=JSON if headers is None else headers)


def assert_error(response, status: int, code: str) -> str:
    """Every refusal is JSON with exactly an error code and a message, the right status, and closes
    the connection."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code and body["error"]["message"]
    assert response.headers["connection"] == "close"          # a refused body is not read to its end
    return body["error"]["message"]


# -- happy paths -------------------------------------------------------------------------------


def test_health(client: TestClient):
    """A load balancer's probe gets 200 and a small JSON status."""
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_ask_returns_the_contract_answer_plus_titles_and_state(client: TestClient):
    """POST /v1/ask gives the contract's answer object, the title of each source and the next state."""
    response = ask(client, "what does an MLOps engineer earn?")
    assert response.status_code == 200
    body = response.json()
    assert ANSWER_FIELDS <= set(body) and {"source_titles", "state"} <= set(body)
    assert body["intent"] == "salary" and body["entities"]["roles"] == ["mlops-engineer"]
    assert 0 <= body["confidence"] <= 1
    assert body["sources"] and set(body["source_titles"]) == set(body["sources"])
    assert all(isinstance(title, str) and title for title in body["source_titles"].values())
    assert body["state"]["version"] == 2 and body["state"]["roles"] == ["mlops-engineer"]


def test_two_turn_conversation_is_carried_by_the_state(client: TestClient):
    """The follow-up "how much do they make?" is about the NLP engineers of the first turn."""
    first = ask(client, "tell me about NLP engineers").json()
    assert first["intent"] == "role_overview"
    second = ask(client, "how much do they make?", first["state"]).json()
    assert second["intent"] == "salary" and second["entities"]["roles"] == ["nlp-engineer"]


def test_without_state_the_server_remembers_nothing(client: TestClient):
    """The same follow-up with no state is not about NLP engineers: the server holds no conversation."""
    ask(client, "tell me about NLP engineers")
    response = client.post("/v1/ask", json={"text": "how much do they make?"})
    assert response.status_code == 200 and response.json()["entities"]["roles"] == []


def test_any_server_can_continue_a_conversation(engine: Engine, client: TestClient):
    """A second app (another worker or machine) answers the next turn from the state alone."""
    state = ask(client, "tell me about NLP engineers").json()["state"]
    other = TestClient(create_app(engine))
    assert ask(other, "how much do they make?", state).json() == ask(client, "how much do they make?", state).json()


def test_text_at_the_limit_is_answered_and_cut_with_a_note(client: TestClient):
    """Text up to MAX_TEXT_CHARS is accepted; the engine reads the first MAX_QUESTION_CHARS and says so."""
    response = ask(client, "salary " * (MAX_TEXT_CHARS // 7) + "x" * (MAX_TEXT_CHARS % 7))
    assert response.status_code == 200
    assert f"longer than {MAX_QUESTION_CHARS:,} characters" in response.json()["text"]


def test_lone_surrogate_in_text_does_not_break_the_reply(client: TestClient):
    """JSON may carry a lone surrogate; the reply is still valid JSON, never a 500."""
    response = post(client, b'{"text": "\\ud800 data scientist salary?"}')
    assert response.status_code == 200 and response.json()["intent"] == "salary"


def test_roles(client: TestClient):
    """GET /v1/roles lists every role the engine knows, with its names and aliases, in its order."""
    roles = client.get("/v1/roles").json()["roles"]
    assert [role["id"] for role in roles] == [role.id for role in Engine.load().catalogue().roles]
    nlp = next(role for role in roles if role["id"] == "nlp-engineer")
    assert nlp["label"] == "NLP Engineer" and "NLP" in nlp["aliases"]


def test_openapi_document_describes_the_api_and_its_limits(client: TestClient):
    """/openapi.json is OpenAPI 3 with every path, and states the same limits the server enforces."""
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/v1/ask", "/v1/feedback", "/v1/roles", "/healthz", "/openapi.json"}
    ask_doc = doc["paths"]["/v1/ask"]["post"]
    assert {"200", "400", "413", "422"} <= set(ask_doc["responses"])
    assert doc["components"]["schemas"]["AskRequest"]["properties"]["text"]["maxLength"] == MAX_TEXT_CHARS
    assert str(MAX_BODY_BYTES) in ask_doc["responses"]["413"]["description"]
    # every reference points at a schema that exists
    for ref in re.findall(r'"\$ref": "#/components/schemas/(\w+)"', json.dumps(doc)):
        assert ref in doc["components"]["schemas"]


# -- the page --------------------------------------------------------------------------------


def test_page_and_its_assets_are_served_with_a_strict_policy(client: TestClient):
    """GET / is the chat page; its script and style come from the package, and nothing else may load."""
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert '<script src="/static/app.js"' in page.text and 'href="/static/style.css"' in page.text
    script = client.get("/static/app.js")
    style = client.get("/static/style.css")
    assert script.headers["content-type"].startswith("text/javascript") and "/v1/ask" in script.text
    assert style.headers["content-type"].startswith("text/css") and "pre-wrap" in style.text


def test_page_never_writes_text_as_html_and_needs_no_other_host(client: TestClient):
    """The page's code puts text in with textContent only, and names no other host to load from."""
    script = client.get("/static/app.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert "textContent" in script
    for path in ("/", "/static/app.js", "/static/style.css"):
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", client.get(path).text, re.IGNORECASE), path


# -- bad requests ----------------------------------------------------------------------------


@pytest.mark.parametrize("body", [b'{"text": ', b"", b"text=hello", b'{"text": "a"} trailing', b"\xff\xfe\xfa"],
                         ids=["truncated", "empty", "form", "trailing", "not-utf8"])
def test_malformed_json_is_400(client: TestClient, body: bytes):
    """A body that is not JSON gets 400 malformed_json."""
    assert_error(post(client, body), 400, "malformed_json")


def test_deeply_nested_json_is_400_not_a_crash(client: TestClient):
    """JSON nested deeper than the parser goes is refused like any other malformed body."""
    assert_error(post(client, b"[" * 5000 + b"]" * 5000), 400, "malformed_json")


@pytest.mark.parametrize("payload, fragment", [
    ([1, 2], "not an array"),
    ("hello", "not a string"),
    (None, "not null"),
    ({}, '"text" is missing'),
    ({"state": None}, '"text" is missing'),
    ({"text": 42}, '"text" must be a string, not a number'),
    ({"text": None}, '"text" must be a string, not null'),
    ({"text": ["hi"]}, '"text" must be a string, not an array'),
], ids=["array", "string", "null", "empty-object", "no-text", "number", "null-text", "array-text"])
def test_wrong_shape_is_422(client: TestClient, payload: object, fragment: str):
    """Wrong types and missing fields get 422 invalid_request, saying what is wrong."""
    message = assert_error(post(client, json.dumps(payload)), 422, "invalid_request")
    assert fragment in message


def test_over_long_text_is_422(client: TestClient):
    """Text over MAX_TEXT_CHARS is refused with 422 text_too_long (the body itself is under the limit)."""
    message = assert_error(ask(client, "a" * (MAX_TEXT_CHARS + 1)), 422, "text_too_long")
    assert f"{MAX_TEXT_CHARS:,}" in message


def test_oversized_body_is_413(client: TestClient):
    """A body over MAX_BODY_BYTES gets 413, whatever it holds."""
    body = json.dumps({"text": "hi", "state": None, "padding": "x" * MAX_BODY_BYTES}).encode()
    assert_error(post(client, body), 413, "body_too_large")


def test_oversized_body_without_a_length_is_413(client: TestClient):
    """A chunked body with no Content-Length is cut off at the limit too."""
    chunks = iter([b'{"text": "', b"x" * MAX_BODY_BYTES, b'"}'])
    assert_error(post(client, chunks), 413, "body_too_large")


@pytest.mark.parametrize("state, fragment", [
    ("not a state", "must be a JSON object"),
    ([1], "must be a JSON object"),
    ({"version": 99}, "version"),
    ({"version": 1, "roles": ["astronaut"]}, "'roles'"),
    ({"version": 1, "topic": "<script>"}, "'topic'"),
    ({"version": 1, "idle": -1}, "'idle'"),
    ({"version": 1, "admin": True}, "unknown fields"),
    ({"version": 1, "suggestions": ["x" * 500]}, "'suggestions'"),
], ids=["string", "array", "version", "forged-role", "forged-topic", "idle", "extra-field", "long-suggestion"])
def test_bad_state_is_422_with_the_reason(client: TestClient, state: object, fragment: str):
    """A forged or corrupt state gets 422 invalid_state with the engine's reason."""
    message = assert_error(ask(client, "and their salary?", state), 422, "invalid_state")
    assert fragment in message


def test_unknown_route_is_404(client: TestClient):
    """A path the API does not have gets a JSON 404."""
    assert_error(client.get("/v2/ask"), 404, "not_found")


@pytest.mark.parametrize("method, path, allowed", [
    ("GET", "/v1/ask", "POST"), ("PUT", "/v1/ask", "POST"), ("POST", "/v1/roles", "GET"), ("DELETE", "/", "GET")])
def test_wrong_method_is_405_with_allow(client: TestClient, method: str, path: str, allowed: str):
    """A method a path does not take gets a JSON 405 and an Allow header naming the right one."""
    response = client.request(method, path)
    assert_error(response, 405, "method_not_allowed")
    assert allowed in response.headers["allow"]


def test_a_failure_inside_is_a_json_500(engine: Engine):
    """Should the engine ever fail, the client gets a JSON 500 without details, not a stack trace."""

    class Broken:
        catalogue = engine.catalogue

        def conversation(self, state):
            raise RuntimeError("secret internals")

    client = TestClient(create_app(Broken()), raise_server_exceptions=False)  # type: ignore[arg-type]
    message = assert_error(ask(client, "hi"), 500, "internal_error")
    assert "secret" not in message


# -- starting the server ---------------------------------------------------------------------


def test_serve_hands_its_options_to_the_server(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """`careerbot serve --host --port --workers --knowledge --allowed-host` reaches the server unchanged."""
    import careerbot.frontends.server

    calls = []
    monkeypatch.setattr(careerbot.frontends.server, "serve", lambda *args, **kwargs: calls.append((args, kwargs)))
    assert main(["serve", "--host", "0.0.0.0", "--port", "9001", "--workers", "2", "--knowledge", str(tmp_path),
                 "--allowed-host", "chat.example.com", "--allowed-host", "*.example.org"]) == 0
    assert calls == [(("0.0.0.0", 9001, 2), {"intents": None, "knowledge": str(tmp_path),
                                             "allowed_hosts": ["chat.example.com", "*.example.org"]})]


@pytest.mark.parametrize("argv", [["serve", "--port", "http"], ["serve", "--port", "70000"],
                                  ["serve", "--workers", "0"]], ids=["port-word", "port-range", "no-workers"])
def test_serve_refuses_bad_options(argv: list[str], capsys: pytest.CaptureFixture):
    """Bad --port or --workers values are usage errors (exit 2), before anything starts."""
    assert main(argv) == 2 and "serve" in capsys.readouterr().err


def test_serve_without_the_web_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture):
    """Without Starlette or uvicorn, `careerbot serve` says to install careerbot[web] and exits 1."""
    monkeypatch.delitem(sys.modules, "careerbot.frontends.server")
    monkeypatch.setitem(sys.modules, "uvicorn", None)   # import uvicorn now fails as if not installed
    assert main(["serve"]) == 1
    err = capsys.readouterr().err
    assert "install careerbot[web]" in err and "Traceback" not in err


def test_worker_processes_load_the_folders_from_the_environment(data_copy, monkeypatch: pytest.MonkeyPatch):
    """With --workers N each worker builds its app from CAREERBOT_INTENTS / CAREERBOT_KNOWLEDGE."""
    intents, knowledge = data_copy
    (knowledge / "sources.yaml").write_text((knowledge / "sources.yaml").read_text().replace(
        "Machine Learning Engineer Jobs", "Renamed For This Test"))
    monkeypatch.setenv("CAREERBOT_INTENTS", str(intents))
    monkeypatch.setenv("CAREERBOT_KNOWLEDGE", str(knowledge))
    body = ask(TestClient(app_from_environment()), "what does a machine learning engineer earn?").json()
    assert "Renamed For This Test" in body["source_titles"].values()


def test_internal_a_worker_keeps_its_engine_out_of_the_collectors_sight(monkeypatch: pytest.MonkeyPatch):
    """Unit test of an internal: a worker loads its engine as the command line does, the collector
    paused and the engine frozen after (a full collection would walk its tables in the middle of an
    answer), and keeps it to the end of the process."""
    import gc
    import sys

    from careerbot import frontends
    monkeypatch.delenv("CAREERBOT_LOG", raising=False)
    monkeypatch.setattr(sys, "setswitchinterval", lambda seconds: None)
    frontends._kept[1:] = []
    gc.unfreeze()
    try:
        app_from_environment()
        assert gc.get_freeze_count() > 0 and isinstance(frontends._kept[1], Engine) and gc.isenabled()
    finally:
        gc.unfreeze()


def test_worker_connections_send_without_delay(engine: Engine):
    """uvicorn before 0.55 binds the socket of --workers N without saying it is TCP, so asyncio
    leaves Nagle's algorithm on for its connections (every keep-alive response after the first
    would wait ~40 ms for the client's delayed ACK): each connection turns it off itself. The
    socket here is bound that way, whatever uvicorn is installed."""
    import asyncio
    import socket

    import uvicorn
    from uvicorn.server import ServerState

    from careerbot.frontends.connections import GuardedProtocol

    config = uvicorn.Config(create_app(engine), http=GuardedProtocol, host="127.0.0.1", port=0, log_config=None)
    config.load()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)    # as uvicorn < 0.55 binds it for its workers
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[GuardedProtocol] = []

    def protocol() -> GuardedProtocol:
        accepted.append(GuardedProtocol(config, ServerState(), {}))
        return accepted[-1]

    async def connect() -> int:
        server = await asyncio.get_running_loop().create_server(protocol, sock=listener)
        async with server:
            _, writer = await asyncio.open_connection(*listener.getsockname()[:2])
            for _ in range(500):
                if accepted and accepted[0].raw is not None:
                    break
                await asyncio.sleep(0.01)
            nodelay = accepted[0].raw.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            writer.close()
            accepted[0].raw.close()
            return nodelay

    assert listener.proto != socket.IPPROTO_TCP     # what asyncio would need to do it
    assert asyncio.run(connect()) != 0


def test_workers_run_on_uvicorns_supervisor_which_loads_no_engine(monkeypatch: pytest.MonkeyPatch):
    """`serve --workers 2` hands the workers to uvicorn's own supervisor; the supervisor never loads
    an engine (its workers do, from the environment), so it takes little memory."""
    import careerbot.frontends.server as server

    runs = []
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **options: runs.append((app, options)))
    monkeypatch.setattr(server.Engine, "load", lambda *args, **kwargs: pytest.fail("the supervisor loaded an engine"))
    monkeypatch.setenv("CAREERBOT_INTENTS", "")
    monkeypatch.setenv("CAREERBOT_KNOWLEDGE", "")
    monkeypatch.setenv("CAREERBOT_ALLOWED_HOSTS", "")
    monkeypatch.delenv("CAREERBOT_LOG", raising=False)
    server.serve("127.0.0.1", 9001, workers=2)
    [(app, options)] = runs
    assert app == "careerbot.frontends.server:app_from_environment" and options["factory"] is True
    assert options["workers"] == 2 and options["port"] == 9001
    assert options["http"] is server.GuardedProtocol              # with the connection limits


def test_workers_with_a_broken_folder_stop_before_any_starts(data_copy, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture):
    """Broken data folders stop `serve --workers 2` with their problems listed and exit 1, before
    any worker starts (each would fail alike)."""
    import careerbot.frontends.server as server

    intents, knowledge = data_copy
    (knowledge / "sources.yaml").write_text("sources: [unclosed\n")
    runs = []
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **options: runs.append(app))
    assert main(["serve", "--workers", "2", "--intents", str(intents), "--knowledge", str(knowledge)]) == 1
    err = capsys.readouterr().err
    assert "sources.yaml:" in err and "Traceback" not in err
    assert runs == []
