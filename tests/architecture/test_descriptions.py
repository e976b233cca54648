"""Architecture descriptions: HTML, DOCX and PDF from live data, stamped and audited."""

import io

import docx
import pypdf
import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from irtis.architecture.apps import PANEL
from irtis.audit.models import Action, AuditEntry
from irtis.core.registry import entry_for
from irtis.systems.models import InformationSystem
from irtis.tasks.runs import execute

from .conftest import LETTERS, generated


def documents() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=Action.DOCUMENT_GENERATED).order_by("id"))


def test_system_page_shows_the_architecture(admin_client, estate) -> None:
    response = admin_client.get(reverse("architecture:system", args=["MDAS"]))
    assert response.status_code == 200
    page = response.content.decode()
    for expected in ("MDAS", "Muitinės deklaracijų apdorojimo sistema", LETTERS, "mdas-web-1",
                     "CL-PROD", "esx-01", "DC1-A01", "MDASPRD", "10.10.120.0/24", "dmz-eservices",
                     "DMZ", "CCN", "CN=mdas.lrmuitine.lt", "Windows Server 2012 R2", "<svg"):
        assert expected in page, expected
    # the application component runs once: its machine is a single point of failure
    spof = page.split('id="spof"')[1].split("</section>")[0]
    assert "mdas-app-1" in spof and "mdas-web-1" not in spof
    assert response.context["doc"].stamp.sha256 in page


def test_infrastructure_page(admin_client, estate) -> None:
    response = admin_client.get(reverse("architecture:infrastructure"))
    assert response.status_code == 200
    page = response.content.decode()
    for expected in ("MDAS", "CL-PROD", "DC1", "Oracle Database", "DMZ", "CCN", "<svg",
                     "Windows Server 2012 R2", "mdas-app-1"):
        assert expected in page, expected


def test_docx_holds_code_rto_spof_and_lithuanian_letters(admin_client, estate) -> None:
    _run, body = generated(admin_client, "docx")
    word = docx.Document(io.BytesIO(body))
    text = "\n".join(p.text for p in word.paragraphs)
    text += "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "MDAS" in text
    with translation.override("lt"):
        assert _("%(hours)s h") % {"hours": "4"} in text  # RTO, in the language of the request
        assert _("Recovery time objective (RTO)") in text
    spofs = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert any("mdas-app-1" in s for s in spofs) and not any("mdas-web" in s for s in spofs)
    assert LETTERS in text
    assert word.inline_shapes, "the dependency diagram is embedded as a picture"
    stamp = documents()[-1].after
    assert stamp["sha256"] in text and stamp["sha256"] in word.sections[0].footer.paragraphs[0].text


def test_pdf_text_keeps_lithuanian_letters(admin_client, estate) -> None:
    _run, body = generated(admin_client, "pdf")
    assert body.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert LETTERS in text
    assert "MDAS" in text and documents()[-1].after["sha256"][:12] in text


def test_each_generation_writes_one_audit_entry(admin_client, estate) -> None:
    before = len(documents())
    admin_client.get(reverse("architecture:system", args=["MDAS"]))
    generated(admin_client, "docx")
    run = admin_client.post(reverse("architecture:infrastructure_file", args=["docx"])).context["run"]
    execute(str(run.pk))
    found = documents()[before:]
    assert [e.after["format"] for e in found] == ["html", "docx", "docx"]
    first, second, whole = found
    assert first.object_id == estate.system.pk and first.actor.username == "admin"
    assert first.after["document"] == "architecture/system/MDAS"
    assert whole.after["document"] == "architecture/infrastructure/infrastructure"
    # nothing changed between the two generations: same data version, same content hash
    assert first.after["sha256"] == second.after["sha256"]
    assert first.after["data_version"] == second.after["data_version"]
    assert first.after["version"].startswith(f"v{first.after['data_version']}-")


def test_a_change_in_the_data_changes_the_stamp(admin_client, estate) -> None:
    admin_client.get(reverse("architecture:system", args=["MDAS"]))
    estate.system.rpo_minutes = 5
    estate.system.save()
    admin_client.get(reverse("architecture:system", args=["MDAS"]))
    first, second = (e.after for e in documents()[-2:])
    assert second["data_version"] > first["data_version"]
    assert second["sha256"] != first["sha256"]


@pytest.mark.parametrize("name, args", [
    ("architecture:index", []), ("architecture:infrastructure", []),
    ("architecture:system", ["MDAS"]), ("architecture:system_file", ["MDAS", "pdf"]),
])
def test_anonymous_is_sent_to_sign_in(client, estate, name, args) -> None:
    response = (client.post if name.endswith("_file") else client.get)(reverse(name, args=args))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not documents()


def test_user_without_permission_is_refused(client, estate, django_user_model) -> None:
    client.force_login(django_user_model.objects.create_user("vartotojas", password="x" * 16))
    assert client.get(reverse("architecture:system", args=["MDAS"])).status_code == 403
    assert client.get(reverse("architecture:infrastructure")).status_code == 403
    assert not documents()


def test_index_and_system_panel_link_the_descriptions(admin_client, estate) -> None:
    page = admin_client.get(reverse("architecture:index")).content.decode()
    assert reverse("architecture:system", args=["MDAS"]) in page
    # the panel the system detail page shows (attached to the registration by this app)
    assert PANEL in entry_for(InformationSystem).panels
    panel = render_to_string(PANEL, {"object": estate.system})
    for fmt in ("docx", "pdf"):
        assert reverse("architecture:system_file", args=["MDAS", fmt]) in panel


def test_the_network_section_names_the_network_not_the_address_plan(admin_client, estate) -> None:
    """mdas-db-1 (10.10.110.31) is in no recorded /24, only in the containers 10.10.0.0/16 (PROD)
    and 10.0.0.0/8: no prefix, in red, and the zone of the most specific container that names one."""
    doc = admin_client.get(reverse("architecture:system", args=["MDAS"])).context["doc"]
    table = next(s for s in doc.sections if s.key == "network").tables[0]
    rows = {row[0].text: row for row in table.rows}
    web, db = rows["mdas-web-1"], rows["mdas-db-1"]
    assert (web[2].text, web[3].text) == ("10.10.120.0/24", "120 dmz-eservices")
    assert web[4].text == "DMZ Demilitarizuota zona"
    assert db[2].warn and "10.0.0.0/8" not in db[2].text and db[4].text == "PROD Gamybinė zona"


def test_infrastructure_covers_wan_voice_directory_mail_mobile_and_backup(admin_client, estate) -> None:
    from irtis.directory.models import DirectoryDomain, DomainController
    from irtis.inventory.models import MobileDevice, Site
    from irtis.mail.models import MailServer, MailSystem
    from irtis.network.models import Circuit, Provider, VoiceGateway
    from tests.backups.factories import policy, repository

    dc1 = Site.objects.get(code="DC1")
    Circuit.objects.create(cid="SVDPT-0042", provider=Provider.objects.create(name="Telia"), kind="svdpt",
                           bandwidth_mbps=1000, site_a=dc1)
    VoiceGateway.objects.create(name="vgw-dc1", site=dc1)
    domain = DirectoryDomain.objects.create(fqdn="lrmuitine.lt", netbios_name="LRMUITINE", functional_level="2016")
    DomainController.objects.create(domain=domain, name="dc1-ad-01", site=dc1)
    MailServer.objects.create(mail_system=MailSystem.objects.create(name="Exchange", domains="lrmuitine.lt"),
                              name="dc1-mbx-01")
    MobileDevice.objects.create(serial="SN-1", kind="phone", model="Telefonas", compliance="non_compliant")
    policy(estate.database, repository("/srv/restic", name="DC1-restic", password=None), system=estate.system)
    page = admin_client.get(reverse("architecture:infrastructure")).content.decode()
    for expected in ("SVDPT-0042", "Telia", "vgw-dc1", "lrmuitine.lt", "dc1-ad-01", "dc1-mbx-01", "Exchange",
                     "DC1-restic"):
        assert expected in page, expected
    with translation.override("lt"):
        for title in (_("WAN circuits"), _("Voice"), _("Active Directory"), _("E-mail"), _("Mobile access"),
                      _("Backup"), _("Backup policies per information system")):
            assert title in page, title
