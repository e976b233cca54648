"""Audit trail figures: write overhead, verify throughput, concurrent appends (docs/performance.md).

    .venv/bin/python benchmarks/audit_bench.py                      # SQLite in a temporary file
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_bench \\
        .venv/bin/python benchmarks/audit_bench.py                  # PostgreSQL (db recreated!)

The database named is dropped and created afresh: never point this at real data.
"""

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
SCRATCH = tempfile.mkdtemp(prefix="irtis-audit-bench-")


def prepare_database() -> str:
    """Point Django at a fresh database before it is set up; returns a description."""
    url = os.environ.get("IRTIS_DATABASE_URL", "")
    os.environ.setdefault("IRTIS_DATA_DIR", SCRATCH)
    if not url:
        os.environ["IRTIS_DATABASE_URL"] = f"sqlite:///{SCRATCH}/bench.sqlite3"
        return "SQLite (WAL, temporary file)"
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
        version = conn.execute("SHOW server_version").fetchone()[0]
    return f"PostgreSQL {version} ({name}, recreated)"


DESCRIPTION = prepare_database()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "irtis.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402

from irtis.audit import canonical, checkpoints, head, trail, verify  # noqa: E402
from irtis.audit.context import current  # noqa: E402
from irtis.audit.models import AuditEntry  # noqa: E402
from irtis.core import changes  # noqa: E402
from irtis.inventory.models import Site  # noqa: E402


def timed_saves(prefix: str, n: int) -> float:
    started = time.perf_counter()
    for i in range(n):
        Site(code=f"{prefix}{i}", name=f"Vieta {i}", kind=Site.Kind.CUSTOMS_POST).save()
    return (time.perf_counter() - started) / n


def write_overhead(n: int) -> None:
    """Single-object saves (each its own transaction) with and without the change record."""
    timed_saves("warm", 50)
    with_trail = timed_saves("A", n)
    post_save.disconnect(changes._record_save)
    try:
        without = timed_saves("B", n)
    finally:
        post_save.connect(changes._record_save)
    print(f"write, {n} single saves: {without * 1e6:,.0f} µs without the trail, "
          f"{with_trail * 1e6:,.0f} µs with it: ratio {with_trail / without:.2f}")


def _writer(count: int, barrier: multiprocessing.Barrier) -> None:
    connections.close_all()
    entry = current().entry
    barrier.wait()
    for i in range(count):
        trail.append([entry(action="update", object_repr=f"bench {os.getpid()} {i}",
                            after={"n": i})])
    connections.close_all()


def concurrent_appends(writers: int, each: int) -> float:
    connections.close_all()
    barrier = multiprocessing.Barrier(writers + 1)
    processes = [multiprocessing.Process(target=_writer, args=(each, barrier))
                 for _ in range(writers)]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    assert all(p.exitcode == 0 for p in processes)
    return writers * each / elapsed


def concurrency() -> None:
    if connection.vendor != "postgresql":
        print("concurrent appends: PostgreSQL only (SQLite has one writer)")
        return
    one = concurrent_appends(1, 2000)
    eight = concurrent_appends(8, 500)
    forks = AuditEntry.objects.values("prev_hash").distinct().count() != AuditEntry.objects.count()
    print(f"appends: 1 writer {one:,.0f}/s, 8 writers {eight:,.0f}/s in total; forks: {forks}")


COLUMNS = ("id", "time", "actor_id", "actor_name", "source", "source_ip", "request_id", "action",
           "content_type_id", "object_id", "object_repr", "before", "after", "scheme", "prev_hash",
           "hash")


def generated(start_id: int, prev: str, n: int):
    """Rows chained in Python, shaped like real updates."""
    base = datetime.now(UTC) - timedelta(days=400)
    for k in range(n):
        i = start_id + k
        before = {"name": f"Vieta {i}", "status": "active", "version": 3}
        after = {"name": f"Vieta {i} (nauja)", "status": "active", "version": 4}
        when = base + timedelta(seconds=k)
        stamp = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        content = {"prev": prev, "time": stamp, "actor": None, "actor_name": "bench",
                   "source": "import", "ip": "10.0.0.1", "request": "bench", "action": "update",
                   "type": None, "object": i, "repr": f"S{i} Vieta", "before": before,
                   "after": after}
        digest = canonical.hash_of(content, canonical.SCHEME)
        yield (i, when, None, "bench", "import", "10.0.0.1", "bench", "update", None, i,
               f"S{i} Vieta", canonical.json_text(before), canonical.json_text(after),
               canonical.SCHEME, prev, digest)
        prev = digest


def bulk_load(n: int) -> float:
    last = AuditEntry.objects.order_by("-id").first()
    start_id, prev = (last.pk + 1, last.hash) if last else (1, trail.GENESIS)
    started = time.perf_counter()
    signed = []
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY audit_auditentry ({', '.join(COLUMNS)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in generated(start_id, prev, n):
                    copy.write_row(row)
                    if row[0] % 1000 == 0:
                        signed.append((row[0], row[-1]))
            cursor.execute("SELECT setval(pg_get_serial_sequence('audit_auditentry', 'id'), "
                           "(SELECT max(id) FROM audit_auditentry))")
        else:
            sql = (f"INSERT INTO audit_auditentry ({', '.join(COLUMNS)}) "
                   f"VALUES ({', '.join(['%s'] * len(COLUMNS))})")
            batch = []
            for row in generated(start_id, prev, n):
                batch.append(row)
                if row[0] % 1000 == 0:
                    signed.append((row[0], row[-1]))
                if len(batch) == 10_000:
                    cursor.executemany(sql, batch)
                    batch = []
            cursor.executemany(sql, batch)
        for i, h in signed:  # chained, where due (ids are consecutive: every 1000th)
            checkpoints.sign(AuditEntry(pk=i, hash=h))
    last_id, last_hash = AuditEntry.objects.order_by("-id").values_list("id", "hash")[0]
    head.advance(last_id, last_hash)
    return time.perf_counter() - started


def verify_throughput(n: int) -> None:
    loaded = bulk_load(n)
    print(f"generated {n:,} chained entries in {loaded:.1f} s ({n / loaded:,.0f}/s, bulk insert)")
    for workers in (1, 2):  # spans checked one at a time, then two at once (threads on PostgreSQL, processes on SQLite)
        for _ in range(3):  # the first walk also warms the caches; a busy machine varies
            report = verify.verify_trail(workers=workers)
            assert report.intact, str(report.problem)
            print(f"verify, {workers} worker(s): {report.checked:,} entries and {report.checkpoints:,} "
                  f"checkpoints in {report.seconds:.2f} s: {report.rate:,.0f} entries/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--verify-only", action="store_true", help="only the verify throughput")
    args = parser.parse_args()
    print(f"database: {DESCRIPTION}")
    call_command("migrate", verbosity=0)
    if not args.verify_only:
        write_overhead(args.writes)
        concurrency()
    verify_throughput(args.entries)


if __name__ == "__main__":
    main()
