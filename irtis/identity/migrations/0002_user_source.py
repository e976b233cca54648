from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('identity', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='source',
            field=models.CharField(choices=[('local', 'local'), ('ad', 'Active Directory')], default='local', max_length=8, verbose_name='source'),
        ),
    ]
