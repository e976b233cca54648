"""Mail systems and servers (statute 2.8)."""

from typing import Any

from irtis.inventory.models import MailServer, MailSystem
from tests.support.contract import ModelContract


def mail(n: int = 0) -> MailSystem:
    return MailSystem.objects.get_or_create(name=f"Exchange {n}", defaults={"domains": "lrmuitine.lt"})[0]


class TestMailSystem(ModelContract):
    model = MailSystem
    change = {"domains": "lrmuitine.lt, cust.lt"}

    def make(self, n: int) -> MailSystem:
        return mail(n)

    def new_values(self) -> dict:
        return {"name": "Exchange organizacija", "domains": "lrmuitine.lt"}


class TestMailServer(ModelContract):
    model = MailServer
    change = {"role": "edge"}

    def make(self, n: int) -> MailServer:
        return MailServer.objects.create(mail_system=mail(), name=f"exch-{n:02d}")

    def new_values(self) -> dict:
        return {"mail_system": mail(), "name": "exch-99", "role": "mailbox"}


def test_mail_domains_are_normalised(db: Any) -> None:
    system = MailSystem(name="Exchange", domains="LRMuitine.lt  cust.lt,lrmuitine.lt")
    system.full_clean()
    assert system.domains == "lrmuitine.lt, cust.lt"
