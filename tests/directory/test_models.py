"""Active Directory domains and controllers (statute 2.9): the records moved from inventory, the
controller's device or virtual machine, the write-only bind password, pages and API of readings."""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from irtis.audit.context import changes_by
from irtis.audit.models import AuditEntry, Source
from irtis.directory import credentials, readings
from irtis.directory.models import (
    DirectoryDomain,
    DomainController,
    DomainSecret,
    ReadController,
    Reading,
    ReadSubnet,
)
from irtis.network.models import Prefix
from irtis.tasks.models import Run
from tests.inventory import factories as f
from tests.support.contract import ModelContract
from tests.virtualization import factories as v

JSON = "application/json"


def domain(n: int = 0) -> DirectoryDomain:
    return DirectoryDomain.objects.get_or_create(
        fqdn=f"muitine{n}.lt", defaults={"netbios_name": f"MUITINE{n}", "functional_level": "2016",
                                         "ldap_urls": f"ldaps://dc{n}.muitine{n}.lt:636",
                                         "bind_account": f"svc@muitine{n}.lt"})[0]


class TestDirectoryDomain(ModelContract):
    model = DirectoryDomain
    change = {"functional_level": "2025"}

    def make(self, n: int) -> DirectoryDomain:
        return domain(n)

    def new_values(self) -> dict:
        return {"fqdn": "vidus.muitine.lt", "netbios_name": "VIDUS", "functional_level": "2016",
                "ldap_urls": "ldaps://dc1.vidus.muitine.lt", "bind_account": "svc@vidus.muitine.lt",
                "reading_enabled": True}


class TestDomainController(ModelContract):
    model = DomainController
    change = {"fsmo_roles": "pdc, rid"}

    def make(self, n: int) -> DomainController:
        return DomainController.objects.create(domain=domain(), name=f"hq-dc-{n:02d}", site=f.site())

    def new_values(self) -> dict:
        return {"domain": domain(), "name": "hq-dc-99", "site": f.site(), "global_catalog": True}


def test_fsmo_roles_are_checked_and_ordered(db: Any) -> None:
    dc = DomainController(domain=domain(), name="hq-dc-01", site=f.site(), fsmo_roles="RID pdc,schema")
    dc.full_clean()
    assert dc.fsmo_roles == "schema, pdc, rid"
    dc.fsmo_roles = "pdc, emperor"
    with pytest.raises(ValidationError):
        dc.full_clean()
    dc.fsmo_roles, dc.read_only = "pdc", True
    with pytest.raises(ValidationError):
        dc.full_clean()


def test_controller_device_must_be_at_its_site(db: Any) -> None:
    dc = DomainController(domain=domain(), name="hq-dc-01", site=f.site("VNO-HQ"), device=f.device("dc1-x"))
    with pytest.raises(ValidationError) as error:
        dc.full_clean()
    assert "device" in error.value.message_dict


def test_a_controller_runs_on_a_device_or_a_virtual_machine_not_both(db: Any) -> None:
    machine = v.vm("ad-dc-01.prod", v.cluster())
    dc = DomainController(domain=domain(), name="dc1-ad-01", site=f.site(), device=f.device("dc1-srv"),
                          virtual_machine=machine)
    with pytest.raises(ValidationError) as error:
        dc.full_clean()
    assert "ne ir tame, ir tame" in " ".join(error.value.message_dict["virtual_machine"])
    dc.device = None
    dc.full_clean()
    dc.site = f.site("DC2")
    with pytest.raises(ValidationError) as error:
        dc.full_clean()
    assert "virtual_machine" in error.value.message_dict


def test_api_refuses_both_a_device_and_a_virtual_machine(admin_client: Client) -> None:
    machine = v.vm("ad-dc-01.prod", v.cluster())
    response = admin_client.post("/api/directory/domain-controllers/", {
        "domain": domain().pk, "name": "dc1-ad-01", "site": f.site().pk, "device": f.device("dc1-srv").pk,
        "virtual_machine": machine.pk}, content_type=JSON)
    assert response.status_code == 400 and "virtual_machine" in response.json()["errors"]
    assert not DomainController.objects.exists()


def test_the_machine_page_shows_its_domain_controller(admin_client: Client) -> None:
    machine = v.vm("ad-dc-01.prod", v.cluster())
    dc = DomainController.objects.create(domain=domain(), name="dc1-ad-01", site=f.site(), virtual_machine=machine,
                                         fsmo_roles="pdc")
    page = admin_client.get(machine.get_absolute_url()).content.decode()
    assert dc.get_absolute_url() in page and "Domeno valdikliai" in page
    assert "ad-dc-01.prod" in admin_client.get(dc.get_absolute_url()).content.decode()


def test_ldaps_addresses_are_checked(db: Any) -> None:
    found = domain()
    found.ldap_urls = "ldaps://dc1.muitine.lt:636, ldap://dc2.muitine.lt"
    with pytest.raises(ValidationError) as error:
        found.full_clean()
    assert "ldap://dc2.muitine.lt" in error.value.message_dict["ldap_urls"][0]
    found.ldap_urls, found.bind_account, found.reading_enabled = "", "", True
    with pytest.raises(ValidationError) as error:
        found.full_clean()
    assert "reading_enabled" in error.value.message_dict


def test_the_bind_password_is_write_only_encrypted_and_audited(admin_client: Client) -> None:
    found = domain()
    response = admin_client.post(f"/directory/domains/{found.pk}/password/", {"password": "Slaptas-Ryšys1!"})
    assert response.status_code == 302
    secret = DomainSecret.objects.get(domain=found)
    assert b"Slaptas" not in bytes(secret.ciphertext) and credentials.read(found) == "Slaptas-Ryšys1!"
    entry = AuditEntry.objects.filter(object_id=found.pk, content_type__model="directorydomain").latest("pk")
    assert entry.after == {"bind_password": "set"} and "Slaptas" not in str(entry.before) + str(entry.after)
    page = admin_client.get(found.get_absolute_url()).content.decode()
    assert "Slaptas" not in page and "nustatytas" in page
    api = admin_client.put(f"/api/directory/directory-domains/{found.pk}/bind-password/",
                           {"password": "Kitas-Slaptas2!"}, content_type=JSON)
    assert api.status_code == 204 and credentials.read(found) == "Kitas-Slaptas2!"
    assert admin_client.put(f"/api/directory/directory-domains/{found.pk}/bind-password/",
                            {"password": ""}, content_type=JSON).status_code == 400


def test_read_now_starts_a_run_and_an_unset_password_is_a_recorded_error(admin_client: Client) -> None:
    found = domain()
    response = admin_client.post(f"/api/directory/directory-domains/{found.pk}/read/")
    assert response.status_code == 202
    run = Run.objects.get(pk=response.json()["run"])
    assert run.key == str(found.pk)
    reading = readings.run(found)
    assert not reading.ok and reading.error == "Nenustatytas prisijungimo slaptažodis: pirmiau jį nustatykite."
    answer = admin_client.get(f"/api/directory/directory-domains/{found.pk}/reading/").json()
    assert answer["ok"] is False and answer["error"] == reading.error and answer["differences"] == []
    assert reading.error in admin_client.get(found.get_absolute_url()).content.decode()


def _reading(found: DirectoryDomain) -> Reading:
    """A stored reading as a reading of AD writes it: two controllers, one of them unrecorded."""
    reading = Reading.objects.create(domain=found, read_at=timezone.now(), ok=True, server="dc1.muitine0.lt",
                                     domain_level=7, forest_level=7,
                                     fsmo={r: "DC1" for r in ("schema", "naming", "pdc", "rid", "infrastructure")},
                                     replication_status=readings.NOT_EXPOSED)
    ReadController.objects.create(reading=reading, name="HQ-DC-01", dns_name="hq-dc-01.muitine0.lt", site="VNO",
                                  global_catalog=True, fsmo_roles="schema, naming, pdc, rid, infrastructure",
                                  reachable=True, time_offset=0.4, synchronized=True, gc_ready=True, highest_usn=4242)
    ReadController.objects.create(reading=reading, name="HQ-DC-03", dns_name="hq-dc-03.muitine0.lt", site="VNO",
                                  reachable=False, error="neatsako")
    ReadSubnet.objects.create(reading=reading, prefix="10.20.0.0/16", site="VNO")
    ReadSubnet.objects.create(reading=reading, prefix="10.30.0.0/16", site="VNO")
    return reading


def test_differences_are_shown_and_applied_as_the_reviewer(admin_client: Client, admin_user: Any) -> None:
    found = domain()
    with changes_by(None, Source.SYSTEM):
        recorded = DomainController.objects.create(domain=found, name="hq-dc-01", site=f.site(), fsmo_roles="pdc")
        DomainController.objects.create(domain=found, name="hq-dc-02", site=f.site())
        Prefix.objects.create(prefix="10.20.0.0/16")
    _reading(found)
    kinds = {(d.kind, d.name) for d in readings.differences(found, readings.latest(found))}
    assert kinds == {("fsmo", "hq-dc-01"), ("new_controller", "HQ-DC-03"), ("unknown_controller", "hq-dc-02"),
                     ("subnet", "10.30.0.0/16")}
    page = admin_client.get(found.get_absolute_url()).content.decode()
    assert "10.30.0.0/16" in page and "HQ-DC-03" in page and "4242" in page
    response = admin_client.post(f"/directory/domains/{found.pk}/apply/", {"kind": "fsmo", "name": "hq-dc-01"})
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.fsmo_roles == "schema, naming, pdc, rid, infrastructure"
    entry = AuditEntry.objects.filter(object_id=recorded.pk, content_type__model="domaincontroller").latest("pk")
    assert entry.actor == admin_user and entry.after["fsmo_roles"] == recorded.fsmo_roles
    admin_client.post(f"/directory/domains/{found.pk}/apply/",
                      {"kind": "new_controller", "name": "HQ-DC-03", "site": f.site("VNO").pk})
    added = DomainController.objects.get(name="hq-dc-03")
    assert added.site.code == "VNO" and AuditEntry.objects.filter(
        object_id=added.pk, content_type__model="domaincontroller", actor=admin_user).exists()
    kinds = {(d.kind, d.name) for d in readings.differences(found, readings.latest(found))}
    assert kinds == {("unknown_controller", "hq-dc-02"), ("subnet", "10.30.0.0/16")}
    again = admin_client.post(f"/directory/domains/{found.pk}/apply/", {"kind": "fsmo", "name": "hq-dc-01"},
                              follow=True).content.decode()
    assert "nieko nepritaikyta" in again


def test_applying_needs_the_permission_to_change_controllers(client: Client, django_user_model: Any) -> None:
    from irtis.identity.models import ObjectPermission

    found = domain()
    DomainController.objects.create(domain=found, name="hq-dc-01", site=f.site(), fsmo_roles="pdc")
    _reading(found)
    reader = django_user_model.objects.create_user("skaitytojas", password="x")
    grant = ObjectPermission.objects.create(name="Skaityti domenus", actions=["view"])
    grant.object_types.set([ContentType.objects.get_for_model(m) for m in (DirectoryDomain, DomainController)])
    grant.users.add(reader)
    client.force_login(reader)
    response = client.post(f"/directory/domains/{found.pk}/apply/", {"kind": "fsmo", "name": "hq-dc-01"})
    assert response.status_code == 403
    assert DomainController.objects.get().fsmo_roles == "pdc"


def test_the_domain_page_and_reading_api_read_a_constant_number_of_queries(admin_client: Client) -> None:
    found = domain()
    _reading(found)
    url, api = found.get_absolute_url(), f"/api/directory/directory-domains/{found.pk}/reading/"
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
        admin_client.get(api)
    reading = readings.latest(found)
    for n in range(20):
        ReadController.objects.create(reading=reading, name=f"DC-{n}", site="VNO")
        ReadSubnet.objects.create(reading=reading, prefix=f"10.40.{n}.0/24", site="VNO")
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)
        admin_client.get(api)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_readings_are_kept_ten_per_domain(db: Any) -> None:
    found = domain()
    for _ in range(12):
        readings.run(found)
    assert Reading.objects.filter(domain=found).count() == 10


def test_former_inventory_pages_lead_to_directory(admin_client: Client) -> None:
    """Bookmarks of the pages from before the move (`/inventory/directory-domains/…`)."""
    ad = domain()
    response = admin_client.get(f"/inventory/directory-domains/{ad.pk}/?x=1")
    assert response.status_code == 301 and response["Location"] == f"/directory/directory-domains/{ad.pk}/?x=1"
    assert admin_client.get("/inventory/domain-controllers/")["Location"] == "/directory/domain-controllers/"
    assert admin_client.get(response["Location"]).status_code == 200
