"""Chained checkpoints (v2); PostgreSQL: archiving through a SECURITY DEFINER function instead of a
permit table the application could write (see irtis.audit.guard). The triggers are installed
again as they are now."""

from django.db import migrations, models

from irtis.audit import guard


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in guard.install_sql(vendor):
        schema_editor.execute(sql, params=None)
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {guard.PERMIT_TABLE}", params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {guard.PURGE_FUNCTION}(bigint)", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0006_document_generated"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditcheckpoint",
            name="version",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="version"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditcheckpoint",
            name="prev_signature",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="previous signature"),
        ),
        migrations.AddField(
            model_name="auditcheckpoint",
            name="interval",
            field=models.PositiveIntegerField(default=0, verbose_name="interval"),
        ),
        # After the fields: SQLite rebuilt the checkpoint table, dropping its triggers.
        migrations.RunPython(install, remove),
    ]
