"""Shared pieces of the benchmark scripts: a fresh database, a client with a token, timing."""

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "irtis.settings")
os.environ.setdefault("IRTIS_DATA_DIR", "/tmp/irtis-bench")


def setup_database() -> str:
    """Create and migrate a throw-away test database; returns the engine's vendor name."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    import irtis.wsgi  # noqa: F401  (as a server worker starts: URLs loaded, what is loaded frozen)

    return connection.vendor


def analyze() -> None:
    """What PostgreSQL's autovacuum does within a minute of a bulk load (statistics, and the
    visibility map that lets COUNT(*) read an index only): measuring before it would time plans
    made for empty tables. SQLite plans without them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def teardown_database() -> None:
    from django.db import connection

    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def api_client() -> Any:
    """A test client that authenticates with a real API token of a superuser."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from irtis.identity.tokens import issue

    user = get_user_model().objects.filter(username="bench").first() or get_user_model().objects.create_superuser(
        "bench", "bench@example.lt", "Bench-Sl4ptas!")
    _, token = issue(user)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    client.force_login(user)
    return client


def measure(label: str, action: Callable[[], Any], runs: int = 20) -> dict[str, Any]:
    """Run `action` `runs` times after one warm-up (whose SQL queries are counted); print and return
    median, p95 and queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:  # the warm-up run counts the queries
        action()
    queries = len(captured.captured_queries)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    result = {
        "label": label,
        "median_ms": statistics.median(times),
        "p95_ms": times[max(0, int(len(times) * 0.95) - 1)],
        "queries": queries,
    }
    print(f"{label:<48} median {result['median_ms']:8.1f} ms   p95 {result['p95_ms']:8.1f} ms   {queries:3d} queries")
    return result


def check_ok(response: Any, status: int = 200) -> Any:
    if response.status_code != status:
        raise SystemExit(f"unexpected {response.status_code}: {response.content[:300]!r}")
    return response


def bare_floor(model: Any, query: str = "", brief: bool = False) -> Callable[[], Any]:
    """The floor of an API list: the very SQL the endpoint runs for its rows, on a cursor, as
    dicts, encoded with orjson — no HTTP, auth, filters, count or tags. Returns the action."""
    import orjson
    from django.db import connection
    from django.http import QueryDict
    from psycopg.types.datetime import TimestamptzLoader

    from irtis.core.api import Endpoints
    from irtis.core.filters import filterset_class, narrowed
    from irtis.core.registry import entry_for

    entry = entry_for(model)
    endpoints = Endpoints(entry)
    params = QueryDict(query, mutable=True)
    limit = int(params.pop("limit", ["50"])[0])
    params.pop("brief", None)
    filterset = narrowed(filterset_class(entry), frozenset(params))(params, queryset=model.objects.all())
    assert filterset.is_valid(), filterset.errors
    rows = filterset.qs.order_by(*endpoints.ordering(""))[:limit]
    columns = list(entry.brief) if brief else endpoints.columns
    sql, sql_params = rows.values(*columns).query.sql_with_params()

    def run() -> bytes:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # the driver's C loader, as the API reads
                cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
            cursor.execute(sql, sql_params)
            names = [c[0] for c in cursor.description]
            return orjson.dumps([dict(zip(names, row, strict=True)) for row in cursor.fetchall()],
                                option=orjson.OPT_PASSTHROUGH_DATETIME, default=str)

    return run


def serve(database: str, data_dir: Path) -> tuple[subprocess.Popen, int, list[int]]:
    """`irtis serve` (production settings, gunicorn, 2 workers) on `database` on a free loopback
    port, started and booted; the server (stop it with `os.killpg(server.pid, 15)`), its port and
    the web workers' process ids."""
    env = {**os.environ, "IRTIS_DATA_DIR": str(data_dir), "IRTIS_DATABASE_URL": database,
           "IRTIS_DEBUG": "false", "IRTIS_MFA_ENFORCED": "false", "IRTIS_ALLOW_PRIVILEGED_DATABASE": "true"}
    return launch(lambda port: [str(ROOT / ".venv" / "bin" / "irtis"), "serve", "--port", str(port), "--workers", "2"],
                  env, data_dir / "server.log")


def launch(command: Callable[[int], list[str]], env: dict[str, str],
           log_path: Path) -> tuple[subprocess.Popen, int, list[int]]:
    """Start a gunicorn server (`command` for a port) on a free loopback port and wait until it
    answers; the server, its port and its web workers' process ids."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = log_path.open("w")
    server = subprocess.Popen(command(port), env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    for _ in range(240):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if server.poll() is not None:
                raise SystemExit(log_path.read_text()) from None
            time.sleep(0.5)
    time.sleep(1)  # both workers booted
    # `irtis serve` is gunicorn's master: its children are the web workers and the embedded
    # task worker (`irtis.cli worker`), which is left out.
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    workers = [int(c) for c in children if b"irtis.cli" not in Path(f"/proc/{c}/cmdline").read_bytes()]
    return server, port, workers
