"""The migration that names mobile devices' operating systems from the software catalogue
(inventory 0009_mobile_operating_system): each text becomes the catalogue version of that name,
case aside; a text the catalogue lacks stops it naming the text, and nothing is lost."""

import datetime

import pytest

from tests.support.databases import historical_apps, migrate

pytestmark = pytest.mark.usefixtures("empty_database")
BEFORE = [("inventory", "0008_hardware_templates_rack_reservations")]
AFTER = [("inventory", "0010_remove_mobile_os_version")]


def _catalogue(apps):  # type: ignore[no-untyped-def]
    Manufacturer = apps.get_model("inventory", "Manufacturer")
    Product = apps.get_model("inventory", "SoftwareProduct")
    Version = apps.get_model("inventory", "SoftwareVersion")
    android = Product.objects.create(name="Android", kind="os", manufacturer=Manufacturer.objects.create(name="Google"))
    return Version.objects.create(product=android, number="14", name="Android 14",
                                  support_end=datetime.date(2027, 10, 4))


def test_texts_become_catalogue_versions() -> None:
    migrate(BEFORE)
    apps = historical_apps(BEFORE)
    Mobile = apps.get_model("inventory", "MobileDevice")
    android = _catalogue(apps)
    Mobile.objects.create(serial="M1", kind="phone", model="XCover7", os_version="android 14")
    Mobile.objects.create(serial="M2", kind="laptop", model="Latitude", os_version="")
    migrate(AFTER)
    devices = historical_apps(AFTER).get_model("inventory", "MobileDevice").objects
    assert dict(devices.values_list("serial", "operating_system")) == {"M1": android.pk, "M2": None}


def test_a_text_the_catalogue_lacks_stops_the_migration_naming_it() -> None:
    migrate(BEFORE)
    apps = historical_apps(BEFORE)
    Mobile = apps.get_model("inventory", "MobileDevice")
    _catalogue(apps)
    Mobile.objects.create(serial="M1", kind="phone", model="XCover7", os_version="Android 14")
    Mobile.objects.create(serial="M2", kind="phone", model="iPhone 15", os_version="iOS 17.6")
    with pytest.raises(RuntimeError) as stopped:
        migrate(AFTER)
    assert "iOS 17.6" in str(stopped.value) and "Android" not in str(stopped.value)
    assert Mobile.objects.get(serial="M2").os_version == "iOS 17.6"  # as it was
    Mobile.objects.filter(serial="M2").update(os_version="")
    migrate(AFTER)
    after = historical_apps(AFTER).get_model("inventory", "MobileDevice").objects
    assert after.filter(operating_system__name="Android 14").count() == 1
