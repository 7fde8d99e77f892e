"""A bounded HTTP load on loopback against a careerbot server this script starts and stops itself.

    python benchmarks/http_load.py [--requests 5000] [--concurrency 32] [--workers 1] [--log URL] [--json]

It starts `careerbot serve` on a free 127.0.0.1 port, waits for /healthz, sends a short warm-up, then
REQUESTS POST /v1/ask over CONCURRENCY keep-alive connections (raw asyncio HTTP/1.1, so that the
client costs little next to the server). Each connection plays two-turn conversations: a question,
then a follow-up that carries the returned state. It reports requests per second, latency
percentiles and errors, and exits 1 when any request failed. `--log URL` serves with the question
log on. run.py uses the same server and client to compare /v1/ask with /healthz and 1 worker with
2. Traffic goes to 127.0.0.1 only; every run ends by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager

import timing

HOST = "127.0.0.1"
DEADLINE = 300.0
"""Seconds after which no new request is sent, whatever --requests says."""
REQUEST_TIMEOUT = 10.0
START_TIMEOUT = 60.0

FIRST_QUESTIONS = [
    "tell me about NLP engineers", "what does an MLOps engineer earn?", "data scientist vs ML engineer",
    "what skills does a computer vision engineer need?", "how do I become a data engineer?",
    "what is the best paid ML job?", "which roles use Kubernetes?", "what do research scientists work on?",
]
FOLLOW_UPS = ["how much do they make?", "what skills do they need?", "and for a cloud architect?",
              "how do I become one?"]
HEALTHZ = f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def server(workers: int = 1, log: str | None = None, env: dict | None = None, options: tuple = ()):
    """A `careerbot serve` on a free port, up and answering /healthz: yields (port, process, what it
    printed so far: a function). `options` are more of `serve`'s options (--intents DIR ...)."""
    port = free_port()
    environ = {k: v for k, v in (env or os.environ).items() if k != "CAREERBOT_LOG"}
    command = [sys.executable, "-m", "careerbot", "serve", "--host", HOST, "--port", str(port), "--workers",
               str(workers), *(["--log", log] if log else []), *options]
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(command, stdout=output,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=environ)

        def printed() -> str:
            output.seek(0)
            return output.read()

        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not healthy(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not come up: {printed()[-500:]}")
                time.sleep(0.1)
            yield port, process, printed
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def healthy(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as sock:
            sock.sendall(HEALTHZ.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
            return sock.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body, and whether the server keeps the connection open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict((name.strip().lower(), value.strip()) for name, _, value in (line.partition(":")
                                                                                for line in lines[1:]))
    if "content-length" not in headers:
        raise ValueError("response without Content-Length")
    body = await reader.readexactly(int(headers["content-length"]))
    return int(lines[0].split(" ", 2)[1]), body, headers.get("connection", "").lower() != "close"


def ask_request(text: str, state: object) -> bytes:
    body = json.dumps({"text": text, "state": state}).encode()
    return (f"POST /v1/ask HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def connection(port: int, slot: int, budget: list[int], tally: dict, stop_at: float, path: str,
                     fresh: list[str] | None = None) -> None:
    """One keep-alive connection sending requests until the shared budget is spent; with `fresh`,
    each request asks the next of those questions, on its own."""
    reader = writer = None
    state, turn = None, 0
    while budget[0] > 0 and time.monotonic() < stop_at:
        budget[0] -= 1
        if path == "/healthz":
            request = HEALTHZ
        elif fresh is not None:
            request = ask_request(fresh.pop(), None)
        elif turn % 2 == 0:
            request, state = ask_request(FIRST_QUESTIONS[(slot + turn // 2) % len(FIRST_QUESTIONS)], None), None
        else:
            request = ask_request(FOLLOW_UPS[(slot + turn // 2) % len(FOLLOW_UPS)], state)
        turn += 1
        started = timing.clock()
        error = None
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), REQUEST_TIMEOUT)
            writer.write(request)
            status, body, keep_alive = await asyncio.wait_for(read_response(reader), REQUEST_TIMEOUT)
            if status != 200:
                error = f"HTTP {status}"
            elif path != "/healthz":
                answer = json.loads(body)
                if not isinstance(answer, dict) or "intent" not in answer or "state" not in answer:
                    error = "answer without intent or state"
                else:
                    state = answer["state"]
            if not keep_alive:
                writer.close()
                reader = writer = None
        except (OSError, ValueError, asyncio.TimeoutError, asyncio.IncompleteReadError) as failure:
            error = type(failure).__name__
            if writer is not None:
                writer.close()
            reader = writer = None
        tally["latencies"].append(timing.clock() - started)
        if error:
            tally["errors"][error] += 1
    if writer is not None:
        writer.close()


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used so far (user and system), from /proc; 0 where there is none."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(port: int, requests: int, concurrency: int = 32, path: str = "/v1/ask", pid: int | None = None,
         questions: list[str] | None = None) -> dict:
    """Send `requests` requests to `path` over `concurrency` connections: throughput, latency, errors,
    and with the `pid` of a one-process server, the server's CPU time a request. With `questions`,
    /v1/ask is asked each of them once, on its own (at most `requests`), instead of the
    conversations of `FIRST_QUESTIONS` and `FOLLOW_UPS`."""
    tally: dict = {"latencies": [], "errors": Counter()}
    cpu = cpu_seconds(pid) if pid else 0.0
    fresh = list(reversed(questions[:requests])) if questions is not None else None

    async def everything() -> float:
        budget, stop_at = [len(fresh) if fresh is not None else requests], time.monotonic() + DEADLINE
        started = timing.clock()
        await asyncio.gather(*(connection(port, slot, budget, tally, stop_at, path, fresh)
                               for slot in range(concurrency)))
        return timing.clock() - started

    seconds = asyncio.run(everything())
    latencies = tally["latencies"]
    cpu = cpu_seconds(pid) - cpu if pid else 0.0
    return {"requests": len(latencies), "seconds": round(seconds, 3),
            "server_cpu_us": round(cpu / max(1, len(latencies)) * 1e6, 1) if cpu else None,
            "requests_per_second": round(len(latencies) / seconds, 1),
            "latency_ms": {name: round(timing.percentile(latencies, share) * 1000, 2)
                           for name, share in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0))},
            "errors": sum(tally["errors"].values()), "error_kinds": dict(tally["errors"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000, help="requests to send (default 5000)")
    parser.add_argument("--concurrency", type=int, default=32, help="connections at once (default 32)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (default 1)")
    parser.add_argument("--log", metavar="URL", help="serve with the question log on, at URL")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 1_000_000 or not 1 <= args.concurrency <= 1000 or not 1 <= args.workers <= 64:
        parser.error("--requests 1..1000000, --concurrency 1..1000, --workers 1..64")
    with server(args.workers, args.log) as (port, process, _):
        load(port, min(200, args.requests), min(8, args.concurrency))            # warm-up
        report = load(port, args.requests, args.concurrency, pid=process.pid if args.workers == 1 else None)
    report.update(concurrency=args.concurrency, workers=args.workers, log=bool(args.log), machine=timing.machine())
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        lat, m = report["latency_ms"], report["machine"]
        print(f"POST /v1/ask on {HOST}: {report['requests']:,} requests, {args.concurrency} at once, "
              f"{args.workers} worker(s){', question log on' if args.log else ''}")
        cpu = f"; server CPU {report['server_cpu_us']:,.0f} µs a request" if report["server_cpu_us"] else ""
        print(f"  {report['requests_per_second']:,.0f} requests/s over {report['seconds']:.2f} s{cpu}; latency p50 "
              f"{lat['p50']:.2f} ms, p90 {lat['p90']:.2f} ms, p99 {lat['p99']:.2f} ms, max {lat['max']:.2f} ms")
        print(f"  errors: {report['errors']} {report['error_kinds'] or ''}")
        print(f"  machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}")
    return 1 if report["errors"] or report["requests"] < args.requests else 0


if __name__ == "__main__":
    sys.exit(main())
