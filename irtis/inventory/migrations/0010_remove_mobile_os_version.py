"""The free-text operating system of mobile devices, replaced in 0009 (a separate migration: PostgreSQL
cannot alter a table with the deferred constraint checks of 0009's updates still pending)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("inventory", "0009_mobile_operating_system"),
    ]

    operations = [
        migrations.RemoveField(model_name="mobiledevice", name="os_version"),
    ]
