"""Moving MailSystem and MailServer from inventory to mail (mail 0001, inventory 0009): the rows,
tags and tables stay, and the content types keep their ids (permissions, audit entries, journals
and search rows point at them), now named mail.*."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("inventory", "0008_hardware_templates_rack_reservations"), ("mail", None)]
STATE = [("inventory", "0008_hardware_templates_rack_reservations"), ("core", "0007_unique_names"),
         ("contenttypes", "0002_remove_content_type_name"), ("auth", "0012_alter_user_first_name_max_length")]


def _migrate(target: list) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _apps(target: list):  # type: ignore[no-untyped-def]  # the historical models
    return MigrationExecutor(connection).loader.project_state(target).apps


def _leaves() -> list:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_rows_and_content_types_move_with_their_ids() -> None:
    _migrate(BEFORE)
    try:
        apps = _apps(STATE)
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        System = apps.get_model("inventory", "MailSystem")
        Server = apps.get_model("inventory", "MailServer")
        Tag = apps.get_model("core", "Tag")
        types = {c.model: c.pk for c in ContentType.objects.filter(app_label="inventory",
                                                                   model__in=["mailsystem", "mailserver"])}
        assert set(types) == {"mailsystem", "mailserver"}  # renamed back by the reverse migration
        permission = Permission.objects.get(content_type_id=types["mailserver"], codename="change_mailserver")
        system = System.objects.create(name="Muitinės Exchange", domains="lrmuitine.lt")
        system.tags.add(Tag.objects.create(slug="pastas", name="Paštas"))
        Server.objects.create(name="exch-01", mail_system=system, role="mailbox")
        _migrate(_leaves())

        from django.contrib.auth.models import Permission as Live
        from django.contrib.contenttypes.models import ContentType as LiveType

        from irtis.mail.models import MailServer, MailSystem

        LiveType.objects.clear_cache()
        after = {c.model: (c.app_label, c.pk) for c in LiveType.objects.filter(model__in=["mailsystem", "mailserver"])}
        assert after == {"mailsystem": ("mail", types["mailsystem"]), "mailserver": ("mail", types["mailserver"])}
        assert LiveType.objects.get_for_model(MailServer).pk == types["mailserver"]
        assert Live.objects.get(pk=permission.pk).content_type_id == types["mailserver"]
        server = MailServer.objects.select_related("mail_system").get(name="exch-01")
        assert server.mail_system.name == "Muitinės Exchange" and server.virtual_machine is None
        assert [t.slug for t in MailSystem.objects.get().tags.all()] == ["pastas"]
    finally:
        _migrate(_leaves())
