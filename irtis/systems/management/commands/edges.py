"""`irtis edges check|rebuild`: the dependency graph's edge index (`irtis.systems.edges`)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from irtis.systems import edges


class Command(BaseCommand):
    help = "Check the dependency graph's edge index against the records, or rebuild it with its triggers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("check", "rebuild"))

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "rebuild":
            self.stdout.write(f"{edges.install()} edges")
            return
        found = edges.differences()
        for row in found:
            self.stdout.write(" ".join(str(v) for v in row))
        if found:
            raise CommandError("the edge index disagrees with the records: run `irtis edges rebuild`")
        self.stdout.write("the edge index agrees with the records")
