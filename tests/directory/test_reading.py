"""Reading a real Samba AD DC (tests/support/samba.py) over LDAPS: its site, subnets, the DC with
its FSMO roles and health, a trust; and the errors people see when it cannot be read. Every
test here that uses Samba stays in this module (its ports are machine-wide; tests/workers.py)."""

import contextlib
import subprocess
from typing import Any

import pytest
from django.test import Client

from irtis.audit.context import changes_by
from irtis.audit.models import AuditEntry, Source
from irtis.directory import credentials, jobs, readings
from irtis.directory.models import DirectoryDomain, DomainController, Reading
from irtis.tasks.models import Status
from irtis.tasks.runs import Refused, execute
from tests.inventory import factories as f
from tests.support.samba import ADMIN_PASSWORD, BASE_DN, SambaDC

pytestmark = pytest.mark.django_db
SITE = "Default-First-Site-Name"
SUBNET = "10.77.0.0/16"
PARTNER = "partneris.test"
TRUST = """
from samba.auth import system_session
from samba.dcerpc import security
from samba.ndr import ndr_pack
from samba.param import LoadParm
from samba.samdb import SamDB
lp = LoadParm()
lp.load("{conf}")
db = SamDB(url="{db}", session_info=system_session(), lp=lp)
db.add({{"dn": "CN={partner},CN=System,{base}", "objectClass": "trustedDomain", "trustPartner": "{partner}",
         "flatName": "PARTNERIS", "trustDirection": "1", "trustType": "2", "trustAttributes": "8",
         "securityIdentifier": ndr_pack(security.dom_sid("S-1-5-21-1-2-3"))}})
"""


@pytest.fixture(scope="module")
def dc(samba_dc: SambaDC) -> SambaDC:
    """The suite's DC with a subnet of its site and an inbound trust from another forest."""
    with contextlib.suppress(Exception):  # a rerun against the same DC finds it there
        samba_dc.tool("sites", "subnet", "create", SUBNET, SITE, "-U", f"Administrator%{ADMIN_PASSWORD}")
    # Samba refuses trustedDomain objects over LDAP, and `samba-tool domain trust create` needs a second
    # domain's DC: the trust is written into the DC's database directly, as Samba's own tools do.
    script = TRUST.format(conf=samba_dc.conf, db=samba_dc.root / "private" / "sam.ldb", partner=PARTNER,
                          base=BASE_DN)
    done = subprocess.run(["/usr/bin/python3", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 or "already exists" in done.stderr, done.stderr
    return samba_dc


def configured(dc: SambaDC, password: str | None = None, **values: Any) -> DirectoryDomain:
    with changes_by(None, Source.SYSTEM):
        domain = DirectoryDomain(**{
            "fqdn": dc.realm.lower(), "netbios_name": dc.domain, "functional_level": "2016",
            "ldap_urls": dc.ldaps_uri, "bind_account": dc.dns["svc-irtis"], "ca_file": str(dc.ca_file),
            "reading_enabled": True, **values})
        domain.full_clean()
        domain.save()
        credentials.set_password(domain, password or dc.passwords["svc-irtis"])
    return domain


def test_a_reading_finds_the_site_subnet_dc_fsmo_roles_trust_and_health(dc: SambaDC) -> None:
    domain = configured(dc)
    reading = readings.run(domain)
    assert reading.ok, reading.error
    assert [s.name for s in reading.sites.all()] == [SITE]
    assert [(s.prefix, s.site) for s in reading.subnets.all()] == [(SUBNET, SITE)]
    (controller,) = reading.controllers.all()
    assert controller.name.lower() == "dc1" and controller.site == SITE and controller.global_catalog
    assert controller.fsmo_roles == "schema, naming, pdc, rid, infrastructure"
    assert set(reading.fsmo) == {"schema", "naming", "pdc", "rid", "infrastructure"}
    assert controller.reachable and controller.synchronized and controller.gc_ready
    assert controller.highest_usn and controller.highest_usn > 1000
    assert controller.time_offset is not None and abs(controller.time_offset) < 5
    assert reading.domain_level is not None and reading.forest_level is not None
    # Samba shows no replication neighbours on its root DSE (Windows constructs msDS-ReplAllInboundNeighbors).
    assert reading.replication_status == readings.NOT_EXPOSED
    assert list(reading.connections.all()) == []  # one DC: nothing to replicate from
    (trust,) = reading.trusts.all()
    assert (trust.partner, trust.direction, trust.kind, trust.transitive, trust.forest) == (PARTNER, 1, 2, True, True)


def test_differences_with_the_records_are_reviewed_and_applied(dc: SambaDC, admin_client: Client,
                                                               admin_user: Any) -> None:
    domain = configured(dc)
    with changes_by(None, Source.SYSTEM):
        recorded = DomainController.objects.create(domain=domain, name="dc1", site=f.site(), fsmo_roles="pdc")
        DomainController.objects.create(domain=domain, name="dc9", site=f.site())
    run = jobs.read.start(domain_id=domain.pk)
    with contextlib.suppress(Refused):
        execute(str(run.pk))
    run.refresh_from_db()
    assert run.status == Status.DONE and run.result["ok"], run.error
    assert run.result["differences"] == 3  # dc1's roles, dc9 unknown to AD, the subnet in no prefix
    page = admin_client.get(domain.get_absolute_url()).content.decode()
    assert SUBNET in page and "dc9" in page
    admin_client.post(f"/directory/domains/{domain.pk}/apply/", {"kind": "fsmo", "name": "dc1"})
    recorded.refresh_from_db()
    assert recorded.fsmo_roles == "schema, naming, pdc, rid, infrastructure"
    assert AuditEntry.objects.filter(object_id=recorded.pk, content_type__model="domaincontroller",
                                     actor=admin_user).exists()


@pytest.mark.parametrize(("change", "expected"), [
    ({"password": "Neteisingas-1!"}, "atmetė prisijungimo paskyrą"),
    ({"ca_file": "wrong"}, "sertifikatas nepraėjo patikros"),
    ({"ldap_urls": "ldaps://localhost:6399"}, "Joks domeno valdiklis neatsakė"),
])
def test_errors_are_recorded_in_lithuanian_never_raised(dc: SambaDC, change: dict[str, str], expected: str) -> None:
    values = dict(change)
    password = values.pop("password", None)
    if values.get("ca_file") == "wrong":
        values["ca_file"] = str(dc.wrong_ca_file)
    domain = configured(dc, password, **values)
    reading = readings.run(domain)
    assert not reading.ok and expected in reading.error, reading.error
    assert Reading.objects.filter(domain=domain).count() == 1 and not reading.controllers.exists()


def test_the_scheduled_job_reads_every_domain_marked_for_it(dc: SambaDC) -> None:
    configured(dc)
    run = jobs.read_all.start()
    execute(str(run.pk))
    run.refresh_from_db()
    assert run.result == {"started": 1}


def test_the_bind_account_may_be_a_user_principal_name(dc: SambaDC) -> None:
    domain = configured(dc, bind_account=f"svc-irtis@{dc.upn_suffix}")
    assert readings.run(domain).ok
