"""Findings figures (docs/risks.md, "Figures"): importing a Greenbone report of 50,000 results.

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/risks_bench.py             # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_risks_bench \\
        flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/risks_bench.py         # PostgreSQL

5,000 hosts × 10 NVTs; 1,000 of the hosts are IP address records on a server's interface, so
linking has something to find. Parse (streaming defusedxml) and write are timed apart, for the
first import (all created) and for a second scan of the same scope a week later (all updated).
"""

import json
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import setup_database, teardown_database

HOSTS, NVTS, RECORDED = 5_000, 10, 1_000


def host(n: int) -> str:
    return f"10.{20 + n // 62_500}.{n // 250 % 250}.{n % 250 + 1}"


def estate() -> None:
    from irtis.inventory.models import Interface
    from irtis.network.models import IPAddress
    from tests.virtualization.factories import server

    interface = Interface.objects.create(device=server("bench-srv"), name="eth0")
    for n in range(RECORDED):
        IPAddress.objects.create(address=f"{host(n)}/16", interface=interface)


def report_file(directory: Path) -> Path:
    from tests.risks.reports import Result, chunks

    path = directory / "report.xml"
    results = (Result(host(h), oid=f"1.3.6.1.4.1.25623.1.0.{100000 + v}", severity=f"{(h + v) % 100 / 10:.1f}")
               for h in range(HOSTS) for v in range(NVTS))
    with path.open("wb") as out:
        for chunk in chunks(results):
            out.write(chunk)
    return path


def one_import(path: Path, on: date) -> dict:
    from irtis.risks import importing, scans
    from irtis.risks.models import Assessment

    start = time.perf_counter()
    with path.open("rb") as stream:
        report = scans.read_greenbone(stream)
    parsed = time.perf_counter()
    assessment = Assessment(kind="scan", scope="bench", performer="bench", performed_on=on)
    counts = importing.write(report, assessment)
    written = time.perf_counter()
    return {"results": len(report.results), "parse_s": round(parsed - start, 2),
            "write_s": round(written - parsed, 2), **counts.as_dict()}


def main() -> None:
    vendor = setup_database()
    try:
        estate()
        directory = Path(tempfile.mkdtemp(prefix="irtis-risks-bench-"))
        path = report_file(directory)
        figures = {"database": vendor, "file_mb": round(path.stat().st_size / 2**20, 1)}
        figures["first"] = one_import(path, date(2026, 11, 30))
        figures["second"] = one_import(path, date(2026, 11, 30) + timedelta(days=7))
        figures["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        print(json.dumps(figures, indent=2))
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
