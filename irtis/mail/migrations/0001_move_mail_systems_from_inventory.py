"""MailSystem and MailServer move from irtis.inventory to irtis.mail: the tables stay
(inventory_mailsystem, inventory_mailserver and their tags), only Django's state moves; the content
types are renamed in place, so permissions, audit entries, journals and search rows keep pointing
at them."""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models

import irtis.core.names

MODELS = ("mailsystem", "mailserver")


def rename_content_types(apps, schema_editor, old="inventory", new="mail"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            continue  # already renamed (or created by a run that migrated the state first)
        ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def restore_content_types(apps, schema_editor):
    rename_content_types(apps, schema_editor, old="mail", new="inventory")


def _common():
    return [
        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
        ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
        ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
    ]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0007_unique_names'),
        ('inventory', '0008_hardware_templates_rack_reservations'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MailSystem',
                    fields=[
                        *_common(),
                        ('name', irtis.core.names.NameField(max_length=100, unique=True, verbose_name='name')),
                        ('domains', models.CharField(help_text='Comma-separated.', max_length=500,
                                                     verbose_name='mail domains')),
                        ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
                        ('software_version', models.ForeignKey(
                            blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                            related_name='mail_systems', to='inventory.softwareversion',
                            verbose_name='product version')),
                        ('tags', models.ManyToManyField(blank=True, related_name='+', to='core.tag',
                                                        verbose_name='tags')),
                    ],
                    options={
                        'verbose_name': 'mail system',
                        'verbose_name_plural': 'mail systems',
                        'db_table': 'inventory_mailsystem',
                        'ordering': ['name'],
                        'indexes': [models.Index(django.db.models.functions.comparison.Collate(
                            models.F('name'), 'lt-x-icu'), name='inventory_mailsystem_lt')],
                        'constraints': [irtis.core.names.UniqueName(
                            'name', name='inventory_mailsystem_name_unique', scope=())],
                    },
                ),
                migrations.CreateModel(
                    name='MailServer',
                    fields=[
                        *_common(),
                        ('name', irtis.core.names.NameField(max_length=100, unique=True, verbose_name='host name')),
                        ('role', models.CharField(choices=[('mailbox', 'mailbox server'), ('edge', 'edge transport'),
                                                           ('gateway', 'mail gateway'), ('other', 'other')],
                                                  default='mailbox', max_length=10, verbose_name='role')),
                        ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
                        ('device', models.ForeignKey(
                            blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                            related_name='mail_servers', to='inventory.device', verbose_name='device')),
                        ('mail_system', models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name='servers',
                            to='mail.mailsystem', verbose_name='mail system')),
                        ('tags', models.ManyToManyField(blank=True, related_name='+', to='core.tag',
                                                        verbose_name='tags')),
                    ],
                    options={
                        'verbose_name': 'mail server',
                        'verbose_name_plural': 'mail servers',
                        'db_table': 'inventory_mailserver',
                        'ordering': ['name'],
                        'indexes': [models.Index(django.db.models.functions.comparison.Collate(
                            models.F('name'), 'lt-x-icu'), name='inventory_mailserver_lt')],
                        'constraints': [irtis.core.names.UniqueName(
                            'name', name='inventory_mailserver_name_unique', scope=())],
                    },
                ),
            ],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
