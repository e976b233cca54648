"""Hash scheme 2 (irtis.audit.canonical): `before` and `after` kept as canonical JSON text, and
the scheme of each entry, 1 for those written before. The triggers are installed again (SQLite
rebuilt the table)."""

from django.db import migrations, models

import irtis.audit.fields
from irtis.audit import guard


def install(apps, schema_editor):
    for sql in guard.install_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0007_archive_function"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="before",
            field=irtis.audit.fields.CanonicalJSONField(blank=True, null=True, verbose_name="before"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="after",
            field=irtis.audit.fields.CanonicalJSONField(blank=True, null=True, verbose_name="after"),
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
