"""Change records: every save and delete of a change-logged object becomes an audit entry.

Single saves are caught by signals, so the shell and commands are covered too; bulk paths
(imports, API lists) build entries with `change_entry` and append them in one go.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from irtis.audit import context, trail
from irtis.audit.models import Action, AuditEntry

from .models import ChangeLogged
from .registry import entry_for

IGNORED = {"updated"}
# Set by `deleting_many`: the deletes' audit entries and search-index rows, written at its end.
_deleting: ContextVar["DeleteBatch | None"] = ContextVar("irtis_deleting", default=None)


class DeleteBatch:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []
        self.unindexed: dict[int, list[int]] = {}  # object ids by content type id


@contextmanager
def deleting_many() -> Iterator[DeleteBatch]:
    """Within it, deleted objects' audit entries and search-index rows are collected (per
    thread and task) for the caller to write in one go, instead of a few statements each."""
    batch = DeleteBatch()
    token = _deleting.set(batch)
    try:
        yield batch
    finally:
        _deleting.reset(token)


def deleting() -> DeleteBatch | None:
    return _deleting.get()


def snapshot(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe copy of an object's column values keyed by attribute name; a registered
    model's hidden columns (password hashes) are left out."""
    entry = entry_for(model)
    hidden = set(entry.hidden) if entry else set()
    return {
        f.attname: _plain(values[f.attname]) for f in model._meta.concrete_fields
        if f.attname in values and f.attname not in IGNORED and f.name not in hidden
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, dict | list):
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return DjangoJSONEncoder().default(value)


def current_values(instance: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def change_entry(
    instance: models.Model, action: str, before: dict | None, after: dict | None
) -> AuditEntry:
    return context.current().entry(
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        before=before,
        after=after,
    )


@receiver(post_save)
def _record_save(sender: type, instance: models.Model, created: bool, **kwargs: Any) -> None:
    if not isinstance(instance, ChangeLogged) or kwargs.get("raw"):
        return
    entry, fields = entry_for(sender), kwargs.get("update_fields")
    if fields and entry and set(fields) <= set(entry.unversioned):
        return  # bookkeeping (the last sign-in, recorded by its own `login` entry)
    loaded = getattr(instance, "_loaded", None)
    before = None if created or loaded is None else snapshot(sender, loaded)
    after = snapshot(sender, current_values(instance))
    action = Action.CREATE if created else Action.UPDATE
    trail.append([change_entry(instance, action, before, after)])


@receiver(post_delete)
def _record_delete(sender: type, instance: models.Model, **kwargs: Any) -> None:
    if isinstance(instance, ChangeLogged):
        before = snapshot(sender, current_values(instance))
        entry = change_entry(instance, Action.DELETE, before, None)
        if (batch := _deleting.get()) is not None:
            batch.entries.append(entry)
        else:
            trail.append([entry])


@receiver(m2m_changed)
def _record_many(sender: type, instance: models.Model, action: str, pk_set: set | None, **kwargs: Any) -> None:
    """Many-to-many changes made with the ORM's add() and remove() (demo loaders, the shell);
    the platform's writers go through `relations.assign`, which records them itself."""
    if not isinstance(instance, ChangeLogged) or action not in {"post_add", "post_remove"}:
        return
    if kwargs.get("reverse") or not pk_set:
        return
    field = next(f for f in instance._meta.many_to_many if f.remote_field.through is sender)
    now = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    changed = set(pk_set)
    was = sorted(set(now) - changed) if action == "post_add" else sorted(set(now) | changed)
    trail.append([
        change_entry(instance, Action.UPDATE, {field.name: was}, {field.name: now})
    ])
