"""The platform's contract (pages, API, imports, search, permissions) for every mail model."""

import datetime

from django.db import models

from irtis.mail.models import (
    AcceptedDomain,
    Connector,
    DatabaseAvailabilityGroup,
    DatabaseCopy,
    MailboxDatabase,
    MailCertificate,
    MailServer,
    MailSystem,
)
from tests.support.contract import ModelContract

from . import factories as f


class TestMailSystem(ModelContract):
    model = MailSystem
    change = {"domains": "lrmuitine.lt, cust.lt"}

    def make(self, n: int) -> MailSystem:
        return f.system(n)

    def new_values(self) -> dict:
        return {"name": "Exchange organizacija", "domains": "lrmuitine.lt"}


class TestMailServer(ModelContract):
    model = MailServer
    change = {"role": "edge"}

    def make(self, n: int) -> MailServer:
        return MailServer.objects.create(mail_system=f.system(), name=f"exch-{n:02d}")

    def new_values(self) -> dict:
        return {"mail_system": f.system(), "name": "exch-99", "role": "mailbox"}


class TestDatabaseAvailabilityGroup(ModelContract):
    model = DatabaseAvailabilityGroup
    change = {"witness_server": "hq-fs-02.ad.lrmuitine.lt"}

    def make(self, n: int) -> DatabaseAvailabilityGroup:
        return DatabaseAvailabilityGroup.objects.create(name=f"DAG-{n}", mail_system=f.system())

    def new_values(self) -> dict:
        return {"name": "DAG-NAUJA", "mail_system": f.system(), "witness_server": "hq-fs-01.ad.lrmuitine.lt"}

    def many_targets(self, field: models.ManyToManyField, n: int) -> list:
        if field.name == "members":
            return [f.server(f"exch-m{i}") for i in range(n)]
        return super().many_targets(field, n)


class TestMailboxDatabase(ModelContract):
    model = MailboxDatabase
    change = {"description": "Archyvas"}

    def make(self, n: int) -> MailboxDatabase:
        return MailboxDatabase.objects.create(name=f"DB{n:02d}", dag=f.dag())

    def new_values(self) -> dict:
        return {"name": "DB99", "dag": f.dag()}


class TestDatabaseCopy(ModelContract):
    model = DatabaseCopy
    change = {"status": "failed"}

    def make(self, n: int) -> DatabaseCopy:
        return DatabaseCopy.objects.create(database=f.database(f"DB{n:02d}"), server=f.server("exch-01"))

    def new_values(self) -> dict:
        return {"database": f.database("DB99"), "server": f.server("exch-02"), "activation_preference": 2,
                "status": "healthy"}

    def differ(self, name: str, first: DatabaseCopy, second: DatabaseCopy) -> str:
        """Another server must be another member of the DAG."""
        if name != "server":
            return super().differ(name, first, second)
        first.server = f.server("exch-02")
        first.full_clean()
        first.save()
        return str(first.server_id)


class TestConnector(ModelContract):
    model = Connector
    change = {"smart_hosts": "smtp-gw-02.lrmuitine.lt"}

    def make(self, n: int) -> Connector:
        return Connector.objects.create(name=f"Siuntimas {n}", mail_system=f.system(), kind="send",
                                        address_spaces="*")

    def new_values(self) -> dict:
        return {"name": "Į internetą", "mail_system": f.system(), "kind": "send", "address_spaces": "*",
                "fqdn": "mail.lrmuitine.lt"}

    def many_targets(self, field: models.ManyToManyField, n: int) -> list:
        if field.name == "source_servers":
            return [f.server(f"exch-s{i}") for i in range(n)]
        return super().many_targets(field, n)


class TestAcceptedDomain(ModelContract):
    model = AcceptedDomain
    change = {"kind": "internal_relay"}

    def make(self, n: int) -> AcceptedDomain:
        return AcceptedDomain.objects.create(domain=f"muitine{n}.lt", mail_system=f.system())

    def new_values(self) -> dict:
        return {"domain": "cust.lt", "mail_system": f.system(), "kind": "authoritative", "dkim_selectors": "s1"}


class TestMailCertificate(ModelContract):
    model = MailCertificate
    change = {"services": "SMTP, IIS"}

    def make(self, n: int) -> MailCertificate:
        return MailCertificate.objects.create(
            subject=f"CN=mail{n}.lrmuitine.lt", thumbprint=f"{n:040X}", issuer="CN=CA",
            not_before=datetime.date(2026, 1, 1), not_after=datetime.date(2027, 1, 1) + datetime.timedelta(days=n))

    def new_values(self) -> dict:
        return {"subject": "CN=owa.lrmuitine.lt", "thumbprint": "AB" * 20, "issuer": "CN=CA", "services": "IIS",
                "not_before": datetime.date(2026, 1, 1), "not_after": datetime.date(2027, 1, 1)}

    def many_targets(self, field: models.ManyToManyField, n: int) -> list:
        if field.name == "servers":
            return [f.server(f"exch-c{i}") for i in range(n)]
        return super().many_targets(field, n)
