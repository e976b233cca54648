"""DirectoryDomain and DomainController now belong to irtis.directory (its 0001): removed from this
app's state only; their tables stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("inventory", "0010_remove_mobile_os_version"),
        ("directory", "0001_move_from_inventory"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="DomainController"),
                migrations.DeleteModel(name="DirectoryDomain"),
            ],
        ),
    ]
