"""Contracts: dates refused in the wrong order, amendments as audited versions, deadline alerts."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from irtis.audit.models import AuditEntry
from irtis.identity.models import User
from irtis.notifications.models import Notification
from irtis.procurement import jobs
from irtis.procurement.models import Contract, ContractAlert, ContractAmendment
from irtis.tasks.runs import execute

from . import factories as f

pytestmark = pytest.mark.django_db


def test_a_contract_ending_before_it_starts_is_refused_by_api_and_form(admin_client):
    body = {"number": "S-BLOGA", "supplier": f.supplier().pk, "subject": "x", "value": "10", "currency": "EUR",
            "start": "2026-06-01", "end": "2026-05-31", "status": "active", "notice_days": 0}
    response = admin_client.post("/api/procurement/contracts/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    reason = "Sutartis negali baigtis anksčiau, nei prasideda."  # the site answers in Lithuanian
    assert reason in response.json()["errors"]["end"]
    page = admin_client.post("/procurement/contracts/add/", {**body, "tags": []})
    assert page.status_code == 400 and reason in page.content.decode()
    assert not Contract.objects.filter(number="S-BLOGA").exists()


def test_an_amendment_is_a_new_version_of_the_contract_in_the_trail():
    contract = f.contract("S-7", end=date(2026, 12, 31))
    amendment = ContractAmendment(contract=contract, number=1, signed_on=date(2026, 6, 1), new_end=date(2027, 12, 31),
                                  new_value=Decimal("15000"), description="Pratęsta metams")
    amendment.full_clean()
    amendment.save()
    contract.refresh_from_db()
    assert (contract.end, contract.value, contract.version) == (date(2027, 12, 31), Decimal("15000"), 2)
    assert (amendment.previous_end, amendment.previous_value) == (date(2026, 12, 31), Decimal("12000"))
    update = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Contract),
                                       object_id=contract.pk, action="update").get()
    assert update.before["end"] == "2026-12-31" and update.after["end"] == "2027-12-31"
    amendment.new_end = date(2030, 1, 1)
    with pytest.raises(Exception, match="A signed amendment is not changed"):
        amendment.full_clean()
    early = ContractAmendment(contract=contract, number=2, signed_on=date(2026, 7, 1), new_end=date(2024, 1, 1),
                              description="Klaida")
    with pytest.raises(Exception, match="cannot end before it starts"):
        early.full_clean()


def _run() -> dict:
    run = jobs.alert_contract_deadlines.start()
    execute(str(run.pk))
    run.refresh_from_db()
    return run.result


def test_alerts_90_60_30_days_before_expiry_and_notice_each_once(monkeypatch):
    today = date(2026, 3, 1)
    monkeypatch.setattr(timezone, "localdate", lambda *a: today)
    supervisor = User.objects.create_superuser("prizi", password="x")
    contract = f.contract("S-9", end=today + timedelta(days=100), notice_days=40, owner=supervisor)
    # notice date: day 60 from today; expiry: day 100
    assert contract.notice_date == today + timedelta(days=60)
    assert _run() == {"notified": 1}  # the notice date is 60 days away: its 60-day alert
    assert list(ContractAlert.objects.values_list("deadline", "threshold")) == [("notice", 60)]
    assert _run() == {"notified": 0}  # told once
    today = date(2026, 3, 11)  # expiry 90 days away
    assert _run() == {"notified": 1}
    today = date(2026, 3, 31)  # notice 30 days away, expiry 70
    assert _run() == {"notified": 1}
    assert sorted(ContractAlert.objects.values_list("deadline", "threshold")) == [
        ("expiry", 90), ("notice", 30), ("notice", 60)]
    notification = Notification.objects.filter(recipient=supervisor).order_by("pk").last()
    assert notification.kind == "procurement.contract_deadline" and notification.context["days"] == 30


def test_a_contract_without_supervisor_alerts_the_procurement_role():
    specialist = User.objects.create_user("pirkejas")
    specialist.groups.add(Group.objects.get_or_create(name="procurement")[0])
    from irtis.identity import roles

    roles.sync()
    f.contract("S-10", end=timezone.localdate() + timedelta(days=20))
    ended = f.contract("S-11", end=timezone.localdate() + timedelta(days=20), status="ended")
    assert _run() == {"notified": 1}
    assert Notification.objects.get().recipient == specialist
    assert not ContractAlert.objects.filter(contract=ended).exists()


def test_deadlines_page_lists_what_falls_within_the_period(admin_client):
    soon = f.contract("S-SOON", end=timezone.localdate() + timedelta(days=45))
    f.contract("S-LATE", end=timezone.localdate() + timedelta(days=400))
    noticed = f.contract("S-NOTICE", end=timezone.localdate() + timedelta(days=200), notice_days=150)
    page = admin_client.get("/procurement/deadlines/").content.decode()
    assert soon.number in page and noticed.number in page and "S-LATE" not in page
