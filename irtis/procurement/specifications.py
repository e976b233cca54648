"""Actions on specifications: approve, make a new version, compare two versions.

    approve(spec, user)       a draft with at least one requirement becomes approved (by `user`,
                              today); the draft's earlier approved version becomes superseded
    new_version(spec, user)   a draft copy of an approved version (its requirements too), whose
                              approval supersedes it
    diff(old, new)            requirements added, removed and changed, by number, with the words
                              changed marked

Each write is a saved object (audited); refusals are `ActionRefused` (409 in the API).
"""

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from irtis.core import bulk, permissions

from .models import Requirement, Specification


class ActionRefused(Exception):
    """The action cannot be done; the message says why."""


def _locked(spec: Specification, user: Any, action: str) -> Specification:
    if not permissions.restrict(Specification.objects.filter(pk=spec.pk), user, action).exists():
        raise PermissionDenied
    return Specification.objects.select_for_update().get(pk=spec.pk)


def approve(spec: Specification, user: Any) -> Specification:
    with transaction.atomic():
        spec = _locked(spec, user, "change")
        if spec.status != Specification.Status.DRAFT:
            raise ActionRefused(_("Only a draft is approved; this version is %(status)s.")
                                % {"status": spec.get_status_display()})
        if not spec.requirements.exists():
            raise ActionRefused(_("A specification without requirements cannot be approved."))
        for older in Specification.objects.select_for_update().filter(
                code=spec.code, status=Specification.Status.APPROVED, revision__lt=spec.revision):
            older.status = Specification.Status.SUPERSEDED
            older.save()
        spec.status, spec.approved_by, spec.approved_on = Specification.Status.APPROVED, user, timezone.localdate()
        spec.save()
    return spec


def new_version(spec: Specification, user: Any) -> Specification:
    with transaction.atomic():
        spec = _locked(spec, user, "view")
        if not permissions.has(user, Specification, "add"):
            raise PermissionDenied
        if spec.status == Specification.Status.DRAFT:
            raise ActionRefused(_("This version is a draft: edit it instead."))
        if Specification.objects.filter(code=spec.code, status=Specification.Status.DRAFT).exists():
            raise ActionRefused(_("A draft of this specification already exists: edit it."))
        last = Specification.objects.filter(code=spec.code).aggregate(n=Max("revision"))["n"] or spec.revision
        draft = Specification(code=spec.code, revision=last + 1, title=spec.title, purpose=spec.purpose,
                              contract=spec.contract, previous=spec)
        draft.full_clean()
        draft.save()
        draft.systems.set(spec.systems.all())
        copies = [Requirement(specification=draft, number=r.number, section=r.section, kind=r.kind, text=r.text,
                              proof=r.proof, template_id=r.template_id, source=r.source)
                  for r in spec.requirements.all()]
        bulk.save_objects(copies)
    return draft


@dataclass
class Change:
    number: int
    status: str  # added, removed, changed
    old: Requirement | None
    new: Requirement | None
    marked: SafeString = field(default_factory=lambda: mark_safe(""))


def _marked(old: str, new: str) -> SafeString:
    """The new text with removed words struck through and added words underlined (HTML)."""
    a, b = old.split(), new.split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
        if op == "equal":
            parts.append(escape(" ".join(a[i1:i2])))
    return mark_safe(" ".join(parts))


def diff(old: Specification, new: Specification) -> list[Change]:
    """What changed between two versions, requirement by requirement (by number)."""
    before = {r.number: r for r in old.requirements.all()}
    after = {r.number: r for r in new.requirements.all()}
    changes = []
    for number in sorted(before.keys() | after.keys()):
        a, b = before.get(number), after.get(number)
        if a is None:
            changes.append(Change(number, "added", None, b, _marked("", b.text) if b else mark_safe("")))
        elif b is None:
            changes.append(Change(number, "removed", a, None, _marked(a.text, "")))
        elif (a.text, a.kind, a.proof, a.section) != (b.text, b.kind, b.proof, b.section):
            changes.append(Change(number, "changed", a, b, _marked(a.text, b.text)))
    return changes
