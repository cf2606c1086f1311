"""Unloaded timing: requests one after another on one kept-alive connection,
reading the server's own time and query count from its Server-Timing header."""

import http.client
import re
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMING = re.compile(r'app;dur=([\d.]+).*?desc="(\d+) queries"')


@dataclass(frozen=True)
class Sample:
    """One page measured unloaded: medians over `count` requests."""

    path: str
    status: int
    server_ms: float
    round_trip_ms: float
    queries: int
    size: int
    count: int

    @property
    def ok(self) -> bool:
        return self.status == 200


def unloaded(base: str, path: str, count: int = 25, warm_up: int = 3) -> Sample:
    """Median server time and round trip of `count` requests to `path`."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    server, trip, queries, size, status = [], [], 0, 0, 0
    try:
        for number in range(warm_up + count):
            started = time.perf_counter()
            conn.request("GET", path, headers={"Accept-Encoding": "identity"})
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            status = response.status
            if status != 200:
                break
            if number < warm_up:
                continue
            match = TIMING.search(response.getheader("Server-Timing", ""))
            if match:
                server.append(float(match.group(1)))
                queries = int(match.group(2))
            trip.append(elapsed)
            size = len(body)
    finally:
        conn.close()
    return Sample(
        path=path,
        status=status,
        server_ms=statistics.median(server) if server else float("nan"),
        round_trip_ms=statistics.median(trip) if trip else float("nan"),
        queries=queries,
        size=size,
        count=len(trip),
    )
