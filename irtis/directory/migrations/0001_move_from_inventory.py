"""DirectoryDomain and DomainController move from irtis.inventory to irtis.directory.

State only: the tables keep their names (`Meta.db_table`), so no row moves and nothing is copied;
inventory's 0009 deletes the models from its state. The content types are relabelled
(inventory → directory) in place, so their ids stay: the audit trail's entries, journal entries,
search-index rows and object permissions that point at them point at the same objects.
"""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models

import irtis.core.names

MOVED = ("directorydomain", "domaincontroller")


def relabel(apps, schema_editor):
    """The moved models' content types keep their ids under the new app label."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        old = ContentType.objects.using(db).filter(app_label="inventory", model=model).first()
        if old is None:  # a fresh database: the content types are made after migrating
            continue
        # One made under the new label by a half-finished earlier attempt has nothing pointing at it yet.
        ContentType.objects.using(db).filter(app_label="directory", model=model).delete()
        old.app_label = "directory"
        old.save(update_fields=["app_label"])


def restore(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="directory", model__in=MOVED).update(app_label="inventory")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0007_unique_names"),
        ("inventory", "0008_hardware_templates_rack_reservations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="DirectoryDomain",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("updated", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="version")),
                        ("fqdn", irtis.core.names.NameField(max_length=255, unique=True, verbose_name="domain name (FQDN)")),
                        ("netbios_name", irtis.core.names.NameField(max_length=15, unique=True, verbose_name="NetBIOS name")),
                        ("functional_level", models.CharField(choices=[("2008R2", "Windows Server 2008 R2"), ("2012", "Windows Server 2012"), ("2012R2", "Windows Server 2012 R2"), ("2016", "Windows Server 2016"), ("2025", "Windows Server 2025")], max_length=10, verbose_name="functional level")),
                        ("description", models.CharField(blank=True, max_length=200, verbose_name="description")),
                        ("tags", models.ManyToManyField(blank=True, related_name="+", to="core.tag", verbose_name="tags")),
                    ],
                    options={
                        "db_table": "inventory_directorydomain",
                        "verbose_name": "directory domain",
                        "verbose_name_plural": "directory domains",
                        "ordering": ["fqdn"],
                        "indexes": [models.Index(django.db.models.functions.comparison.Collate(models.F("fqdn"), "lt-x-icu"), name="inventory_directorydomai_lt")],
                        "constraints": [irtis.core.names.UniqueName("fqdn", name="inventory_directorydomain_fqdn_unique", scope=()), irtis.core.names.UniqueName("netbios_name", name="inventory_directorydomain_netbios_name_unique", scope=())],
                    },
                ),
                migrations.CreateModel(
                    name="DomainController",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("updated", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="version")),
                        ("name", irtis.core.names.NameField(max_length=100, unique=True, verbose_name="host name")),
                        ("global_catalog", models.BooleanField(default=True, verbose_name="global catalogue")),
                        ("read_only", models.BooleanField(default=False, verbose_name="read-only (RODC)")),
                        ("fsmo_roles", models.CharField(blank=True, help_text="Comma-separated: schema, naming, pdc, rid, infrastructure.", max_length=100, verbose_name="FSMO roles")),
                        ("description", models.CharField(blank=True, max_length=200, verbose_name="description")),
                        ("device", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="domain_controllers", to="inventory.device", verbose_name="device")),
                        ("domain", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="controllers", to="directory.directorydomain", verbose_name="domain")),
                        ("site", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="domain_controllers", to="inventory.site", verbose_name="site")),
                        ("tags", models.ManyToManyField(blank=True, related_name="+", to="core.tag", verbose_name="tags")),
                    ],
                    options={
                        "db_table": "inventory_domaincontroller",
                        "verbose_name": "domain controller",
                        "verbose_name_plural": "domain controllers",
                        "ordering": ["name"],
                        "indexes": [models.Index(django.db.models.functions.comparison.Collate(models.F("name"), "lt-x-icu"), name="inventory_domaincontroll_lt")],
                        "constraints": [irtis.core.names.UniqueName("name", name="inventory_domaincontroller_name_unique", scope=())],
                    },
                ),
            ],
        ),
        migrations.RunPython(relabel, restore),
    ]
