"""Security controls figures (docs/security.md, "Performance"): evaluating every automatic
control over the 100,000-object estate, and the compliance dashboard.

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/security_bench.py             # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_security_bench \\
        flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/security_bench.py         # PostgreSQL

The estate is systems_bench's (10,200 devices, 60,000 virtual machines, 2,000 DBMS instances,
6,000 databases, 500 systems of which 50 of category I, 15,000 deployments, 300,000
dependencies), with what the controls read added on top (seeded random.Random(20261204)):
software versions (a third of them out of support) on every device, virtual machine and DBMS
instance; one interface and address per device in 200 prefixes (150 of them in a zone); 2,000
certificates; backup policies for 80 % of the production objects of category I/II systems
(backups_bench), a snapshot each; 100 privileged users (half with a second factor); an audit
trail verification; and the shipped catalogues and controls.

"evaluate every control" is `irtis.security.run.evaluate()`, the job's body: every evaluator,
the evidence re-hashed, the results and per-system results written. The dashboard is measured
in-process through Django's test client (the whole request: middleware, session, permissions,
template), then over HTTP from `irtis serve` (gunicorn, production settings) on the same
database, as a signed-in browser (session cookie) and an API client (token) get it.
"""

import http.client
import os
import random
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import backups_bench
import systems_bench
from common import analyze, api_client, check_ok, measure, serve, setup_database, teardown_database

SEED = 20261204
# The embedded task worker runs the schedules due at start (this evaluation among them, 2–3 s of
# CPU on a 2-core machine): measured right away, the page took twice as long.
SETTLE_SECONDS = 30
N_PREFIXES, ZONED_PREFIXES, N_CERTIFICATES, N_PRIVILEGED = 200, 150, 2_000, 100


def _versions() -> list[int]:
    from irtis.inventory.models import Manufacturer, SoftwareProduct, SoftwareVersion

    maker = Manufacturer.objects.create(name="os-vendor")
    ids = []
    for kind, product in (("os", "Linux"), ("os", "Windows Server"), ("dbms", "Oracle Database")):
        made = SoftwareProduct.objects.create(name=product, manufacturer=maker, kind=kind)
        for n in range(4):
            ended = date(2024, 6, 30) if n == 0 else date(2030, 1, 1)
            ids.append(SoftwareVersion.objects.create(product=made, number=f"{n + 1}.0", name=f"{product} {n + 1}",
                                                      support_end=ended).pk)
    return ids


def _sql(statement: str, params: list | None = None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def overlay(rng: random.Random) -> dict[str, int]:
    """What the controls read, on top of the systems estate (bulk SQL for the big columns, the
    platform's bulk path for the network objects)."""
    from django.contrib.auth.models import Group
    from django.db import transaction

    from irtis.audit.context import changes_by
    from irtis.core.bulk import save_objects
    from irtis.identity.models import TOTPDevice, User
    from irtis.inventory.models import Device, Interface
    from irtis.network.models import IPAddress, Prefix, SecurityZone
    from irtis.security import catalogue
    from irtis.systems.models import Certificate
    from irtis.tasks import jobs as task_jobs
    from irtis.tasks.models import Run
    from irtis.tasks.models import Status as RunStatus

    with transaction.atomic(), changes_by():
        versions = _versions()
        os_versions, db_versions = versions[:8], versions[8:]
        # a version a third of the rows; "n = 0" versions are out of support
        _sql("UPDATE inventory_device SET platform_id = %s + (id %% 8)", [os_versions[0]])
        _sql("UPDATE virtualization_virtualmachine SET operating_system_id = %s + (id %% 8)", [os_versions[0]])
        _sql("UPDATE databases_dbmsinstance SET software_version_id = %s + (id %% 4)", [db_versions[0]])
        zone = SecurityZone.objects.create(code="PROD", name="Gamybinė")
        prefixes = []
        for p in range(N_PREFIXES):
            made = Prefix(prefix=f"10.{p // 16}.{(p % 16) * 16}.0/20", status="active",
                          zone=zone if p < ZONED_PREFIXES else None)
            made._derive()
            prefixes.append(made)
        save_objects(prefixes)
        devices = list(Device.objects.order_by("pk").values_list("pk", flat=True))
        interfaces = [Interface(device_id=pk, name="eth0") for pk in devices]
        save_objects(interfaces)
        addresses = []
        for n, interface in enumerate(interfaces):  # device n: prefix n % 200, host n // 200 + 1
            p, host = n % N_PREFIXES, n // N_PREFIXES + 1
            made = IPAddress(address=f"10.{p // 16}.{(p % 16) * 16 + host // 256}.{host % 256}/20",
                             interface_id=interface.pk)
            made._derive()
            addresses.append(made)
        for start in range(0, len(addresses), 5000):
            save_objects(addresses[start:start + 5000])
        today = date.today()
        save_objects([Certificate(subject=f"CN=host-{c:04}.muitine.lt", issuer="MISC CA", serial=f"{c:06x}",
                                  expires=today + timedelta(days=rng.randint(-30, 700)),
                                  device_id=rng.choice(devices) if c % 2 else None) for c in range(N_CERTIFICATES)])
        admins = Group.objects.get_or_create(name="irtis_admin")[0]
        users = [User(username=f"admin-{u:03}", is_superuser=u % 10 == 0) for u in range(N_PRIVILEGED)]
        User.objects.bulk_create(users)
        for user in users:
            user.groups.add(admins)
        TOTPDevice.objects.bulk_create([TOTPDevice(user=u, secret="A" * 32, confirmed=datetime.now(UTC))
                                        for u in users[::2]])
        Run.objects.create(task=task_jobs.verify_audit_trail.module_path, status=RunStatus.DONE,
                           finished_at=datetime.now(UTC), result={"intact": True, "checked": 0})
        policies = backups_bench.make_policies()
        _snapshots()
        catalogue.load()
    return {"prefixes": len(prefixes), "interfaces": len(interfaces), "addresses": len(addresses),
            "certificates": N_CERTIFICATES, "policies": policies, "privileged users": N_PRIVILEGED}


def _snapshots() -> None:
    from irtis.backups.models import BackupPolicy, BackupRepository, Snapshot, Tool

    repository = BackupRepository.objects.create(name="bench", tool=Tool.FILE, location="/dev/null")
    now = datetime.now(UTC)
    rows = [{"id": n + 1, "repository_id": repository.pk, "policy_id": pk, "snapshot_id": f"s{pk}",
             "taken_at": now - timedelta(minutes=30 if n % 5 else 600), "status": "success", "hostname": ""}
            for n, pk in enumerate(BackupPolicy.objects.values_list("pk", flat=True))]
    systems_bench.insert(Snapshot, rows)
    systems_bench.reset_sequences([Snapshot])


def over_http(client: Any) -> None:
    """The dashboard as a browser and an API client get it from `irtis serve` on this database."""
    from django.conf import settings
    from django.db import connection

    name = connection.settings_dict["NAME"]
    url = (f"postgresql://postgres@127.0.0.1:5432/{name}" if connection.vendor == "postgresql"
           else f"sqlite:///{name}")
    server, port, _ = serve(url, Path(settings.DATA_DIR))
    time.sleep(SETTLE_SECONDS)
    try:
        web = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        token = client.defaults["HTTP_AUTHORIZATION"]

        def get(path: str, headers: dict[str, str]) -> None:
            web.request("GET", path, headers=headers)
            response = web.getresponse()
            body = response.read()
            if response.status != 200:
                raise SystemExit(f"GET {path}: {response.status} {body[:300]!r}")

        measure("dashboard page over HTTP (irtis serve)", lambda: get("/security/dashboard/", {"Cookie": cookie}))
        measure("dashboard API over HTTP (irtis serve)",
                lambda: get("/api/security/dashboard/", {"Authorization": token}))
    finally:
        os.killpg(server.pid, 15)
        server.wait(60)


def main() -> None:
    vendor = setup_database()
    load = open("/proc/loadavg").read().split()[:3]
    print(f"database: {vendor}; load average at start {' '.join(load)}; {os.cpu_count()} cores")
    try:
        from irtis.security import run
        from irtis.security.evaluation import EVALUATORS
        from irtis.security.models import Control, ControlResult, SystemResult

        start = time.perf_counter()
        counts = systems_bench.generate(random.Random(systems_bench.SEED))
        added = overlay(random.Random(SEED))
        print(f"estate: {counts['objects']} objects, {counts['dependencies']} dependencies; added {added} "
              f"in {time.perf_counter() - start:.0f} s")
        analyze()
        for control in Control.objects.filter(kind="automatic").order_by("code"):
            began = time.perf_counter()
            outcome = EVALUATORS[control.evaluator].function()
            print(f"  {control.evaluator:<30} {1000 * (time.perf_counter() - began):7.0f} ms   "
                  f"{outcome.status:<8} checked {outcome.checked:6d}, deviating {len(outcome.deviations):6d}")
        automatic = Control.objects.filter(kind="automatic").count()
        measure(f"evaluate every control ({Control.objects.count()}; {automatic} automatic), stored",
                run.evaluate, runs=3)
        print(f"  {ControlResult.objects.count()} results, {SystemResult.objects.count()} per-system results stored")
        client = api_client()
        measure("dashboard page (in-process client)", lambda: check_ok(client.get("/security/dashboard/")), runs=20)
        measure("dashboard API (in-process client)",
                lambda: check_ok(client.get("/api/security/dashboard/")), runs=20)
        over_http(client)
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
