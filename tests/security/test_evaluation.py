"""Evaluating controls: each result stored with its data; a failing or missing evaluator, or an
unreachable source, is UNKNOWN (never passed) while the others still run; applicability by the
systems' categories and exclusions narrows the deviations."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.utils.translation import gettext_noop

from irtis.security import jobs, run
from irtis.security.evaluation import EVALUATORS, Deviation, Outcome, Status, evaluator
from irtis.security.models import Control, ControlResult, SystemExclusion, SystemResult
from irtis.tasks.runs import execute

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def register() -> Iterator[Callable[[str, Callable[[], Outcome]], None]]:
    """Register evaluators for one test only."""
    added: list[str] = []

    def add(code: str, function: Callable[[], Outcome]) -> None:
        evaluator(code, code, code)(function)
        added.append(code)

    yield add
    for code in added:
        EVALUATORS.pop(code, None)


def _directory_files(path: Path) -> Outcome:
    """What an evaluator reading a directory does: UNKNOWN with the reason when it is unreachable."""
    try:
        names = sorted(p.name for p in path.iterdir())
    except OSError as error:
        return Outcome(Status.UNKNOWN, reason=gettext_noop("The directory cannot be read: %(error)s"),
                       params={"error": str(error)})
    return Outcome.of(len(names), [])


def test_a_failing_evaluator_is_unknown_and_the_others_still_run(register, tmp_path: Path) -> None:
    def broken() -> Outcome:
        Control.objects.raw("SELECT no_such_column FROM security_control")[0]  # a failed query, too
        raise AssertionError("not reached")

    register("t_broken", broken)
    register("t_directory", lambda: _directory_files(tmp_path / "unmounted"))
    register("t_good", lambda: Outcome.of(3, []))
    factories.control("C-BROKEN", "t_broken")
    factories.control("C-DIR", "t_directory")
    factories.control("C-GOOD", "t_good")
    Control.objects.create(code="C-GONE", title="Evaluator no app installs", evaluator="t_uninstalled")

    results = {r.control.code: r for r in run.evaluate()}

    assert results["C-BROKEN"].status == Status.UNKNOWN
    assert results["C-BROKEN"].reason == "The evaluation failed: %(error)s"
    assert "no_such_column" in results["C-BROKEN"].params["error"]
    assert results["C-DIR"].status == Status.UNKNOWN
    assert "unmounted" in results["C-DIR"].params["error"]
    assert results["C-GONE"].status == Status.UNKNOWN
    assert results["C-GOOD"].status == Status.PASSED and results["C-GOOD"].checked == 3
    assert ControlResult.objects.count() == 4  # stored, with one run id and one time
    assert len(set(ControlResult.objects.values_list("run", "time"))) == 1


def test_a_result_keeps_its_deviations_and_data(register) -> None:
    register("t_failing", lambda: Outcome.of(
        2, [Deviation("inventory.device:7", "SW-01", gettext_noop("Support ended on %(date)s"),
                      {"date": "2025-01-01"})],
        source="test"))
    factories.control("C-F", "t_failing")
    [result] = run.evaluate()
    result.refresh_from_db()
    assert (result.status, result.checked, result.failed) == (Status.FAILED, 2, 1)
    assert result.deviations == [{"object": "inventory.device:7", "label": "SW-01",
                                  "reason": "Support ended on %(date)s", "params": {"date": "2025-01-01"},
                                  "systems": []}]
    assert result.data == {"source": "test"}


def test_applicability_by_category_and_exclusion_narrows_the_deviations(register) -> None:
    first, third = factories.category("I", 1), factories.category("III", 3)
    mdas, bap, xray = (factories.system("MDAS", first), factories.system("BAP", first),
                       factories.system("XRAY-NET", third))
    register("t_systems", lambda: Outcome.of(3, [
        Deviation("x:1", "mdas-db", "bad", systems=(mdas.pk,)),
        Deviation("x:2", "xray-gw", "bad", systems=(xray.pk,)),
        Deviation("x:3", "bap-app", "bad", systems=(bap.pk,)),
    ]))
    control = factories.control("C-SYS", "t_systems")
    control.categories.set([first])
    SystemExclusion.objects.create(control=control, system=bap, justification="Replaced in 2027")

    [result] = run.evaluate()

    assert result.status == Status.FAILED
    assert [d["label"] for d in result.deviations] == ["mdas-db"]  # XRAY-NET: category III; BAP: excluded
    assert result.data == {"left_out": 2}
    assert dict(SystemResult.objects.values_list("system__code", "status")) == {"MDAS": Status.FAILED}

    SystemExclusion.objects.create(control=control, system=mdas, justification="Test")
    [result] = run.evaluate()
    assert result.status == Status.PASSED  # every deviation concerned systems outside the control


def test_an_unknown_result_is_unknown_for_every_system(register) -> None:
    mdas = factories.system("MDAS", factories.category("I", 1))
    register("t_unknown", lambda: Outcome(Status.UNKNOWN, reason="The directory cannot be reached"))
    factories.control("C-U", "t_unknown")
    run.evaluate()
    assert list(SystemResult.objects.values_list("system", "status")) == [(mdas.pk, Status.UNKNOWN)]


def test_an_essential_entity_control_is_left_out_for_an_important_entity(register, settings) -> None:
    register("t_ok", lambda: Outcome.of(1, []))
    control = factories.control("C-ESS", "t_ok")
    control.essential_only = True
    control.save()
    settings.IRTIS_SECURITY_ENTITY = "important"
    assert run.evaluate() == []
    settings.IRTIS_SECURITY_ENTITY = "essential"
    assert [r.control.code for r in run.evaluate()] == ["C-ESS"]


def test_the_job_evaluates_every_control_as_a_run(admin_user, register) -> None:
    register("t_ok", lambda: Outcome.of(1, []))
    factories.control("C-OK", "t_ok")
    factories.control("C-MANUAL")
    started = jobs.evaluate_controls.start(user=admin_user)
    execute(str(started.pk))
    started.refresh_from_db()
    assert started.result == {"results": 2, "passed": 1, "failed": 1}
    assert jobs.evaluate_controls.schedulable


def test_an_automatic_control_needs_an_evaluator_and_a_manual_one_none() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="needs its evaluator"):
        Control(code="X", title="X", kind="automatic").full_clean()
    with pytest.raises(ValidationError, match="proven by evidence"):
        Control(code="Y", title="Y", kind="manual", evaluator="certificates_valid").full_clean()
