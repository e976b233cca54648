"""Every registered model's add form, in the browser, on the demo estate: each select has choices
or a search box that finds and picks one, and the form saves.

One demo database (the package's, tests/demo/conftest.py), one server, one browser and one
signed-in session serve all models; what the forms save stays on the demo.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import override_settings
from playwright.sync_api import TimeoutError
from pytest_django.live_server_helper import LiveServer

from irtis.changes.models import ApprovalRule, MaintenanceWindow, Status
from irtis.core import registry
from irtis.core.models import SearchEntry
from irtis.identity.models import User
from irtis.inventory.models import ConsolePort, ConsoleServerPort, Device, Rack, RearPort, RearPortTemplate, Site
from irtis.mail.models import MailboxDatabase, MailServer
from irtis.network.models import VLAN, FHRPGroup, IPAddress
from irtis.procurement.models import Procurement, Specification, Supplier
from irtis.regulations.models import Document as RegulatingDocument
from irtis.systems.models import InformationSystem
from irtis.virtualization.models import Cluster, VirtualMachine
from tests.browser.conftest import InFlight, refusals

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
PASSWORD = "Sl4ptas-Formoms!"
# Files are attached on their request's or article's page (the upload, its limits, its owner);
# the generic add form of an attachment only says so (tests/servicedesk).
ADDED_ON_THEIR_OWNERS_PAGE = {"servicedesk.attachment"}
LABELS = sorted(e.label for e in registry.entries() if e.label not in ADDED_ON_THEIR_OWNERS_PAGE)


def _values() -> dict[str, dict[str, str]]:
    """Values that a model's own rules need where no generic value fits (read from the demo);
    "*" picks the first choice of an optional select."""
    cluster = Cluster.objects.order_by("pk").first()
    server = Device.objects.filter(site=cluster.site_id, cluster_hosts__isnull=True).order_by("pk").first()
    system_type = str(ContentType.objects.get_for_model(InformationSystem).pk)
    device_type = str(ContentType.objects.get_for_model(Device).pk)
    draft = MaintenanceWindow.objects.filter(status=Status.DRAFT).order_by("pk").first()
    free_role = Group.objects.exclude(pk__in=ApprovalRule.objects.values("role")).order_by("pk").first()
    night = datetime.date.today() + datetime.timedelta(days=400)
    unplanned = InformationSystem.objects.filter(governance_plan__isnull=True).order_by("pk").first()
    hours = {"start": f"{night}T02:00:00", "end": f"{night}T04:00:00"}
    upkeep = Procurement.objects.get(name="Serverių priežiūra 2026")  # the demo's procurement being set up
    upkeep_offer = upkeep.offers.get()
    dc1_vlan = VLAN.objects.filter(site__code="DC1").order_by("pk").first()
    planned = VirtualMachine.objects.filter(status=VirtualMachine.Status.PLANNED).order_by("pk").first()
    loose = IPAddress.objects.filter(interface=None, vm_assignments=None).order_by("pk").first()  # on nothing
    ilo = IPAddress.objects.filter(interface__isnull=False, primary_of_devices=None,
                                   interface__device__primary_addresses=None).order_by("pk").first()
    gateway = IPAddress.objects.filter(role=IPAddress.Role.GATEWAY, fhrp_groups=None, interface=None).order_by("pk")[0]
    vrrp = FHRPGroup.objects.get(protocol=FHRPGroup.Protocol.VRRP3, group_id=100)  # the demo's DC1 VLAN 100 pair
    spare_trunk = RearPort.objects.get(device__name="dc1-a01-pp-01", name="R2")  # no front port yet
    spare_trunk_template = RearPortTemplate.objects.get(hardware_model__name="Skydelis 1U 24×LC (MPO)", name="R2")
    unreplicated = MailboxDatabase.objects.get(name="DB04")  # copies on exch-04 and exch-02 only
    return {
        "access.accessrequest": {"valid_from": str(datetime.date.today()),
                                 "valid_until": str(datetime.date.today() + datetime.timedelta(days=10))},
        "changes.approvalrule": {"role": str(free_role.pk)},
        "changes.blackout": hours,
        "changes.maintenancewindow": hours,
        "changes.windowobject": {"window": str(draft.pk), "object_type": device_type, "object_id": "*"},
        "databases.dbmsinstance": {"virtual_machine": "*"},
        "flows.firewallrule": {"position": "9999", "source": "10.254.0.0/16", "destination": "any",
                               "protocol": "tcp", "ports": "443"},
        "flows.flow": {"source_zone": "*", "destination_zone": "*", "protocol": "tcp", "ports": "443"},
        "governance.systemplan": {"system": str(unplanned.pk)},  # one plan per system: not a planned one
        "identity.objectpermission": {"actions": "view"},
        "mail.accepteddomain": {"domain": "naujas.lrmuitine.lt"},
        "mail.connector": {"kind": "send", "address_spaces": "naujas.lt"},
        "mail.databasecopy": {"database": str(unreplicated.pk), "activation_preference": "3",
                              "server": str(MailServer.objects.get(name="exch-01").pk)},
        "mail.mailcertificate": {"thumbprint": "C0FFEE" + "0" * 34, "services": "SMTP",
                                 "not_before": str(datetime.date.today()),
                                 "not_after": str(datetime.date.today() + datetime.timedelta(days=365))},
        "monitoring.check": {"target_type": device_type, "target_id": "*", "kind": "tcp",
                             "host": "127.0.0.1", "port": "8000"},
        "inventory.cable": {  # the console and console server port the demo leaves free
            "a_console_port": str(ConsolePort.objects.get(device__name="dc1-fw-02").pk),
            "b_console_server_port": str(ConsoleServerPort.objects.get(device__name="dc1-kons-01", name="ttyS8").pk)},
        "inventory.frontport": {"device": "dc1-a01-pp-01", "rear_port": str(spare_trunk.pk)},
        "inventory.frontporttemplate": {"hardware_model": str(spare_trunk_template.hardware_model_id),
                                        "rear_port": str(spare_trunk_template.pk)},
        "inventory.installation": {"device": "*"},
        "inventory.rackreservation": {"rack": str(Rack.objects.get(name="DC1-A03").pk), "first_unit": "40",
                                      "last_unit": "41", "team": "*"},
        "inventory.interface": {"mac_address": "aa:bb:cc:dd:ee:01"},
        "network.ipaddress": {"address": "10.254.254.1/24"},
        "network.iprange": {"start_address": "10.254.254.100", "end_address": "10.254.254.110"},
        "network.fhrpgroup": {"group_id": "77", "virtual_address": gateway.address},  # a search box
        # the planned switch's port has no address yet: it fits any group's subnet and VRF
        "network.fhrpgroupassignment": {"group": str(vrrp.pk), "interface": "dc1-lan-03 Ethernet1/49",
                                        "priority": "90"},
        "network.vlanassignment": {"interface": "dc1-lan-03 Ethernet1/49", "vlan": str(dc1_vlan.pk)},  # no VLAN yet
        "network.numberrange": {"start": "+37052999000", "end": "+37052999099"},
        "network.prefix": {"prefix": "10.254.0.0/16"},
        "network.routetarget": {"name": "65010:999"},
        "security.control": {"evaluator": "*"},
        "security.requirementmapping": {"source": "LT-01", "target": "A.5.2"},  # searched for: not mapped
        "procurement.contractamendment": {"number": "99"},
        "procurement.criterion": {"procurement": str(upkeep.pk), "weight": "40"},
        "procurement.offer": {"procurement": str(upkeep.pk),
                              "supplier": str(Supplier.objects.exclude(offers__procurement=upkeep).first().pk)},
        "procurement.offeranswer": {"offer": str(upkeep_offer.pk), "answer": "meets",
                                    "requirement": str(upkeep.specification.requirements.order_by("number")[0].pk)},
        "procurement.procurement": {"specification": str(upkeep.specification_id)},
        "procurement.requirement": {"number": "99", "text": "Naujas reikalavimas",
                                    "specification": str(Specification.objects.get(code="TS-2026-11").pk)},
        "projects.projectrisk": {"likelihood": "3", "impact": "4"},
        "projects.projecttask": {"responsible": "*"},  # a task outside projects needs one
        # a step of a draft's route (one in review keeps its route), by a role, after the demo's two
        "regulations.routestep": {"document": str(RegulatingDocument.objects.get(status="draft",
                                                                                  title="Tinklo saugos taisyklės").pk),
                                  "position": "9", "role": "*"},
        "risks.risk": {"likelihood": "3", "impact": "4", "residual_likelihood": "2", "residual_impact": "2"},
        "systems.dependency": {"source_type": system_type, "source_id": "*",
                               "target_type": device_type, "target_id": "*"},
        "systems.deployment": {"virtual_machine": "*"},
        # a second path of NTKS: the whole system to its DC2 application standby
        "systems.failoverpath": {"system": str(InformationSystem.objects.get(code="NTKS").pk),
                                 "primary_site": str(Site.objects.get(code="DC1").pk),
                                 "standby_site": str(Site.objects.get(code="DC2").pk),
                                 "standby": "Rezervas DC2: NTKS app (DC2)", "rto_hours": "4"},
        "tasks.schedule": {"cron": "30 2 * * 1-5"},
        "virtualization.clusterhost": {"cluster": str(cluster.pk), "device": str(server.pk)},
        "virtualization.vminterface": {"mac_address": "00:50:56:ff:ff:01"},
        # search boxes (above 100 choices) are typed into: names, addresses
        "virtualization.virtualdisk": {"size_gb": "10", "virtual_machine": planned.name},  # room left
        "virtualization.vmaddressassignment": {"interface": "*", "ip_address": loose.address},
        "network.deviceprimaryaddress": {"device": ilo.interface.device.name, "ip_address": ilo.address},
    }


@contextmanager
def deferred_transactions() -> Iterator[None]:
    """On SQLite, each test's transaction begins without taking the write lock (irtis takes it at
    BEGIN), so that the server, on its own connection to the same file, can save the forms."""
    options = connection.settings_dict["OPTIONS"]
    mode = options.get("transaction_mode")
    if connection.vendor == "sqlite":
        options["transaction_mode"] = "DEFERRED"
        connection.close()
    try:
        yield
    finally:
        if mode is not None:
            options["transaction_mode"] = mode
            connection.close()


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object, browser: object) -> Iterator[SimpleNamespace]:
    """The demo estate behind a live server, and a browser context signed in to it."""
    with django_db_blocker.unblock(), override_settings(IRTIS_MFA_ENFORCED=False), deferred_transactions():
        User.objects.create_superuser("formos", "formos@muitine.lt", PASSWORD)
        # Two letters of each model's first object, to type into its search boxes.
        letters = {}
        for entry in registry.entries():
            text = SearchEntry.objects.filter(content_type__app_label=entry.app_label,
                                              content_type__model=entry.model_name).values_list("text", flat=True)
            letters[entry.label] = (text.first() or "a")[:2]
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        context = browser.new_context(locale="lt-LT", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        refused, in_flight = refusals(page), InFlight(page)
        page.goto(f"{server.url}/login/")
        page.fill("#id_username", "formos")
        page.fill("#id_password", PASSWORD)
        page.click("button:has-text('Prisijungti')")
        page.wait_for_selector("nav")
        try:
            yield SimpleNamespace(url=server.url, page=page, letters=letters, values=_values(), refused=refused,
                                  in_flight=in_flight)
        finally:
            context.close()
            server._live_server_modified_settings.disable()
            server.stop()


# Every field of the form in one round trip: what the test needs to know to use it.
FIELDS = """form => Array.from(form.elements).filter(e => e.name && e.type !== "hidden").map(e => ({
  name: e.name, id: e.id, tag: e.tagName.toLowerCase(), type: e.type, required: e.required,
  multiple: !!e.multiple, value: e.value, min: e.min, max: e.max, maxLength: e.maxLength,
  choices: e.options ? Array.from(e.options).filter(o => o.value !== "").length : 0,
  lookup: e.dataset?.lookupUrl && document.querySelector(`.lookup[data-lookup-for="${e.id}"]`)
    ? e.dataset.lookupUrl.split("/").filter(Boolean).pop() : null,
  kind: e.dataset?.lookupKind || null,
}))"""
# The model an object chooser searches: that of the kind chosen in its kind field.
KIND_OF = """e => JSON.parse(e.dataset.lookupUrls)[e.form.elements.namedItem(e.dataset.lookupKind).value]
  .split("/").filter(Boolean).pop()"""
SETTLED = "() => !document.querySelector('select[data-asked]')"


def search_and_pick(page: object, field: dict, letters: dict[str, str]) -> str:
    """Type into the field's search box, Enter on the first match: the value chosen."""
    page.fill(f'.lookup[data-lookup-for="{field["id"]}"] input', letters[field["lookup"]])
    try:
        page.locator(f'#{field["id"]}-matches [data-lookup-value]').first.wait_for(timeout=5000)
    except TimeoutError:
        return ""
    page.keyboard.press("Enter")
    return page.input_value(f'#{field["id"]}')


def generic_value(field: dict, n: int) -> str | None:
    """A value for a required input left empty (or below its minimum); None: keep it."""
    if field["type"] == "number":  # "8" fits the models' minimums, which the inputs do not show
        return "8" if not field["value"] or float(field["value"]) < 1 else None
    if field["value"] or field["type"] == "checkbox":
        return None
    value = {"date": datetime.date.today().isoformat(), "email": "formos@muitine.lt",
             "datetime-local": datetime.datetime.now().strftime("%Y-%m-%dT%H:%M:%S"),
             "url": "https://muitine.lt"}.get(field["type"], f"F{n}")
    return value[: field["maxLength"]] if field["maxLength"] > 0 else value


@pytest.fixture
def page(demo: SimpleNamespace) -> Iterator[object]:
    """The signed-in page, left quiet: the server is done with a model's requests before the
    test's transaction is rolled back."""
    yield demo.page
    demo.in_flight.settle()
    demo.page.goto("about:blank")
    assert not demo.refused, demo.refused.copy()
    demo.refused.clear()


@pytest.mark.parametrize("label", LABELS)
def test_add_form_is_usable(demo: SimpleNamespace, page: object, label: str) -> None:
    entry = registry.by_label(label)
    values = demo.values.get(label, {})
    page.goto(f"{demo.url}{entry.url('add')}")
    form = page.locator("main form[method=post]")
    fields = form.evaluate(FIELDS)
    # Every select offers a choice: a plain one has choices, a search box finds and picks one.
    problems = []
    for field in (f for f in fields if f["tag"] == "select" and not f["kind"]):  # choosers: once their kind is
        if field["lookup"]:
            if not search_and_pick(page, field, demo.letters):
                problems.append(f"{field['name']}: its search box finds nothing to pick")
            elif not field["multiple"]:
                page.select_option(f'#{field["id"]}', "")
        elif not field["choices"]:
            problems.append(f"{field['name']}: no choices")
    assert not problems, problems
    page.wait_for_function(SETTLED)

    # Fill what the model needs, parents before children, and save.
    for n, field in enumerate(fields):
        wanted = values.get(field["name"])
        if field["tag"] == "select" and not field["multiple"] and (field["required"] or wanted):
            selector = f'#{field["id"]}'
            if field["kind"]:
                search_and_pick(page, {**field, "lookup": page.locator(selector).evaluate(KIND_OF)}, demo.letters)
            elif wanted not in (None, "*") and field["lookup"]:  # a search box: the value is what to type
                search_and_pick(page, field, {field["lookup"]: wanted})
            elif wanted not in (None, "*"):
                page.select_option(selector, wanted)
            elif field["lookup"]:
                search_and_pick(page, field, demo.letters)
            elif not page.input_value(selector):
                page.select_option(selector, index=1)
            page.wait_for_function(SETTLED)
        elif field["type"] == "checkbox":  # one box of a group: ticked when it is the wanted value
            if wanted == field["value"]:
                page.check(f'#{field["id"]}')
        elif field["tag"] != "select" and (wanted or field["required"]):
            value = wanted or generic_value(field, LABELS.index(label) * 100 + n)
            if value is not None:
                page.fill(f'#{field["id"]}', value)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        form.locator("button:has-text('Išsaugoti')").click()
    page.wait_for_load_state()
    errors = page.locator(".mb-3:has(.invalid-feedback), main .alert-danger").all_inner_texts()
    assert posted.value.status == 302, errors
