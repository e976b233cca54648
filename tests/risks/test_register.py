"""Risk registers with their heat maps and PDF, the automatic controls, and overdue findings' notices."""

import io
from datetime import date, timedelta

import pypdf
import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from irtis.identity.models import ObjectPermission, User
from irtis.notifications.models import Notification
from irtis.risks import evaluators, heatmap, jobs
from irtis.risks.models import Finding, Risk, RiskAnalysis
from irtis.security.evaluation import EVALUATORS, Status
from irtis.tasks.runs import execute

from .factories import estate, result, scan, system

pytestmark = pytest.mark.django_db


def risk(of, likelihood: int, impact: int, **values) -> Risk:  # type: ignore[no-untyped-def]
    made = Risk(system=of, title=values.pop("title", f"R{likelihood}{impact}"), likelihood=likelihood, impact=impact,
                **values)
    made.full_clean()
    made.save()
    return made


def reader(*models: str) -> User:
    user = User.objects.create_user(f"u{User.objects.count()}")
    perm = ObjectPermission.objects.create(name=f"{user.username}:risks", actions=["view"])
    perm.users.add(user)
    perm.object_types.set(ContentType.objects.filter(app_label="risks", model__in=models) |
                          ContentType.objects.filter(app_label="systems"))
    return user


def test_heat_map_counts_each_cell():
    drawn = heatmap.svg(heatmap.cells([(5, 5), (5, 5), (1, 2), (None, 3)]), "X")
    assert drawn.count("<rect") == 25
    assert "likelihood 5 × impact 5: 2" in drawn and "likelihood 1 × impact 2: 1" in drawn
    assert 'font-weight="bold">2</text>' in drawn and drawn.count('font-weight="bold"') == 2
    assert heatmap.colour(25) == "#f87171" and heatmap.colour(4) == "#b7e1a1"
    assert "&lt;b&gt;" in heatmap.svg(heatmap.cells([]), "<b>")


def test_register_page_and_pdf(client):
    mdas = system("MDAS")
    risk(mdas, 5, 4, title="Duomenų nutekėjimas", treatment="reduce", measures="Šifruoti",
         residual_likelihood=2, residual_impact=4)
    risk(mdas, 1, 1, title="Smulkmena")
    risk(system("NTKS"), 5, 5, title="Kitos sistemos")
    user = reader("risk", "riskanalysis", "finding")
    client.force_login(user)
    page = client.get(reverse("risks_pages:register", args=[mdas.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Duomenų nutekėjimas" in text and "Kitos sistemos" not in text
    with translation.override("lt"):  # the page's language
        cell = gettext("likelihood %(likelihood)s × impact %(impact)s: %(count)s")
    assert cell % {"likelihood": 5, "impact": 4, "count": 1} in text
    assert cell % {"likelihood": 2, "impact": 4, "count": 1} in text
    assert text.index("Duomenų nutekėjimas") < text.index("Smulkmena")  # highest level first
    with CaptureQueriesContext(connection) as captured:  # the user's permissions kept from now on
        client.get(reverse("risks_pages:register", args=[mdas.pk]))
    few = len(captured)
    for n in range(10):
        risk(mdas, 2, 3, title=f"Papildoma {n}")
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("risks_pages:register", args=[mdas.pk]))
    assert len(captured) == few
    response = client.get(reverse("risks_pages:register_pdf", args=[mdas.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Duomenų nutekėjimas" in content and "MDAS" in content
    index = client.get(reverse("risks_pages:registers")).content.decode()
    assert "MDAS" in index and "NTKS" in index


def test_register_needs_the_permission(client):
    mdas = system("MDAS")
    client.force_login(reader("finding"))
    assert client.get(reverse("risks_pages:register", args=[mdas.pk])).status_code == 403
    assert client.get(reverse("risks_pages:registers")).status_code == 403
    client.force_login(reader("risk"))
    assert client.get(reverse("risks_pages:register", args=[999999])).status_code == 404


def test_evaluators_are_registered_and_decide():
    assert {"findings_not_overdue", "risk_analysis_current", "risks_treated"} <= set(EVALUATORS)
    assert evaluators.findings_not_overdue().status == Status.NOT_APPLICABLE
    today = timezone.localdate()
    scan([result("10.0.0.1", oid="A", cvss="9.8"), result("10.0.0.1", oid="B", cvss="5.0")], today - timedelta(days=8))
    outcome = evaluators.findings_not_overdue()
    assert (outcome.status, outcome.checked, [d.label for d in outcome.deviations]) == (
        Status.FAILED, 1, ["Silpnybė (10.0.0.1:443/tcp)"])  # the medium one is not checked
    Finding.objects.filter(nvt_oid="A").get().delete()
    assert evaluators.findings_not_overdue().status == Status.NOT_APPLICABLE

    mdas, ntks, _other = system("MDAS", rank=1), system("NTKS", rank=2), system("XRAY", rank=3)
    officer = User.objects.create_user("vadovas")
    RiskAnalysis.objects.create(system=mdas, performed_on=today - timedelta(days=30), approved_by=officer,
                                approved_on=today - timedelta(days=20))
    RiskAnalysis.objects.create(system=ntks, performed_on=today - timedelta(days=30))  # not approved
    outcome = evaluators.risk_analysis_current()
    assert (outcome.status, outcome.checked, [d.label for d in outcome.deviations]) == (
        Status.FAILED, 2, [str(ntks)])
    RiskAnalysis.objects.create(system=ntks, performed_on=today - timedelta(days=400), approved_by=officer,
                                approved_on=today - timedelta(days=390))
    assert [d.reason for d in evaluators.risk_analysis_current().deviations] == ["Last analysed on %(date)s"]

    risk(mdas, 3, 3)  # level 9: within the appetite
    high = risk(mdas, 4, 3)
    outcome = evaluators.risks_treated()
    assert (outcome.status, outcome.checked, [d.object for d in outcome.deviations]) == (
        Status.FAILED, 1, [f"risks.risk:{high.pk}"])
    high.treatment = "accept"
    high.full_clean()
    high.save()
    assert evaluators.risks_treated().status == Status.PASSED


def test_overdue_findings_notify_their_owners():
    found = estate()
    owner = found["owner"]
    perm = ObjectPermission.objects.create(name="owner:findings", actions=["view"])
    perm.users.add(owner)
    perm.object_types.set(ContentType.objects.filter(app_label="risks"))
    officer = User.objects.create_user("saugos")
    officer.groups.add(Group.objects.get_or_create(name="security_officer")[0])
    scan([result("10.10.1.5", cvss="9.8"), result("10.99.0.1", cvss="9.8"), result("10.99.0.2", cvss="2.0")],
         timezone.localdate() - timedelta(days=8))
    run = jobs.notify_overdue.start()
    execute(str(run.pk))
    run.refresh_from_db()
    assert run.result == {"notified": 2}
    told = {(n.recipient.username, n.object_repr) for n in Notification.objects.all()}
    assert told == {("jonas", "Silpnybė (10.10.1.5:443/tcp)"), ("saugos", "Silpnybė (10.99.0.1:443/tcp)")}
    assert date.today() > Finding.objects.get(host="10.10.1.5").due_date
