"""Unloaded timing: requests one after another on one kept-alive connection per
server, reading the server's own time and query count from its Server-Timing
header. Sites compared with each other are timed in turns, request by request,
so that a machine shared with other work slows them alike."""

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


class Site:
    """One server, asked one request at a time on a kept-alive connection."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

    def get(self, path: str) -> tuple[int, float, float, int, int]:
        """(status, server ms, round trip ms, queries, bytes) of one request."""
        started = time.perf_counter()
        self.conn.request("GET", path, headers={"Accept-Encoding": "identity"})
        response = self.conn.getresponse()
        body = response.read()
        trip = (time.perf_counter() - started) * 1000
        match = TIMING.search(response.getheader("Server-Timing", ""))
        server, queries = (
            (float(match.group(1)), int(match.group(2)))
            if match
            else (
                float("nan"),
                0,
            )
        )
        return response.status, server, trip, queries, len(body)

    def close(self):
        self.conn.close()


def in_turns(jobs: list[tuple[Site, str]], count: int = 25, warm_up: int = 3):
    """Time each (site, path) `count` times, taking turns request by request;
    returns one Sample per job, in order."""
    results = [[] for _ in jobs]
    status = [200] * len(jobs)
    for number in range(warm_up + count):
        for index, (site, path) in enumerate(jobs):
            if status[index] != 200:
                continue
            answer = site.get(path)
            status[index] = answer[0]
            if number >= warm_up and answer[0] == 200:
                results[index].append(answer)
    samples = []
    for (_site, path), answers, code in zip(jobs, results, status, strict=True):
        samples.append(
            Sample(
                path=path,
                status=code,
                server_ms=statistics.median(a[1] for a in answers)
                if answers
                else float("nan"),
                round_trip_ms=statistics.median(a[2] for a in answers)
                if answers
                else float("nan"),
                queries=answers[-1][3] if answers else 0,
                size=answers[-1][4] if answers else 0,
                count=len(answers),
            )
        )
    return samples


def unloaded(base: str, path: str, count: int = 25, warm_up: int = 3) -> Sample:
    """Median server time and round trip of `count` requests to `path`."""
    site = Site(base)
    try:
        return in_turns([(site, path)], count=count, warm_up=warm_up)[0]
    finally:
        site.close()
