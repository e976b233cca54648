"""On PostgreSQL, a trigram index for the search index's `text`, so the global search and every
list's `q` (LIKE '%word%') read the index instead of scanning every row. pg_trgm is a trusted
extension (PostgreSQL 13+): the database owner may create it. SQLite scans; it has no such index."""

from django.db import migrations

CREATE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS core_searchentry_text_trgm ON core_searchentry USING gin (text gin_trgm_ops)",
)
DROP = ("DROP INDEX IF EXISTS core_searchentry_text_trgm",)


def _run(statements: tuple[str, ...]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_ordering_indexes"),
    ]

    operations = [
        migrations.RunPython(_run(CREATE), _run(DROP)),
    ]
