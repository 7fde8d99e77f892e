"""A bounded HTTP load on loopback against a careerbot server this script starts and stops itself.

    python benchmarks/http_load.py [--requests 5000] [--concurrency 32] [--workers 1] [--json]
                                   [--log URL] [--code DIR]

It starts `careerbot serve` on a free 127.0.0.1 port, waits for /healthz, sends a short warm-up and
then REQUESTS POST /v1/ask requests over CONCURRENCY keep-alive connections (raw asyncio HTTP/1.1,
so the client costs little CPU next to the server on the same machine). Each connection plays
two-turn conversations: a question, then a follow-up that carries the returned state. It reports
requests per second, p50/p90/p99/max latency and errors, stops the server, and exits 1 when any
request failed. Traffic goes to 127.0.0.1 only; the run ends by itself (DEADLINE seconds at most).
`--log URL` serves with the question log on; `--code DIR` serves the careerbot of another checkout
(DIR/src first on the path), so that two versions can be compared in one run (`log_cost.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field

HOST = "127.0.0.1"
DEADLINE = 300.0
"""Seconds after which no new request is sent, whatever --requests says."""
REQUEST_TIMEOUT = 10.0
START_TIMEOUT = 30.0

FIRST_QUESTIONS = [
    "tell me about NLP engineers",
    "what does an MLOps engineer earn?",
    "data scientist vs ML engineer",
    "what skills does a computer vision engineer need?",
    "how do I become a data engineer?",
    "what is the best paid ML job?",
    "which roles use Kubernetes?",
    "what do research scientists work on?",
]
FOLLOW_UPS = [
    "how much do they make?",
    "what skills do they need?",
    "and for a cloud architect?",
    "how do I become one?",
]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    sent: int = 0
    server_cpu: float | None = None     # CPU seconds the server process spent on the load (Linux)


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process so far, from /proc; None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body, and whether the server keeps the connection open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" not in headers:
        raise ValueError("response without Content-Length")
    body = await reader.readexactly(int(headers["content-length"]))
    return status, body, headers.get("connection", "").lower() != "close"


def ask_request(text: str, state: object) -> bytes:
    body = json.dumps({"text": text, "state": state}).encode()
    return (f"POST /v1/ask HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def connection(port: int, slot: int, budget: list[int], tally: Tally | None, stop_at: float) -> None:
    """One keep-alive connection playing conversations until the shared budget is spent."""
    reader = writer = None
    state, turn = None, 0
    while budget[0] > 0 and time.monotonic() < stop_at:
        budget[0] -= 1
        if turn % 2 == 0:
            text, state = FIRST_QUESTIONS[(slot + turn // 2) % len(FIRST_QUESTIONS)], None
        else:
            text = FOLLOW_UPS[(slot + turn // 2) % len(FOLLOW_UPS)]
        turn += 1
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), REQUEST_TIMEOUT)
            writer.write(ask_request(text, state))
            status, body, keep_alive = await asyncio.wait_for(read_response(reader), REQUEST_TIMEOUT)
            elapsed = time.perf_counter() - started
            answer = json.loads(body) if status == 200 else None
            if status != 200:
                error = f"HTTP {status}"
            elif not isinstance(answer, dict) or "intent" not in answer or "state" not in answer:
                error = "answer without intent or state"
            else:
                error = None
                state = answer["state"]
            if not keep_alive:
                writer.close()
                reader = writer = None
        except (OSError, ValueError, asyncio.TimeoutError, asyncio.IncompleteReadError) as failure:
            elapsed = time.perf_counter() - started
            error = type(failure).__name__
            if writer is not None:
                writer.close()
            reader = writer = None
        if tally is not None:
            tally.sent += 1
            tally.latencies.append(elapsed)
            if error:
                tally.errors[error] += 1
    if writer is not None:
        writer.close()


async def run_load(port: int, requests: int, concurrency: int, tally: Tally | None) -> float:
    budget = [requests]
    stop_at = time.monotonic() + DEADLINE
    started = time.perf_counter()
    await asyncio.gather(*(connection(port, slot, budget, tally, stop_at) for slot in range(concurrency)))
    return time.perf_counter() - started


def wait_until_up(port: int, server: subprocess.Popen, log_path: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode}:\n{open(log_path).read()}")
        try:
            with socket.create_connection((HOST, port), timeout=1) as sock:
                sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit(f"the server did not answer /healthz within {START_TIMEOUT:.0f} s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    versions = {}
    for name in ("careerbot", "starlette", "uvicorn"):
        try:
            from importlib.metadata import version
            versions[name] = version(name)
        except Exception:   # a missing package only leaves a gap in the report
            versions[name] = "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}", **versions}


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(share * len(sorted_values)) - 1))
    return sorted_values[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000, help="requests to send (default 5000)")
    parser.add_argument("--concurrency", type=int, default=32, help="connections at once (default 32)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (default 1)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--log", metavar="URL", help="serve with the question log on, at URL")
    parser.add_argument("--code", metavar="DIR", help="serve the careerbot of this checkout (its src/)")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 1_000_000 or not 1 <= args.concurrency <= 1000 or not 1 <= args.workers <= 64:
        parser.error("--requests 1..1000000, --concurrency 1..1000, --workers 1..64")
    tally, duration = load_server(args.requests, args.concurrency, args.workers, log=args.log, code=args.code)
    report = summarise(tally, duration, args.concurrency, args.workers)
    errors = report["errors"]
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        lat = report["latency_ms"]
        m = report["machine"]
        print(f"POST /v1/ask on {HOST}: {report['requests']:,} requests, {args.concurrency} at once, "
              f"{args.workers} server worker{'s' if args.workers != 1 else ''}"
              + (", question log on" if args.log else ""))
        cpu = report["server_cpu_us_per_request"]
        print(f"  {report['requests_per_second']:,.0f} requests/s over {report['seconds']:.2f} s"
              + (f"; server CPU {cpu:,.0f} µs a request" if cpu else ""))
        print(f"  latency p50 {lat['p50']:.2f} ms, p90 {lat['p90']:.2f} ms, p99 {lat['p99']:.2f} ms, "
              f"max {lat['max']:.2f} ms")
        print(f"  errors: {errors}" + (f" ({', '.join(f'{k}: {v}' for k, v in tally.errors.items())})" if errors else ""))
        print(f"  machine: {m['cpu']}, {m['cores']} cores, {m['system']}; Python {m['python']}, "
              f"careerbot {m['careerbot']}, starlette {m['starlette']}, uvicorn {m['uvicorn']}")
    return 1 if errors or tally.sent < args.requests else 0


def load_server(requests: int, concurrency: int, workers: int, *, log: str | None = None,
                code: str | None = None) -> tuple[Tally, float]:
    """Start a server, warm it up, send the load, stop it; the tally and the load's duration."""
    port = free_port()
    server_log = tempfile.NamedTemporaryFile("w+", prefix="careerbot-serve-", suffix=".log", delete=False)
    command = [sys.executable, "-m", "careerbot", "serve", "--host", HOST, "--port", str(port),
               "--workers", str(workers)] + (["--log", log] if log else [])
    environ = {k: v for k, v in os.environ.items() if k != "CAREERBOT_LOG"}
    if code:
        environ["PYTHONPATH"] = os.path.join(os.path.abspath(code), "src")
    server = subprocess.Popen(command, stdout=server_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              env=environ)
    try:
        wait_until_up(port, server, server_log.name)
        asyncio.run(run_load(port, min(200, requests), min(8, concurrency), None))   # warm-up
        tally = Tally()
        cpu_before = cpu_seconds(server.pid)
        duration = asyncio.run(run_load(port, requests, concurrency, tally))
        cpu_after = cpu_seconds(server.pid)
        if cpu_before is not None and cpu_after is not None and workers == 1:
            tally.server_cpu = cpu_after - cpu_before
    finally:
        stop(server)
        server_log.close()
        os.unlink(server_log.name)
    return tally, duration


def summarise(tally: Tally, duration: float, concurrency: int, workers: int) -> dict:
    latencies = sorted(tally.latencies)
    errors = sum(tally.errors.values())
    return {
        "requests": tally.sent,
        "concurrency": concurrency,
        "server_workers": workers,
        "seconds": round(duration, 3),
        "requests_per_second": round(tally.sent / duration, 1) if duration else 0.0,
        "latency_ms": {name: round(value * 1000, 2) for name, value in (
            ("p50", percentile(latencies, 0.50)), ("p90", percentile(latencies, 0.90)),
            ("p99", percentile(latencies, 0.99)), ("max", latencies[-1] if latencies else float("nan")),
            ("mean", statistics.fmean(latencies) if latencies else float("nan")))},
        "server_cpu_us_per_request": (round(tally.server_cpu / tally.sent * 1e6, 1)
                                      if tally.server_cpu is not None and tally.sent else None),
        "errors": errors,
        "error_kinds": dict(tally.errors),
        "machine": machine(),
    }


if __name__ == "__main__":
    sys.exit(main())
