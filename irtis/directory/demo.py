"""Demo Active Directory: the customs domain, its six controllers (two physical at headquarters, four
virtual machines in the data centres) and the nightly reading's schedule, left disabled: the demo's
controllers do not exist (a reading would only record "no domain controller answered")."""

from irtis.core.demo import ensure
from irtis.inventory.models import Device, Site
from irtis.tasks.models import Schedule
from irtis.virtualization.models import VirtualMachine

from . import jobs
from .models import DirectoryDomain, DomainController

CONTROLLERS = (  # name, site, device, virtual machine, FSMO roles, description
    ("hq-dc-01", "VNO-HQ", "hq-dc-01", None, "schema, naming, pdc, rid, infrastructure", "Fizinis DC, visi FSMO"),
    ("hq-dc-02", "VNO-HQ", "hq-dc-02", None, "", "Fizinis DC"),
    ("dc1-ad-01", "DC1", None, "ad-dc-01.prod", "", "Virtualus DC"),
    ("dc1-ad-02", "DC1", None, "ad-dc-02.prod", "", "Virtualus DC"),
    ("dc2-ad-01", "DC2", None, "ad-dc-03.prod", "", "Virtualus DC rezerviniame DC"),
    ("dc2-ad-02", "DC2", None, "ad-dc-04.prod", "", "Virtualus DC rezerviniame DC"),
)


def load() -> None:
    domain = ensure(DirectoryDomain, "fqdn", {
        "fqdn": "ad.lrmuitine.lt", "netbios_name": "MUITINE", "functional_level": "2016",
        "description": "Muitinės Active Directory domenas",
        "ldap_urls": "ldaps://hq-dc-01.ad.lrmuitine.lt:636 ldaps://hq-dc-02.ad.lrmuitine.lt:636",
        "bind_account": "svc-irtis-ad@ad.lrmuitine.lt", "ca_file": "/etc/irtis/muitine-ca.pem",
        "timeout": 5, "reading_enabled": False})
    sites = {s.code: s for s in Site.objects.filter(code__in={row[1] for row in CONTROLLERS})}
    devices = {d.name: d for d in Device.objects.filter(name__in=[row[2] for row in CONTROLLERS if row[2]])}
    machines = {m.name: m for m in VirtualMachine.objects.filter(name__in=[row[3] for row in CONTROLLERS if row[3]])}
    for name, site, device, machine, fsmo, description in CONTROLLERS:
        ensure(DomainController, "name", {
            "name": name, "domain": domain, "site": sites[site], "device": devices.get(device or ""),
            "virtual_machine": machines.get(machine or ""), "fsmo_roles": fsmo, "global_catalog": True,
            "read_only": False, "description": description})
    ensure(Schedule, "name", {"name": "Active Directory skaitymas", "task": jobs.read_all.module_path,
                              "cron": "15 * * * *", "enabled": False})
