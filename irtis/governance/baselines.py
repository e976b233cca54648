"""Approved baselines of architecture descriptions (statute 2.13): a system's or the whole
infrastructure's description (irtis.architecture) approved as it stands, stored with its content
hash, and what has changed since in a readable diff of sections, facts and table rows."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.architecture import infrastructure, publish
from irtis.architecture import system as system_document
from irtis.architecture.document import Document
from irtis.audit import context, trail
from irtis.audit.models import Action
from irtis.systems.models import InformationSystem

from .models import Baseline


def current(system: InformationSystem | None, user: object) -> Document:
    """The description as it would be generated now, stamped."""
    doc = system_document.describe(system, user) if system is not None else infrastructure.describe(user)
    publish.stamp(doc, user)
    return doc


def latest(system: InformationSystem | None) -> Baseline | None:
    found = Baseline.objects.filter(system=system) if system else Baseline.objects.filter(
        kind=Baseline.Kind.INFRASTRUCTURE)
    return found.select_related("approved_by").first()


def approve(system: InformationSystem | None, user: Any, note: str = "") -> Baseline:
    """Store the current description as approved, with an audit entry naming its hash."""
    doc = current(system, user)
    assert doc.stamp is not None
    with transaction.atomic():
        made = Baseline.objects.create(
            kind=Baseline.Kind.SYSTEM if system else Baseline.Kind.INFRASTRUCTURE, system=system,
            label=doc.stamp.label, sha256=doc.stamp.sha256, data_version=doc.stamp.data_version,
            content=doc.content(), approved_by=user, approved_at=timezone.now(), note=note)
        entry = context.current().entry(
            action=Action.CREATE, content_type=ContentType.objects.get_for_model(Baseline), object_id=made.pk,
            object_repr=str(made)[:200],
            after={"kind": made.kind, "system": system.pk if system else None, "version": made.label,
                   "sha256": made.sha256, "data_version": made.data_version, "note": note})
        trail.append([entry])
    return made


@dataclass
class SectionDiff:
    title: str
    status: str = "changed"  # added, removed, changed
    facts: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    added: list[str] = field(default_factory=list)  # table rows and list items, as text
    removed: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    return value.get("text", "") if isinstance(value, dict) else str(value)


def _lines(section: dict) -> list[str]:
    lines = []
    for table in section.get("tables", []):
        prefix = f"{table.get('caption')}: " if table.get("caption") else ""
        lines += [prefix + " | ".join(_text(c) for c in row) for row in table.get("rows", [])]
    lines += [_text(item) for item in section.get("items", [])]
    return lines


def diff(before: dict, after: dict) -> list[SectionDiff]:
    """What changed between two documents' content, section by section (by key)."""
    old = {s["key"]: s for s in before.get("sections", [])}
    new = {s["key"]: s for s in after.get("sections", [])}
    changes = []
    for key in [*new, *(k for k in old if k not in new)]:
        if key not in old:
            changes.append(SectionDiff(new[key]["title"], "added", added=_lines(new[key])))
            continue
        if key not in new:
            changes.append(SectionDiff(old[key]["title"], "removed", removed=_lines(old[key])))
            continue
        was = {label: _text(value) for label, value in old[key].get("facts", [])}
        now = {label: _text(value) for label, value in new[key].get("facts", [])}
        facts = [(label, was.get(label, "—"), now.get(label, "—"))
                 for label in [*now, *(k for k in was if k not in now)] if was.get(label) != now.get(label)]
        old_lines, new_lines = _lines(old[key]), _lines(new[key])
        gone, came = set(old_lines) - set(new_lines), set(new_lines) - set(old_lines)
        if facts or gone or came or old[key].get("text") != new[key].get("text"):
            section = SectionDiff(new[key]["title"], facts=facts, added=[x for x in new_lines if x in came],
                                  removed=[x for x in old_lines if x in gone])
            if old[key].get("text") != new[key].get("text"):
                section.facts.append((_("Text"), old[key].get("text", ""), new[key].get("text", "")))
            changes.append(section)
    return changes
