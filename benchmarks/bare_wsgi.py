"""The floor of an API read over HTTP: a bare WSGI application that, for each path it was given,
runs the SQL irtis ran for that path (every statement, token check included, in order, with its
parameters) on a psycopg connection and encodes the rows with irtis's JSON encoder
(`irtis.core.api.json_response`: orjson, `default=str`). Served by `irtis serve`'s gunicorn with
its options (`serve.gunicorn_options`, `serve.Server`).

    python benchmarks/bare_wsgi.py PLANS PORT     # PLANS: a pickle written by http_reads_bench.py

PLANS holds the database URL and, by path with its query, the statements, which one gives the
rows, which one the count, and whether the answer is one object.
"""

import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
PLANS: dict[str, Any] = pickle.loads(Path(sys.argv[1]).read_bytes()) if __name__ == "__main__" else {}
local = threading.local()


def connection() -> psycopg.Connection:
    """One connection per thread, kept, as Django keeps one (CONN_MAX_AGE) with the same options:
    autocommit, parameters bound by the server, statements prepared from their fifth run."""
    if getattr(local, "connection", None) is None:
        local.connection = psycopg.connect(PLANS["database"], autocommit=True, prepare_threshold=5,
                                           options="-c TimeZone=UTC")
    return local.connection


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    query = environ.get("QUERY_STRING", "")
    plan = PLANS["paths"].get(environ["PATH_INFO"] + (f"?{query}" if query else ""))
    if plan is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not captured"]
    rows: list[dict[str, Any]] = []
    count = None
    with connection().cursor() as cursor:
        for index, (sql, params) in enumerate(plan["statements"]):
            cursor.execute(sql, params)
            if cursor.description is None:
                continue
            if index == plan["rows_at"]:
                names = [c.name for c in cursor.description]
                rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            else:
                found = cursor.fetchall()
                if index == plan["count_at"]:
                    count = found[0][0]
    data = rows[0] if plan["single"] else {"count": len(rows) if count is None else count, "results": rows}
    body = orjson.dumps(data, default=str)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "irtis.settings")
    import django

    django.setup()  # serve.py's imports need it; the application never touches Django
    from irtis.core.management.commands.serve import Server, gunicorn_options

    class Bare(Server):
        def load(self) -> Any:
            return application

    Bare(gunicorn_options("127.0.0.1", int(sys.argv[2]), 2)).run()


if __name__ == "__main__":
    main()
