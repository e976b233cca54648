"""Software products, versions and installations; the out-of-support report."""

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from irtis.inventory import reports
from irtis.inventory.models import Installation, SoftwareProduct, SoftwareVersion
from tests.support.contract import ModelContract

from . import factories as f

PAST = datetime.date(2023, 10, 10)
FUTURE = datetime.date.today() + datetime.timedelta(days=900)


class TestSoftwareProduct(ModelContract):
    model = SoftwareProduct
    change = {"description": "Sisteminė programinė įranga"}

    def make(self, n: int) -> SoftwareProduct:
        return SoftwareProduct.objects.create(manufacturer=f.maker(), name=f"Produktas {n}", kind="dbms")

    def new_values(self) -> dict:
        return {"manufacturer": f.maker(), "name": "Oracle Database", "kind": "dbms"}


class TestSoftwareVersion(ModelContract):
    model = SoftwareVersion
    change = {"support_end": datetime.date(2031, 12, 31)}

    def make(self, n: int) -> SoftwareVersion:
        return f.version("Red Hat Enterprise Linux", f"{n}.9")

    def new_values(self) -> dict:
        product = SoftwareProduct.objects.create(manufacturer=f.maker(), name="Oracle Database", kind="dbms")
        return {"product": product, "number": "19c", "name": "Oracle Database 19c"}


class TestInstallation(ModelContract):
    model = Installation
    change = {"description": "Pagrindinis egzempliorius"}

    def make(self, n: int) -> Installation:
        return Installation.objects.create(device=f.device(f"dc1-ora-{n:02d}"), software_version=f.version(
            "Oracle Database", "19c", kind="dbms"))

    def new_values(self) -> dict:
        return {"device": f.device("dc1-sql-01"), "software_version": f.version("SQL Server", "2019", kind="dbms")}


def test_version_name_defaults_to_product_and_number(db: Any) -> None:
    product = SoftwareProduct.objects.create(manufacturer=f.maker(), name="VMware ESXi", kind="hypervisor")
    release = SoftwareVersion(product=product, number="8.0 U3")
    release.full_clean()
    assert release.name == "VMware ESXi 8.0 U3"
    release.end_of_life, release.support_end = datetime.date(2020, 1, 1), datetime.date(2021, 1, 1)
    with pytest.raises(ValidationError):
        release.full_clean()
    release.end_of_life, release.extended_support_end = None, datetime.date(2020, 1, 1)
    with pytest.raises(ValidationError) as error:
        release.full_clean()
    assert error.value.message_dict["extended_support_end"] == [
        "Išplėstinis palaikymas negali baigtis anksčiau už pagrindinį."]


@pytest.mark.parametrize(("mainstream", "extended", "end_of_life", "ends"), [
    (None, None, None, None),
    (datetime.date(2024, 1, 9), None, None, datetime.date(2024, 1, 9)),
    (datetime.date(2024, 1, 9), datetime.date(2029, 1, 9), None, datetime.date(2029, 1, 9)),
    (datetime.date(2024, 1, 9), datetime.date(2029, 1, 9), datetime.date(2027, 1, 1), datetime.date(2027, 1, 1)),
    (None, None, datetime.date(2027, 1, 1), datetime.date(2027, 1, 1)),
])
def test_support_ends_with_the_last_support_or_the_life(
        mainstream: Any, extended: Any, end_of_life: Any, ends: Any) -> None:
    release = SoftwareVersion(support_end=mainstream, extended_support_end=extended, end_of_life=end_of_life)
    assert release.support_ends == ends
    assert release.out_of_support(datetime.date(2030, 1, 1)) is (ends is not None)


def test_installation_needs_a_device(db: Any) -> None:
    with pytest.raises(ValidationError) as error:
        Installation(software_version=f.version()).full_clean()
    assert "device" in error.value.message_dict


@pytest.fixture
def estate(db: Any) -> dict[str, Any]:
    old_os = f.version("Windows Server", "2012 R2", support_end=datetime.date(2018, 10, 9), end_of_life=PAST)
    new_os = f.version("Windows Server", "2022", support_end=FUTURE)
    rhel7 = f.version("Red Hat Enterprise Linux", "7.9", support_end=datetime.date(2024, 6, 30))
    db_old = f.version("SQL Server", "2014", end_of_life=datetime.date(2024, 7, 9), kind="dbms")
    extended = f.version("Windows Server", "2019", support_end=datetime.date(2024, 1, 9), extended_support_end=FUTURE)
    extended_over = f.version("Windows Server", "2008 R2", support_end=datetime.date(2015, 1, 13),
                              extended_support_end=datetime.date(2020, 1, 14))
    servers, network = f.team("Serverių komanda"), f.team("Tinklų komanda")
    dc2 = f.site("DC2")
    old_model = f.hardware("ProLiant DL380 Gen9")
    old_model.end_of_support = datetime.date(2025, 7, 31)
    old_model.save()
    return {
        "extended": f.device("dc1-app-01", platform=extended, team=servers, warranty_end=PAST, support_end=FUTURE),
        "extended_over": f.device("dc1-app-02", platform=extended_over, hardware_model=old_model),
        "retired_old": f.device("lav-srv-02", hardware_model=old_model, warranty_end=PAST, status="retired"),
        "old": f.device("dc1-sql-01", platform=old_os, team=servers),
        "new": f.device("dc1-sql-02", platform=new_os, team=servers),
        "rhel": f.device("dc2-bkp-01", platform=rhel7, site=dc2),
        "retired": f.device("lav-srv-01", platform=old_os, status="retired"),
        "install": Installation.objects.create(device=f.device("dc2-sql-01", platform=new_os, site=dc2),
                                               software_version=db_old, team=network),
    }


def test_out_of_support_finds_platforms_and_installations(estate: dict[str, Any], admin_user: Any) -> None:
    findings = reports.out_of_support(admin_user)
    names = {(str(x.target), str(x.version)) for x in findings}
    assert names == {("dc1-sql-01", "Windows Server 2012 R2"), ("dc2-bkp-01", "Red Hat Enterprise Linux 7.9"),
                     ("dc2-sql-01", "SQL Server 2014"), ("dc1-app-02", "Windows Server 2008 R2")}
    by_site = dict(reports.grouped(findings, "site"))
    assert [str(x.target) for x in by_site[str(f.site("DC2"))]] == ["dc2-bkp-01", "dc2-sql-01"]
    by_team = dict(reports.grouped(findings, "team"))
    assert set(by_team) == {"Serverių komanda", "Tinklų komanda", "Be komandos"}  # Lithuanian first
    first = findings[0]
    assert first.ended == datetime.date(2018, 10, 9) and first.days > 0


def test_extended_support_is_reported_apart(estate: dict[str, Any], admin_user: Any) -> None:
    [finding] = reports.extended_support(admin_user)
    assert (str(finding.target), str(finding.version)) == ("dc1-app-01", "Windows Server 2019")
    assert finding.ended == datetime.date(2024, 1, 9) and finding.until == FUTURE
    assert finding.days_left == (FUTURE - datetime.date.today()).days
    # After the extended support ends, the version has no support left.
    later = FUTURE + datetime.timedelta(days=1)
    assert not reports.extended_support(admin_user, later)
    assert ("dc1-app-01", later - datetime.timedelta(days=1)) in {
        (str(x.target), x.ended) for x in reports.out_of_support(admin_user, later)}


def test_hardware_past_warranty_support_or_model_support(estate: dict[str, Any], admin_user: Any) -> None:
    found = {h.device.name: h for h in reports.hardware_out_of_support(admin_user)}
    assert set(found) == {"dc1-app-01", "dc1-app-02"}  # the retired lav-srv-02 is not
    assert found["dc1-app-01"].passed == {"warranty_end"} and found["dc1-app-01"].ended == PAST
    assert found["dc1-app-02"].passed == {"end_of_support"}
    assert not reports.hardware_out_of_support(admin_user, datetime.date(2020, 1, 1))


def test_out_of_support_page(estate: dict[str, Any], admin_client: Client, settings: Any,
                             django_assert_max_num_queries: Any) -> None:
    settings.ROOT_URLCONF = "tests.inventory.urls"
    with django_assert_max_num_queries(20):
        response = admin_client.get("/inventory/reports/out-of-support/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "dc1-sql-01" in page and "SQL Server 2014" in page and "dc1-sql-02" not in page
    assert "Tik išplėstinis palaikymas" in page and "dc1-app-01" in page
    assert "Garantijos pabaiga" in page and "lav-srv-02" not in page


def test_out_of_support_page_as_of_a_day(estate: dict[str, Any], admin_client: Client, settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.inventory.urls"
    page = admin_client.get("/inventory/reports/out-of-support/?on=2020-01-01").content.decode()
    assert 'value="2020-01-01"' in page and "dc1-sql-01" in page and "dc2-bkp-01" not in page
    response = admin_client.get("/inventory/reports/out-of-support/?on=2020-13-45")
    assert response.status_code == 200
    assert "Įveskite tinkamą datą." in response.content.decode()  # and today's report below it


def test_out_of_support_page_needs_permission(estate: dict[str, Any], client: Client, settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.inventory.urls"
    user = get_user_model().objects.create_user("stebetojas", password="Sl4ptas-Stebetojo!")
    client.force_login(user)
    assert client.get("/inventory/reports/out-of-support/").status_code == 403
