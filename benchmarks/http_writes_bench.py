"""Writes over real HTTP against `irtis serve` (issue 19 §6), next to the same writes in-process.

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/http_writes_bench.py \\
        --database postgresql://postgres@127.0.0.1:5432/irtis_httpbench [--runs 30] [--no-analyze]

Creates the database afresh, migrates it, generates the reference data set (inventory,
network, virtualisation parts, as benchmarks/inventory_bench.py), starts `irtis serve`
(production settings: DEBUG off, gunicorn, 2 gthread workers) on a free loopback port, and
times over one keep-alive HTTP connection, `runs` times each after one warm-up:
create 100 devices in one request, PATCH those 100, DELETE those 100 (the bulk API), and
single creates. Then the same requests through Django's test client in this process, on the
same database (no HTTP, no gunicorn). Last, 8 clients on their own connections for a few
seconds, with each worker's CPU time read from /proc before and after: how the connections
spread over the two workers.

`--no-analyze` leaves the freshly loaded tables without planner statistics (as a load
finishing a minute before autovacuum's first pass); by default the loader's own ANALYZE runs.
"""

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from common import serve
from httpbench import Http, cpu_ticks, generate, recreate, summary

# NetBox 4.6.8 behind gunicorn (2 workers) on PostgreSQL, same data, as issue 19 §6 reports it
# (not run here): ≈ 10 s to create 100 devices in one request, ≈ 8 s to delete 100. The issue
# gives irtis 382–752 ms as "13–30×" and 1,346 ms as "6×", whence these.
NETBOX_MS = {"create": 10_000, "delete": 8_000}
TARGET = 30  # × NetBox


class InProcess:
    """The same calls through Django's test client: the application without HTTP and gunicorn."""

    def __init__(self, token: str) -> None:
        from django.test import Client

        self.client = Client(headers={"Authorization": f"Bearer {token}"})

    def __call__(self, method: str, path: str, body: object = None, status: int = 200) -> Any:
        response = getattr(self.client, method.lower())(path, body, content_type="application/json") \
            if body is not None else getattr(self.client, method.lower())(path)
        if response.status_code != status:
            raise SystemExit(f"{method} {path}: {response.status_code} {response.content[:300]!r}")
        return response.json() if response.content else None


def writes(call: Any, ids: dict[str, int], runs: int, tag: str) -> dict[str, dict[str, float]]:
    """Each round: create 100, PATCH them, DELETE them; and one single create. Round 0 warms up."""
    timed: dict[str, list[float]] = {"create": [], "patch": [], "delete": [], "single": []}
    path = "/api/inventory/devices/"
    for round_ in range(runs + 1):
        payload = [{"name": f"{tag}-{round_}-{k}", "hardware_model": ids["model"], "role": ids["role"],
                    "site": ids["site"], "rack": ids["rack"], "platform": ids["platform"], "status": "active"}
                   for k in range(100)]
        steps = []
        start = time.perf_counter()
        created = call("POST", path, payload, 201)
        steps.append(("create", start))
        start = time.perf_counter()
        call("PATCH", path, [{"id": row["id"], "status": "planned", "description": f"patch {row['id']}"}
                             for row in created])
        steps.append(("patch", start))
        start = time.perf_counter()
        call("DELETE", path, [{"id": row["id"]} for row in created], 204)
        steps.append(("delete", start))
        start = time.perf_counter()
        single = call("POST", path, {**payload[0], "name": f"{tag}-{round_}-single"}, 201)
        steps.append(("single", start))
        ends = [*(s for _, s in steps[1:]), time.perf_counter()]
        # each step ends where the next one starts (their set-up is list building only)
        if round_:
            for (name, begun), end in zip(steps, ends, strict=True):
                timed[name].append((end - begun) * 1000)
        call("DELETE", f"{path}{single['id']}/", None, 204)
    return {name: summary(values) for name, values in timed.items()}


def spread(port: int, token: str, workers: list[int], clients: int = 8, seconds: float = 6.0) -> list[tuple]:
    """Requests from `clients` keep-alive connections at once; each worker's share of the CPU."""
    before = {pid: cpu_ticks(pid) for pid in workers}
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        call = Http(port, token)
        while time.monotonic() < stop:
            call("GET", "/api/inventory/devices/?limit=50")
            counts[number] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    used = {pid: cpu_ticks(pid) - before[pid] for pid in workers}
    total = sum(used.values()) or 1
    print(f"{clients} clients, {seconds:.0f} s: {sum(counts)} requests; worker CPU shares: "
          + ", ".join(f"{pid}: {100 * t / total:.0f} %" for pid, t in used.items()), flush=True)
    return [(pid, t, 100 * t / total) for pid, t in used.items()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True, help="a PostgreSQL URL; the database is created afresh")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-analyze", action="store_true")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="irtis-httpbench-"))
    os.environ.update({"IRTIS_DATA_DIR": str(data_dir), "IRTIS_DATABASE_URL": args.database,
                       "DJANGO_SETTINGS_MODULE": "irtis.settings", "IRTIS_DEBUG": "false"})
    recreate(args.database)
    token, ids = generate(None if args.no_analyze else "ANALYZE")
    print("load before:", os.getloadavg(), flush=True)
    server, port, workers = serve(args.database, data_dir)
    try:
        print(f"irtis serve on port {port}, workers {workers}", flush=True)
        shares = [spread(port, token, workers, seconds=4)]  # fresh workers: the case once seen lopsided
        http_figures = writes(Http(port, token), ids, args.runs, "http")
        shares += [spread(port, token, workers, seconds=4) for _ in range(2)]
    finally:
        os.killpg(server.pid, 15)
        server.wait(60)
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host name allowed
    local = writes(InProcess(token), ids, args.runs, "local")
    load = os.getloadavg()
    print(f"\nload after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; runs: {args.runs}; "
          f"statistics: {'none (fresh load)' if args.no_analyze else 'ANALYZE after the load'}\n")
    print("| 100 devices per request | HTTP median | HTTP p95 | p95 / median | in-process median | "
          "NetBox 4.6.8 (issue) | NetBox / irtis (HTTP) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    labels = {"create": "create 100 (POST list)", "patch": "update 100 (PATCH list)",
              "delete": "delete 100 (DELETE list)", "single": "create 1 (POST)"}
    for name, label in labels.items():
        h, p = http_figures[name], local[name]
        netbox = NETBOX_MS.get(name)
        ratio = f"{netbox / h['median']:.0f}×" if netbox else "–"
        print(f"| {label} | {h['median']:.0f} ms | {h['p95']:.0f} ms | {h['p95'] / h['median']:.2f} | "
              f"{p['median']:.0f} ms | {f'{netbox:,} ms' if netbox else '–'} | {ratio} |")
    print("\nworker CPU shares (%) in each 8-client run:",
          "; ".join(" / ".join(f"{share:.0f}" for _pid, _ticks, share in run) for run in shares))


if __name__ == "__main__":
    main()
