"""The benchmarks' one timing helper: a clock, percentiles, calls timed one by one, processes
timed interleaved, and peak memory. Standard library only, so that the measured processes
(`_worker.py`, ChatterBot's Python among them) can import it too.
"""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

clock = time.perf_counter


def percentile(values: Iterable[float], share: float) -> float | None:
    """The nearest-rank percentile (`share` 0.5 for the median); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def p50(values: Iterable[float]) -> float | None:
    return percentile(values, 0.5)


def time_each(function: Callable, items: Sequence) -> tuple[list[float], list]:
    """Call `function` on each item once, in order: the seconds of each call, and what each returned."""
    seconds, results = [], []
    for item in items:
        started = clock()
        result = function(item)
        seconds.append(clock() - started)
        results.append(result)
    return seconds, results


def time_in_turn(function: Callable, yardstick: Callable, items: Sequence) -> tuple[list[float], list, list[float]]:
    """`function` and then `yardstick` on each item, each call timed: so that a slow moment of the
    machine weighs on both alike. The seconds and results of `function`, the seconds of `yardstick`."""
    seconds, results, reference = [], [], []
    for item in items:
        started = clock()
        results.append(function(item))
        middle = clock()
        yardstick(item)
        reference.append(clock() - middle)
        seconds.append(middle - started)
    return seconds, results, reference


def peak_mb() -> float:
    """This process's own peak resident memory so far, in MB: VmHWM where there is /proc (ru_maxrss
    would also count the memory of the process that started it, at the moment it did)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024       # kB on Linux


def rss_mb(pid: int) -> float | None:
    """Another process's resident memory now, in MB, from /proc (None where there is none)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class Run(NamedTuple):
    seconds: float          # wall time
    cpu_seconds: float      # user and system time of the process itself
    peak_mb: float          # its peak resident memory (on Linux at least what its parent had when it started)
    returncode: int


def run_process(command: Sequence[str], env: dict | None = None, timeout: float = 1800, check: bool = True) -> Run:
    """Run a command to its end and measure it. Raises RuntimeError with the end of its error output
    when it takes too long, or (with `check`) when it fails."""
    with tempfile.TemporaryFile() as errors:
        started = clock()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
                                   env=env)
        killer = threading.Timer(timeout, process.kill)     # a blocking wait costs the machine nothing
        killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
        seconds = clock() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if seconds >= timeout:
            raise RuntimeError(f"{' '.join(command[:3])} … took more than {timeout:.0f} s")
        if process.returncode and check:
            errors.seek(0)
            tail = " | ".join(errors.read().decode(errors="replace").strip().splitlines()[-3:])
            raise RuntimeError(f"{' '.join(command[:3])} … exited {process.returncode}: {tail}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode)


def interleaved(commands: dict[str, Sequence[str]], runs: int, env: dict | None = None) -> dict[str, list[float]]:
    """Wall seconds of each command, `runs` times, taking turns (one untimed run each first), so
    that a slow moment of the machine weighs on every command alike; the order turns each round."""
    names = list(commands)
    for name in names:
        run_process(commands[name], env)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(runs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            seconds[name].append(run_process(commands[name], env).seconds)
    return seconds


def ratio(measured: float | None, yardstick: float | None) -> float | None:
    return measured / yardstick if measured is not None and yardstick else None


def machine() -> dict:
    """The conditions every figure is measured under: processor, cores, Python."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": os.cpu_count(), "usable_cores": usable, "python": platform.python_version(),
            "implementation": platform.python_implementation(), "system": platform.system()}
