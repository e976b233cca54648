"""Triggers that make the audit tables append-only (see irtis.audit.guard)."""

from django.db import migrations

from irtis.audit import guard


def install(apps, schema_editor):
    for sql in guard.install_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in guard.drop_sql(vendor):
        schema_editor.execute(sql, params=None)
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_refuse_change()", params=None)
    schema_editor.execute(f"DROP TABLE IF EXISTS {guard.PERMIT_TABLE}", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_trail_guards"),
    ]

    operations = [migrations.RunPython(install, remove)]
