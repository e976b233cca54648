"""Mobile devices of officers (statute 2.4)."""

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from irtis.inventory import mobile_access, reports
from irtis.inventory.models import MobileDevice
from tests.support.contract import ModelContract

from . import factories as f


class TestMobileDevice(ModelContract):
    model = MobileDevice
    change = {"compliance": "non_compliant", "mdm_state": "enrolled"}

    def make(self, n: int) -> MobileDevice:
        return MobileDevice.objects.create(serial=f"R58N{n:06d}", imei=f"35{n:013d}", kind="phone",
                                           model="Samsung Galaxy XCover7", user_account=f"jonaitis{n}",
                                           user_name=f"Jonas Jonaitis {n}")

    def new_values(self) -> dict:
        return {"serial": "DMPXK1234", "kind": "tablet", "model": "iPad 10", "user_account": "ppetraitiene",
                "user_name": "Petra Petraitienė", "mdm_state": "pending", "compliance": "unknown"}


def test_imei_and_account_are_checked(db: Any) -> None:
    device = MobileDevice(serial="X1", kind="phone", model="Pixel", imei="123")
    with pytest.raises(ValidationError) as error:
        device.full_clean()
    assert "imei" in error.value.message_dict
    device.imei, device.user_account = "", "bad name"
    with pytest.raises(ValidationError) as error:
        device.full_clean()
    assert set(error.value.message_dict) == {"user_account"}


def test_empty_imei_is_not_a_duplicate(db: Any) -> None:
    for serial in ("L1", "L2"):
        laptop = MobileDevice(serial=serial, kind="laptop", model="Latitude 5450", imei="")
        laptop.full_clean()
        laptop.save()
    assert MobileDevice.objects.filter(imei__isnull=True).count() == 2


def _fleet() -> dict[str, MobileDevice]:
    """Devices of every concern: unsupported, ending-soon and supported systems; stale, non-compliant,
    not enrolled."""
    today = datetime.date.today()
    old = f.version("iOS", "17.6", support_end=today - datetime.timedelta(days=300))
    ending = f.version("Windows 11", "24H2", support_end=today + datetime.timedelta(days=30))
    current = f.version("Android", "15", support_end=today + datetime.timedelta(days=900))
    now = timezone.now()
    rows = {
        "OK1": dict(operating_system=current, mdm_state="enrolled", compliance="compliant", last_check_in=now),
        "OLD1": dict(operating_system=old, mdm_state="enrolled", compliance="compliant", last_check_in=now),
        "LATE1": dict(operating_system=ending, mdm_state="enrolled", compliance="compliant",
                      last_check_in=now - datetime.timedelta(days=40)),
        "BAD1": dict(operating_system=current, mdm_state="enrolled", compliance="non_compliant", last_check_in=now),
        "NEW1": dict(operating_system=None, mdm_state="pending", compliance="unknown", last_check_in=None),
    }
    return {serial: MobileDevice.objects.create(serial=serial, kind="phone", model="XCover7", **values)
            for serial, values in rows.items()}


def test_mobile_access_sorts_devices_into_concerns(db: Any, admin_user: Any) -> None:
    _fleet()
    report = mobile_access.mobile_access(admin_user)
    assert report.total == 5 and report.enrolment["enrolled"] == 4 and report.compliance["non_compliant"] == 1
    concerns = {c.key: {d.serial for d in c.rows} for c in report.concerns}
    assert concerns == {"not_enrolled": {"NEW1"}, "non_compliant": {"BAD1"}, "stale": {"LATE1"},
                        "unsupported": {"OLD1"}}
    states = {str(r.version or "—"): (r.state, r.devices) for r in report.systems}
    assert states == {"iOS 17.6": ("unsupported", 1), "Windows 11 24H2": ("ending", 1),
                      "Android 15": ("supported", 2), "—": ("unknown", 1)}
    assert [r.state for r in report.systems] == ["unsupported", "ending", "unknown", "supported"]


def test_stale_days_are_a_setting(db: Any, admin_user: Any, settings: Any) -> None:
    _fleet()
    settings.IRTIS_MOBILE_STALE_DAYS = 60
    stale = next(c for c in mobile_access.mobile_access(admin_user).concerns if c.key == "stale")
    assert stale.count == 0


def test_each_concern_links_to_the_same_devices_in_the_list(db: Any, admin_client: Client) -> None:
    _fleet()
    for concern in mobile_access.mobile_access(get_user_model().objects.get(username="admin")).concerns:
        page = admin_client.get(concern.url)
        assert page.status_code == 200, concern.url
        text = page.content.decode()
        listed = {serial for serial in ("OK1", "OLD1", "LATE1", "BAD1", "NEW1") if f">{serial}<" in text}
        assert listed == {d.serial for d in concern.rows}, concern.key


def test_mobile_access_page(db: Any, admin_client: Client, django_assert_max_num_queries: Any) -> None:
    _fleet()
    url = reverse("inventory_pages:mobile_access")
    with django_assert_max_num_queries(16) as counted:
        page = admin_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mobilioji prieiga" in text and "OLD1" in text and "iOS 17.6" in text
    for n in range(40):  # more devices of every concern: the same queries
        MobileDevice.objects.create(serial=f"X{n}", kind="phone", model="A55", mdm_state="not_enrolled")
    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_mobile_access_needs_permission(db: Any, client: Client) -> None:
    user = get_user_model().objects.create_user("stebetojas", password="Sl4ptas-Stebetojo!")
    client.force_login(user)
    assert client.get(reverse("inventory_pages:mobile_access")).status_code == 403


def test_unsupported_mobile_systems_are_in_the_out_of_support_report(db: Any, admin_user: Any) -> None:
    _fleet()
    found = {(str(x.target), str(x.version)) for x in reports.out_of_support(admin_user)}
    assert ("OLD1", "iOS 17.6") in found and not any(target == "OK1" for target, _ in found)
