"""Architecture documents on the demo estate: the largest system's PDF and DOCX, as the background
run writes them (records read, diagrams drawn, file laid out, audited and stored).

    IRTIS_DATA_DIR=/tmp/irtis-docbench .venv/bin/python benchmarks/document_bench.py
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_docbench \\
        IRTIS_DATA_DIR=/tmp/irtis-docbench .venv/bin/python benchmarks/document_bench.py

The demo estate is loaded by `irtis demo` into a fresh test database. "Largest" is the system
with the most objects in its dependency diagram. Each figure is the median of RUNS runs after a
warm-up (WeasyPrint's first import and font loading are not counted); the Graphviz cache is
emptied before each run, so every run draws its diagrams (the PDF step starts from the SVGs the
split leaves, as in the whole run). Run it under
`flock /tmp/irtis-bench.lock` and note the load average it prints.
"""

import io
import statistics
import time
from collections.abc import Callable

from common import analyze, setup_database, teardown_database

RUNS = 3


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median(action: Callable[[], object]) -> float:
    action()  # warm-up
    return statistics.median(timed(action) for _ in range(RUNS))


def main() -> None:
    vendor = setup_database()
    try:
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.utils import translation

        from irtis.architecture import diagram, graphs, jobs, publish, system
        from irtis.systems.models import InformationSystem
        from irtis.tasks.runs import execute

        call_command("demo", stdout=io.StringIO())
        analyze()
        translation.activate("lt")
        user = get_user_model().objects.create_superuser("bench", "bench@example.lt", "Bench-Sl4ptas!")
        sizes = {s: len(graphs.system_graph(s, user)["nodes"]) for s in InformationSystem.objects.all()}
        largest = max(sizes, key=lambda s: (sizes[s], s.code))
        print(f"{vendor}: largest demo system {largest.code}, {sizes[largest]} objects in its diagram")

        def describe() -> object:
            diagram.render.cache_clear()  # cold: the split draws each piece to measure it
            doc = system.describe(largest, user)
            publish.stamp(doc, user)
            return doc

        doc = describe()
        print(f"  {len(doc.diagrams)} diagrams, smallest label "
              f"{min(diagram.FONT_PT * diagram.text_scale(d.dot) for d in doc.diagrams):.1f} pt")

        def drawn() -> object:
            diagram.render.cache_clear()
            return publish.pictures(doc, "docx")

        def pdf_only() -> object:
            diagram.render.cache_clear()
            diagram.draw_all((d.dot for d in doc.diagrams), "svg")  # as the split leaves them
            return publish.render(doc, "pdf")  # draws the PNGs beside WeasyPrint

        def run(fmt: str) -> Callable[[], object]:
            def action() -> object:
                diagram.render.cache_clear()
                started = jobs.start(user, largest.pk, fmt)
                return execute(str(started.pk))
            return action

        figures = {
            "records read, diagrams split (describe, cold)": median(describe),
            "diagrams drawn (Graphviz, SVG and PNG, as for DOCX)": median(drawn),
            "PDF: PNGs drawn, laid out and written (WeasyPrint)": median(pdf_only),
            "PDF: the whole run (read, draw, write, audit, store)": median(run("pdf")),
            "DOCX: the whole run": median(run("docx")),
        }
        for label, seconds in figures.items():
            print(f"  {label:<58} {seconds:6.2f} s")
        print("  load average:", open("/proc/loadavg").read().split()[:3])
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
