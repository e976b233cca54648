"""Small saved mail objects for the tests; `n` makes each one unique."""

import datetime

from irtis.mail.models import (
    AcceptedDomain,
    DatabaseAvailabilityGroup,
    DatabaseCopy,
    MailboxDatabase,
    MailServer,
    MailSystem,
)


def system(n: int = 0) -> MailSystem:
    return MailSystem.objects.get_or_create(name=f"Exchange {n}", defaults={"domains": "lrmuitine.lt"})[0]


def server(name: str = "exch-01", of: MailSystem | None = None) -> MailServer:
    return MailServer.objects.get_or_create(name=name, defaults={"mail_system": of or system()})[0]


def dag(name: str = "DAG-1", members: tuple[str, ...] = ("exch-01", "exch-02")) -> DatabaseAvailabilityGroup:
    group, created = DatabaseAvailabilityGroup.objects.get_or_create(name=name, defaults={"mail_system": system()})
    if created:
        group.members.set([server(m) for m in members])
    return group


def database(name: str = "DB01", group: DatabaseAvailabilityGroup | None = None) -> MailboxDatabase:
    return MailboxDatabase.objects.get_or_create(name=name, defaults={"dag": group or dag()})[0]


def copy(db: MailboxDatabase, on: str, preference: int, status: str = "healthy") -> DatabaseCopy:
    inspected = datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC)
    return DatabaseCopy.objects.create(database=db, server=server(on), activation_preference=preference,
                                       status=status, last_inspected=inspected)


def domain(name: str = "lrmuitine.lt", selectors: str = "", default: bool = False) -> AcceptedDomain:
    return AcceptedDomain.objects.create(domain=name, mail_system=system(), dkim_selectors=selectors, default=default)
