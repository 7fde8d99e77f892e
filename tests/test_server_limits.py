"""The HTTP server against clients that misbehave: oversized bodies streamed without end, idle and
slow connections, more connections than descriptors, slow questions, requests from other web pages
and other host names. Real sockets against a real server, started in this process with short
limits (or, for the descriptor limit, in a process of its own)."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pytest
import uvicorn

with __import__("warnings").catch_warnings():
    __import__("warnings").filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from starlette.testclient import TestClient

from careerbot import Engine
from careerbot.frontends.connections import GuardedConfig, Limits
from careerbot.frontends.server import create_app

HOST = "127.0.0.1"
SHORT = Limits(max_connections=50, idle=0.5, head=0.5, body=0.5, linger_seconds=0.5)
PATIENT = Limits(max_connections=50, idle=30.0, head=30.0, body=30.0, linger_seconds=0.5)
"""Timeouts too long to end a test: what ends the connection there is closing after an error."""
ASK = json.dumps({"text": "what does an MLOps engineer earn?", "state": None}).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(engine: Engine, limits: Limits = SHORT, allowed_hosts=None):
    """The server `careerbot serve` runs, in a thread of this process; yields its port."""
    port = free_port()
    config = GuardedConfig(create_app(engine, allowed_hosts=allowed_hosts), host=HOST, port=port, limits=limits,
                           log_config=None, lifespan="off", server_header=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(1000):
        if server.started:
            break
        time.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


def connect(port: int, timeout: float = 15.0) -> socket.socket:
    """A client socket; the timeout only turns a hang into a failure."""
    return socket.create_connection((HOST, port), timeout=timeout)


def request(body: bytes = ASK, *, length: int | None = None, extra: str = "") -> bytes:
    length = len(body) if length is None else length
    return (f"POST /v1/ask HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n{extra}\r\n").encode() + body


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except ConnectionResetError:
        pass
    return b"".join(chunks)


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0


def ask_once(port: int) -> int:
    with connect(port) as sock:
        sock.sendall(request(extra="Connection: close\r\n"))
        return status_of(read_all(sock))


# --- 7: after an error, the connection closes ---------------------------------------------------------

@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_an_oversized_body_gets_413_and_the_rest_is_not_read(engine, framing):
    """A client streaming a body without end gets 413 and the connection closes: it cannot go on
    sending (before, the server read and dropped 3.3 GB in 15 s on one connection)."""
    head = (f"POST /v1/ask HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            + ("Content-Length: 1000000000\r\n" if framing == "content-length" else "Transfer-Encoding: chunked\r\n")
            + "\r\n").encode()
    chunk = b"x" * 65536
    if framing == "chunked":
        chunk = b"10000\r\n" + chunk + b"\r\n"
    sent = 0
    with running_server(engine, PATIENT) as port, connect(port) as sock:
        sock.sendall(head)
        try:
            while sent < 256_000_000:
                sock.sendall(chunk)
                sent += len(chunk)
        except (ConnectionResetError, BrokenPipeError):
            pass
    assert sent < 256_000_000


def test_the_413_reaches_a_client_that_reads_it(engine):
    """The 413 is sent whole, with Connection: close, and then the server closes the connection."""
    with running_server(engine, PATIENT) as port, connect(port) as sock:
        sock.sendall(request(b"{" * 20_000, length=10_000_000))
        response = read_all(sock)
    assert status_of(response) == 413 and b"connection: close" in response.lower()
    assert json.loads(response.split(b"\r\n\r\n", 1)[1])["error"]["code"] == "body_too_large"


def test_a_keep_alive_connection_closes_after_any_error(engine):
    """A 400 on a keep-alive connection closes it too; a good request keeps it open."""
    with running_server(engine, PATIENT) as port, connect(port) as sock:
        sock.sendall(request() + request(b"not json"))
        response = read_all(sock)
    assert response.count(b"HTTP/1.1 200") == 1 and response.count(b"HTTP/1.1 400") == 1


# --- 8: timeouts and the connection limit ----------------------------------------------------------

def test_an_idle_connection_is_closed(engine):
    """A connection that sends nothing is closed after the idle limit (260 of them locked every
    client out of a server with 256 descriptors)."""
    with running_server(engine) as port, connect(port) as sock:
        assert read_all(sock) == b""


def test_a_slow_request_head_gets_408(engine):
    """A request head sent a byte at a time (slowloris) gets 408 once `head` seconds have passed
    since its first byte, however often a byte arrives."""
    with running_server(engine) as port, connect(port) as sock:
        sock.sendall(b"POST /v1/ask HTTP/1.1\r\n")
        try:
            for _ in range(40):
                time.sleep(0.05)
                sock.sendall(b"X")
        except (ConnectionResetError, BrokenPipeError):
            pass
        response = read_all(sock)
    assert status_of(response) == 408 and b"request_timeout" in response


def test_a_slow_request_body_gets_408(engine):
    """A body that does not arrive within `body` seconds of the head gets 408."""
    with running_server(engine) as port, connect(port) as sock:
        sock.sendall(request(b'{"text": ', length=len(ASK)))
        response = read_all(sock)
    assert status_of(response) == 408


def test_past_the_connection_limit_the_longest_waiting_connection_makes_room(engine):
    """With more idle connections than the limit, a new client is still answered: the connection
    that has waited longest for a request is closed instead."""
    limits = SHORT._replace(max_connections=8, idle=30.0)
    with running_server(engine, limits) as port:
        idle = [connect(port) for _ in range(12)]
        try:
            assert ask_once(port) == 200
            idle[0].settimeout(5)
            assert idle[0].recv(10) == b""          # the oldest was closed
        finally:
            for sock in idle:
                sock.close()


def test_past_the_connection_limit_with_every_connection_busy_a_new_one_gets_503(engine):
    """When every connection is busy with a request (here: bodies still on their way), a new one
    gets a JSON 503 and is closed."""
    limits = SHORT._replace(max_connections=4, body=30.0)
    with running_server(engine, limits) as port:
        busy = [connect(port) for _ in range(4)]
        try:
            for sock in busy:
                sock.sendall(request(b"{", length=len(ASK)))
            time.sleep(0.2)
            with connect(port) as late:
                response = read_all(late)
        finally:
            for sock in busy:
                sock.close()
    assert status_of(response) == 503 and json.loads(response.split(b"\r\n\r\n", 1)[1])["error"]["code"] == \
        "too_many_connections"


def test_each_condition_is_one_log_line_not_a_traceback_per_connection(engine, caplog):
    """Thirty slow clients give one line in the log for their condition, no traceback."""
    caplog.set_level(logging.INFO, logger="uvicorn.error")
    with running_server(engine) as port:
        clients = [connect(port) for _ in range(30)]
        for sock in clients:
            sock.sendall(b"POST /v1/ask HTTP/1.1\r\n")
        for sock in clients:
            read_all(sock)
            sock.close()
    lines = [r for r in caplog.records if "request head did not arrive" in r.getMessage()]
    assert len(lines) == 1 and not any(r.exc_info for r in caplog.records)


@pytest.mark.skipif(os.name != "posix", reason="descriptor limits are set with the resource module")
def test_more_idle_connections_than_descriptors_do_not_lock_clients_out(tmp_path):
    """The issue's case: a server limited to 256 descriptors and 260 idle connections. A client is
    still answered, and the log holds no "Too many open files" and no traceback."""
    import resource
    port = free_port()
    log = tmp_path / "serve.log"

    def limit_descriptors():
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

    with open(log, "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "careerbot", "serve", "--port", str(port)], stdout=out,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, preexec_fn=limit_descriptors)
    try:
        for _ in range(300):
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        idle = [connect(port) for _ in range(260)]
        try:
            assert ask_once(port) == 200
        finally:
            for sock in idle:
                sock.close()
    finally:
        server.terminate()
        server.wait(10)
    text = log.read_text()
    assert "Too many open files" not in text and "Traceback" not in text, text[-2000:]


# --- 9: long questions are answered off the event loop ---------------------------------------------

@pytest.mark.parametrize(("text", "where"), [
    ("what does an MLOps engineer earn?", "on the event loop"),
    ("what does an MLOps engineer earn? " * 20, "in a thread"),
    ("\ufdfa" * 50, "in a thread"),               # 50 characters that normalisation makes 900
], ids=["short", "long", "expanding"])
def test_long_questions_are_answered_outside_the_event_loop(engine, text, where):
    """A long question (several times a typical one's cost) must not hold up every other connection:
    the engine answers it in a thread, where no event loop runs. A short ASCII question costs less
    than handing it to a thread and back, and is answered on the event loop."""
    import asyncio
    seen = []

    class Spy:
        catalogue = engine.catalogue

        def conversation(self, state):
            chat = engine.conversation(state)

            class Watched:
                def ask(self, text):
                    try:
                        asyncio.get_running_loop()
                        seen.append("on the event loop")
                    except RuntimeError:
                        seen.append("in a thread")
                    return chat.ask(text)

                @property
                def state(self):
                    return chat.state
            return Watched()

    client = TestClient(create_app(Spy()))  # type: ignore[arg-type]
    assert client.post("/v1/ask", json={"text": text}).status_code == 200
    assert seen == [where]


# --- other web pages and other host names -----------------------------------------------------------

@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "application/jsonx"])
def test_a_body_not_sent_as_json_gets_415(engine, content_type):
    """Any web page can post a form or text/plain to a server on localhost without asking; only
    application/json is read (the page and the clients send it), the rest gets 415."""
    client = TestClient(create_app(engine))
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = client.post("/v1/ask", content=ASK, headers=headers)
    assert response.status_code == 415 and response.json()["error"]["code"] == "unsupported_media_type"
    assert response.headers["connection"] == "close"


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"])
def test_json_with_or_without_parameters_is_read(engine, content_type):
    """application/json is accepted in any case and with parameters."""
    response = TestClient(create_app(engine)).post("/v1/ask", content=ASK, headers={"Content-Type": content_type})
    assert response.status_code == 200 and response.json()["intent"] == "salary"


@pytest.mark.parametrize("host, status", [("localhost:8000", 200), ("127.0.0.1", 200), ("[::1]:8000", 200),
                                          ("chat.example.com", 200), ("eu.example.org:443", 200),
                                          ("attacker.example", 400), ("example.org", 400), ("", 400)])
def test_only_allowed_host_names_are_answered(engine, host, status):
    """With allowed hosts, a request for another name (a page that rebinds its own name to
    127.0.0.1 still sends that name) gets 400 host_not_allowed."""
    app = create_app(engine, allowed_hosts=["localhost", "127.0.0.1", "::1", "chat.example.com", "*.example.org"])
    response = TestClient(app).post("/v1/ask", content=ASK, headers={"Content-Type": "application/json",
                                                                     "Host": host})
    assert response.status_code == status
    if status == 400:
        assert response.json()["error"]["code"] == "host_not_allowed"


def test_serve_answers_for_loopback_names_and_its_address_by_default():
    """Without --allowed-host the server answers for localhost, 127.0.0.1, ::1 and the address it
    listens on; listening on every address adds nothing (it says so in the log)."""
    from careerbot.frontends.server import default_allowed_hosts
    assert default_allowed_hosts("127.0.0.1") == ("localhost", "127.0.0.1", "::1")
    assert default_allowed_hosts("10.0.0.5") == ("localhost", "127.0.0.1", "::1", "10.0.0.5")
    assert default_allowed_hosts("0.0.0.0") == ("localhost", "127.0.0.1", "::1")
