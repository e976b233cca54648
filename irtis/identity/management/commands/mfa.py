"""`irtis mfa reset USERNAME`: forget a user's authenticator (lost phone); they enrol again."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from irtis.audit.context import changes_by
from irtis.audit.models import Action, Source
from irtis.identity import mfa
from irtis.identity.events import about, record
from irtis.identity.models import User


class Command(BaseCommand):
    help = "Reset a user's second factor so that they set it up again at the next sign-in."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reset = sub.add_parser("reset")
        reset.add_argument("username")

    def handle(self, *args: Any, action: str, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username}.")
        with changes_by(source=Source.CLI):
            mfa.reset(user)
            record(Action.MFA_ENROLLED, user.get_username(), after={"reset": True}, **about(user))
        self.stdout.write(f"The second factor of {username} is reset.")
