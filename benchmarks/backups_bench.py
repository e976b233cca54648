"""Backups figures (docs/performance.md, "Backups"): ingesting 100,000 snapshots, the coverage report
over the 100,000-object estate, and a restore drill's overhead over `restic restore` alone.

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/backups_bench.py             # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_backups_bench \\
        flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/backups_bench.py         # PostgreSQL

BACKUPS_BENCH_MB sets the size of the generated restic repository (default 1024 MB of random,
incompressible data in 100 files; 0 leaves the drill out: it does not depend on the database).
The estate is systems_bench's (without its 300,000 explicit dependencies, which the report does
not read); policies protect 80 % of the production
deployments' objects of category I/II systems.
"""

import json
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import systems_bench
from common import analyze, api_client, check_ok, measure, setup_database, teardown_database

N_SNAPSHOTS = 100_000
DRILL_MB = int(os.environ.get("BACKUPS_BENCH_MB", "1024"))
PASSWORD = "bench-Slaptas-1"


def make_policies() -> int:
    from django.contrib.contenttypes.models import ContentType

    from irtis.backups.models import BackupPolicy
    from irtis.systems.models import Deployment

    rng = random.Random(7)
    rows, seen = [], set()
    targets = Deployment.objects.filter(component__system__category__rank__lte=2,
                                        component__environment="production")
    for system_id, *ids in targets.values_list("component__system", *(f"{n}_id" for n in Deployment.TARGETS)):
        name, object_id = next((n, i) for n, i in zip(Deployment.TARGETS, ids, strict=True) if i is not None)
        if (name, object_id) in seen or rng.random() > 0.8:
            continue
        seen.add((name, object_id))
        model = Deployment._meta.get_field(name).related_model
        n = len(rows)
        kind = ContentType.objects.get_for_model(model).pk
        rows.append({"id": n + 1, "name": f"policy-{n:05}", "object_type_id": kind, "object_id": object_id,
                     "system_id": system_id, "match": f"host-{n:05}", "rpo_minutes": 60,
                     "rto_hours": 4, "retention_days": 365, "copies": 2, "drill_every_days": 90, "encrypted": True,
                     "drill_budget_seconds": 3600, "offline": False, "immutable": False, "tape": False})
    systems_bench.insert(BackupPolicy, rows)
    systems_bench.reset_sequences([BackupPolicy])
    return len(rows)


def export_file(directory: Path, policies: int) -> Path:
    start = datetime(2026, 12, 1, tzinfo=UTC)
    rows = [{"snapshot_id": f"veeam-{i:06}", "taken_at": (start - timedelta(minutes=i)).isoformat(),
             "hostname": f"host-{i % policies:05}", "paths": "/data", "tags": "", "size_bytes": 10**9 + i,
             "files": 1000, "status": "success" if i % 50 else "failed"} for i in range(N_SNAPSHOTS)]
    path = directory / "export.json"
    path.write_text(json.dumps(rows))
    return path


def restic_repository(directory: Path) -> tuple[Path, str]:
    source = directory / "source"
    source.mkdir()
    chunk = max(1, DRILL_MB // 100)
    for i in range(DRILL_MB // chunk):
        with (source / f"file-{i:03}.bin").open("wb") as handle:
            for _ in range(chunk):
                handle.write(os.urandom(1 << 20))
    repo = directory / "repo"
    env = {**os.environ, "RESTIC_REPOSITORY": str(repo), "RESTIC_PASSWORD": PASSWORD,
           "RESTIC_CACHE_DIR": str(directory / "cache")}
    subprocess.run(["restic", "init", "-q"], env=env, check=True)
    subprocess.run(["restic", "backup", "-q", "--host", "host-00000", "."], env=env, check=True, cwd=source)
    shutil.rmtree(source)
    snapshot = json.loads(subprocess.run(["restic", "snapshots", "--json"], env=env, check=True,
                                         capture_output=True).stdout)[0]["id"]
    return repo, snapshot


def plain_restore(repo: Path, snapshot: str, directory: Path) -> float:
    target = directory / "plain"
    env = {**os.environ, "RESTIC_REPOSITORY": str(repo), "RESTIC_PASSWORD": PASSWORD,
           "RESTIC_CACHE_DIR": str(directory / "plain-cache")}
    start = time.perf_counter()
    subprocess.run(["restic", "restore", "-q", snapshot, "--target", str(target)], env=env, check=True)
    elapsed = time.perf_counter() - start
    shutil.rmtree(target)
    shutil.rmtree(directory / "plain-cache", ignore_errors=True)
    return elapsed


def main() -> None:
    vendor = setup_database()
    load = open("/proc/loadavg").read().split()[:3]
    print(f"database: {vendor}; load average at start {' '.join(load)}; {os.cpu_count()} cores")
    work = Path(tempfile.mkdtemp(prefix="irtis-backups-bench-"))
    try:
        from django.conf import settings

        from irtis.backups import coverage, drills, ingest, passwords
        from irtis.backups.models import BackupPolicy, BackupRepository, Result, Snapshot, Tool
        from irtis.systems.models import InformationSystem

        settings.IRTIS_BACKUP_SCRATCH_DIR = str(work / "scratch")
        systems_bench.N_DEPENDENCIES = 0
        start = time.perf_counter()
        counts = systems_bench.generate(random.Random(systems_bench.SEED))
        policies = make_policies()
        print(f"estate {sum(counts.values())} objects, {policies} policies in {time.perf_counter() - start:.1f} s")

        exported = BackupRepository.objects.create(name="export", tool=Tool.FILE,
                                                   location=str(export_file(work, policies)))
        start, cpu = time.perf_counter(), time.process_time()
        written = ingest.ingest(exported)
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"ingest of {written} snapshots (JSON export, mapped, indexed for search, audited as one reading): "
              f"{took:.1f} s, this process's CPU {cpu:.1f} s "
              f"({Snapshot.objects.filter(policy__isnull=False).count()} mapped to a policy)")
        start = time.perf_counter()
        assert ingest.ingest(exported) == 0
        print(f"rereading the same 100,000 (nothing new): {time.perf_counter() - start:.1f} s")

        analyze()  # PostgreSQL: the statistics autovacuum would gather within a minute of the load
        systems, all_policies = InformationSystem.objects.all(), BackupPolicy.objects.all()
        measure("coverage report (100,000-object estate)", lambda: coverage.report(systems, all_policies), runs=5)
        cpu = []
        for _ in range(5):
            before = time.process_time()
            coverage.report(systems, all_policies)
            cpu.append(time.process_time() - before)
        print(f"  coverage report: this process's CPU median {1000 * statistics.median(cpu):.0f} ms")
        client = api_client()
        measure("coverage board page", lambda: check_ok(client.get("/backups/coverage/")), runs=5)
        found = coverage.report(systems, all_policies)
        print(f"  {found.unprotected_count} unprotected objects, {len(found.failing)} policies with problems")
        from irtis.core import search
        measure("global search of a snapshot id among 100,000 (veeam-012345)",
                lambda: search.search("veeam-012345"), runs=5)

        if not DRILL_MB:
            print(f"load average at the end {' '.join(open('/proc/loadavg').read().split()[:3])}")
            return
        start = time.perf_counter()
        repo_path, snapshot_id = restic_repository(work)
        print(f"restic repository of {DRILL_MB} MB written in {time.perf_counter() - start:.1f} s")
        repository = BackupRepository.objects.create(name="restic", tool=Tool.RESTIC, location=str(repo_path))
        passwords.set_password(repository, PASSWORD)
        policy = BackupPolicy.objects.get(name="policy-00000")
        policy.repository = repository
        policy.save()
        ingest.ingest(repository)
        snapshot = Snapshot.objects.get(repository=repository, snapshot_id=snapshot_id)
        plain, drill = [], []
        for _ in range(3):  # alternated, so a change of load hits both
            plain.append(plain_restore(repo_path, snapshot_id, work))
            done = drills.run(policy, snapshot)
            assert done.result == Result.PASSED, done.reason
            drill.append(float(done.duration_seconds or 0))
        p, d = statistics.median(plain), statistics.median(drill)
        runs = ", ".join(f"{x:.1f}" for x in plain), ", ".join(f"{x:.1f}" for x in drill)
        print(f"restore of {DRILL_MB} MB: restic restore alone {p:.1f} s (runs {runs[0]}); "
              f"irtis drill {d:.1f} s (runs {runs[1]}); overhead {100 * (d - p) / p:+.1f} %")
        load = open("/proc/loadavg").read().split()[:3]
        print(f"load average at the end {' '.join(load)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        teardown_database()


if __name__ == "__main__":
    main()
