"""Mobile devices of officers (statute 2.4)."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from irtis.inventory.models import MobileDevice
from tests.support.contract import ModelContract


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
