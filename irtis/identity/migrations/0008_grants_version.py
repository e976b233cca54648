"""The token that changes with every write to what grants permissions (`GrantsVersion`): one row,
changed by triggers on the granting tables, so that no writer (a bulk insert, a cascade, raw SQL)
can change a grant without changing it."""

from django.db import migrations, models

# Copied, not imported: a migration keeps the tables it was written for.
GRANTING_TABLES = ("identity_objectpermission", "identity_objectpermission_users",
                   "identity_objectpermission_groups", "identity_objectpermission_object_types",
                   "identity_user_groups")
VERSION = "identity_grantsversion"

SQLITE_TOKEN = "lower(hex(randomblob(16)))"
POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION identity_grants_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {VERSION} SET token = md5(random()::text || clock_timestamp()::text);
    RETURN NULL;
END $$"""


def install(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_FUNCTION)
            for table in GRANTING_TABLES:
                cursor.execute(f"CREATE TRIGGER {table}_grants AFTER INSERT OR UPDATE OR DELETE OR "
                               f"TRUNCATE ON {table} FOR EACH STATEMENT "
                               f"EXECUTE FUNCTION identity_grants_changed()")
            cursor.execute(f"INSERT INTO {VERSION} (token) VALUES (md5(random()::text))")
            return
        for table in GRANTING_TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                cursor.execute(f"CREATE TRIGGER {table}_grants_{event.lower()} AFTER {event} ON "
                               f"{table} BEGIN UPDATE {VERSION} SET token = {SQLITE_TOKEN}; END")
        cursor.execute(f"INSERT INTO {VERSION} (token) VALUES ({SQLITE_TOKEN})")


def uninstall(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in GRANTING_TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_grants ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS identity_grants_changed()")
            return
        for table in GRANTING_TABLES:
            for event in ("insert", "update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_grants_{event}")


class Migration(migrations.Migration):

    dependencies = [
        ('identity', '0007_unique_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='GrantsVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
