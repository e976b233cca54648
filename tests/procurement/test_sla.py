"""External services: monthly availability from monitoring's records, breaches, penalties, statement."""

import datetime as dt
import math
from decimal import Decimal

import pytest
from django.utils import timezone

from irtis.monitoring.models import SystemChange
from irtis.procurement import sla
from irtis.procurement.models import ExternalService
from tests.risks.factories import system

from . import factories as f

pytestmark = pytest.mark.django_db


def test_a_month_below_target_is_a_breach_with_its_penalty(admin_client):
    wan = system("WAN")
    now = timezone.now()
    month = timezone.localtime(now).date().replace(day=1)
    last = (month - dt.timedelta(days=1)).replace(day=1)
    zone = timezone.get_current_timezone()
    at = dt.datetime.combine(last, dt.time(), zone)
    SystemChange.objects.create(system=wan, at=at - dt.timedelta(days=60), state="up")
    SystemChange.objects.create(system=wan, at=at + dt.timedelta(days=10), state="down")
    SystemChange.objects.create(system=wan, at=at + dt.timedelta(days=10, hours=3), state="up")  # 3 h down
    service = ExternalService.objects.create(
        name="WAN kanalai", kind="wan", supplier=f.supplier(), system=wan,
        contract=f.contract("S-WAN", availability_percent=Decimal("99.9")), monthly_fee=Decimal("10000"),
        penalty_step=Decimal("0.1"), penalty_rate=Decimal("5"), penalty_cap=Decimal("30"))
    months = sla.statement(service, 2, now)
    previous, current = months
    assert previous.start == last and previous.target == Decimal("99.9")
    days = ((month - last).days)
    expected = Decimal(str(100 * (1 - 3 / (days * 24)))).quantize(Decimal("0.01"))
    assert previous.measured == expected and previous.down_minutes == 180 and previous.breach
    # 99.9 − 99.58 (30 days) = 0.32 → 4 started steps × 5 % = 20 % of 10,000
    steps = math.ceil((Decimal("99.9") - Decimal(str(100 * (1 - 3 / (days * 24))))) / Decimal("0.1"))
    assert previous.penalty == min(steps * 5, 30) * 100
    assert not current.breach and current.penalty == 0
    page = admin_client.get(f"/procurement/external-services/{service.pk}/statement/?months=2").content.decode()
    assert "table-danger" in page and str(previous.penalty).replace(".", ",") in page  # Lithuanian numbers
    api = admin_client.get(f"/api/procurement/external-services/{service.pk}/statement/?months=2").json()
    assert [row["breach"] for row in api] == [True, False] and api[0]["penalty"] == str(previous.penalty)
