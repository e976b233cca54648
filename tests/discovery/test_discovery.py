"""SNMP discovery against a real net-snmp agent on loopback (tests/support/snmpd.py).

The truth the readings are checked against is this machine's own network configuration
(`ip -j addr`), which the agent reports from the kernel.
"""

import contextlib
import ipaddress
import json
import subprocess
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation

from irtis.audit.context import changes_by
from irtis.audit.models import AuditEntry, Source
from irtis.discovery import plan as plans
from irtis.discovery import platforms, snmp
from irtis.discovery.forms import DiscoveryForm
from irtis.identity import tokens
from irtis.identity.models import ObjectPermission, User
from irtis.inventory.models import Device, Interface
from irtis.network.models import IPAddress, Prefix
from irtis.tasks.models import Run
from irtis.tasks.runs import Refused, execute
from tests.inventory import factories
from tests.support import snmpd

pytestmark = pytest.mark.django_db
PASSWORD = "Sl4ptas-Tinklas!"


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[snmpd.Agent]:
    with snmpd.running(tmp_path_factory.mktemp("snmpd")) as running:
        yield running


def machine() -> dict[str, dict]:
    """This machine's interfaces: name → {mtu, mac, addresses (with mask length)}."""
    found = {}
    for link in json.loads(subprocess.run(["ip", "-j", "addr"], capture_output=True, check=True).stdout):
        found[link["ifname"]] = {
            "mtu": link.get("mtu"), "mac": link.get("address", ""),
            "addresses": {f"{a['local']}/{a['prefixlen']}" for a in link.get("addr_info", [])},
        }
    return found


def recorded_addresses() -> set[str]:
    """Addresses discovery records: not loopback, link-local or multicast."""
    return {a for link in machine().values() for a in link["addresses"]
            if not plans._host_local(ipaddress.ip_interface(a))}


def v2c(**changes: object) -> snmp.Credentials:
    return snmp.Credentials(**{"version": "2c", "community": snmpd.COMMUNITY, **changes})


def v3(**changes: object) -> snmp.Credentials:
    values = {"version": "3", "user": snmpd.V3_USER, "level": "authPriv", "auth_protocol": "SHA",
              "auth_key": snmpd.V3_AUTH, "priv_protocol": "AES", "priv_key": snmpd.V3_PRIV}
    return snmp.Credentials(**{**values, **changes})


def form_data(agent: snmpd.Agent, **changes: object) -> dict[str, object]:
    return {"address": agent.host, "port": agent.port, "version": "2c", "community": snmpd.COMMUNITY,
            "level": "authPriv", "auth_protocol": "SHA", "priv_protocol": "AES", **changes}


@pytest.fixture
def device() -> Device:
    return factories.device("srv-snmp-01")


def discoverer(name: str = "tinklininkas", add_software: bool = True) -> User:
    """A user who may change devices and add/change interfaces and addresses (and software)."""
    user = get_user_model().objects.create_user(name, password=PASSWORD)
    grants = [(Device, ["view", "change"]), (Interface, ["view", "add", "change"]),
              (IPAddress, ["view", "add", "change"])]
    if add_software:
        from irtis.inventory.models import Manufacturer, SoftwareProduct, SoftwareVersion

        grants += [(m, ["view", "add"]) for m in (Manufacturer, SoftwareProduct, SoftwareVersion)]
    for model, actions in grants:
        permission = ObjectPermission.objects.create(name=f"{name} {model.__name__}", actions=actions)
        permission.users.add(user)
        permission.object_types.add(ContentType.objects.get_for_model(model))
    return user


def ui(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(device: Device) -> str:
    return reverse("discovery_pages:device", args=[device.pk])


def read(client: Client, device: Device, data: dict[str, object]) -> HttpResponse:
    """Post the form; the agent is read by a background run, done here in-process (the worker's
    part, tested with real workers in tests/tasks), then the page shows the preview or the error."""
    response = client.post(page(device), data)
    if response.status_code != 200 or response.context.get("run") is None:
        return response
    with contextlib.suppress(Refused):
        execute(str(response.context["run"].pk))
    return client.get(response.context["next"])


# --- reading the agent --------------------------------------------------------------------------


def test_v2c_reads_what_the_machine_has(agent: snmpd.Agent) -> None:
    reading = snmp.read(agent.host, agent.port, v2c())
    assert reading.sys_name == snmpd.SYS_NAME and reading.sys_descr == snmpd.SYS_DESCR
    assert reading.sys_object_id.startswith("1.3.6.1.4.1.8072.")  # net-snmp's enterprise
    truth = machine()
    ports = {p.name: p for p in reading.ports}
    assert set(ports) == set(truth)
    for name, link in truth.items():
        assert ports[name].mtu == link["mtu"]
        if link["mac"] and link["mac"] != "00:00:00:00:00:00":
            assert ports[name].mac == link["mac"]
    by_index = {p.index: p.name for p in reading.ports}
    found = {(by_index[a.if_index], a.address) for a in reading.addresses}
    assert ("lo", "127.0.0.1/8") in found
    expected = {(name, a) for name, link in truth.items() for a in link["addresses"]}
    assert found == expected


def test_v3_sha_aes_reads_the_same(agent: snmpd.Agent) -> None:
    assert snmp.read(agent.host, agent.port, v3()) == snmp.read(agent.host, agent.port, v2c())


@pytest.mark.parametrize(("credentials", "words"), [
    (v2c(community="neteisinga"), "community"),
    (v3(auth_key="Neteisingas-1"), "autentifikavimo raktą"),
    (v3(priv_key="Neteisingas-1"), "šifravimo raktas"),
    (v3(user="nezinomas"), "neturi SNMPv3 naudotojo"),
])
def test_wrong_credentials_give_a_clear_error(agent: snmpd.Agent, credentials: snmp.Credentials,
                                              words: str) -> None:
    with pytest.raises(snmp.SnmpError) as caught:
        snmp.read(agent.host, agent.port, credentials, timeout=0.5, retries=0)
    assert words in caught.value.message and f"{agent.host}:{agent.port}" in caught.value.message


def test_an_unknown_name_is_a_clear_error() -> None:
    with pytest.raises(snmp.SnmpError, match="Nepavyko rasti vardo"):
        snmp.read("nera-tokio.invalid", 161, v2c())


def test_credentials_never_show_in_repr() -> None:
    text = repr(v3()) + repr(v2c())
    assert snmpd.V3_AUTH not in text and snmpd.V3_PRIV not in text and snmpd.COMMUNITY not in text


# --- the operating system -------------------------------------------------------------------------


@pytest.mark.parametrize(("descr", "product", "version"), [
    (snmpd.SYS_DESCR, "Debian GNU/Linux", "12"),
    ("Linux h 6.12.12+bpo-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.12.12-1~bpo12+1 (2025-02-23) x86_64",
     "Debian GNU/Linux", "12"),
    ("Linux h 6.18.44-custom #1 SMP x86_64", "Linux", "6.18.44-custom"),
    ("Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.2(4)M, RELEASE SOFTWARE (fc1)",
     "Cisco IOS", "15.2(4)M"),
    ("Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, RELEASE",
     "Cisco IOS XE", "17.9.4a"),
    ("Cisco NX-OS(tm) n9000, Software (n9000-dk9), Version 10.3(4a), RELEASE SOFTWARE", "Cisco NX-OS", "10.3(4a)"),
    ("Hardware: Intel64 Family 6 Model 85 Stepping 7 AT/AT COMPATIBLE - Software: Windows Version 6.3 "
     "(Build 17763 Multiprocessor Free)", "Windows Server", "2019"),
])
def test_sysdescr_names_the_platform(descr: str, product: str, version: str) -> None:
    found = platforms.identify(descr)
    assert (found.product, found.version) == (product, version)


def test_a_recorded_release_train_is_used(device: Device, admin_user: object) -> None:
    train = factories.version("Cisco IOS XE", "17.9", kind="firmware")
    reading = snmp.Reading("sw", "Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), "
                           "Version 17.9.4a, RELEASE SOFTWARE (fc3)", "1.3.6.1.4.1.9.1.2494")
    item = plans.build(device, reading, None, admin_user).of_kind("platform")[0]
    assert item.action == plans.UPDATE and item.extra["version"] == train and not item.extra["creates"]


# --- preview and apply through the pages ------------------------------------------------------


def test_preview_shows_the_diff_and_writes_nothing(agent: snmpd.Agent, device: Device) -> None:
    client = ui(discoverer())
    before = AuditEntry.objects.count()
    response = read(client, device, form_data(agent))
    assert response.status_code == 200, response.content[:2000]
    plan = response.context["plan"]
    assert {i.name for i in plan.of_kind("interface")} == set(machine())
    assert all(i.action == plans.CREATE for i in plan.of_kind("interface"))
    assert {i.name for i in plan.of_kind("address") if i.action == plans.CREATE} == recorded_addresses()
    assert plan.of_kind("platform")[0].changes[0].discovered == "Debian GNU/Linux 12"
    text = response.content.decode()
    assert snmpd.SYS_NAME in text and "Debian GNU/Linux 12" in text and 'name="token"' in text
    assert snmpd.COMMUNITY not in text  # the community is not echoed back
    assert Run.objects.get().arguments.keys() == {"device_id", "address", "port", "vrf_id"}  # keys erased
    assert AuditEntry.objects.count() == before
    assert not Interface.objects.filter(device=device).exists()


def test_apply_records_everything_as_the_user_and_again_changes_nothing(agent: snmpd.Agent, device: Device) -> None:
    user = discoverer()
    client = ui(user)
    token = read(client, device, form_data(agent, version="3", user=snmpd.V3_USER, auth_key=snmpd.V3_AUTH,
                                                priv_key=snmpd.V3_PRIV)).context["token"]
    first = AuditEntry.objects.order_by("-id").first().id
    response = client.post(page(device), {"token": token})
    assert response.status_code == 302 and response.url == device.get_absolute_url()
    assert set(Interface.objects.filter(device=device).values_list("name", flat=True)) == set(machine())
    recorded = IPAddress.objects.filter(interface__device=device)
    assert set(recorded.values_list("address", flat=True)) == recorded_addresses()
    for address in recorded.select_related("interface"):
        assert address.address in machine()[address.interface.name]["addresses"]
    device.refresh_from_db()
    assert device.platform.name == "Debian GNU/Linux 12" and device.platform.product.kind == "os"
    lo = Interface.objects.get(device=device, name="lo")
    assert lo.type == Interface.Type.VIRTUAL and lo.enabled
    entries = AuditEntry.objects.filter(id__gt=first, content_type__isnull=False)
    assert entries.exists() and set(entries.values_list("actor_name", "source")) == {(user.username, Source.UI)}
    models = {e.content_type.model for e in entries}
    assert {"interface", "ipaddress", "device", "softwareversion", "softwareproduct"} <= models

    again = read(client, device, form_data(agent)).context["plan"]
    assert not again.has_changes and again.summary["create"] == again.summary["update"] == 0


def test_a_record_changed_after_the_preview_is_refused(agent: snmpd.Agent, device: Device) -> None:
    lo = Interface(device=device, name="lo", type="virtual", description="", mtu=1500)
    lo.full_clean()
    lo.save()
    client = ui(discoverer())
    plan = read(client, device, form_data(agent)).context
    assert next(i for i in plan["plan"].of_kind("interface") if i.name == "lo").action == plans.UPDATE
    with changes_by(None, Source.SYSTEM):
        lo.description = "pakeista kito žmogaus"
        lo.save()
    before = AuditEntry.objects.count()
    response = client.post(page(device), {"token": plan["token"]}, follow=True)
    assert "Po peržiūros įrašai pasikeitė" in response.content.decode()
    assert AuditEntry.objects.count() == before and Interface.objects.filter(device=device).count() == 1


def test_an_address_outside_every_prefix_is_a_plan_error(agent: snmpd.Agent, device: Device,
                                                          admin_user: object) -> None:
    Prefix.objects.create(prefix="10.254.0.0/16")
    reading = snmp.read(agent.host, agent.port, v2c())
    with translation.override("en"):
        plan = plans.build(device, reading, None, admin_user)
    outside = [i for i in plan.of_kind("address") if i.action == plans.CREATE and ":" not in i.name]
    assert outside and all("outside every prefix" in " ".join(i.errors) for i in outside)
    with changes_by(admin_user, Source.UI):
        plans.apply(plans.issue(plan, admin_user), admin_user, device)
    assert not IPAddress.objects.filter(address__in=[i.name for i in outside]).exists()
    assert Interface.objects.filter(device=device).count() == len(machine())  # the rest is applied


def test_a_tampered_or_foreign_token_is_refused(agent: snmpd.Agent, device: Device) -> None:
    user, other = discoverer(), discoverer("kitas")
    token = read(ui(user), device, form_data(agent)).context["token"]
    for client, sent in ((ui(other), token), (ui(user), token[:-2] + "xx")):
        response = client.post(page(device), {"token": sent}, follow=True)
        assert "nebegalioja arba yra netinkama" in response.content.decode()
    assert not Interface.objects.filter(device=device).exists()


def test_permission_is_needed(agent: snmpd.Agent, device: Device, client: Client) -> None:
    viewer = get_user_model().objects.create_user("ziuretojas", password=PASSWORD)
    permission = ObjectPermission.objects.create(name="view devices", actions=["view"])
    permission.users.add(viewer)
    permission.object_types.add(ContentType.objects.get_for_model(Device))
    client.force_login(viewer)
    assert client.get(page(device)).status_code == 403
    assert read(client, device, form_data(agent)).status_code == 403
    detail = client.get(device.get_absolute_url()).content.decode()
    assert page(device) not in detail
    api = Client(headers={"Authorization": f"Bearer {tokens.issue(viewer)[1]}"})
    url = reverse("api:inventory_device_discovery_preview", args=[device.pk])
    assert api.post(url, form_data(agent), content_type="application/json").status_code == 403


def test_without_software_rights_the_platform_is_left_out(agent: snmpd.Agent, device: Device) -> None:
    client = ui(discoverer(add_software=False))
    context = read(client, device, form_data(agent)).context
    assert "Jums neleidžiama pridėti" in " ".join(context["plan"].of_kind("platform")[0].errors)
    client.post(page(device), {"token": context["token"]})
    device.refresh_from_db()
    assert device.platform is None and Interface.objects.filter(device=device).count() == len(machine())


def test_the_page_is_linked_from_the_device_and_shows_errors(agent: snmpd.Agent, device: Device,
                                                             admin_client: Client) -> None:
    assert page(device) in admin_client.get(device.get_absolute_url()).content.decode()
    form = admin_client.get(page(device))
    assert form.status_code == 200 and 'name="community"' in form.content.decode()
    wrong = read(admin_client, device, form_data(agent, version="3", user=snmpd.V3_USER,
                                                      auth_key="Neteisingas-1", priv_key=snmpd.V3_PRIV))
    assert wrong.status_code == 200 and "autentifikavimo raktą" in wrong.content.decode()
    missing = read(admin_client, device, form_data(agent, version="3", auth_key="trumpas"))
    assert "SNMPv3 reikia naudotojo vardo" in missing.content.decode()



# --- the API ------------------------------------------------------------------------------------


def test_api_preview_and_apply(agent: snmpd.Agent, device: Device) -> None:
    user = discoverer()
    api = Client(headers={"Authorization": f"Bearer {tokens.issue(user)[1]}"})
    url = reverse("api:inventory_device_discovery_preview", args=[device.pk])
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    preview = api.post(url, form_data(agent), content_type="application/json")
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["summary"]["create"] > 0 and body["device"]["name"] == device.name
    assert {i["name"] for i in body["items"] if i["kind"] == "interface"} == set(machine())
    assert not AuditEntry.objects.filter(id__gt=last, content_type__isnull=False).exists()  # no record written
    applied = api.post(reverse("api:inventory_device_discovery_apply", args=[device.pk]),
                       {"token": body["token"]}, content_type="application/json")
    assert applied.status_code == 200 and applied.json()["digest"] == body["digest"]
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Interface))
    assert set(entries.values_list("actor_name", "source")) == {(user.username, Source.API)}
    again = api.post(reverse("api:inventory_device_discovery_apply", args=[device.pk]),
                     {"token": body["token"]}, content_type="application/json")
    assert again.status_code == 409  # the records are no longer what the preview saw

    wrong = api.post(url, form_data(agent, version="3", user=snmpd.V3_USER, auth_key="Neteisingas-1",
                                    priv_key=snmpd.V3_PRIV), content_type="application/json")
    assert wrong.status_code == 502 and "autentifikavimo raktą" in wrong.json()["detail"]
    invalid = api.post(url, form_data(agent, community=""), content_type="application/json")
    assert invalid.status_code == 400 and "community" in invalid.json()["errors"]



@pytest.mark.parametrize("address", ["žalias-ąžuolas-" + "ž" * 60 + ".lt", "a b", "serveris/x", "a..lt"])
def test_an_address_no_name_can_have_is_refused_clearly(device: Device, admin_client: Client, address: str) -> None:
    """Non-ASCII that IDNA cannot encode (a label too long), spaces and symbols: a form error, never a 500."""
    response = admin_client.post(page(device), {"address": address, "port": 161, "version": "2c",
                                                "community": "public"})
    assert response.status_code in (200, 400) and "Įveskite IP adresą arba DNS vardą" in response.content.decode()


def test_an_international_name_is_looked_up_not_refused() -> None:
    for name in ("žalias-ąžuolas-" + "ž" * 60 + ".invalid", "serveris\u200b.invalid", "🙂.invalid"):
        with pytest.raises(snmp.SnmpError, match="Nepavyko rasti vardo"):
            snmp.read(name, 161, v2c())
    form = DiscoveryForm({"address": "šiauliai.invalid", "port": 161, "version": "2c", "community": "x",
                          "level": "authPriv", "auth_protocol": "SHA", "priv_protocol": "AES"}, user=None)
    assert form.is_valid(), form.errors
