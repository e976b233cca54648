"""`irtis pgdump SOURCE_URL DIRECTORY`: a pg_dump -Fc file and its manifest, from one snapshot.

Run it where pg_dump reaches the source (cron, beside or instead of the usual pg_dump); the
directory is then a repository of tool "PostgreSQL dumps". The password goes in the URL or in
PGPASSWORD (better: it then shows in no process list).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from irtis.backups import pgdump
from irtis.backups.pgserver import ServerError


class Command(BaseCommand):
    help = ("Dump a PostgreSQL database with pg_dump -Fc and write its manifest (per-table row counts and "
            "checksums from the same snapshot) into DIRECTORY.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="postgresql://user@host:port/database of the database to dump")
        parser.add_argument("directory", type=Path)
        parser.add_argument("--prefix", default="", help="file name prefix (default: the database's name)")
        parser.add_argument("--host", default="", help="the host name recorded in the manifest (default: the URL's)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = pgdump.write_dump(pgdump.server_from_args(options["source"]), options["directory"],
                                         prefix=options["prefix"], host=options["host"])
        except (pgdump.DumpError, ServerError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(manifest))
