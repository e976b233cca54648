# Merges the SNMP checks and the service levels, made side by side.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0002_sla'),
        ('monitoring', '0002_snmp'),
    ]

    operations = [
    ]
