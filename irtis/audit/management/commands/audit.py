"""`irtis audit verify|checkpoint|export|archive|ship`: the operator's tools for the trail."""

from datetime import datetime, time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from irtis.audit import archive, checkpoints, syslog
from irtis.audit.export import export_jsonl
from irtis.audit.verify import verify_trail


def _moment(text: str) -> datetime:
    """A date (local midnight) or an ISO date-time."""
    if (day := parse_date(text)) is not None:
        return timezone.make_aware(datetime.combine(day, time.min))
    if (moment := parse_datetime(text)) is not None:
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    raise CommandError(f"not a date: {text}")


class Command(BaseCommand):
    help = "Verify, sign, export, archive and ship the hash-chained audit trail."
    # Run from cron and by auditors: no system checks, which import the whole web application
    # (some 5 s); serve and migrate run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="check every hash, link and signed checkpoint")
        verify.add_argument("--archive", type=Path, help="check an archive file instead")
        sub.add_parser("checkpoint", help="sign the current head of the chain")
        export = sub.add_parser("export", help="write the trail as JSON Lines")
        export.add_argument("--format", choices=["jsonl"], default="jsonl")
        export.add_argument("--since", type=int, default=0, help="only entries with a larger id")
        export.add_argument("--out", type=Path, help="file to write (default: standard output)")
        arch = sub.add_parser("archive", help="move old entries to a signed file")
        arch.add_argument("--before", required=True, help="date (YYYY-MM-DD) or ISO date-time")
        arch.add_argument("--out", required=True, type=Path)
        ship = sub.add_parser("ship", help="send new entries to the syslog receiver (SIEM)")
        ship.add_argument("--follow", action="store_true", help="keep polling for new entries")
        ship.add_argument("--interval", type=float, default=5.0, help="seconds between polls")
        ship.add_argument("--batch", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['subcommand']}")(options)

    def do_verify(self, options: dict) -> None:
        if options["archive"]:
            return self._verify_archive(options["archive"])
        report = verify_trail()
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if report.problem:
            raise CommandError(
                f"audit trail BROKEN at {report.problem} "
                f"({report.checked} entries checked before it)"
            )
        self.stdout.write(
            f"audit trail intact: {report.checked} entries checked "
            f"(ids {report.first_id}..{report.last_id}), {report.checkpoints} signed checkpoints, "
            f"{report.unsigned_tail} entries after the last checkpoint; "
            f"{report.seconds:.2f} s, {report.rate:,.0f} entries/s"
        )

    def _verify_archive(self, path: Path) -> None:
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        check = archive.verify_archive(path)
        if check.problem:
            raise CommandError(f"archive {path} BROKEN: {check.problem}")
        anchored = "anchored in this database" if check.anchored else "no anchor in this database"
        self.stdout.write(
            f"archive intact: {check.entries} entries (ids {check.first_id}.."
            f"{check.last_id}), signature valid, {anchored}"
        )

    def do_checkpoint(self, options: dict) -> None:
        cp = checkpoints.checkpoint_now()
        if cp is None:
            self.stdout.write("nothing to sign: the head of the chain is already signed (or empty)")
        else:
            self.stdout.write(f"checkpoint #{cp.pk} signs entry {cp.entry_id} ({cp.entry_hash})")

    def do_export(self, options: dict) -> None:
        if options["out"]:
            with open(options["out"], "x", encoding="utf-8") as handle:
                count = export_jsonl(handle, options["since"])
            self.stderr.write(f"{count} entries written to {options['out']}")
        else:
            count = export_jsonl(self.stdout, options["since"])
            self.stderr.write(f"{count} entries written")

    def do_archive(self, options: dict) -> None:
        try:
            result = archive.archive(_moment(options["before"]), options["out"])
        except archive.ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{result.entries} entries (ids {result.first_id}..{result.last_id}) "
            f"archived to {result.path} (sha256 {result.sha256}) and removed"
        )

    def do_ship(self, options: dict) -> None:
        try:
            receiver = syslog.Receiver.from_settings()
            if options["follow"]:
                syslog.follow(receiver, self.stdout.write, options["interval"], options["batch"])
            sent = syslog.ship(receiver, options["batch"])
        except syslog.DeliveryError as exc:
            raise CommandError(f"shipping stopped: {exc}") from exc
        self.stdout.write(f"{sent} entries delivered to {receiver.name}")
