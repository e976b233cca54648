"""Alert webhook ingestion as a client sees it (docs/performance.md, "Monitoring"; issue 12:
≥ 1,000 webhooks/s with de-duplication; 10,000 alert webhooks in a minute lose none and open
one incident per cause).

    flock /tmp/irtis-bench.lock .venv/bin/python -u benchmarks/webhook_bench.py            # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_bench_webhook \\
        flock /tmp/irtis-bench.lock .venv/bin/python -u benchmarks/webhook_bench.py         # PostgreSQL

A fresh database (SQLite in a temporary data directory, or the PostgreSQL database named,
dropped and created anew) with `--causes` devices, each the cause of its own incident (no
dependencies between them). `irtis serve` (gunicorn, `--workers` gthread workers of
`IRTIS_THREADS` threads, as in production) on a free loopback port. A client in this process
keeps `--connections` HTTP/1.1 keep-alive connections and posts `--webhooks` Alertmanager notifications (webhook
payload version 4, one alert each, as Alertmanager sends a group of one) with an API token:
every cause's alert `--webhooks / --causes` times (repeats: de-duplication). Both what the client
sees (notifications accepted per second: 202 answers) and the end to end rate (until every
notification is applied: the benchmark polls the alerts' counts every 20 ms) are reported.
Afterwards the database must hold one alert per cause, every notification counted, none waiting
in the inbox, and one incident per cause.
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IRTIS = ROOT / ".venv" / "bin" / "irtis"


def fresh_database() -> None:
    url = os.environ.get("IRTIS_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(causes: int) -> str:
    """Migrate, make the devices and a token of a user who may add incidents; the plain token."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "irtis.settings")
    sys.path[:0] = [str(ROOT)]
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from irtis.identity import tokens
    from irtis.identity.models import ObjectPermission
    from irtis.inventory.models import Device, DeviceRole, HardwareModel, Manufacturer, Site
    from irtis.monitoring.models import Incident

    call_command("migrate", verbosity=0)
    site = Site.objects.create(code="B", name="B", kind="datacentre")
    maker = Manufacturer.objects.create(name="M")
    role, model = DeviceRole.objects.create(name="R"), HardwareModel.objects.create(name="H", manufacturer=maker)
    Device.objects.bulk_create([Device(name=f"dev-{n:04d}", site=site, role=role, hardware_model=model)
                                for n in range(causes)])
    user = get_user_model().objects.create_user("alertmanager", password="Ilgas-Slaptas-1")
    grant = ObjectPermission.objects.create(name="alerts", actions=["add"])
    grant.users.add(user)
    grant.object_types.add(ContentType.objects.get_for_model(Incident))
    return tokens.issue(user)[1]


def payload(cause: int, started: str) -> bytes:
    name, instance = "NodeDown", f"dev-{cause:04d}:9100"
    return json.dumps({
        "version": "4", "groupKey": f'{{}}:{{instance="{instance}"}}', "truncatedAlerts": 0, "status": "firing",
        "receiver": "irtis", "groupLabels": {"instance": instance}, "commonLabels": {"alertname": name},
        "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
        "alerts": [{"status": "firing", "labels": {"alertname": name, "instance": instance, "job": "node"},
                    "annotations": {"summary": "down"}, "startsAt": started, "endsAt": "0001-01-01T00:00:00Z",
                    "generatorURL": "http://prometheus:9090/graph", "fingerprint": f"{cause:016x}"}],
    }).encode()


async def client(port: int, token: str, bodies: list[bytes], connections: int) -> tuple[float, list[float], dict]:
    """Post every body over `connections` keep-alive connections: wall seconds, latencies (ms), statuses."""
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while not queue.empty():
                body = queue.get_nowait()
                head = (f"POST /monitoring/alerts/alertmanager/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n").encode()
                began = time.perf_counter()
                writer.write(head + body)
                await writer.drain()
                answer = await reader.readuntil(b"\r\n\r\n")
                length = next(int(line.split(b":")[1]) for line in answer.split(b"\r\n")
                              if line.lower().startswith(b"content-length:"))
                await reader.readexactly(length)
                latencies.append((time.perf_counter() - began) * 1000)
                status = int(answer.split(b" ", 2)[1])
                statuses[status] = statuses.get(status, 0) + 1
                if b"connection: close" in answer.lower():
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    return time.perf_counter() - began, latencies, statuses


def counted() -> int:
    from django.db.models import Sum

    from irtis.monitoring.models import Alert

    return Alert.objects.aggregate(n=Sum("received"))["n"] or 0


def applied(expected: int, patience: float = 120) -> float:
    """The moment every notification sent so far is applied (counted on its alert): the end of
    the inbox's working off as the database shows it, polled every 20 ms."""
    deadline = time.perf_counter() + patience
    while counted() < expected and time.perf_counter() < deadline:
        time.sleep(0.02)
    return time.perf_counter()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--webhooks", type=int, default=10_000)
    parser.add_argument("--causes", type=int, default=100)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="irtis-webhook-"))
    os.environ["IRTIS_DATA_DIR"] = str(data_dir)
    fresh_database()
    token = prepare(args.causes)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "IRTIS_MFA_ENFORCED": "false", "IRTIS_ALLOW_PRIVILEGED_DATABASE": "true",
           "PYTHONPATH": str(ROOT)}
    log = (data_dir / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "irtis.cli", "serve", "--port", str(port),
                               "--workers", str(args.workers)], env=env, stdout=log, stderr=subprocess.STDOUT,
                              cwd=ROOT)
    try:
        for _ in range(240):
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit((data_dir / "server.log").read_text()) from None
                time.sleep(0.5)
        started = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        warm = [payload(c, started) for c in range(args.causes)]  # first notifications: new alerts, incidents
        bodies = [payload(n % args.causes, started) for n in range(args.webhooks - args.causes)]
        load = open("/proc/loadavg").read().strip()
        began = time.perf_counter()
        first_wall, _lat, first_statuses = asyncio.run(client(port, token, warm, args.connections))
        first_applied = applied(args.causes) - began
        began = time.perf_counter()
        wall, latencies, statuses = asyncio.run(client(port, token, bodies, args.connections))
        applied_wall = applied(args.webhooks) - began
        load_after = open("/proc/loadavg").read().strip()
    finally:
        server.terminate()
        server.wait(60)
    from django.conf import settings
    from django.db import connection

    from irtis.monitoring.models import Alert, AlertNotification, Incident

    received = counted()
    latencies.sort()
    print(f"database: {connection.vendor}; {args.workers} gunicorn workers × {settings.IRTIS_THREADS} threads; "
          f"{args.connections} "
          f"connections; load before {load}, after {load_after}")
    print(f"first {args.causes} notifications (new alerts, incidents): accepted {args.causes / first_wall:.0f}/s, "
          f"applied {args.causes / first_applied:.0f}/s {first_statuses}")
    print({"webhooks": len(bodies), "accepted_per_s": round(len(bodies) / wall),
           "applied_per_s": round(len(bodies) / applied_wall), "accepted_s": round(wall, 2),
           "applied_s": round(applied_wall, 2), "p50_ms": round(statistics.median(latencies), 1),
           "p95_ms": round(latencies[int(len(latencies) * .95)], 1), "statuses": statuses,
           "alerts": Alert.objects.count(), "notifications_counted": received,
           "waiting": AlertNotification.objects.count(), "incidents": Incident.objects.count()})
    ok = (statuses == {202: len(bodies)} and received == args.webhooks and Incident.objects.count() == args.causes)
    print("lost none, one incident per cause" if ok else "FAILED: lost or extra")


if __name__ == "__main__":
    main()
