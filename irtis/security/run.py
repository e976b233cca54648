"""Evaluating controls and storing each result with the data behind it.

An evaluator that raises is that control's UNKNOWN with the error as its reason; the others still
run (each in its own savepoint, so a failed query does not abort the rest on PostgreSQL). A
control naming an evaluator that no app registers is UNKNOWN too: nothing passes for want of
an answer. Deviations concerning only systems the control does not apply to (their category is
not among the control's, or the system is excluded with a justification) are left out.
"""

import logging
import uuid
from collections import defaultdict
from dataclasses import asdict, replace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from irtis.systems.models import InformationSystem

from . import evidence as evidence_files
from .evaluation import EVALUATORS, Deviation, Outcome, Status
from .models import Control, ControlResult, Evidence, EvidenceState, Kind, SystemExclusion, SystemResult

logger = logging.getLogger(__name__)

STORED = 1000  # deviations kept on a result; the count is always whole


def _call(code: str) -> Outcome:
    found = EVALUATORS.get(code)
    if found is None:
        return Outcome(Status.UNKNOWN, reason=gettext_noop("No evaluator %(code)s is installed"), params={"code": code})
    try:
        with transaction.atomic():
            outcome = found.function()
    except Exception as error:  # any failure of one evaluator is its control's UNKNOWN, not the run's end
        logger.exception("Evaluator %s failed", code)
        return Outcome(Status.UNKNOWN, reason=gettext_noop("The evaluation failed: %(error)s"),
                       params={"error": f"{type(error).__name__}: {error}"[:400]})
    if not isinstance(outcome, Outcome) or outcome.status not in Status:
        return Outcome(Status.UNKNOWN, reason=gettext_noop("The evaluator gave no outcome"))
    return outcome


def _manual(control: Control, evidence: list[Evidence]) -> Outcome:
    """Passed while one piece of evidence is signed off, unexpired and its file unchanged."""
    deviations = [Deviation(f"security.evidence:{e.pk}", e.title, gettext_noop("Evidence: %(state)s"),
                            {"state": e.state}) for e in evidence if e.state != EvidenceState.VALID]
    valid = [e.pk for e in evidence if e.state == EvidenceState.VALID]
    if valid:
        return Outcome(Status.PASSED, len(evidence), tuple(deviations), data={"valid_evidence": valid})
    if not evidence:
        return Outcome(Status.FAILED, 0, reason=gettext_noop("No evidence uploaded"))
    return Outcome(Status.FAILED, len(evidence), tuple(deviations), reason=gettext_noop("No valid evidence"))


class Applicability:
    """The systems each control applies to: all (not retired) or those of its categories, less
    its exclusions. Three queries for all controls."""

    def __init__(self, controls: list[Control]) -> None:
        systems = list(InformationSystem.objects.exclude(lifecycle=InformationSystem.Lifecycle.RETIRED)
                       .values_list("pk", "category"))
        categories: dict[int, set[int]] = defaultdict(set)
        for control_id, category_id in Control.categories.through.objects.filter(
                control__in=controls).values_list("control", "importancecategory"):
            categories[control_id].add(category_id)
        excluded: dict[int, set[int]] = defaultdict(set)
        for control_id, system_id in SystemExclusion.objects.values_list("control", "system"):
            excluded[control_id].add(system_id)
        self.systems: dict[int, set[int]] = {}
        for control in controls:
            wanted = categories.get(control.pk)
            self.systems[control.pk] = {pk for pk, category in systems if (not wanted or category in wanted)
                                        and pk not in excluded[control.pk]}
        self.excluded = excluded

    def narrow(self, control: Control, outcome: Outcome) -> Outcome:
        applies = self.systems[control.pk]
        kept = [d for d in outcome.deviations if not d.systems or any(s in applies for s in d.systems)]
        if len(kept) == len(outcome.deviations):
            return outcome
        status = outcome.status
        if status == Status.FAILED and not kept and not outcome.reason:
            status = Status.PASSED
        return replace(outcome, status=status, deviations=tuple(kept),
                       data={**outcome.data, "left_out": len(outcome.deviations) - len(kept)})


def _deviation(d: Deviation) -> dict[str, Any]:
    found = asdict(d)
    found["systems"] = list(d.systems)
    found["params"] = dict(d.params)
    return found


def evaluate(controls: list[Control] | None = None, progress: Any = None) -> list[ControlResult]:
    """Evaluate the controls (all that apply to the organisation), store and return their results."""
    if controls is None:
        controls = list(Control.objects.all())
    controls = [c for c in controls if c.applies]
    applicability = Applicability(controls)
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    manual = [c.pk for c in controls if c.kind == Kind.MANUAL]
    for item in Evidence.objects.filter(control__in=manual):
        evidence[item.control_id].append(item)
    evidence_files.verify([e for items in evidence.values() for e in items])
    outcomes: dict[str, Outcome] = {}  # one call per evaluator, however many controls use it
    run, now = uuid.uuid4(), timezone.now()
    results, per_system = [], []
    for done, control in enumerate(controls):
        if control.kind == Kind.MANUAL:
            outcome = _manual(control, evidence[control.pk])
        else:
            if control.evaluator not in outcomes:
                outcomes[control.evaluator] = _call(control.evaluator)
            outcome = outcomes[control.evaluator]
        outcome = applicability.narrow(control, outcome)
        result = ControlResult(
            control=control, time=now, status=outcome.status, checked=outcome.checked,
            failed=len(outcome.deviations), reason=outcome.reason, params=dict(outcome.params),
            deviations=[_deviation(d) for d in outcome.deviations[:STORED]], data=dict(outcome.data), run=run,
        )
        results.append(result)
        per_system.append(_systems(outcome, applicability.systems[control.pk], control.kind))
        if progress:
            progress(done + 1, len(controls), control.code)
    with transaction.atomic():
        ControlResult.objects.bulk_create(results)
        SystemResult.objects.bulk_create(
            [SystemResult(result=result, system_id=system, status=status, deviations=count)
             for result, rows in zip(results, per_system, strict=True) for system, (status, count) in rows.items()],
            batch_size=2000)
    return results


def _systems(outcome: Outcome, applies: set[int], kind: str) -> dict[int, tuple[str, int]]:
    """Each applicable system's status: failed where a deviation concerns it, else the control's
    (unknown stays unknown; an automatic control passes for a system with no deviation)."""
    if outcome.status == Status.NOT_APPLICABLE:
        return {}
    counts: dict[int, int] = defaultdict(int)
    for deviation in outcome.deviations:
        for system in deviation.systems:
            if system in applies:
                counts[system] += 1
    if outcome.status == Status.UNKNOWN:
        return {system: (Status.UNKNOWN, counts[system]) for system in applies}
    rest = outcome.status if kind == Kind.MANUAL else Status.PASSED
    return {system: (Status.FAILED if counts[system] else rest, counts[system]) for system in applies}
