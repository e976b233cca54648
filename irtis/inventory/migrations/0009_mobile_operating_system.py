"""Mobile devices name their operating system from the software catalogue instead of free text.

Each recorded text must name a catalogue version (its full name, case aside); texts that name none
stop the migration with the list, so that no device silently loses what was recorded about it.
"""

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    MobileDevice = apps.get_model("inventory", "MobileDevice")
    SoftwareVersion = apps.get_model("inventory", "SoftwareVersion")
    versions = {name.casefold(): pk for pk, name in SoftwareVersion.objects.values_list("pk", "name")}
    texts = MobileDevice.objects.exclude(os_version="").values_list("os_version", flat=True).distinct()
    missing = sorted(t for t in texts if t.casefold() not in versions)
    if missing:
        raise RuntimeError("These operating system versions of mobile devices are not in the software "
                           "catalogue; add them (or clear the devices' text) and migrate again:\n"
                           + "\n".join(missing))
    for text in texts:
        MobileDevice.objects.filter(os_version=text).update(operating_system_id=versions[text.casefold()])


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    MobileDevice = apps.get_model("inventory", "MobileDevice")
    for device in MobileDevice.objects.filter(operating_system__isnull=False).select_related("operating_system"):
        device.os_version = device.operating_system.name[:50]
        device.save(update_fields=["os_version"])


class Migration(migrations.Migration):

    dependencies = [
        ("inventory", "0008_hardware_templates_rack_reservations"),
    ]

    operations = [
        migrations.AddField(
            model_name="mobiledevice",
            name="operating_system",
            field=models.ForeignKey(
                blank=True, help_text="The version from the software catalogue, so that unsupported versions are "
                "reported.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="mobile_devices",
                to="inventory.softwareversion", verbose_name="operating system",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
