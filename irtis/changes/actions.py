"""Status changes of maintenance windows and change requests, and who may make them.

    submit(subject, user)                   draft → submitted (a standard change with no rule: approved)
    decide(subject, user, approve, comment) one person's approval or rejection, counted for a role
    cancel(subject, user) / reopen(window, user)
    start(change, user) / complete(change, user, result, notes)

Approval follows `ApprovalRule`s of the subject (a window, or a change of its kind): every rule
needs its number of approvals from members of its role (superusers count for any role); a
requester may approve their own only where a rule of theirs allows it. With no rule, one person
who may change the object approves it, never its requester unless `IRTIS_CHANGES_SELF_APPROVAL`.
A change's approval approves its window. Refusals are `ActionRefused` (a clear message) or
`PermissionDenied`; each write is a saved object, so the audit trail records it.
"""

from collections import Counter
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.core import permissions
from irtis.systems import graph

from . import conf, risk
from .impact import covered
from .models import (
    Approval,
    ApprovalRule,
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    Decision,
    MaintenanceWindow,
    Result,
    Status,
    Subject,
)

Target = MaintenanceWindow | ChangeRequest


class ActionRefused(Exception):
    """The action cannot be done in the subject's state; the message says why."""


def _subject(target: Target) -> str:
    return Subject.WINDOW if isinstance(target, MaintenanceWindow) else target.kind


def _fresh(target: Target) -> Target:
    """The subject re-read and locked for the rest of the transaction."""
    return type(target).objects.select_for_update().get(pk=target.pk)


def _link(target: Target) -> dict[str, Target]:
    """The approvals' field naming the subject."""
    return {"window" if isinstance(target, MaintenanceWindow) else "change": target}


def _may_change(user: Any, target: Target) -> None:
    if not permissions.restrict(type(target).objects.filter(pk=target.pk), user, "change").exists():
        raise PermissionDenied


def _check_objects(window: MaintenanceWindow) -> None:
    """The window covers something, and everything it covers still exists."""
    nodes = covered([window.pk]).get(window.pk, [])
    if not nodes:
        raise ActionRefused(_("The maintenance window “%(window)s” covers no object: add the objects "
                              "the work touches.") % {"window": window})
    try:
        graph.existing(nodes)
    except graph.UnknownObject as gone:
        type_id, object_id = graph.parse(str(gone))
        kind = ContentType.objects.get_for_id(type_id).name
        raise ActionRefused(_("The maintenance window “%(window)s” covers %(kind)s #%(id)s, which no longer "
                              "exists: remove it from the window.") % {"window": window, "kind": kind,
                                                                       "id": object_id}) from None


def _save(target: Target, **values: Any) -> None:
    for name, value in values.items():
        setattr(target, name, value)
    target.full_clean()
    target.save()


@transaction.atomic
def submit(target: Target, user: Any) -> Target:
    """Ask for approval. A change needs a window with objects and, unless standard, both plans;
    its window is submitted with it."""
    _may_change(user, target)
    target = _fresh(target)
    if target.status != Status.DRAFT:
        raise ActionRefused(_("Only a draft can be submitted; this one is %(status)s.")
                            % {"status": target.get_status_display()})
    Approval.objects.filter(**_link(target)).delete()  # decisions of an earlier round saw another request
    if isinstance(target, MaintenanceWindow):
        _check_objects(target)
        _save(target, status=Status.SUBMITTED)
        return target
    if target.window is None:
        raise ActionRefused(_("Schedule the change first: choose its maintenance window."))
    if target.kind != ChangeKind.STANDARD and not (target.implementation_plan.strip() and
                                                    target.rollback_plan.strip()):
        raise ActionRefused(_("A normal or emergency change needs an implementation plan and a rollback plan."))
    window = MaintenanceWindow.objects.select_for_update().get(pk=target.window.pk)
    if window.status in (Status.REJECTED, Status.CANCELLED):
        raise ActionRefused(_("The change's maintenance window is %(status)s: choose another one.")
                            % {"status": window.get_status_display()})
    _check_objects(window)
    found = risk.assess([window])
    _save(target, status=ChangeStatus.SUBMITTED, risk=found.level, affected_systems=found.systems)
    if window.status == Status.DRAFT:
        _save(window, status=Status.SUBMITTED)
    if target.kind == ChangeKind.STANDARD and not ApprovalRule.objects.filter(subject=Subject.STANDARD).exists():
        _approve(target, user)  # a standard change is approved in advance (ITIL): its model was
    return target


def _roles(user: Any, rules: list[ApprovalRule]) -> list[ApprovalRule]:
    """The rules whose role the user has (all of them for a superuser)."""
    if user.is_superuser:
        return rules
    groups = set(user.groups.values_list("pk", flat=True))
    return [rule for rule in rules if rule.role_id in groups]


@transaction.atomic
def decide(target: Target, user: Any, approve: bool, comment: str = "") -> Target:
    """Record the user's approval or rejection; the subject is approved once every rule is met,
    rejected at the first rejection."""
    if not permissions.restrict(type(target).objects.filter(pk=target.pk), user, "view").exists():
        raise PermissionDenied
    target = _fresh(target)
    if target.status != Status.SUBMITTED:
        raise ActionRefused(_("Only a submitted request can be approved or rejected; this one is %(status)s.")
                            % {"status": target.get_status_display()})
    link = _link(target)
    if Approval.objects.filter(user=user, **link).exists():
        raise ActionRefused(_("You have already decided on this request."))
    own = target.requested_by_id == user.pk
    rules = list(ApprovalRule.objects.filter(subject=_subject(target)).select_related("role"))
    if rules:
        mine = _roles(user, rules)
        if not mine:
            raise PermissionDenied(_("Only members of these roles decide: %(roles)s.")
                                   % {"roles": ", ".join(str(r.role) for r in rules)})
        if own and not any(rule.allow_self_approval for rule in mine):
            raise ActionRefused(_("The approval policy forbids deciding on your own request."))
    else:
        _may_change(user, target)
        if own and not conf.self_approval():
            raise ActionRefused(_("The approval policy forbids deciding on your own request."))
        mine = []
    if isinstance(target, MaintenanceWindow):
        _check_objects(target)
    elif target.window is not None:
        _check_objects(target.window)
    given = Counter(Approval.objects.filter(decision=Decision.APPROVE, **link).values_list("role", flat=True))
    role = next((r.role for r in mine if given[r.role_id] < r.approvals and (not own or r.allow_self_approval)),
                mine[0].role if mine else None)
    Approval.objects.create(user=user, role=role, decision=Decision.APPROVE if approve else Decision.REJECT,
                            comment=comment, **link)
    if not approve:
        _save(target, status=Status.REJECTED)
        return target
    if role is not None:
        given[role.pk] += 1
    if all(given[r.role_id] >= r.approvals for r in rules):
        _approve(target, user)
    return target


def _approve(target: Target, user: Any) -> None:
    now = timezone.now()
    if isinstance(target, MaintenanceWindow):
        _save(target, status=Status.APPROVED, approved_by=user, approved_at=now)
        return
    _save(target, status=ChangeStatus.APPROVED)
    # Re-read: the window may have been saved (submitted) through another instance.
    window = MaintenanceWindow.objects.select_for_update().get(pk=target.window.pk) if target.window else None
    if window is not None and window.status != Status.APPROVED:
        _save(window, status=Status.APPROVED, approved_by=user, approved_at=now)


@transaction.atomic
def cancel(target: Target, user: Any) -> Target:
    _may_change(user, target)
    target = _fresh(target)
    if target.status in (ChangeStatus.CANCELLED, ChangeStatus.COMPLETED, ChangeStatus.IMPLEMENTING):
        raise ActionRefused(_("A request that is %(status)s cannot be cancelled.")
                            % {"status": target.get_status_display()})
    _save(target, status=Status.CANCELLED)
    return target


@transaction.atomic
def reopen(target: Target, user: Any) -> Target:
    """Back to draft (to change it), forgetting its decisions."""
    _may_change(user, target)
    target = _fresh(target)
    if target.status not in (Status.SUBMITTED, Status.REJECTED):
        raise ActionRefused(_("Only a submitted or rejected request returns to draft; this one is %(status)s.")
                            % {"status": target.get_status_display()})
    Approval.objects.filter(**_link(target)).delete()
    values: dict[str, Any] = {"status": Status.DRAFT}
    if isinstance(target, MaintenanceWindow):
        values.update(approved_by=None, approved_at=None)
    _save(target, **values)
    return target


@transaction.atomic
def start(change: ChangeRequest, user: Any) -> ChangeRequest:
    """Begin implementing an approved change: the user's writes are linked to it from now."""
    _may_change(user, change)
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.status not in (ChangeStatus.APPROVED, ChangeStatus.IMPLEMENTING):
        raise ActionRefused(_("Only an approved change can be implemented; this one is %(status)s.")
                            % {"status": change.get_status_display()})
    if change.status == ChangeStatus.APPROVED:
        _save(change, status=ChangeStatus.IMPLEMENTING)
    return change


@transaction.atomic
def complete(change: ChangeRequest, user: Any, result: str, notes: str = "") -> ChangeRequest:
    _may_change(user, change)
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.IMPLEMENTING:
        raise ActionRefused(_("Only a change being implemented can be completed; this one is %(status)s.")
                            % {"status": change.get_status_display()})
    if result not in Result.values:
        raise ActionRefused(_("Choose the result: %(choices)s.") % {"choices": ", ".join(map(str, Result.labels))})
    _save(change, status=ChangeStatus.COMPLETED, result=result, result_notes=notes or change.result_notes,
          closed_at=timezone.now())
    return change
