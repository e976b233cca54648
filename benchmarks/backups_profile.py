"""Where the coverage report spends its time (docs/performance.md, "Backups"): the benchmark's
estate, policies and 100,000 snapshots, then cProfile of `coverage.report` and its queries.

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/backups_profile.py
"""

import cProfile
import pstats
import random
import shutil
import tempfile
import time
from pathlib import Path

import backups_bench
import systems_bench
from common import analyze, setup_database, teardown_database


def main() -> None:
    vendor = setup_database()
    work = Path(tempfile.mkdtemp(prefix="irtis-backups-profile-"))
    try:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from irtis.backups import coverage, ingest
        from irtis.backups.models import BackupPolicy, BackupRepository, Tool
        from irtis.systems.models import InformationSystem

        systems_bench.N_DEPENDENCIES = 0
        systems_bench.generate(random.Random(systems_bench.SEED))
        policies = backups_bench.make_policies()
        exported = BackupRepository.objects.create(name="export", tool=Tool.FILE,
                                                   location=str(backups_bench.export_file(work, policies)))
        start = time.perf_counter()
        profile = cProfile.Profile()
        profile.enable()
        ingest.ingest(exported)
        profile.disable()
        print(f"{vendor}: ingest {time.perf_counter() - start:.1f} s")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        analyze()
        systems, all_policies = InformationSystem.objects.all(), BackupPolicy.objects.all()
        coverage.report(systems, all_policies)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            coverage.report(systems, all_policies)
            print(f"coverage report {time.perf_counter() - start:.3f} s")
        for query in captured.captured_queries:
            print(query["time"], query["sql"][:300])
        profile = cProfile.Profile()
        profile.enable()
        coverage.report(systems, all_policies)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        teardown_database()


if __name__ == "__main__":
    main()
