"""`irtis roles sync|list|grant|revoke`: the division's roles and who has them."""

from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser

from irtis.audit.context import changes_by
from irtis.audit.models import Source
from irtis.identity import roles
from irtis.identity.models import User


class Command(BaseCommand):
    help = "Create the roles and their default permissions (sync), list them, grant or revoke them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sync", help="create or update the roles and their default permissions")
        sub.add_parser("list", help="list the roles and their members")
        for name in ("grant", "revoke"):
            p = sub.add_parser(name, help=f"{name} a role to a user")
            p.add_argument("username")
            p.add_argument("role", choices=[r.code for r in roles.ROLES])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        with changes_by(source=Source.CLI):
            if action == "sync":
                changed = roles.sync()
                self.stdout.write(", ".join(changed) if changed else "Nothing to change.")
            elif action == "list":
                for role in roles.ROLES:
                    members = Group.objects.filter(name=role.code).values_list(
                        "user__username", flat=True
                    )
                    names = ", ".join(sorted(m for m in members if m))
                    self.stdout.write(f"{role.code:18} {role.label}: {names or '-'}")
            else:
                user = User.objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(f"No user {options['username']}.")
                group, _ = Group.objects.get_or_create(name=options["role"])
                (user.groups.add if action == "grant" else user.groups.remove)(group)
                self.stdout.write(f"{action}: {options['role']} {user.username}")
