"""Sweeps over many devices against one real net-snmp agent answering on several loopback
addresses (each address one "device"), with a chassis serial number set in ENTITY-MIB."""

import contextlib
import json
from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from irtis.audit.context import changes_by
from irtis.audit.models import AuditEntry, Source
from irtis.discovery import credentials, jobs, sweeps
from irtis.discovery.models import Finding, Sweep, SweepSecret
from irtis.identity import tokens
from irtis.identity.models import ObjectPermission
from irtis.inventory.models import Device, Interface
from irtis.network.models import DevicePrimaryAddress, IPAddress
from irtis.tasks.models import Run, Status
from irtis.tasks.runs import Refused, execute
from tests.discovery.test_discovery import discoverer, ui, v2c, v3
from tests.inventory import factories
from tests.support import snmpd

pytestmark = pytest.mark.django_db
HOSTS = ("127.0.2.1", "127.0.2.2", "127.0.2.3")
SILENT = "127.0.2.9"  # nothing answers there
SERIAL, REVISION = "CZJ1234ABC", "U30 v2.90"
ENTITY = (f'override .1.3.6.1.2.1.47.1.1.1.1.5.1 integer 3\n'
          f'override .1.3.6.1.2.1.47.1.1.1.1.10.1 octet_str "{REVISION}"\n'
          f'override .1.3.6.1.2.1.47.1.1.1.1.11.1 octet_str "{SERIAL}"\n')


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[snmpd.Agent]:
    with snmpd.running(tmp_path_factory.mktemp("snmpd"), extra=ENTITY, hosts=HOSTS) as running:
        yield running


def device_at(name: str, address: str | None) -> Device:
    device = factories.device(name)
    if address:
        with changes_by(None, Source.SYSTEM):
            mgmt = Interface.objects.create(device=device, name="mgmt0", type=Interface.Type.VIRTUAL)
            IPAddress.objects.create(address=f"{address}/32", interface=mgmt)
    return device


@pytest.fixture
def estate(agent: snmpd.Agent) -> dict[str, Device]:
    """Three devices answering, one whose agent is silent, one with no address."""
    found = {f"srv-{n}": device_at(f"srv-{n}", host) for n, host in enumerate(HOSTS, 1)}
    found["srv-tylus"] = device_at("srv-tylus", SILENT)
    found["srv-be-adreso"] = device_at("srv-be-adreso", None)
    return found


def sweep_of(agent: snmpd.Agent, secret: object = None, **values: object) -> Sweep:
    with changes_by(None, Source.SYSTEM):
        sweep = Sweep.objects.create(name=values.pop("name", "Serverių apklausa"), port=agent.port, timeout=1,
                                     retries=0, **values)
        credentials.set_credentials(sweep, secret or v2c())
    return sweep


def run_sweep(sweep: Sweep) -> Run:
    run = jobs.sweep.start(queue=sweep.zone, sweep_id=sweep.pk)
    with contextlib.suppress(Refused):
        execute(str(run.pk))
    run.refresh_from_db()
    return run


def test_a_sweep_reads_every_device_and_writes_only_findings(agent: snmpd.Agent, estate: dict[str, Device]) -> None:
    sweep = sweep_of(agent)
    interfaces, entries = Interface.objects.count(), AuditEntry.objects.count()
    run = run_sweep(sweep)
    assert run.status == Status.DONE, run.error
    outcomes = dict(Finding.objects.filter(sweep=sweep).values_list("device__name", "outcome"))
    assert outcomes == {"srv-1": "changes", "srv-2": "changes", "srv-3": "changes", "srv-tylus": "failed",
                        "srv-be-adreso": "no_address"}
    assert run.result == {"changes": 3, "matches": 0, "failed": 1, "no_address": 1}
    silent = Finding.objects.get(device=estate["srv-tylus"])
    assert SILENT in silent.message and silent.reading is None
    found = Finding.objects.get(device=estate["srv-2"])
    assert found.address == HOSTS[1] and found.reading["serial"] == SERIAL
    assert found.reading["software"] == REVISION and found.summary["create"] > 0
    assert Interface.objects.count() == interfaces and AuditEntry.objects.count() == entries  # nothing recorded
    assert snmpd.COMMUNITY not in json.dumps(run.arguments) + json.dumps(run.result)


def test_v3_credentials_are_shared_by_every_read(agent: snmpd.Agent, estate: dict[str, Device]) -> None:
    sweep = sweep_of(agent, v3())
    assert run_sweep(sweep).result["changes"] == 3


def test_named_devices_replace_the_site_and_role(agent: snmpd.Agent, estate: dict[str, Device]) -> None:
    sweep = sweep_of(agent, role=estate["srv-1"].role)
    assert set(sweeps.devices(sweep)) == set(estate.values())
    sweep.devices.add(estate["srv-1"])
    assert list(sweeps.devices(sweep)) == [estate["srv-1"]]
    run_sweep(sweep)
    assert list(Finding.objects.values_list("device__name", flat=True)) == ["srv-1"]


def test_reviewing_a_finding_applies_it_as_the_reviewer(agent: snmpd.Agent, estate: dict[str, Device]) -> None:
    sweep = sweep_of(agent)
    run_sweep(sweep)
    finding = Finding.objects.get(device=estate["srv-1"])
    user = discoverer()
    client = ui(user)
    page = reverse("discovery_pages:device", args=[estate["srv-1"].pk])
    response = client.get(f"{page}?finding={finding.pk}")
    assert response.status_code == 200
    plan = response.context["plan"]
    serial = plan.of_kind("serial")[0]
    assert serial.action == "update" and serial.changes[0].discovered == SERIAL
    assert REVISION in serial.notes[0]
    response = client.post(page, {"token": response.context["token"], "finding": finding.pk})
    assert response.status_code == 302
    device = Device.objects.get(pk=estate["srv-1"].pk)
    assert device.serial == SERIAL
    assert AuditEntry.objects.filter(object_id=device.pk, actor_name=user.username,
                                     content_type=ContentType.objects.get_for_model(Device)).exists()
    finding.refresh_from_db()
    assert finding.review == Finding.Review.APPLIED and finding.reviewed_by == user
    assert client.get(f"{page}?finding=abc").status_code == 404
    assert client.get(f"{page}?finding={Finding.objects.get(device=estate['srv-tylus']).pk}").status_code == 404


def test_a_dismissed_finding_stays_dismissed_while_the_device_says_the_same(
        agent: snmpd.Agent, estate: dict[str, Device]) -> None:
    sweep = sweep_of(agent)
    run_sweep(sweep)
    client = ui(discoverer())
    finding = Finding.objects.get(device=estate["srv-3"])
    assert client.post(reverse("discovery_pages:dismiss", args=[finding.pk])).status_code == 302
    run_sweep(sweep)
    assert Finding.objects.get(device=estate["srv-3"]).review == Finding.Review.DISMISSED
    with changes_by(None, Source.SYSTEM):
        Interface.objects.create(device=estate["srv-3"], name="eth-papildoma", type=Interface.Type.VIRTUAL)
    run_sweep(sweep)  # the device no longer matches what was dismissed: to review again
    assert Finding.objects.get(device=estate["srv-3"]).review == Finding.Review.PENDING


def test_findings_page_lists_what_differs_in_a_fixed_number_of_queries(
        agent: snmpd.Agent, estate: dict[str, Device], admin_user: object) -> None:
    client = Client()
    client.force_login(admin_user)
    url = reverse("discovery_pages:findings")
    sweep = sweep_of(agent)
    sweep.devices.add(estate["srv-1"], estate["srv-tylus"])
    run_sweep(sweep)
    with CaptureQueriesContext(connection) as few:
        text = client.get(url).content.decode()
    assert "srv-1" in text and "srv-tylus" in text and "Peržiūrėti" in text
    sweep.devices.clear()
    run_sweep(sweep)
    with CaptureQueriesContext(connection) as many:
        text = client.get(url).content.decode()
    assert all(f"srv-{n}" in text for n in (1, 2, 3)) and "srv-be-adreso" in text
    assert len(many) == len(few)
    assert client.get(url, {"outcome": "failed"}).context["page"].object_list[0].device.name == "srv-tylus"


def test_findings_are_seen_only_for_visible_devices(agent: snmpd.Agent, estate: dict[str, Device]) -> None:
    sweep = sweep_of(agent)
    run_sweep(sweep)
    user = discoverer("ribotas")
    grant = ObjectPermission.objects.create(name="apklausos", actions=["view"])
    grant.users.add(user)
    grant.object_types.add(ContentType.objects.get_for_model(Sweep))
    ObjectPermission.objects.filter(name="ribotas Device").update(constraints={"name": "srv-1"})
    page = ui(user).get(reverse("discovery_pages:findings"))
    assert [f.device.name for f in page.context["page"]] == ["srv-1"]
    hidden = Finding.objects.get(device=estate["srv-2"])
    assert ui(user).post(reverse("discovery_pages:dismiss", args=[hidden.pk])).status_code == 404


def test_credentials_are_write_only_and_their_setting_audited(agent: snmpd.Agent, admin_user: object) -> None:
    with changes_by(None, Source.SYSTEM):
        sweep = Sweep.objects.create(name="Be slaptažodžių", port=agent.port)
    client = Client()
    client.force_login(admin_user)
    run_url = reverse("discovery_pages:sweep_run", args=[sweep.pk])
    text = client.post(run_url, follow=True).content.decode()
    assert "neturi SNMP prieigos duomenų" in text and not Run.objects.exists()
    url = reverse("discovery_pages:sweep_credentials", args=[sweep.pk])
    assert client.post(url, {"version": "3", "user": "", "level": "authPriv"}).status_code == 200  # refused
    assert not SweepSecret.objects.exists()
    response = client.post(url, {"version": "2c", "community": snmpd.COMMUNITY, "level": "authPriv",
                                 "auth_protocol": "SHA", "priv_protocol": "AES"})
    assert response.status_code == 302
    assert snmpd.COMMUNITY not in client.get(url).content.decode()
    assert snmpd.COMMUNITY not in client.get(sweep.get_absolute_url()).content.decode()
    secret = SweepSecret.objects.get(sweep=sweep)
    assert snmpd.COMMUNITY.encode() not in bytes(secret.ciphertext)
    entry = AuditEntry.objects.filter(object_id=sweep.pk,
                                      content_type=ContentType.objects.get_for_model(Sweep)).latest("id")
    assert entry.after == {"snmp_credentials": "set"}
    started = client.post(run_url, follow=True)
    assert started.status_code == 200 and Run.objects.get().key == str(sweep.pk)
    assert "Apklausa vykdoma" in started.content.decode()  # the sweep's page links to the runs


def test_the_api_sets_credentials_starts_and_lists(agent: snmpd.Agent, estate: dict[str, Device],
                                                   admin_user: object) -> None:
    with changes_by(None, Source.SYSTEM):
        sweep = Sweep.objects.create(name="API apklausa", port=agent.port)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens.issue(admin_user)[1]}"}
    client = Client()
    base = f"/api/discovery/sweeps/{sweep.pk}"
    assert client.post(f"{base}/run/", **headers).status_code == 409
    bad = client.put(f"{base}/snmp-credentials/", {"version": "3"}, content_type="application/json", **headers)
    assert bad.status_code == 400
    good = client.put(f"{base}/snmp-credentials/", {"version": "2c", "community": snmpd.COMMUNITY},
                      content_type="application/json", **headers)
    assert good.status_code == 204 and good.content == b""
    assert client.put("/api/discovery/sweeps/999999/snmp-credentials/", {"version": "2c", "community": "x"},
                      content_type="application/json", **headers).status_code == 404
    started = client.post(f"{base}/run/", **headers)
    assert started.status_code == 202
    with contextlib.suppress(Refused):
        execute(started.json()["run"])
    rows = client.get("/api/discovery/findings/", {"sweep": sweep.pk, "outcome": "failed"}, **headers).json()
    assert [r["device_name"] for r in rows] == ["srv-tylus"]
    assert client.get("/api/discovery/findings/", {"review": "x"}, **headers).status_code == 400
    listed = client.get("/api/discovery/sweeps/", **headers).json()["results"]
    assert "secret" not in json.dumps(listed) and snmpd.COMMUNITY not in json.dumps(listed)


def test_the_scheduled_job_starts_each_enabled_sweep_on_its_zone(agent: snmpd.Agent) -> None:
    enabled = sweep_of(agent, name="Įjungta")
    sweep_of(agent, name="Išjungta", enabled=False)
    run = jobs.sweep_all.start()
    execute(str(run.pk))
    run.refresh_from_db()
    assert run.result == {"default": 1}
    assert list(Run.objects.filter(task=jobs.sweep.module_path).values_list("key", flat=True)) == [str(enabled.pk)]


def test_the_agent_address_is_the_primary_one_when_recorded(db: None) -> None:
    device = device_at("srv-pirminis", "10.0.0.9")
    with changes_by(None, Source.SYSTEM):
        data = Interface.objects.create(device=device, name="eth1", type=Interface.Type.VIRTUAL)
        chosen = IPAddress.objects.create(address="10.0.5.20/24", interface=data)
    assert sweeps.agent_addresses([device.pk], None) == {device.pk: "10.0.0.9"}  # the first, IPv4 first
    with changes_by(None, Source.SYSTEM):
        DevicePrimaryAddress.objects.create(device=device, ip_address=chosen)
    assert sweeps.agent_addresses([device.pk], None) == {device.pk: "10.0.5.20"}
