"""Active Directory domains and controllers, mail systems and servers (statute 2.8, 2.9)."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from irtis.inventory.models import DirectoryDomain, DomainController, MailServer, MailSystem
from tests.support.contract import ModelContract

from . import factories as f


def domain(n: int = 0) -> DirectoryDomain:
    return DirectoryDomain.objects.get_or_create(
        fqdn=f"muitine{n}.lt", defaults={"netbios_name": f"MUITINE{n}", "functional_level": "2016"})[0]


def mail(n: int = 0) -> MailSystem:
    return MailSystem.objects.get_or_create(name=f"Exchange {n}", defaults={"domains": "lrmuitine.lt"})[0]


class TestDirectoryDomain(ModelContract):
    model = DirectoryDomain
    change = {"functional_level": "2025"}

    def make(self, n: int) -> DirectoryDomain:
        return domain(n)

    def new_values(self) -> dict:
        return {"fqdn": "vidus.muitine.lt", "netbios_name": "VIDUS", "functional_level": "2016"}


class TestDomainController(ModelContract):
    model = DomainController
    change = {"fsmo_roles": "pdc, rid"}

    def make(self, n: int) -> DomainController:
        return DomainController.objects.create(domain=domain(), name=f"hq-dc-{n:02d}", site=f.site())

    def new_values(self) -> dict:
        return {"domain": domain(), "name": "hq-dc-99", "site": f.site(), "global_catalog": True}


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


def test_fsmo_roles_are_checked_and_ordered(db: Any) -> None:
    dc = DomainController(domain=domain(), name="hq-dc-01", site=f.site(), fsmo_roles="RID pdc,schema")
    dc.full_clean()
    assert dc.fsmo_roles == "schema, pdc, rid"
    dc.fsmo_roles = "pdc, emperor"
    with pytest.raises(ValidationError):
        dc.full_clean()
    dc.fsmo_roles, dc.read_only = "pdc", True
    with pytest.raises(ValidationError):
        dc.full_clean()


def test_controller_device_must_be_at_its_site(db: Any) -> None:
    dc = DomainController(domain=domain(), name="hq-dc-01", site=f.site("VNO-HQ"), device=f.device("dc1-x"))
    with pytest.raises(ValidationError) as error:
        dc.full_clean()
    assert "device" in error.value.message_dict


def test_mail_domains_are_normalised(db: Any) -> None:
    system = MailSystem(name="Exchange", domains="LRMuitine.lt  cust.lt,lrmuitine.lt")
    system.full_clean()
    assert system.domains == "lrmuitine.lt, cust.lt"
