"""Names that must be unique (issue 19 §5): stored NFKC-normalised without format characters or
extra spaces, unique case-insensitively in the database, and a taken name refused by forms, the
API and imports with an error naming the object that has it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from irtis.core import names
from irtis.core.importfiles import parse
from irtis.core.imports import plan_import
from irtis.core.registry import entries, entry_for
from irtis.inventory.models import DeviceRole, Interface
from irtis.virtualization.models import ClusterType
from tests.inventory import factories

pytestmark = pytest.mark.django_db
JSON = "application/json"
ZW = "\u200b"  # zero-width space
# Each of these is "Serveris" to a reader: case, full-width letters, a zero-width space, a soft
# hyphen and a word joiner (format characters), a ligature-free look-alike of NFKC, spaces.
LOOK_ALIKES = ["serveris", "SERVERIS", "Ｓｅｒｖｅｒｉｓ", f"Ser{ZW}veris", "Serv\u00aderis", "Serve\u2060ris",
               "  Serveris ", "Serveris\u00a0"]


def test_normalise_and_fold() -> None:
    assert names.normalise("ＳＷ－０１") == "SW-01"  # full-width letters, digits and hyphen
    assert names.normalise(f"  SW{ZW}-01\u200d  ") == "SW-01"
    assert names.normalise("core \t  switch\n 1") == "core switch 1"  # inner runs become one space
    assert names.normalise("ﬁrewall²") == "firewall2"  # compatibility forms
    assert names.normalise("Šalčininkų PKP") == "Šalčininkų PKP"  # Lithuanian letters untouched
    assert names.fold("ŠALČININKŲ") == names.fold("šalčininkų") == "šalčininkų"


def test_mixed_alphabets_are_refused() -> None:
    role = DeviceRole(name="Sеrveris")  # the second letter is Cyrillic
    with pytest.raises(ValidationError) as refused:
        role.full_clean()
    assert "name" in refused.value.message_dict
    DeviceRole(name="Сервер").full_clean()  # one alphabet is fine, Cyrillic too


@pytest.mark.parametrize("typed", LOOK_ALIKES)
def test_a_look_alike_is_refused_naming_the_object_that_has_the_name(typed: str) -> None:
    DeviceRole.objects.create(name="Serveris")
    with pytest.raises(ValidationError) as refused:
        DeviceRole(name=typed).full_clean()
    assert "„Serveris“" in refused.value.message_dict["name"][0]


def test_the_database_refuses_what_validation_would() -> None:
    DeviceRole.objects.create(name="Serveris")
    for typed in ("SERVERIS", f"Ｓerveris{ZW}"):
        with pytest.raises(IntegrityError), transaction.atomic():
            DeviceRole.objects.create(name=typed)  # no full_clean(): the unique index decides


def test_the_normalised_name_is_stored_and_shown(admin_client: Client) -> None:
    role = DeviceRole.objects.create(name=f" Ｄｉｓｋų{ZW}  masyvas ０１ ")
    assert role.name == "Diskų masyvas 01"
    assert DeviceRole.objects.get(pk=role.pk).name == "Diskų masyvas 01"
    assert DeviceRole.objects.filter(name="Ｄｉｓｋų masyvas ０１").get() == role  # looked up alike
    page = admin_client.get(role.get_absolute_url()).content.decode()
    assert "Diskų masyvas 01" in page and ZW not in page


def test_renaming_to_another_case_of_its_own_name_is_allowed() -> None:
    role = DeviceRole.objects.create(name="Serveris")
    role.name = "SERVERIS"
    role.full_clean()
    role.save()
    assert DeviceRole.objects.get().name == "SERVERIS"


def test_scoped_names_are_unique_within_their_scope() -> None:
    first, second = factories.device("sw-01"), factories.device("sw-02")
    Interface.objects.create(device=first, name="Eth0")
    Interface(device=second, name="eth0").full_clean()  # another device: allowed
    with pytest.raises(ValidationError) as refused:
        Interface(device=first, name=f"ETH{ZW}0").full_clean()
    assert "„Eth0“" in refused.value.message_dict["name"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Interface.objects.create(device=first, name="ｅｔｈ0")


@pytest.mark.parametrize("typed", ["serveris", "Ｓｅｒｖｅｒｉｓ", f"Serv{ZW}eris"])
def test_the_form_refuses_a_look_alike(admin_client: Client, typed: str) -> None:
    DeviceRole.objects.create(name="Serveris")
    response = admin_client.post(reverse("inventory:devicerole_add"), {"name": typed, "color": "#0d6efd"})
    assert response.status_code == 400
    assert "„Serveris“" in response.content.decode()
    assert DeviceRole.objects.count() == 1


def test_the_api_stores_the_normalised_name_and_refuses_look_alikes(admin_client: Client) -> None:
    url = "/api/inventory/device-roles/"
    created = admin_client.post(url, {"name": "Ｓｅｒｖｅｒｉｓ ０１"}, content_type=JSON)
    assert created.status_code == 201, created.content
    assert created.json()["name"] == "Serveris 01"
    for typed in ("serveris 01", f"SERVERIS{ZW} 01", "Serveris  01"):
        refused = admin_client.post(url, {"name": typed}, content_type=JSON)
        assert refused.status_code == 400, refused.content
        assert "„Serveris 01“" in refused.json()["errors"]["name"][0]
    # A list: one name taken in the table, two items naming the same one.
    refused = admin_client.post(url, [{"name": "Nauja"}, {"name": "NAUJA"}, {"name": "serveris 01"}],
                                content_type=JSON)
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert set(errors) == {"1", "2"} and "„Serveris 01“" in errors["2"]["name"][0]
    other = DeviceRole.objects.create(name="Kita")
    renamed = admin_client.patch(f"{url}{other.pk}/", {"name": "SERVERIS 01"}, content_type=JSON)
    assert renamed.status_code == 400 and DeviceRole.objects.get(pk=other.pk).name == "Kita"
    listed = admin_client.patch(url, [{"id": other.pk, "name": "serveris 01"}], content_type=JSON)
    assert listed.status_code == 400 and "„Serveris 01“" in str(listed.json()["errors"])


def test_an_import_refuses_look_alikes_and_stores_normalised_names() -> None:
    DeviceRole.objects.create(name="Serveris")
    rows = parse("name;color\nSERVERIS;#000000\nＤｉｓｋų masyvas;#000000\ndiskų  MASYVAS;#000000\n".encode(), "csv")
    plan = plan_import(entry_for(DeviceRole), rows)
    messages = {(e.row, e.column): e.message for e in plan.errors}
    assert "„Serveris“" in messages[(1, "name")]
    assert (2, "name") not in messages and "2" in messages[(3, "name")]  # repeats row 2
    good = plan_import(entry_for(DeviceRole), parse("name;color\nＤｉｓｋų masyvas;#000000\n".encode(), "csv"))
    assert not good.errors and good.rows[1].name == "Diskų masyvas"


def test_an_import_row_naming_an_object_with_a_look_alike_updates_it() -> None:
    role = DeviceRole.objects.create(name="Serveris", color="#000000")
    plan = plan_import(entry_for(DeviceRole), parse(f"name;color\n Ser{ZW}veris ;#ffffff\n".encode(), "csv"))
    assert not plan.errors and plan.rows[1].pk == role.pk and plan.updated == 1


def test_an_import_names_related_objects_by_their_normalised_key() -> None:
    factories.role("Serveris")
    rows = parse("name;site;role;hardware_model\nsrv-01;ＤＣ1;Ser\u200bveris;ProLiant DL380 Gen10\n".encode(), "csv")
    factories.site("DC1")
    factories.hardware()
    plan = plan_import(entry_for(factories.Device), rows)
    assert not plan.errors, plan.errors
    assert plan.rows[1].site.code == "DC1" and plan.rows[1].role.name == "Serveris"


def test_every_unique_text_field_of_a_registered_model_is_a_name() -> None:
    """A new app's unique name is one only through NameField: a plain unique text field would be
    compared as typed. Kept as typed: machine-made identifiers."""
    machine_made = {("identity.user", "username"), ("monitoring.incident", "number")}
    plain = [
        (entry.label, field.name) for entry in entries() for field in entry.model._meta.concrete_fields
        if field.unique and not field.primary_key and field.get_internal_type() in {"CharField", "SlugField"}
        and not isinstance(field, names.NameMixin)
    ]
    assert set(plain) <= machine_made, plain


def test_the_unique_index_is_over_the_folded_name() -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, ClusterType._meta.db_table)
    index = constraints["virtualization_clustertype_name_unique"]
    assert index["unique"]
