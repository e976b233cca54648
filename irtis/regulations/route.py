"""The review and approval route of a regulating document, and its later life.

    submit(document, user)                        draft → in review: a new round, the first step asked
    decide(document, user, approve, reason, step) the next step's decision, by a member of its role
                                                  (or its person), never by the author of the text
    enforce(document, user) / repeal(document, user)
    state(document)                               each step with its decision in the current round
    may_decide(user, steps, author_id)            whether the user decides the step due

Steps decide in order: a decision for a later step while an earlier one has not decided is
refused. A return (with its reason) sends the document back to draft; the last approval
approves it. A new version of the text returns the document to draft (`drafting.save`), and its
next submission starts the route again. The next step's people and, on a return, the author are
notified (`irtis.notifications`). Refusals are `ActionRefused` (409), `PermissionDenied` (403)
or `ValidationError` (422).
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.core import permissions
from irtis.notifications.events import notify

from . import drafting
from .models import Decision, Document, RouteStep, Status, StepDecision


class ActionRefused(Exception):
    """The action cannot be done in the document's state; the message says why."""


@dataclass
class StepState:
    step: RouteStep
    decision: StepDecision | None
    waiting: bool  # the step whose decision is due now


def _locked(document: Document, user: Any, action: str) -> Document:
    if not permissions.restrict(Document.objects.filter(pk=document.pk), user, action).exists():
        raise PermissionDenied
    return Document.objects.select_for_update().get(pk=document.pk)


def _save(document: Document, **values: Any) -> Document:
    for name, value in values.items():
        setattr(document, name, value)
    document.full_clean()
    document.save()
    return document


def state(document: Document) -> list[StepState]:
    """The route's steps with their decisions in the document's current round (two queries)."""
    steps = list(document.steps.select_related("role", "person"))
    decided = (
        {
            d.step_id: d
            for d in StepDecision.objects.filter(step__document=document, round=document.round).select_related("user")
        }
        if document.round
        else {}
    )
    result, waiting = [], document.status == Status.REVIEW
    for step in steps:
        decision = decided.get(step.pk)
        result.append(StepState(step, decision, waiting and decision is None))
        waiting = waiting and decision is not None
    return result


def _ask(document: Document, step: RouteStep) -> None:
    notify(
        "regulations.review",
        roles=[step.role.name] if step.role is not None else [],
        users=[step.person] if step.person_id else [],
        obj=document,
        context={"step": step.position},
    )


@transaction.atomic
def submit(document: Document, user: Any) -> Document:
    document = _locked(document, user, "change")
    if document.status != Status.DRAFT:
        raise ActionRefused(
            _("Only a draft is submitted for review; this document is %(status)s.")
            % {"status": document.get_status_display()}
        )
    if not document.revision:
        raise ActionRefused(_("The document has no text yet: write it first."))
    first = document.steps.select_related("role", "person").first()
    if first is None:
        raise ActionRefused(_("The document has no approval route: add its steps first."))
    _save(document, status=Status.REVIEW, round=document.round + 1)
    _ask(document, first)
    return document


def _member(user: Any, step: RouteStep) -> bool:
    if step.person_id:
        return bool(step.person_id == user.pk)
    return bool(user.is_superuser or user.groups.filter(pk=step.role_id).exists())


def may_decide(user: Any, steps: list[StepState], author_id: int | None) -> bool:
    """Whether the user decides the step due now (pages offer its buttons to them only)."""
    due = next((s for s in steps if s.waiting), None)
    return due is not None and author_id != user.pk and _member(user, due.step)


@transaction.atomic
def decide(document: Document, user: Any, approve: bool, reason: str = "", step: int | None = None) -> Document:
    """Record the next step's decision; `step` (a step's id), when given, must be that step."""
    document = _locked(document, user, "view")
    if document.status != Status.REVIEW:
        raise ActionRefused(
            _("Only a document in review is approved or returned; this one is %(status)s.")
            % {"status": document.get_status_display()}
        )
    steps = state(document)
    due = next((s for s in steps if s.waiting), None)
    if due is None:  # every step decided: cannot happen while in review, said plainly if it does
        raise ActionRefused(_("Every step of the route has decided."))
    if step is not None and step != due.step.pk:
        asked = next((s for s in steps if s.step.pk == step), None)
        if asked is None:
            raise ActionRefused(_("Step %(step)s is not a step of this document's route.") % {"step": step})
        if asked.decision is not None:
            raise ActionRefused(_("Step %(position)s has already decided.") % {"position": asked.step.position})
        raise ActionRefused(
            _("Step %(position)s decides after step %(due)s (%(decider)s), which has not decided yet.")
            % {"position": asked.step.position, "due": due.step.position, "decider": due.step.decider}
        )
    if not _member(user, due.step):
        raise PermissionDenied(
            _("Step %(position)s is decided by %(decider)s.")
            % {"position": due.step.position, "decider": due.step.decider}
        )
    text = drafting.latest(document)
    if text is not None and text.author_id == user.pk:
        raise PermissionDenied(_("You wrote this version of the text: its author does not approve it."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the document is returned.")})
    StepDecision.objects.create(
        step=due.step,
        round=document.round,
        revision=document.revision,
        decision=Decision.APPROVE if approve else Decision.RETURN,
        user=user,
        reason=reason.strip()[:2000],
    )
    if not approve:
        _save(document, status=Status.DRAFT)
        authors = [p for p in (text.author if text else None, document.owner) if p is not None]
        notify("regulations.returned", users=authors, obj=document, context={"reason": reason.strip()[:200]})
        return document
    later = [s for s in steps if s.step.position > due.step.position]
    if later:
        _ask(document, later[0].step)
        return document
    return _save(document, status=Status.APPROVED, approved_revision=document.revision, approved_at=timezone.now())


@transaction.atomic
def enforce(document: Document, user: Any) -> Document:
    document = _locked(document, user, "change")
    if document.status != Status.APPROVED:
        raise ActionRefused(
            _("Only an approved document comes into force; this one is %(status)s.")
            % {"status": document.get_status_display()}
        )
    return _save(document, status=Status.IN_FORCE)


@transaction.atomic
def repeal(document: Document, user: Any) -> Document:
    document = _locked(document, user, "change")
    if document.status not in (Status.APPROVED, Status.IN_FORCE):
        raise ActionRefused(
            _("Only an approved document or one in force is repealed; this one is %(status)s.")
            % {"status": document.get_status_display()}
        )
    return _save(document, status=Status.REPEALED)


ACTIONS = {"submit", "approve", "return", "enforce", "repeal"}


def run(document: Document, user: Any, action: str, reason: str = "", step: int | None = None) -> Document:
    """One of `ACTIONS` by name (pages and API alike)."""
    if action == "submit":
        return submit(document, user)
    if action in ("approve", "return"):
        return decide(document, user, action == "approve", reason, step)
    if action == "enforce":
        return enforce(document, user)
    return repeal(document, user)
