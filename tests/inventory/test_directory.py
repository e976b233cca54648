"""Active Directory domains and controllers (statute 2.9); mail is tests/mail."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from irtis.inventory.models import DirectoryDomain, DomainController
from tests.support.contract import ModelContract

from . import factories as f


def domain(n: int = 0) -> DirectoryDomain:
    return DirectoryDomain.objects.get_or_create(
        fqdn=f"muitine{n}.lt", defaults={"netbios_name": f"MUITINE{n}", "functional_level": "2016"})[0]


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

