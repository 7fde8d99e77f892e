"""A normal client's throughput while others abuse the server, next to the same client on an idle server.

    python benchmarks/http_abuse.py [--seconds 5] [--idle 300] [--streamers 4] [--slow 2] [--json]

It starts `careerbot serve` on a free 127.0.0.1 port and measures one normal client (a keep-alive
connection playing two-turn conversations, one request after the other) three times, each for
--seconds:

1. on the idle server (the yardstick);
2. while another process holds --idle idle connections open (reopening each one the server closes)
   and --streamers clients stream request bodies without end (a gigabyte announced, sent as fast as
   the server takes it; reconnecting whenever the server cuts them off);
3. while --slow clients ask worst-case questions (1,000 characters that expand under
   normalisation) back to back, as the issue's latency case.

It reports requests per second and latency for each, and exits 1 when the normal client's
throughput under abuse (2) is less than half of its throughput on the idle server, or when any of
its requests failed. Traffic goes to 127.0.0.1 only; every phase ends by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time

import timing
from http_load import HOST, ask_request, read_response, server

QUESTIONS = ["tell me about NLP engineers", "how much do they make?", "data scientist vs ML engineer",
             "what skills do they need?"]
WORST_CASE = "\ufdfa\u33c2" * 500        # 1,000 characters that expand under normalisation
MIN_SHARE = 0.5
"""The normal client keeps at least this share of its idle-server throughput under abuse."""


async def normal_client(port: int, seconds: float) -> dict:
    """One keep-alive connection asking one question after another for `seconds`."""
    latencies, errors, state, turn = [], 0, None, 0
    reader = writer = None
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at:
        text = QUESTIONS[turn % len(QUESTIONS)]
        state = None if turn % 2 == 0 else state
        turn += 1
        started = timing.clock()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 10)
            writer.write(ask_request(text, state))
            status, body, keep_alive = await asyncio.wait_for(read_response(reader), 10)
            if status != 200:
                errors += 1
            else:
                state = json.loads(body)["state"]
            if not keep_alive:
                writer.close()
                reader = writer = None
        except (OSError, ValueError, asyncio.TimeoutError, asyncio.IncompleteReadError):
            errors += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        latencies.append(timing.clock() - started)
    if writer is not None:
        writer.close()
    return {"requests": len(latencies), "requests_per_second": round(len(latencies) / seconds, 1),
            "errors": errors, **{f"{name}_ms": round(timing.percentile(latencies, share) * 1000, 2)
                                 for name, share in (("p50", 0.5), ("p99", 0.99), ("max", 1.0))}}


async def hold_idle(port: int, stop_at: float, opened: list[int]) -> None:
    """Keep one connection open and silent, reopening it whenever the server closes it."""
    while time.monotonic() < stop_at:
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        opened[0] += 1
        try:
            await asyncio.wait_for(reader.read(), max(0.01, stop_at - time.monotonic()))
        except (OSError, asyncio.TimeoutError):
            pass
        writer.close()


async def stream_forever(port: int, stop_at: float, sent: list[int]) -> None:
    """Announce a gigabyte and send it as fast as the server takes it; reconnect when cut off."""
    head = (f"POST /v1/ask HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: 1000000000\r\n\r\n").encode()
    chunk = b"x" * 65536
    while time.monotonic() < stop_at:
        try:
            _, writer = await asyncio.open_connection(HOST, port)
            writer.write(head)
            while time.monotonic() < stop_at:
                writer.write(chunk)
                await writer.drain()
                sent[0] += len(chunk)
        except OSError:
            await asyncio.sleep(0.01)
        else:
            writer.close()


async def ask_worst_case(port: int, stop_at: float) -> None:
    body = ask_request(WORST_CASE, None)
    while time.monotonic() < stop_at:
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
            while time.monotonic() < stop_at:
                writer.write(body)
                await read_response(reader)
        except (OSError, ValueError, asyncio.IncompleteReadError):
            await asyncio.sleep(0.01)


async def abuse(port: int, seconds: float, idle: int, streamers: int, slow: int) -> dict:
    stop_at = time.monotonic() + seconds
    opened, sent = [0], [0]
    await asyncio.gather(*(hold_idle(port, stop_at, opened) for _ in range(idle)),
                         *(stream_forever(port, stop_at, sent) for _ in range(streamers)),
                         *(ask_worst_case(port, stop_at) for _ in range(slow)))
    return {"idle_connections_opened": opened[0], "body_bytes_sent": sent[0]}


def with_abusers(port: int, seconds: float, idle: int, streamers: int, slow: int) -> tuple[dict, dict]:
    """The normal client here, the abusers in a process of their own (started first, given a moment)."""
    abusers = subprocess.Popen([sys.executable, __file__, "--abuse", str(port), str(seconds + 2), str(idle),
                                str(streamers), str(slow)], stdout=subprocess.PIPE)
    time.sleep(1.0)
    measured = asyncio.run(normal_client(port, seconds))
    out, _ = abusers.communicate(timeout=seconds + 30)
    return measured, json.loads(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each phase (default 5)")
    parser.add_argument("--idle", type=int, default=300, help="idle connections held open (default 300)")
    parser.add_argument("--streamers", type=int, default=4, help="clients streaming endless bodies (default 4)")
    parser.add_argument("--slow", type=int, default=2, help="clients asking worst-case questions (default 2)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--abuse", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.abuse:
        port, seconds, idle, streamers, slow = args.abuse
        print(json.dumps(asyncio.run(abuse(int(port), float(seconds), int(idle), int(streamers), int(slow)))))
        return 0

    with server() as (port, _, printed):
        asyncio.run(normal_client(port, 1.0))                        # warm-up
        idle_server = asyncio.run(normal_client(port, args.seconds))
        abused, abusers = with_abusers(port, args.seconds, args.idle, args.streamers, 0)
        slowed, _ = with_abusers(port, args.seconds, 0, 0, args.slow)
        tracebacks = printed().count("Traceback")
    share = abused["requests_per_second"] / idle_server["requests_per_second"]
    worst_case_share = slowed["requests_per_second"] / idle_server["requests_per_second"]
    met = share >= MIN_SHARE and not (idle_server["errors"] or abused["errors"] or slowed["errors"])
    report = {"idle_server": idle_server, "under_abuse": abused, "abusers": abusers,
              "with_worst_case_questions": slowed, "throughput_share": round(share, 3), "min_share": MIN_SHARE,
              "worst_case_share": round(worst_case_share, 3),
              "server_log_tracebacks": tracebacks, "met": met, "machine": timing.machine()}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        def row(name: str, r: dict) -> str:
            return (f"  {name:<44} {r['requests_per_second']:8,.1f} req/s  p50 {r['p50_ms']:6.2f} ms  "
                    f"p99 {r['p99_ms']:7.2f} ms  max {r['max_ms']:7.2f} ms  errors {r['errors']}")
        print(f"one normal client, {args.seconds:g} s a phase, against careerbot serve on {HOST}:")
        print(row("idle server", idle_server))
        print(row(f"{args.idle} idle connections + {args.streamers} endless bodies", abused))
        print(row(f"{args.slow} clients asking worst-case questions", slowed))
        print(f"  abusers: {abusers['idle_connections_opened']:,} idle connections opened, "
              f"{abusers['body_bytes_sent'] / 1e6:,.1f} MB of bodies sent")
        print(f"throughput under abuse: {share:.0%} of the idle server's (goal: at least {MIN_SHARE:.0%}): "
              f"{'met' if met else 'NOT MET'}; tracebacks in the server log: {tracebacks}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
