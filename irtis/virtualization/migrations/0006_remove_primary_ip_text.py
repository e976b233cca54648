from django.db import migrations


class Migration(migrations.Migration):
    # Apart from 0005: PostgreSQL alters no table holding rows just written in the same
    # transaction with deferred foreign-key checks pending.
    dependencies = [
        ("virtualization", "0005_primary_ip_from_text"),
    ]

    operations = [
        migrations.RemoveField(model_name="virtualmachine", name="primary_ip_text"),
    ]
