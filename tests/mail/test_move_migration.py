"""Moving MailSystem and MailServer from inventory to mail (mail 0001, inventory 0009): the rows,
tags and tables stay, and the content types keep their ids (permissions, audit entries, journals
and search rows point at them), now named mail.*."""

import pytest

from tests.support.databases import historical_apps, migrate

pytestmark = pytest.mark.usefixtures("empty_database")
BEFORE = [("inventory", "0008_hardware_templates_rack_reservations"), ("mail", None)]
MOVED = [("mail", "0001_move_mail_systems_from_inventory"), ("inventory", "0012_mail_systems_moved_to_mail")]
STATE = [("inventory", "0008_hardware_templates_rack_reservations"), ("core", "0007_unique_names"),
         ("contenttypes", "0002_remove_content_type_name"), ("auth", "0012_alter_user_first_name_max_length")]


def test_rows_and_content_types_move_with_their_ids() -> None:
    migrate(BEFORE)
    apps = historical_apps(STATE)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    System = apps.get_model("inventory", "MailSystem")
    Server = apps.get_model("inventory", "MailServer")
    Tag = apps.get_model("core", "Tag")
    # The content types and a permission as a deployment has them (ids that others point at).
    types = {model: ContentType.objects.create(app_label="inventory", model=model).pk
             for model in ("mailsystem", "mailserver")}
    permission = Permission.objects.create(content_type_id=types["mailserver"], codename="change_mailserver",
                                           name="Can change mail server")
    system = System.objects.create(name="Muitinės Exchange", domains="lrmuitine.lt")
    system.tags.add(Tag.objects.create(slug="pastas", name="Paštas"))
    Server.objects.create(name="exch-01", mail_system=system, role="mailbox")
    migrate(MOVED)

    moved = historical_apps([*MOVED, *STATE[1:]])
    LiveType = moved.get_model("contenttypes", "ContentType")
    after = {c.model: (c.app_label, c.pk) for c in LiveType.objects.filter(model__in=["mailsystem", "mailserver"])}
    assert after == {"mailsystem": ("mail", types["mailsystem"]), "mailserver": ("mail", types["mailserver"])}
    assert moved.get_model("auth", "Permission").objects.get(pk=permission.pk).content_type_id == types["mailserver"]
    server = moved.get_model("mail", "MailServer").objects.select_related("mail_system").get(name="exch-01")
    assert server.mail_system.name == "Muitinės Exchange"
    assert [t.slug for t in moved.get_model("mail", "MailSystem").objects.get().tags.all()] == ["pastas"]
