"""Scheduled SNMP discovery of 500 simulated agents (docs/discovery.md, docs/performance.md):
real net-snmp agents answering on 500 loopback addresses (127.0.3.1 …), each address one
recorded device; the sweep runs as the worker runs it (the job, in this process), reading every
agent (system, interfaces, addresses, ENTITY-MIB, LLDP-MIB), comparing each reading with the
records and storing the findings.

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/discovery_bench.py
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_discovery_bench \
        flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/discovery_bench.py

AGENTS=… changes the count; SNMPD_PROCESSES=… splits the addresses over more snmpd processes.
Builds the estate in a throw-away test database.
"""

import os
import subprocess
import tempfile
import time
from pathlib import Path

from common import analyze, setup_database, teardown_database

AGENTS = int(os.environ.get("AGENTS", "500"))
PROCESSES = int(os.environ.get("SNMPD_PROCESSES", "2"))
COMMUNITY = "irtis-bench-ro"
PORT = 16161


def addresses() -> list[str]:
    return [f"127.0.{3 + n // 250}.{1 + n % 250}" for n in range(AGENTS)]


def start_agents(root: Path) -> list[subprocess.Popen]:
    """snmpd processes sharing the addresses between them, each waited for until it listens."""
    conf = root / "snmpd.conf"
    conf.write_text(f"rocommunity {COMMUNITY} 127.0.0.0/8\nsysName bench-agent\n"
                    'override .1.3.6.1.2.1.47.1.1.1.1.11.1 octet_str "BENCH0001"\n')
    hosts, started = addresses(), []
    for n in range(PROCESSES):
        listen = ",".join(f"udp:{host}:{PORT}" for host in hosts[n::PROCESSES])
        log = root / f"snmpd-{n}.log"
        with open(log, "wb") as out:
            started.append(subprocess.Popen(["snmpd", "-f", "-Lo", "-C", "-r", "-c", str(conf), listen], stdout=out,
                                            stderr=subprocess.STDOUT, env={**os.environ, "MIBS": ""}))
        deadline = time.monotonic() + 60
        while "NET-SNMP version" not in log.read_text(errors="replace"):
            if started[-1].poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"snmpd did not start:\n{log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
    return started


def build() -> object:
    from django.db import transaction

    from irtis.audit.context import changes_by
    from irtis.audit.models import Source
    from irtis.discovery import credentials
    from irtis.discovery.models import Sweep
    from irtis.discovery.snmp import Credentials
    from irtis.inventory.models import Device, DeviceRole, HardwareModel, Interface, Manufacturer, Site
    from irtis.network.models import IPAddress

    with transaction.atomic(), changes_by(None, Source.SYSTEM):
        site = Site.objects.create(code="DC1", name="Duomenų centras", kind="datacentre")
        maker = Manufacturer.objects.create(name="Gamintojas")
        model = HardwareModel.objects.create(name="Modelis", manufacturer=maker)
        role = DeviceRole.objects.create(name="Komutatorius", color="#0d6efd")
        for n, host in enumerate(addresses()):
            device = Device.objects.create(name=f"sw-{n:04d}", site=site, role=role, hardware_model=model)
            mgmt = Interface.objects.create(device=device, name="mgmt0", type=Interface.Type.VIRTUAL)
            IPAddress.objects.create(address=f"{host}/32", interface=mgmt)
        sweep = Sweep.objects.create(name="Visi komutatoriai", role=role, port=PORT)
        credentials.set_credentials(sweep, Credentials(version="2c", community=COMMUNITY))
    analyze()
    return sweep


def main() -> None:
    vendor = setup_database()
    root = Path(tempfile.mkdtemp(prefix="irtis-discovery-bench-"))
    agents = start_agents(root)
    try:
        from irtis.discovery import jobs, snmp
        from irtis.discovery.models import Finding
        from irtis.tasks.models import Run
        from irtis.tasks.runs import execute

        sweep = build()
        started = time.perf_counter()
        readings = snmp.read_many(addresses(), PORT, snmp.Credentials(version="2c", community=COMMUNITY),
                                  concurrency=32)
        read_s = time.perf_counter() - started
        failed = sum(isinstance(r, snmp.SnmpError) for r in readings)
        print(f"{vendor}: {AGENTS} agents on {PROCESSES} snmpd processes; reading alone: {read_s:.1f} s "
              f"({AGENTS / read_s:.0f} agents/s, {failed} not read)")
        run = jobs.sweep.start(sweep_id=sweep.pk)
        started = time.perf_counter()
        execute(str(run.pk))
        total = time.perf_counter() - started
        run = Run.objects.get(pk=run.pk)
        print(f"the sweep as the worker runs it (read, compare, store): {total:.1f} s; result {run.result}; "
              f"findings {Finding.objects.count()} (target < 300 s)")
    finally:
        for process in agents:
            process.terminate()
            process.wait(10)
        teardown_database()


if __name__ == "__main__":
    main()
