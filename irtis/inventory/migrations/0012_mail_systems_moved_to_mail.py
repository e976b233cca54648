"""MailSystem and MailServer now belong to irtis.mail (see mail/0001): state only, the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('inventory', '0011_directory_moved_to_its_app'),
        ('mail', '0001_move_mail_systems_from_inventory'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='MailServer'),
                migrations.DeleteModel(name='MailSystem'),
            ],
        ),
    ]
