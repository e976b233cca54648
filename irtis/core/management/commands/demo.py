"""Load the demo customs estate: every app's `demo.load()`, in INSTALLED_APPS order."""

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from irtis.audit.context import changes_by
from irtis.audit.models import Source
from irtis.core import demo
from irtis.sql import analyze


class Command(BaseCommand):
    help = ("Load the demo estate, or bring its objects back to the demo's values (undoing edits to "
            "them). Running it twice changes nothing the second time.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true",
                            help="Only into a database the demo was never loaded into (so a restart keeps edits).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"] and demo.loaded():
            self.stdout.write("Demo estate already loaded: kept as it is (`irtis demo` loads it again).")
            return
        with changes_by(source=Source.CLI), transaction.atomic():
            for config in apps.get_app_configs():
                module = f"{config.name}.demo"
                if config.name.startswith("irtis.") and find_spec(module):
                    import_module(module).load()
        # Tables loaded from empty: planned for their real sizes from the first request on.
        analyze([m for m in apps.get_models() if m._meta.managed and not m._meta.proxy])
        self.stdout.write(self.style.SUCCESS("Demo estate loaded."))
