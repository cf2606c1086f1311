"""Throughput under load: Debian's `wrk` (apt-get install wrk), or a bounded
loop of threads when only a rough figure is wanted."""

import http.client
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

WRK_HOW = "wrk is not installed: sudo apt-get install wrk (Debian's package)."


@dataclass(frozen=True)
class Load:
    path: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # answers other than 2xx and 3xx
    socket_errors: int  # connections refused, reset, or timed out


def _ms(text: str) -> float:
    """wrk's latency ("812.00us", "4.20ms", "1.50s", "2.00m") in milliseconds."""
    match = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not match:
        return float("nan")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def _found(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.MULTILINE)
    return match.group(1) if match else ""


def wrk(base: str, path: str, *, connections=16, seconds=10, threads=2) -> Load:
    """`wrk --latency` at `connections` connections for `seconds`."""
    if not shutil.which("wrk"):
        raise SystemExit(WRK_HOW)
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            base + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    rate = float(_found(r"Requests/sec:\s+([\d.]+)", out) or "nan")
    # Anchored: "+/- Stdev" columns end in "...50%" too.
    p50 = _ms(_found(r"^\s+50%\s+(\S+)", out))
    p99 = _ms(_found(r"^\s+99%\s+(\S+)", out))
    latency = _found(r"Latency\s+\S+\s+\S+\s+(\S+)", out)
    errors = int(_found(r"Non-2xx or 3xx responses: (\d+)", out) or 0)
    sockets = _found(r"Socket errors: (.*)", out)
    socket_errors = sum(int(n) for n in re.findall(r"\d+", sockets))
    if rate != rate or p50 != p50:  # nan: wrk said something unexpected
        print(out)
    return Load(path, rate, p50, p99, _ms(latency), errors, socket_errors)


def threads_loop(base: str, path: str, count: int, threads: int = 4):
    """A bounded number of requests from a few threads: (rate, latencies)."""
    parts = urlsplit(base)
    latencies = []
    lock = threading.Lock()
    per_thread = count // threads

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        for _ in range(per_thread):
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            assert response.status == 200, (path, response.status)
            with lock:
                latencies.append(elapsed)
        conn.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies
