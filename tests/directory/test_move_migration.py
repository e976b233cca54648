"""The move of DirectoryDomain and DomainController from inventory (directory 0001, inventory 0009):
rows stay in their tables and the content types keep their ids, so the audit trail of a controller
recorded before the move is its history after it."""

import pytest
from django.utils import timezone

from tests.support.databases import historical_apps, migrate

pytestmark = pytest.mark.usefixtures("empty_database")
AUDIT = ("audit", "0008_hash_scheme_2")
BEFORE = [("inventory", "0008_hardware_templates_rack_reservations"), ("directory", None), AUDIT]
MOVED = [("directory", "0001_move_from_inventory"), ("inventory", "0011_directory_moved_to_its_app")]


def test_moved_rows_keep_their_tables_content_types_and_history() -> None:
    migrate(BEFORE)
    apps = historical_apps([BEFORE[0], AUDIT])
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    Site = apps.get_model("inventory", "Site")
    Domain = apps.get_model("inventory", "DirectoryDomain")
    Controller = apps.get_model("inventory", "DomainController")
    kind = ContentType.objects.create(app_label="inventory", model="domaincontroller")  # as a deployment has it
    site = Site.objects.create(code="VNO", name="Vilnius", kind="datacentre")
    domain = Domain.objects.create(fqdn="ad.lrmuitine.lt", netbios_name="MUITINE", functional_level="2016")
    old = Controller.objects.create(domain=domain, name="hq-dc-01", site=site, fsmo_roles="pdc")
    AuditEntry.objects.create(action="create", content_type=kind, object_id=old.pk, object_repr="hq-dc-01",
                              actor_name="jonas", source="ui", time=timezone.now(), prev_hash="",
                              hash="0" * 64, before={}, after={"name": "hq-dc-01"})
    migrate(MOVED)

    moved = historical_apps([*MOVED, AUDIT])
    ContentType = moved.get_model("contenttypes", "ContentType")
    controller = moved.get_model("directory", "DomainController").objects.get(pk=old.pk)
    assert (controller.name, controller.fsmo_roles, controller.domain.fqdn) == ("hq-dc-01", "pdc", "ad.lrmuitine.lt")
    assert ContentType.objects.get(app_label="directory", model="domaincontroller").pk == kind.pk
    assert moved.get_model("audit", "AuditEntry").objects.filter(
        content_type_id=kind.pk, object_id=controller.pk).values_list("actor_name", flat=True).get() == "jonas"
    assert not ContentType.objects.filter(app_label="inventory", model__in=["directorydomain", "domaincontroller"])
