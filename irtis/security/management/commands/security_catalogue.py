"""`irtis security_catalogue [FILE ...]`: load or update the catalogues of requirements (a new
edition of a framework: its JSON file) and the controls. A rerun writes nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from irtis.audit.context import changes_by
from irtis.audit.models import Source
from irtis.security import catalogue


class Command(BaseCommand):
    help = ("Load the frameworks' requirements and mappings (the shipped ones, or the JSON files given) and "
            "the controls; idempotent.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="framework JSON files (default: all shipped ones)")
        parser.add_argument("--no-controls", action="store_true", help="load only the frameworks")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with changes_by(None, Source.CLI):
                frameworks, controls = catalogue.load(options["files"] or None, controls=not options["no_controls"])
        except catalogue.CatalogueError as error:
            raise CommandError(str(error)) from None
        for framework in frameworks:
            self.stdout.write(f"{framework}: {framework.requirements.filter(withdrawn=False).count()} requirements")
        self.stdout.write(f"controls: {len(controls)}")
