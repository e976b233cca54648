"""The mail models' rules: clear errors for bad input on forms, the API and models, nothing written."""

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from irtis.inventory.models import Device
from irtis.mail.models import AcceptedDomain, Connector, DatabaseCopy, MailCertificate, MailServer, MailSystem
from tests.inventory import factories as inventory
from tests.support.language import choose
from tests.virtualization.factories import cluster, vm

from . import factories as f

JSON = "application/json"
pytestmark = pytest.mark.django_db


def refused(obj: Any, field: str) -> str:
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert field in error.value.message_dict, error.value.message_dict
    return " ".join(error.value.message_dict[field])


def test_mail_domains_are_normalised() -> None:
    system = MailSystem(name="Exchange", domains="LRMuitine.lt  cust.lt,lrmuitine.lt")
    system.full_clean()
    assert system.domains == "lrmuitine.lt, cust.lt"


def test_a_server_runs_on_a_device_or_a_virtual_machine_not_both() -> None:
    device: Device = inventory.device("exch-fiz")
    machine = vm("exch-01.prod", cluster())
    on_vm = MailServer(mail_system=f.system(), name="exch-01", virtual_machine=machine)
    on_vm.full_clean()
    both = MailServer(mail_system=f.system(), name="exch-02", virtual_machine=machine, device=device)
    assert "ne abiejose" in refused(both, "virtual_machine")
    MailServer(mail_system=f.system(), name="exch-03").full_clean()  # neither known: allowed


def test_a_copy_on_a_server_outside_the_dag_is_refused() -> None:
    db = f.database()
    outsider = f.server("exch-09")
    message = refused(DatabaseCopy(database=db, server=outsider, activation_preference=1), "server")
    assert "exch-09" in message and "DAG-1" in message


def test_one_default_accepted_domain_per_mail_system() -> None:
    f.domain("lrmuitine.lt", default=True)
    second = AcceptedDomain(domain="cust.lt", mail_system=f.system(), default=True)
    assert "lrmuitine.lt" in refused(second, "default")
    AcceptedDomain(domain="cust.lt", mail_system=f.system(0 + 1), default=True).full_clean()  # another system


def test_certificate_rules() -> None:
    values = {"subject": "CN=mail.lrmuitine.lt", "issuer": "CN=CA", "not_before": datetime.date(2026, 1, 1),
              "not_after": datetime.date(2027, 1, 1)}
    good = MailCertificate(thumbprint="3f:2a 9c41d07b5e8816ac2f90b4e7d3615c08a9f2", services="smtp iis", **values)
    good.full_clean()
    assert good.thumbprint == "3F2A9C41D07B5E8816AC2F90B4E7D3615C08A9F2" and good.services == "SMTP, IIS"
    assert "40" in refused(MailCertificate(thumbprint="XYZ", **values), "thumbprint")
    assert "fax" in refused(MailCertificate(thumbprint="A" * 40, services="SMTP, fax", **values), "services")
    backwards = {**values, "not_after": datetime.date(2025, 12, 31)}
    refused(MailCertificate(thumbprint="B" * 40, **backwards), "not_after")


def test_connector_rules() -> None:
    refused(Connector(name="S", mail_system=f.system(), kind="send"), "address_spaces")
    refused(Connector(name="R", mail_system=f.system(), kind="receive", smart_hosts="gw.lt"), "smart_hosts")
    send = Connector(name="S", mail_system=f.system(), kind="send", address_spaces="VMI.lt; *  vmi.lt")
    send.full_clean()
    assert send.address_spaces == "vmi.lt, *"


def post(client: Client, path: str, data: dict) -> Any:
    return client.post(f"/api/mail/{path}/", json.dumps(data), content_type=JSON)


def test_api_refuses_bad_input_naming_the_field_and_writes_nothing(admin_client: Client) -> None:
    choose(admin_client, "en")
    db = f.database()
    outsider = f.server("exch-09")
    response = post(admin_client, "database-copies", {"database": db.pk, "server": outsider.pk,
                                                      "activation_preference": 1})
    assert response.status_code == 400 and "server" in response.json()["errors"], response.content
    assert not DatabaseCopy.objects.exists()
    f.domain("lrmuitine.lt", default=True)
    response = post(admin_client, "accepted-domains", {"domain": "cust.lt", "mail_system": f.system().pk,
                                                       "default": True})
    assert response.status_code == 400 and "default" in response.json()["errors"], response.content
    assert not AcceptedDomain.objects.filter(domain="cust.lt").exists()
    certificate = {"subject": "CN=x", "issuer": "CN=CA", "not_before": "2026-06-01", "not_after": "2026-01-01",
                   "thumbprint": "A" * 40}
    response = post(admin_client, "mail-certificates", certificate)
    assert response.status_code == 400 and "not_after" in response.json()["errors"], response.content
    response = post(admin_client, "mail-certificates", {**certificate, "not_after": "2027-01-01",
                                                        "thumbprint": "G" * 40})
    assert response.status_code == 400 and "thumbprint" in response.json()["errors"], response.content
    assert not MailCertificate.objects.exists()
    machine = vm("exch-01.prod", cluster())
    response = post(admin_client, "mail-servers", {"name": "exch-05", "mail_system": f.system().pk,
                                                   "device": inventory.device("x").pk, "virtual_machine": machine.pk})
    assert response.status_code == 400 and "virtual_machine" in response.json()["errors"], response.content
    assert not MailServer.objects.filter(name="exch-05").exists()


def test_form_refuses_a_second_default_domain(admin_client: Client) -> None:
    f.domain("lrmuitine.lt", default=True)
    response = admin_client.post("/mail/accepted-domains/add/", {
        "domain": "cust.lt", "mail_system": f.system().pk, "kind": "authoritative", "default": "on"})
    assert response.status_code == 400
    assert "jau yra numatytasis" in response.content.decode()
    assert not AcceptedDomain.objects.filter(domain="cust.lt").exists()
