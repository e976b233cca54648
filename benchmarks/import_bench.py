"""Import measurements: the cases issue 19 (section 1) and issue 11 found slow or broken.

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/import_bench.py            # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_imports \\
        flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/import_bench.py        # PostgreSQL

Each case runs the path the import page and its background run take: read the file, keep the
rows on the server (`imports.store`), check and, where confirmed, write (`imports.process`).
1. 16,000 CSV rows that all miss a required column: the preview (486 s before).
2. 70,000 valid rows, created (a 500 on PostgreSQL before: 65,535 parameters per statement).
3. An XLSX zip bomb (~0.4 MB expanding to ~156 MB, 3 million rows): time and peak memory to
   refuse it; and a sheet under the size limit with a million rows, stopped at the row limit.
4. 10,000 stored rows re-imported, 10 of them changed: check and write.
"""

import hashlib
import io
import resource
import time
import tracemalloc
import zipfile
from typing import Any

from common import setup_database, teardown_database

SITES = 20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_import(user: Any, content: bytes, fmt: str, confirm: bool) -> tuple[dict[str, Any], dict[str, float]]:
    """The outcome of importing `content` as locations, and the seconds per step."""
    from irtis.core import imports
    from irtis.core.importfiles import parse
    from irtis.core.registry import entry_for
    from irtis.inventory.models import Location

    start = time.perf_counter()
    rows = parse(content, fmt)
    read = time.perf_counter()
    upload = imports.store(user, entry_for(Location), hashlib.sha256(content).hexdigest(), rows)
    stored = time.perf_counter()
    result = imports.process(upload, confirm=confirm, skip_invalid=False)
    done = time.perf_counter()
    return result, {"read": read - start, "store": stored - read, "check_write": done - stored, "total": done - start}


def csv_of(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def report(label: str, rows: int, result: dict[str, Any], times: dict[str, float]) -> None:
    counts = ", ".join(f"{k} {result[k]:,}" for k in ("created", "updated", "unchanged", "error_count"))
    print(f"{label}: {times['total']:.2f} s for {rows:,} rows ({rows / times['total']:,.0f} rows/s; read "
          f"{times['read']:.2f} s, store {times['store']:.2f} s, check+write {times['check_write']:.2f} s); {counts}")


def bomb(rows: int, dimension: str = "") -> bytes:
    """A valid XLSX whose first sheet holds `rows` identical rows: tiny compressed, huge expanded;
    with `dimension` (e.g. "A1:A2") declaring that size, true or not."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["code", "name"])
    base = io.BytesIO()
    book.save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info))
                continue
            with target.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
                            b'.org/spreadsheetml/2006/main">')
                if dimension:
                    sheet.write(f'<dimension ref="{dimension}"/>'.encode())
                sheet.write(b"<sheetData>")
                row = b'<row><c t="inlineStr"><is><t>bomba</t></is></c></row>'
                chunk = row * 10_000
                for _ in range(rows // 10_000):
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def zip_bombs(user: Any) -> None:
    from django.conf import settings

    from irtis.core.importfiles import ImportFileError, parse

    limit = settings.IRTIS_IMPORT_MAX_XLSX_MB
    for label, rows, dimension in (
        ("zip bomb, 3,000,000 rows", 3_000_000, ""),
        (f"under the {limit} MB limit, 1,000,000 rows, no declared size", 1_000_000, ""),
        (f"under the {limit} MB limit, 1,000,000 rows, declared as such", 1_000_000, "A1:A1000000"),
        (f"under the {limit} MB limit, 1,000,000 rows, declared as 2", 1_000_000, "A1:A2"),
    ):
        content = bomb(rows, dimension)
        expanded = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist())
        rss = peak_rss_mb()
        tracemalloc.start()
        start = time.perf_counter()
        try:
            parse(content, "xlsx")
            outcome = "read (!)"
        except ImportFileError as error:
            outcome = f"refused: {error}"
        elapsed = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{label}: {len(content) / 1024:,.0f} KB expanding to {expanded / 2**20:,.0f} MB; {outcome} in "
              f"{elapsed:.2f} s, Python peak {peak / 2**20:.1f} MB, "
              f"process peak RSS {rss:.0f} → {peak_rss_mb():.0f} MB")


def main() -> None:
    vendor = setup_database()
    try:
        from django.contrib.auth import get_user_model
        from django.utils import translation

        from irtis.audit.context import changes_by
        from irtis.audit.models import AuditEntry
        from irtis.core.bulk import save_objects
        from irtis.inventory.models import Location, Site

        translation.activate("en")
        print(f"database: {vendor}; load average {open('/proc/loadavg').read().split()[:3]}")
        user = get_user_model().objects.create_superuser("bench", "bench@example.lt", "Bench-Sl4ptas!")
        with changes_by():
            save_objects([Site(code=f"S{i:02}", name=f"Vieta {i}", kind=Site.Kind.ROAD_BCP) for i in range(SITES)])
        zip_bombs(user)

        lines = ["code,name"] + [f"M{i:05},Patalpa {i}" for i in range(16_000)]
        result, times = run_import(user, csv_of(lines), "csv", confirm=False)
        assert result["error_count"] == 16_000, result["error_count"]
        report("16,000 rows missing a required column, preview", 16_000, result, times)

        lines = ["code,name,site,kind"] + [f"V{i:06},Patalpa {i},S{i % SITES:02},room" for i in range(70_000)]
        with changes_by(user=user):
            result, times = run_import(user, csv_of(lines), "csv", confirm=True)
        assert result["applied"] and result["created"] == 70_000, result
        report("70,000 valid rows, created", 70_000, result, times)

        stored = list(Location.objects.filter(code__startswith="V").order_by("code").select_related("site")[:10_000])
        lines = ["code,name,site,kind"] + [
            f"{loc.code},{loc.name if n >= 10 else 'Pakeista ' + loc.name},{loc.site.code},{loc.kind}"
            for n, loc in enumerate(stored)]
        before = AuditEntry.objects.count()
        with changes_by(user=user):
            result, times = run_import(user, csv_of(lines), "csv", confirm=True)
        assert (result["updated"], result["unchanged"]) == (10, 9_990), result
        report("10,000 rows, 9,990 unchanged", 10_000, result, times)
        print(f"  audit entries written: {AuditEntry.objects.count() - before}")
        print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
