"""Shared pieces of the benchmarks over real HTTP (http_writes_bench.py, http_reads_bench.py): a
PostgreSQL database created afresh with the reference data set, a keep-alive client, the figures
of a series, and which server worker holds a client's connection."""

import http.client
import json
import os
import random
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def recreate(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def generate(analyze: str | None) -> tuple[str, dict[str, int]]:
    """Migrate, load the data set (inventory, network, virtualisation parts), return a superuser's
    API token and the ids of the objects the benchmarks name. `analyze`: the statement run after
    the load (ANALYZE, or VACUUM ANALYZE as autovacuum within a minute: statistics, and the
    visibility map that lets a count read an index only), or None."""
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    import django

    django.setup()
    import dataset_inventory
    import dataset_network
    import dataset_virtualization
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from irtis.identity.tokens import issue
    from irtis.inventory.models import Device, DeviceRole, HardwareModel, Rack, Site, SoftwareVersion

    call_command("migrate", verbosity=0)
    rng = random.Random(20260811)
    start = time.perf_counter()
    for part in (dataset_inventory, dataset_network, dataset_virtualization):
        part.generate(rng)
    print(f"data set loaded in {time.perf_counter() - start:.1f} s", flush=True)
    if analyze:
        with connection.cursor() as cursor:
            cursor.execute(analyze)
    user = get_user_model().objects.create_superuser("bench", "bench@example.lt", "Bench-Sl4ptas!")
    ids = {"site": Site.objects.get(code="site-02").pk, "role": DeviceRole.objects.get(name="role-03").pk,
           "rack": Rack.objects.get(name="rack-02").pk, "model": HardwareModel.objects.get(name="model-03").pk,
           "platform": SoftwareVersion.objects.get(name="platform-03").pk,
           "device": Device.objects.get(name="dev-05000").pk}
    return issue(user)[1], ids


class Http:
    """One keep-alive connection to a server, as a client library keeps it."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.sock: Any = None

    def __call__(self, method: str, path: str, body: object = None, status: int = 200) -> Any:
        content = self.send(method, path, body, status)
        return json.loads(content) if content else None

    def send(self, method: str, path: str, body: object = None, status: int = 200) -> bytes:
        """The response's body as it came, unparsed."""
        data = json.dumps(body).encode() if body is not None else None
        try:
            self.connection.request(method, path, data, self.headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # the server closed the idle connection (keep-alive timeout): once more, on a new
            # one, as client libraries do
            self.connection.close()
            self.connection.request(method, path, data, self.headers)
            response = self.connection.getresponse()
        self.answered()
        content = response.read()
        if response.status != status:
            raise SystemExit(f"{method} {path}: {response.status} {content[:300]!r}")
        return content

    def answered(self) -> None:
        """A response came (its body not read yet: the server still holds the connection); on a
        connection opened for its request when `connection.sock` changed."""
        if self.connection.sock is not self.sock:
            self.sock = self.connection.sock
            self.connected()

    def connected(self) -> None:
        """A new connection was opened, and the server has accepted it."""


def summary(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {"median": statistics.median(times), "p95": times[max(0, int(len(times) * 0.95 + 0.5) - 1)],
            "max": times[-1]}


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def worker_of(client: Http, workers: list[int]) -> int | None:
    """The server worker holding this client's connection (a gthread worker keeps the connections
    it accepted): the server's end of the connection, found in /proc/net/tcp by the client's port,
    is a socket one worker has open."""
    sock = client.connection.sock
    if sock is None:
        return None
    mine = f":{sock.getsockname()[1]:04X}"
    server = f":{client.port:04X}"
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(server) and fields[2].endswith(mine):
            inode = fields[9]
            break
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for pid in workers:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                    return pid
            except OSError:
                continue
    return None
