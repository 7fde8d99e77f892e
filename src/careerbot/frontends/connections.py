"""The HTTP connections `careerbot serve` accepts, with the limits a server facing strangers needs.

uvicorn's HTTP/1.1 protocol (h11) reads requests and runs the app; `GuardedProtocol` adds what it
lacks:

- **timeouts**: a connection waiting for a request is closed after `idle` seconds; a request head
  must arrive within `head` seconds of its first byte and its body within `body` seconds of the
  head, else 408 and the connection is closed (slow clients hold a descriptor each);
- **a connection limit**: past `max_connections`, the connection that has waited longest for a
  request is closed to make room; when every connection is busy, the new one gets a 503 and is
  closed. The limit sits below the process's descriptor limit, so accepting never fails with
  "Too many open files";
- **closing after an error**: a response that says `Connection: close` (the app's errors do) ends
  the connection; of what a client still sends (a 413 body of gigabytes) at most `linger_bytes` are
  read and dropped, then nothing more, and after `linger_seconds` the connection is cut off. Before,
  it was read to its end; now a client streaming without end waits, blocked, for most of that time;
- **one log line per condition** (at most one a minute, with a count), never a traceback per
  connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import time
from collections import Counter
from typing import NamedTuple

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol

LOG = logging.getLogger("uvicorn.error")


class Limits(NamedTuple):
    """What one connection may cost. The defaults suit a server on localhost or behind a proxy."""

    max_connections: int = 1000
    idle: float = 5.0            # seconds a connection may wait for a request
    head: float = 10.0           # seconds from a request's first byte to the end of its head
    body: float = 10.0           # seconds from the end of the head to the end of the body
    linger_seconds: float = 2.0  # after an error response, how long before the connection is cut off
    linger_bytes: int = 64 * 1024  # and how much of what the client still sends is read (and dropped) meanwhile
    backlog: int = 64            # connections the system queues, and the most accepted at once


DESCRIPTORS_KEPT = 64
"""File descriptors left for everything but connections (the listening socket, logs, threads). Twice
the backlog's worth more are kept for connections accepted before any of them is counted: the event
loop accepts up to a backlog's worth at once, and can do so twice before the first are set up."""


def connection_limit(limits: Limits) -> Limits:
    """`limits` with `max_connections` under this process's descriptor limit, raised to its hard
    limit first (where the system has such limits)."""
    try:
        import resource
    except ImportError:                                    # pragma: no cover - Windows
        return limits
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    kept = DESCRIPTORS_KEPT + 2 * limits.backlog
    wanted = limits.max_connections + kept
    if soft != resource.RLIM_INFINITY and soft < wanted and (hard == resource.RLIM_INFINITY or soft < hard):
        raised = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
        except (OSError, ValueError):
            pass
    if soft == resource.RLIM_INFINITY:
        return limits
    return limits._replace(max_connections=max(1, min(limits.max_connections, soft - kept)))


class GuardedConfig(Config):
    """uvicorn's Config with `GuardedProtocol` and its `limits`; picklable for worker processes
    (what each process shares between its connections is made there, on first use)."""

    def __init__(self, *args, limits: Limits = Limits(), **kwargs):
        kwargs.setdefault("http", GuardedProtocol)
        kwargs.setdefault("timeout_keep_alive", max(1, round(limits.idle)))
        kwargs.setdefault("backlog", limits.backlog)
        super().__init__(*args, **kwargs)
        self.limits = limits

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("guard", None)
        return state


class Guard:
    """What the connections of one server share: the limits, which connections wait for a request
    (oldest first: the first to close when room is needed), and the log of conditions."""

    REPORT_EVERY = 60.0

    def __init__(self, limits: Limits):
        self.limits = limits
        self.waiting: dict[GuardedProtocol, None] = {}
        self.counts: Counter = Counter()
        self.reported: dict[str, float] = {}
        self.loops: set[int] = set()

    def notice(self, condition: str, message: str) -> None:
        """Log `message` once for `condition`, then at most once every REPORT_EVERY seconds with a count."""
        self.counts[condition] += 1
        now = time.monotonic()
        if now - self.reported.get(condition, -self.REPORT_EVERY) >= self.REPORT_EVERY:
            count = self.counts.pop(condition)
            LOG.warning("%s%s", message, f" ({count:,} times since the last report)" if count > 1 else "")
            self.reported[condition] = now

    def watch(self, loop: asyncio.AbstractEventLoop) -> None:
        """Report the event loop's accept failures (out of descriptors) as one line, not a traceback each."""
        if id(loop) in self.loops:
            return
        self.loops.add(id(loop))

        def handle(loop: asyncio.AbstractEventLoop, context: dict) -> None:
            if "socket.accept()" in str(context.get("message", "")):
                error = context.get("exception")
                self.notice("accept", f"cannot accept connections: {getattr(error, 'strerror', None) or error}")
            else:
                loop.default_exception_handler(context)

        loop.set_exception_handler(handle)

    def room_for(self, newcomer: GuardedProtocol) -> bool:
        """Whether `newcomer` may stay: under the limit, or once the connection that has waited
        longest for a request is closed."""
        if len(newcomer.connections) <= self.limits.max_connections:
            return True
        oldest = next((c for c in self.waiting if c is not newcomer), None)
        if oldest is None:
            self.notice("full", f"{len(newcomer.connections) - 1:,} connections, all busy: the limit of "
                                f"{self.limits.max_connections:,} is reached, new ones get 503")
            return False
        self.notice("evicted", f"the limit of {self.limits.max_connections:,} connections is reached: "
                               "the ones waiting longest for a request are closed")
        oldest.cut_off()
        return True


def canned_response(status: int, code: str, message: str, headers: tuple[str, ...] = ()) -> bytes:
    """A complete HTTP/1.1 error response that closes the connection, for when the app is not asked."""
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    reason = {408: "Request Timeout", 503: "Service Unavailable"}[status]
    head = [f"HTTP/1.1 {status} {reason}", "content-type: application/json", f"content-length: {len(body)}",
            "connection: close", "x-content-type-options: nosniff", *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def send_at_once(transport: asyncio.Transport) -> None:
    """Turn Nagle's algorithm off for a TCP connection. asyncio does it only for sockets that say
    they are TCP, and uvicorn binds the socket of its worker processes with proto 0 (0.54 and
    before, its issue #3149): each keep-alive response after the first would wait ~40 ms for the
    client's delayed ACK."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _LingeringTransport:
    """The connection's transport as uvicorn sees it, except for `close()`: closing a socket that
    still holds unread data sends a reset, and the client may lose the response it has not read
    yet (the 413 of a body it is still sending). So sending stops first (a FIN after the response),
    and a little of what arrives is read and dropped for a moment before the socket is really closed."""

    def __init__(self, transport: asyncio.Transport, protocol: GuardedProtocol):
        self._transport, self._protocol, self._closing = transport, protocol, False

    def close(self) -> None:
        if not self._closing:
            self._closing = True
            self._protocol.linger()

    def is_closing(self) -> bool:
        return self._closing or self._transport.is_closing()

    def __getattr__(self, name: str):
        return getattr(self._transport, name)


class GuardedProtocol(H11Protocol):
    """uvicorn's h11 protocol with timeouts, a connection limit and lingering close (see the module)."""

    def __init__(self, config: Config, server_state, app_state, _loop=None):
        super().__init__(config, server_state, app_state, _loop)
        guard = getattr(config, "guard", None)
        if guard is None:       # the first connection of this process (a worker's Config has no limits)
            guard = config.guard = Guard(getattr(config, "limits", None) or connection_limit(Limits()))
        self.guard: Guard = guard
        self.limits: Limits = guard.limits
        self.raw: asyncio.Transport | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.waiting_for = ""          # what the timer waits for: idle, head, body, linger
        self.lingering = False
        self.dropped = 0
        guard.watch(self.loop)

    # -- the connection's life ----------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.raw = transport
        send_at_once(transport)
        super().connection_made(_LingeringTransport(transport, self))   # type: ignore[arg-type]
        if not self.guard.room_for(self):
            transport.write(canned_response(503, "too_many_connections", "the server has too many connections; "
                                            "try again in a moment", ("retry-after: 1",)))
            self.transport.close()
            return
        self.track()

    def data_received(self, data: bytes) -> None:
        if self.lingering:
            self.dropped += len(data)
            if self.dropped > self.limits.linger_bytes:
                self.raw.pause_reading()     # the client's sends now block until the connection is cut
            return
        super().data_received(data)
        self.track()

    def eof_received(self) -> bool | None:
        if self.lingering:
            self.raw.close()
        return super().eof_received()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self.track()

    def connection_lost(self, exc: Exception | None) -> None:
        self.stop_timer()
        self.guard.waiting.pop(self, None)
        super().connection_lost(exc)

    # -- what it waits for, and for how long ----------------------------------------------------

    def track(self) -> None:
        """Set the timer for what the connection now waits for, and whether it waits for a request."""
        if self.transport.is_closing():
            return
        state = self.conn.their_state
        if state is h11.IDLE and (self.cycle is None or self.cycle.response_complete):
            self.guard.waiting.setdefault(self, None)
            if self.conn.trailing_data[0]:
                self.wait_for("head", self.limits.head)
            else:
                self.wait_for("idle", self.limits.idle)
            return
        self.guard.waiting.pop(self, None)
        if state is h11.SEND_BODY:
            self.wait_for("body", self.limits.body)
        else:                    # the request is in: the app answers it, in its own time
            self.stop_timer()

    def wait_for(self, what: str, seconds: float) -> None:
        if self.waiting_for == what:
            return                # the clock runs from the first moment, not from the latest byte
        self.stop_timer()
        self.waiting_for = what
        self.timer = self.loop.call_later(seconds, self.time_out)

    def stop_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.timer, self.waiting_for = None, ""

    def time_out(self) -> None:
        what, self.timer = self.waiting_for, None
        if what in ("linger", "idle"):       # idle: nothing was sent that could be left unread
            self.guard.waiting.pop(self, None)
            self.raw.close()
            return
        if what in ("head", "body") and (self.cycle is None or not self.cycle.response_started):
            seconds = self.limits.head if what == "head" else self.limits.body
            self.guard.notice(what, f"a request {what} did not arrive within {seconds:g} s: 408, connection closed")
            self.raw.write(canned_response(408, "request_timeout", f"the request {what} did not arrive within "
                                                                   f"{seconds:g} seconds"))
        self.transport.close()

    # -- closing ----------------------------------------------------------------------------------

    def cut_off(self) -> None:
        """Close at once: the connection waits for a request and room is needed."""
        self.guard.waiting.pop(self, None)
        self.stop_timer()
        self.raw.close()

    def linger(self) -> None:
        """uvicorn closes the connection: stop sending, then drop what still comes for a moment."""
        self.guard.waiting.pop(self, None)
        self.stop_timer()
        self.lingering = True
        try:
            if not self.raw.can_write_eof():
                raise OSError("the transport cannot half-close")
            self.raw.write_eof()
            self.raw.resume_reading()
        except (OSError, RuntimeError):
            self.raw.close()
            return
        self.wait_for("linger", self.limits.linger_seconds)
