"""API reads over real HTTP against `irtis serve`, each next to a bare WSGI application behind
the same gunicorn that runs the same SQL (issue 19 §6: every read ≤ 2× that floor).

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/http_reads_bench.py \\
        --database postgresql://postgres@127.0.0.1:5432/irtis_readbench [--runs 60] [--reuse]

Creates the database afresh and loads the reference data set (as http_writes_bench.py; VACUUM
ANALYZE after, as autovacuum would), unless `--reuse` (a database this script loaded before).
For each read of inventory_bench.py (one device, 50, the filtered 100, 1,000 full and brief) and
lists of IP addresses and virtual machines, it captures in this process, through Django's test
client with the same token, every statement the endpoint runs (token check included, in order,
with parameters). Then it starts `irtis serve` (production settings, gunicorn, 2 gthread
workers) and `benchmarks/bare_wsgi.py` (the same gunicorn with the same options, an application
that runs the captured statements on a psycopg connection and encodes the rows with the API's
encoder), and times both over keep-alive connections, interleaved: one client alternating
between the two servers (`runs` each), then 8 clients on one server at a time: each round
measures every read, the servers alternating, and starts one read further than the round
before (measured in a fixed order, the last read's bare floor came out a quarter lower).
Each request's worker is the one holding its connection (found in /proc): how 8 clients'
connections spread over the two workers.
"""

import argparse
import os
import pickle
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import launch, serve
from httpbench import ROOT, Http, generate, recreate, summary, worker_of

CLIENTS = 8
TARGET = 2.0  # × the bare application


def reads(ids: dict[str, int]) -> list[tuple[str, str]]:
    devices = "/api/inventory/devices/"
    return [
        ("device detail", f"{devices}{ids['device']}/"),
        ("50 devices", f"{devices}?limit=50"),
        ("site + role, 100 of 143", f"{devices}?site={ids['site']}&role={ids['role']}&limit=100"),
        ("1,000 devices", f"{devices}?limit=1000"),
        ("1,000 devices, brief", f"{devices}?limit=1000&brief=true"),
        ("50 IP addresses", "/api/network/ip-addresses/?limit=50"),
        ("1,000 IP addresses", "/api/network/ip-addresses/?limit=1000"),
        ("50 virtual machines", "/api/virtualization/virtual-machines/?limit=50"),
    ]


def existing(database: str) -> tuple[str, dict[str, int]]:
    """A new token and the ids, on a database this script loaded before."""
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from irtis.identity.tokens import issue
    from irtis.inventory.models import Device, DeviceRole, Site

    ids = {"site": Site.objects.get(code="site-02").pk, "role": DeviceRole.objects.get(name="role-03").pk,
           "device": Device.objects.get(name="dev-05000").pk}
    return issue(get_user_model().objects.get(username="bench"))[1], ids


def capture(token: str, paths: list[str], database: str) -> dict[str, Any]:
    """Every statement each path runs in steady state (its second request: the token's use is
    recorded on the first), which of them gives the rows (`rows.fetch`'s) and which the count."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    import irtis.core.api

    setup_test_environment()  # the test client's host name allowed
    client = Client(headers={"Authorization": f"Bearer {token}"})
    plans = {}
    for path in paths:
        assert client.get(path).status_code == 200, path
        statements: list[tuple[str, Any]] = []
        rows_at: list[int] = []

        def record(execute: Any, sql: str, params: Any, many: bool, context: Any,
                   statements: list[tuple[str, Any]] = statements) -> Any:
            statements.append((sql, params))
            return execute(sql, params, many, context)

        def fetch_marked(*args: Any, fetch: Any = irtis.core.api.fetch, rows_at: list[int] = rows_at,
                         statements: list[tuple[str, Any]] = statements) -> Any:
            result = fetch(*args)
            rows_at.append(len(statements) - 1)
            return result

        fetch = irtis.core.api.fetch
        irtis.core.api.fetch = fetch_marked  # type: ignore[assignment]  # marks the rows statement
        try:
            with connection.execute_wrapper(record):
                response = client.get(path)
        finally:
            irtis.core.api.fetch = fetch
        assert response.status_code == 200 and len(rows_at) == 1, (path, response.status_code, rows_at)
        counts = [i for i, (sql, _) in enumerate(statements) if sql.startswith("SELECT COUNT(")]
        plans[path] = {"statements": statements, "rows_at": rows_at[0], "count_at": counts[0] if counts else None,
                       "single": "results" not in response.json()}
        print(f"{path}: {len(statements)} statements", flush=True)
    return {"database": database, "paths": plans}


class Client(Http):
    """A keep-alive client that notes, for each request, the worker holding its connection."""

    def __init__(self, port: int, token: str, workers: list[int]) -> None:
        super().__init__(port, token)
        self.workers = workers
        self.served: Counter[int | None] = Counter()
        self.worker: int | None = None

    def connected(self) -> None:
        self.worker = worker_of(self, self.workers)

    def get(self, path: str) -> float:
        start = time.perf_counter()
        self.send("GET", path)
        elapsed = (time.perf_counter() - start) * 1000
        self.served[self.worker] += 1
        return elapsed


def one_client(servers: dict[str, tuple[int, list[int]]], token: str, path: str, runs: int) -> dict[str, list[float]]:
    clients = {name: Client(port, token, workers) for name, (port, workers) in servers.items()}
    times: dict[str, list[float]] = {name: [] for name in servers}
    names = list(servers)
    for run in range(runs):
        for name in names if run % 2 else names[::-1]:
            times[name].append(clients[name].get(path))
    return times


def many_clients(clients: list[Client], path: str, requests: int) -> tuple[list[float], float]:
    """`requests` GETs from each client at once; the latencies, and requests per second."""
    times: list[float] = []
    barrier = threading.Barrier(len(clients) + 1)

    def run(client: Client) -> None:
        barrier.wait()
        mine = [client.get(path) for _ in range(requests)]
        times.extend(mine)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return times, len(times) / (time.perf_counter() - start)


def connect_all(port: int, token: str, workers: list[int], path: str) -> list[Client]:
    """CLIENTS connections opened at once (each with a first request), as a pool of clients
    starting together."""
    clients = [Client(port, token, workers) for _ in range(CLIENTS)]
    many_clients(clients, path, 1)
    return clients


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True, help="a PostgreSQL URL; the database is created afresh")
    parser.add_argument("--runs", type=int, default=60, help="requests per read and server, one client")
    parser.add_argument("--rounds", type=int, default=4, help="8-client rounds per read and server")
    parser.add_argument("--requests", type=int, default=10, help="requests per client in an 8-client round")
    parser.add_argument("--reuse", action="store_true", help="the database as this script loaded it before")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="irtis-readbench-"))
    os.environ.update({"IRTIS_DATA_DIR": str(data_dir), "IRTIS_DATABASE_URL": args.database,
                       "DJANGO_SETTINGS_MODULE": "irtis.settings", "IRTIS_DEBUG": "false"})
    if args.reuse:
        token, ids = existing(args.database)
    else:
        recreate(args.database)
        token, ids = generate("VACUUM ANALYZE")
    measured = reads(ids)
    plans = data_dir / "plans.pickle"
    plans.write_bytes(pickle.dumps(capture(token, [path for _, path in measured], args.database)))
    from django.db import connections

    connections.close_all()
    floor = f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    print(floor, flush=True)
    irtis, irtis_port, irtis_workers = serve(args.database, data_dir)
    bare, bare_port, bare_workers = launch(
        lambda port: [sys.executable, str(ROOT / "benchmarks" / "bare_wsgi.py"), str(plans), str(port)],
        {**os.environ}, data_dir / "bare.log")
    servers = {"irtis": (irtis_port, irtis_workers), "bare": (bare_port, bare_workers)}
    print(f"irtis on {irtis_port} (workers {irtis_workers}), bare on {bare_port} (workers {bare_workers})", flush=True)
    single: dict[str, dict[str, dict[str, float]]] = {}
    multi: dict[str, dict[str, Any]] = {}
    spread: dict[str, list[Counter[int | None]]] = {"irtis": [], "bare": []}
    try:
        for _, path in measured:  # warm-up: every statement prepared on every connection of each worker
            one_client(servers, token, path, 10)
        pools = {name: connect_all(port, token, workers, measured[0][1]) for name, (port, workers) in servers.items()}
        for name, pool in pools.items():
            spread[name].append(sum((c.served for c in pool), Counter()))
        for label, path in measured:
            times = one_client(servers, token, path, args.runs)
            single[label] = {name: summary(t) for name, t in times.items()}
            print(f"{label}: 1 client {single[label]['irtis']['median']:.2f} / "
                  f"{single[label]['bare']['median']:.2f} ms", flush=True)
        # Each round measures every read, starting one read further each time, so that a slow or
        # fast spell of the machine, and the time since the servers started, weigh on all alike.
        latencies: dict[str, dict[str, list[float]]] = {label: {name: [] for name in servers} for label, _ in measured}
        rates: dict[str, dict[str, list[float]]] = {label: {name: [] for name in servers} for label, _ in measured}
        for round_ in range(args.rounds):
            shift = round_ % len(measured)
            for label, path in measured[shift:] + measured[:shift]:
                for name in servers if round_ % 2 else list(servers)[::-1]:
                    got, rate = many_clients(pools[name], path, args.requests)
                    latencies[label][name] += got
                    rates[label][name].append(rate)
        for label, _ in measured:
            multi[label] = {name: {**summary(latencies[label][name]),
                                   "rate": sum(rates[label][name]) / len(rates[label][name])} for name in servers}
        for name, pool in pools.items():
            spread[name].append(sum((c.served for c in pool), Counter()) - spread[name][0])
        # a second pool, opened while the workers are warm: the case once seen lopsided
        for name, (port, workers) in servers.items():
            again = connect_all(port, token, workers, measured[1][1])
            many_clients(again, measured[0][1], 300)
            spread[name].append(sum((c.served for c in again), Counter()))
    finally:
        for server in (irtis, bare):
            os.killpg(server.pid, 15)
            server.wait(60)
    report(measured, single, multi, spread, servers, floor, args)


def report(measured: list[tuple[str, str]], single: dict[str, Any], multi: dict[str, Any],
           spread: dict[str, list[Counter[int | None]]], servers: dict[str, tuple[int, list[int]]], floor: str,
           args: argparse.Namespace) -> None:
    load = os.getloadavg()
    print(f"\n{floor}; load after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; 1 client: {args.runs} requests "
          f"per read and server; {CLIENTS} clients: {args.rounds} rounds × {args.requests} requests each\n")
    print("| read | 1 client: irtis median / p95 | bare median / p95 | irtis / bare | "
          f"{CLIENTS} clients: irtis median / p95 | bare median / p95 | irtis / bare | irtis / bare req/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, _ in measured:
        s, m = single[label], multi[label]
        ratios = [s["irtis"]["median"] / s["bare"]["median"], m["irtis"]["median"] / m["bare"]["median"]]
        marks = ["**" if r <= TARGET else "" for r in ratios]
        print(f"| {label} | {s['irtis']['median']:.2f} / {s['irtis']['p95']:.2f} ms | "
              f"{s['bare']['median']:.2f} / {s['bare']['p95']:.2f} ms | {marks[0]}{ratios[0]:.2f}{marks[0]} | "
              f"{m['irtis']['median']:.2f} / {m['irtis']['p95']:.2f} ms | {m['bare']['median']:.2f} / "
              f"{m['bare']['p95']:.2f} ms | {marks[1]}{ratios[1]:.2f}{marks[1]} | "
              f"{m['irtis']['rate']:.0f} / {m['bare']['rate']:.0f} |")
    print(f"\nrequests per worker, {CLIENTS} clients (pool opened cold; its reads; a pool opened warm):")
    for name, runs in spread.items():
        workers = servers[name][1]
        print(f"  {name}: " + "; ".join(" / ".join(str(run[w]) for w in workers) + (f" (unknown {run[None]})"
                                                                                     if run[None] else "")
                                        for run in runs))


if __name__ == "__main__":
    main()
