"""The move of DirectoryDomain and DomainController from inventory (directory 0001, inventory 0009):
rows stay in their tables and the content types keep their ids, so the audit trail of a controller
recorded before the move is its history after it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("inventory", "0008_hardware_templates_rack_reservations"), ("directory", None)]


def _migrate(target: list[tuple[str, str | None]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _applied_apps():  # type: ignore[no-untyped-def]  # the historical models of the applied migrations
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


def test_moved_rows_keep_their_tables_content_types_and_history() -> None:
    _migrate(BEFORE)
    try:
        apps = _applied_apps()
        ContentType = apps.get_model("contenttypes", "ContentType")
        AuditEntry = apps.get_model("audit", "AuditEntry")
        Site = apps.get_model("inventory", "Site")
        Domain = apps.get_model("inventory", "DirectoryDomain")
        Controller = apps.get_model("inventory", "DomainController")
        kind = ContentType.objects.get(app_label="inventory", model="domaincontroller")
        site = Site.objects.create(code="VNO", name="Vilnius", kind="datacentre")
        domain = Domain.objects.create(fqdn="ad.lrmuitine.lt", netbios_name="MUITINE", functional_level="2016")
        old = Controller.objects.create(domain=domain, name="hq-dc-01", site=site, fsmo_roles="pdc")
        AuditEntry.objects.create(action="create", content_type=kind, object_id=old.pk, object_repr="hq-dc-01",
                                  actor_name="jonas", source="ui", time=timezone.now(), prev_hash="",
                                  hash="0" * 64, before={}, after={"name": "hq-dc-01"})
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

        from django.contrib.contenttypes.models import ContentType as Current

        from irtis.audit.models import AuditEntry as Entry
        from irtis.directory.models import DomainController

        Current.objects.clear_cache()
        moved = DomainController.objects.get(pk=old.pk)
        assert (moved.name, moved.fsmo_roles, moved.domain.fqdn) == ("hq-dc-01", "pdc", "ad.lrmuitine.lt")
        assert Current.objects.get_for_model(DomainController).pk == kind.pk
        assert Entry.objects.filter(content_type_id=kind.pk, object_id=moved.pk).values_list(
            "actor_name", flat=True).get() == "jonas"
        assert not Current.objects.filter(app_label="inventory", model__in=["directorydomain", "domaincontroller"])
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
