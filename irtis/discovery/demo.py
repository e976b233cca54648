"""Demo sweeps of the data centres' network equipment, and their nightly schedule, left disabled:
the demo's agents do not exist (a run would find every one "not read")."""

from irtis.core.demo import ensure
from irtis.inventory.demo_estate import LAN, ROUTER
from irtis.inventory.models import DeviceRole, Site
from irtis.tasks.models import Schedule

from . import credentials, jobs
from .models import Sweep, SweepSecret
from .snmp import Credentials

SWEEPS = [
    ("DC1 LAN komutatoriai", "DC1", LAN, "Naktinė DC1 pagrindinių ir prieigos komutatorių apklausa (SNMPv3)."),
    ("DC2 LAN komutatoriai", "DC2", LAN, "Naktinė DC2 komutatorių apklausa (SNMPv3)."),
    ("WAN maršrutizatoriai", "", ROUTER, "Visų vietų WAN maršrutizatorių apklausa (SNMPv3)."),
]


def load() -> None:
    for name, site, role, description in SWEEPS:
        sweep = ensure(Sweep, "name", {
            "name": name, "site": Site.objects.get(code=site) if site else None,
            "role": DeviceRole.objects.get(name=role), "description": description})
        if not SweepSecret.objects.filter(sweep=sweep).exists():
            credentials.set_credentials(sweep, Credentials(
                version="3", user="irtis-aptikimas", level="authPriv", auth_protocol="SHA-256",
                auth_key="Demo-Autentikacija-1", priv_protocol="AES", priv_key="Demo-Sifravimas-1"))
    ensure(Schedule, "name", {"name": "SNMP aptikimo apklausos", "task": jobs.sweep_all.module_path,
                                  "cron": "30 2 * * *", "enabled": False})
