"""`irtis token create|revoke|list`: API tokens from the command line."""

import ipaddress
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from irtis.audit.context import changes_by
from irtis.audit.models import Source
from irtis.identity import tokens
from irtis.identity.models import APIToken, User


class Command(BaseCommand):
    help = "Create (printing the token once), revoke or list API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for a user; prints it once")
        create.add_argument("username")
        create.add_argument("--expires", type=int, metavar="DAYS", help="valid for DAYS days")
        create.add_argument("--read-only", action="store_true", help="may only read")
        create.add_argument(
            "--network",
            action="append",
            default=[],
            metavar="CIDR",
            help="a network it may be used from (repeatable)",
        )
        create.add_argument("--description", default="")
        revoke = sub.add_parser("revoke", help="revoke the token with this prefix")
        revoke.add_argument("prefix")
        listing = sub.add_parser("list", help="list tokens")
        listing.add_argument("username", nargs="?")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, action)(**options)

    def create(
        self,
        username: str,
        expires: int | None,
        read_only: bool,
        network: list[str],
        description: str,
        **options: Any,
    ) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username}.")
        if expires is not None and expires < 1:
            raise CommandError("--expires must be 1 day or more.")
        for text in network:
            try:
                ipaddress.ip_network(text, strict=False)
            except ValueError:
                raise CommandError(f"{text} is not a network (CIDR).") from None
        with changes_by(source=Source.CLI):
            token, plain = tokens.issue(
                user, days=expires, read_only=read_only, description=description, networks=network
            )
        self.stderr.write(f"Token {token.prefix}… for {user.username}; it is shown only now:")
        self.stdout.write(plain)

    def revoke(self, prefix: str, **options: Any) -> None:
        prefix = prefix.removeprefix("irt_")[:8]
        found = list(APIToken.objects.filter(prefix=prefix, revoked__isnull=True))
        if not found:
            raise CommandError(f"No active token {prefix}.")
        if len(found) > 1:
            raise CommandError(f"{len(found)} tokens start with {prefix}; give more characters.")
        with changes_by(source=Source.CLI):
            tokens.revoke(found[0])
        self.stdout.write(f"Revoked {found[0]}.")

    def list(self, username: str | None = None, **options: Any) -> None:
        rows = APIToken.objects.select_related("user")
        if username:
            rows = rows.filter(user__username=username)
        for t in rows:
            state = "revoked" if t.revoked else "active"
            expires = t.expires.date().isoformat() if t.expires else "never"
            self.stdout.write(
                f"{t.prefix}  {t.user.username:15} {state:8} expires {expires:10} "
                f"{'read-only ' if t.read_only else ''}{t.description}"
            )
