"""The catalogues: loaded idempotently, a new edition updates in place and withdraws what it
dropped, a file naming what does not exist is refused whole."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from irtis.audit.models import AuditEntry
from irtis.security import catalogue
from irtis.security.models import Control, Framework, Requirement, RequirementMapping

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories() -> None:
    factories.category("I", 1)


def test_the_shipped_catalogues_load_once(categories) -> None:
    call_command("security_catalogue")
    assert dict(Framework.objects.values_list("code", "edition")) == {
        "LT": "2026-1", "ISO27001": "2022", "KSI": "2024-10-18", "KSRA": "2024-11-12", "N716": "2023-07-19"}
    assert Requirement.objects.filter(framework__code="LT").count() == 32
    assert Requirement.objects.filter(framework__code="ISO27001").count() == 93
    assert RequirementMapping.objects.filter(source__code="A.8.13").count() == 3  # LT-13, 14, 16
    backup = Control.objects.get(code="K-BACKUP-RPO")
    assert sorted(backup.requirements.values_list("code", flat=True)) == ["A.8.13", "LT-13"]
    assert list(Control.objects.get(code="K-SPOF").categories.values_list("code", flat=True)) == ["I"]
    entries = AuditEntry.objects.count()
    call_command("security_catalogue")
    assert AuditEntry.objects.count() == entries


def test_every_automatic_control_names_an_installed_evaluator(categories) -> None:
    from irtis.security.evaluation import EVALUATORS

    catalogue.load()
    for control in Control.objects.filter(kind="automatic"):
        assert control.evaluator in EVALUATORS, control.code


def test_every_installed_evaluator_has_a_shipped_control(categories) -> None:
    """An app's evaluator that no control names would never be evaluated."""
    from irtis.security.evaluation import EVALUATORS

    catalogue.load()
    named = set(Control.objects.values_list("evaluator", flat=True))
    assert set(EVALUATORS) - named == set()


def _edition(tmp_path: Path, edition: str, requirements: list[dict], mappings: list | None = None) -> Path:
    path = tmp_path / f"fw-{edition}.json"
    path.write_text(json.dumps({"code": "FW", "name": "Test", "edition": edition, "requirements": requirements,
                                "mappings": mappings or []}), encoding="utf-8")
    return path


def test_a_new_edition_updates_and_withdraws(tmp_path: Path) -> None:
    catalogue.load([_edition(tmp_path, "1", [{"code": "FW-1", "title": "A"}, {"code": "FW-2", "title": "B"}])],
                   controls=False)
    catalogue.load([_edition(tmp_path, "2", [{"code": "FW-1", "title": "A, revised"}])], controls=False)
    assert Framework.objects.get(code="FW").edition == "2"
    assert dict(Requirement.objects.values_list("code", "withdrawn")) == {"FW-1": False, "FW-2": True}
    assert Requirement.objects.get(code="FW-1").title == "A, revised"


def test_a_mapping_to_an_unknown_requirement_refuses_the_whole_file(tmp_path: Path) -> None:
    path = _edition(tmp_path, "1", [{"code": "FW-1", "title": "A"}], [["FW-1", "NOPE-9"]])
    with pytest.raises(CommandError, match="NOPE-9"):
        call_command("security_catalogue", str(path), "--no-controls")
    assert not Framework.objects.exists()  # nothing half-loaded


def test_controls_naming_an_unknown_category_are_refused() -> None:
    with pytest.raises(catalogue.CatalogueError, match="unknown requirements or categories: I"):
        catalogue.load()
