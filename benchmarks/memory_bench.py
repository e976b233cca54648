"""Memory of the production server's workers under the benchmark workload.

    .venv/bin/python benchmarks/memory_bench.py

Generates the reference data set (inventory and network parts) into a fresh SQLite file,
starts `irtis serve` (gunicorn, 2 gthread workers) on a free loopback port, sends the read
and write requests of the inventory benchmark plus full exports of the 10,000 devices (CSV and
XLSX) and UI pages over real HTTP, then reads each worker's resident memory from /proc: now
(VmRSS) and the peak of its life (VmHWM).
"""

import http.cookiejar
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IRTIS = ROOT / ".venv" / "bin" / "irtis"
PASSWORD = "Bench-Sl4ptas!"


def generate(data_dir: Path) -> str:
    """Migrate, generate the data set and return an API token of a superuser."""
    os.environ["IRTIS_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "irtis.settings")
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    import django

    django.setup()
    import dataset_inventory
    import dataset_network
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from irtis.identity.tokens import issue

    call_command("migrate", verbosity=0)
    rng = random.Random(20260811)
    dataset_inventory.generate(rng)
    dataset_network.generate(rng)
    user = get_user_model().objects.create_superuser("admin", "admin@example.lt", PASSWORD)
    return issue(user)[1]


BROWSER = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def request(base: str, token: str, path: str, method: str = "GET", body: object = None) -> bytes:
    """An API call with the token, or a page (path not under /api/) in the signed-in session."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if path.startswith("/api/"):
        headers["Authorization"] = f"Bearer {token}"
    with BROWSER.open(urllib.request.Request(base + path, data, headers, method=method), timeout=300) as response:
        return response.read()


def sign_in(base: str) -> None:
    page = BROWSER.open(base + "/login/").read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "username": "admin", "password": PASSWORD})
    BROWSER.open(urllib.request.Request(base + "/login/", form.encode(), {"Referer": base + "/login/"}))


def worker_memory(master: int) -> list[tuple[int, int, int, int]]:
    """(pid, VmRSS, VmHWM, Pss) in kB of each child of the gunicorn master. RSS counts the pages
    shared with the master after the fork in full; PSS divides them among the sharers."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    result = []
    for pid in map(int, children):
        status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
        rollup = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
        result.append((pid, *(int(d[k].split()[0]) for d, k in ((status, "VmRSS"), (status, "VmHWM"),
                                                                (rollup, "Pss")))))
    return result


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="irtis-memory-"))
    token = generate(data_dir)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "IRTIS_DATA_DIR": str(data_dir), "IRTIS_MFA_ENFORCED": "false"}
    log = (data_dir / "server.log").open("w")
    server = subprocess.Popen([str(IRTIS), "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                request(base, token, "/api/inventory/sites/?limit=1")
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit((data_dir / "server.log").read_text()) from None
                time.sleep(0.5)
        sign_in(base)
        print("after start:", worker_memory(server.pid))
        reads = ["/api/inventory/devices/?limit=1000", "/api/inventory/devices/?limit=1000&brief=true",
                 "/api/inventory/devices/?limit=50", "/api/inventory/devices/5000/",
                 "/api/network/ip-addresses/?limit=1000", "/api/network/ip-addresses/?parent=10.2.0.0/16&limit=1000",
                 "/api/inventory/interfaces/?limit=1000", "/search/?q=dev-05000"]
        for _ in range(25):
            for path in reads:
                request(base, token, path)
        site = json.loads(request(base, token, "/api/inventory/sites/?limit=1"))["results"][0]["id"]
        model = json.loads(request(base, token, "/api/inventory/hardware-models/?limit=1"))["results"][0]["id"]
        role = json.loads(request(base, token, "/api/inventory/device-roles/?limit=1"))["results"][0]["id"]
        for batch in range(10):
            created = json.loads(request(base, token, "/api/inventory/devices/", "POST", [
                {"name": f"mem-{batch}-{k}", "site": site, "hardware_model": model, "role": role}
                for k in range(100)]))
            request(base, token, "/api/inventory/devices/", "PATCH",
                    [{"id": row["id"], "description": "patched"} for row in created])
        print("after API reads and writes:", worker_memory(server.pid))
        for fmt in ("csv", "xlsx"):
            for _ in range(2):
                size = len(request(base, token, f"/inventory/devices/export/?format={fmt}"))
            print(f"after exports of all devices as {fmt} ({size:,} bytes):", worker_memory(server.pid))
        workers = worker_memory(server.pid)
        print("\n| worker | RSS now | peak RSS (VmHWM) | PSS now |\n|---|---:|---:|---:|")
        for pid, rss, hwm, pss in workers:
            print(f"| {pid} | {rss / 1024:.0f} MB | {hwm / 1024:.0f} MB | {pss / 1024:.0f} MB |")
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
