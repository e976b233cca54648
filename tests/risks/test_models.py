"""The platform contract of the risk models (pages, API, import/export, audit, permissions), and their rules."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from irtis.identity.models import User
from irtis.risks.models import Assessment, Finding, Risk, RiskAnalysis, Severity
from irtis.systems.models import InformationSystem
from tests.support.contract import ModelContract

from .factories import system


def _system(code: str = "MDAS") -> InformationSystem:
    return InformationSystem.objects.filter(code=code).first() or system(code)


def _assessment(n: int = 0) -> Assessment:
    return Assessment.objects.create(kind="scan", performed_on=date(2026, 11, 1 + n % 28), performer="SOC",
                                     scope=f"Sritis {n}")


def _finding(n: int) -> Finding:
    made = Finding(assessment=_assessment(n), title=f"Silpnybė {n}", host=f"10.0.0.{n + 1}", port="443/tcp",
                   cvss=Decimal("7.5"))
    made.full_clean()
    made.save()
    return made


class TestAssessment(ModelContract):
    model = Assessment
    change = {"performer": "Tiekėjas UAB"}

    def make(self, n: int) -> Assessment:
        return _assessment(n)

    def new_values(self) -> dict:
        return {"kind": "pentest", "performed_on": date(2026, 10, 5), "performer": "UAB Saugumas",
                "scope": "BAP išorinė sąsaja", "description": "Skverbtis iš interneto"}


class TestFinding(ModelContract):
    model = Finding
    change = {"status": "in_treatment"}

    def make(self, n: int) -> Finding:
        return _finding(n)

    def new_values(self) -> dict:
        return {"assessment": _assessment(99), "title": "Pasenęs TLS", "description": "TLS 1.0", "cvss": Decimal("5.9"),
                "severity": "medium", "cve": "CVE-2011-3389", "nvt_oid": "1.3.6.1", "host": "10.10.1.5",
                "port": "443/tcp", "status": "open", "due_date": date(2027, 3, 1)}

    def many_targets(self, field: models.ManyToManyField, n: int) -> list[models.Model]:
        if field.name == "systems":
            start = InformationSystem.objects.count()
            return [system(f"SYS{start + i}") for i in range(n)]
        return super().many_targets(field, n)


class TestRiskAnalysis(ModelContract):
    model = RiskAnalysis
    change = {"description": "Peržiūrėta"}

    def make(self, n: int) -> RiskAnalysis:
        return RiskAnalysis.objects.create(system=_system(f"S{n}"), performed_on=date(2026, 1, 1 + n))

    def new_values(self) -> dict:
        return {"system": _system(), "performed_on": date(2026, 3, 1), "description": "Metinė rizikos analizė"}

    def differ(self, name: str, first: RiskAnalysis, second: RiskAnalysis) -> str:  # type: ignore[override]
        if name != "approved_by":
            return super().differ(name, first, second)
        first.approved_by, first.approved_on = User.objects.create_user("tvirtino"), date(2026, 6, 1)
        first.full_clean()
        first.save()
        return str(first.approved_by_id)


class TestRisk(ModelContract):
    model = Risk
    change = {"likelihood": 2}

    def make(self, n: int) -> Risk:
        return Risk.objects.create(system=_system(f"S{n}"), title=f"Rizika {n}", likelihood=3, impact=4)

    def new_values(self) -> dict:
        return {"system": _system(), "title": "Duomenų nutekėjimas", "threat": "Įsilaužėlis", "vulnerability":
                "Pasenęs TLS", "likelihood": 4, "impact": 5, "treatment": "reduce", "measures": "Išjungti TLS 1.0",
                "residual_likelihood": 2, "residual_impact": 5, "due_date": date(2027, 1, 1)}

    def differ(self, name: str, first: Risk, second: Risk) -> str:  # type: ignore[override]
        if name != "treatment":
            return super().differ(name, first, second)
        first.treatment, first.measures = "reduce", "Atnaujinti"
        first.full_clean()
        first.save()
        return "reduce"

    def many_targets(self, field: models.ManyToManyField, n: int) -> list[models.Model]:
        if field.name == "findings":
            start = Finding.objects.count()
            return [_finding(start + i + 100) for i in range(n)]
        return super().many_targets(field, n)


@pytest.mark.parametrize(("score", "severity"), [
    (None, "info"), ("0", "info"), ("0.1", "low"), ("3.9", "low"), ("4.0", "medium"), ("6.9", "medium"),
    ("7.0", "high"), ("8.9", "high"), ("9.0", "critical"), ("10", "critical")])
def test_severity_of_cvss(score, severity):
    assert Severity.of_cvss(Decimal(score) if score else None) == severity


@pytest.mark.django_db
def test_finding_closing_is_dated_and_reopening_clears_it():
    finding = _finding(1)
    assert (finding.severity, finding.due_date, finding.scope) == ("high", date(2026, 12, 2), "Sritis 1")
    finding.status = Finding.Status.FIXED
    finding.full_clean()
    assert finding.closed_on == date.today()
    finding.status = Finding.Status.OPEN
    finding.full_clean()
    assert finding.closed_on is None


@pytest.mark.django_db
def test_rules_between_fields():
    risk = Risk(system=_system(), title="R", likelihood=5, impact=5, treatment="reduce", residual_likelihood=2)
    with pytest.raises(ValidationError) as error:
        risk.full_clean()
    assert set(error.value.message_dict) == {"measures", "residual_impact"}
    risk.treatment, risk.residual_likelihood = "accept", None
    risk.full_clean()
    assert risk.level == 25 and risk.residual_level is None
    with pytest.raises(ValidationError, match="likelihood"):
        Risk(system=_system(), title="R", likelihood=6, impact=1).full_clean()
    user = User.objects.create_user("vadovas")
    analysis = RiskAnalysis(system=_system(), performed_on=date(2026, 3, 1), approved_by=user)
    with pytest.raises(ValidationError, match="both who approved"):
        analysis.full_clean()
    analysis.approved_on = date(2026, 2, 1)
    with pytest.raises(ValidationError, match="before it was performed"):
        analysis.full_clean()
