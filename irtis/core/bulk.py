"""Writing many validated objects at once: bulk SQL, change records and search index together.

Single objects are saved with `Model.save()` (signals record the change); imports and API list
operations come here, where a thousand rows cost a handful of queries instead of thousands.
"""

from collections.abc import Collection, Sequence
from typing import cast

from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.dispatch import Signal
from django.utils import timezone

from irtis.audit import trail
from irtis.audit.models import Action
from irtis.sql import insert_returning, update_many

from . import search
from .changes import change_entry, current_values, deleting_many, snapshot
from .models import BaseModel, SearchEntry, StaleObjectError
from .names import conflicts as name_conflicts
from .names import unique_names

# Sent with `objects` (and `created`, those of them inserted) after a bulk save, as post_save is
# for one object: an app's own index of its objects (the knowledge base's stems) follows imports
# and API list writes too, and a new device gets its hardware model's components.
saved_many = Signal()


def save_objects(objects: Sequence[BaseModel], fields: Sequence[str] = ()) -> None:
    """Insert new and update existing objects (the `fields` given, or all) of one model.

    Existing objects must carry the version they were read at; if any row has moved on since,
    StaleObjectError is raised and nothing is written.
    """
    if not objects:
        return
    model = type(objects[0])
    new = [o for o in objects if o._state.adding]
    old = [o for o in objects if not o._state.adding]
    with transaction.atomic():
        if old:
            _check_versions(model, old)
            now = timezone.now()
            for obj in old:
                obj.version += 1
                obj.updated = now
            names = list(fields) or [
                f.name for f in model._meta.concrete_fields if not f.primary_key and f.name != "created"
            ]
            update_many(model, old, sorted({*names, "version", "updated"}))
        for obj in new:
            obj.version = 1
        insert_returning(model, new)
        for obj in new:
            obj._state.adding = False
        entries = [change_entry(o, Action.CREATE, None, snapshot(model, current_values(o))) for o in new]
        entries += [
            change_entry(o, Action.UPDATE, snapshot(model, o._loaded), snapshot(model, current_values(o)))
            for o in old
        ]
        trail.append(entries)
        search.reindex(new, new=True)
        search.reindex(old)
        for obj in objects:
            obj._loaded = current_values(obj)
        saved_many.send(sender=model, objects=objects, created=new)


def delete_objects(objects: Sequence[models.Model]) -> None:
    """Delete objects of one model and whatever cascades from them, as `Model.delete()` does
    (ProtectedError and RestrictedError alike, signals sent, each object audited), but with one
    query per related table for all of them instead of for each, and their audit entries and
    search-index rows written in one go: deleting 100 devices one by one ran 2,000 statements."""
    if not objects:
        return
    using = router.db_for_write(type(objects[0]))
    with transaction.atomic(using=using), deleting_many() as batch:
        # The origin signal receivers are told of, as Model.delete() tells it for one object.
        collector = Collector(using=using, origin=objects[0] if len(objects) == 1 else None)
        collector.collect(objects)
        collector.delete()
        if batch.entries:
            trail.append(batch.entries)
        for kind, ids in batch.unindexed.items():
            for chunk in _chunks(ids, 2000):
                SearchEntry.objects.filter(content_type_id=kind, object_id__in=chunk)._raw_delete(using)


def _check_versions(model: type[models.Model], objects: Sequence[BaseModel]) -> None:
    # Lock only this table's rows, in no particular order: a default ordering through a
    # nullable foreign key would make PostgreSQL refuse FOR UPDATE.
    rows = model._default_manager.select_for_update(of=("self",)).filter(pk__in=[o.pk for o in objects]).order_by()
    current = dict(rows.values_list("pk", "version"))
    for obj in objects:
        if current.get(obj.pk) != obj.version:
            raise StaleObjectError(obj)


def unique_sets(model: type[models.Model]) -> list[tuple[str, ...]]:
    """Field-name tuples whose values must be unique together (single unique fields included)."""
    sets: list[tuple[str, ...]] = [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    sets += [tuple(names) for names in model._meta.unique_together]
    sets += [
        tuple(c.fields) for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None
    ]
    return sets


def unique_conflicts(
    objects: Sequence[models.Model], changed: Collection[str] | None = None,
) -> dict[int, dict[str, list[str]]]:
    """Errors by object index for values repeated within `objects` or already taken in the table.

    One query per unique field (or field set), instead of one per object; with `changed` (stored
    objects whose other fields keep their stored, unique values), only the sets it touches.
    """
    from django.utils.translation import gettext as _

    if not objects:
        return {}
    model = type(objects[0])
    errors: dict[int, dict[str, list[str]]] = {}
    for names in unique_sets(model):
        if changed is not None and set(names).isdisjoint(changed):
            continue
        attnames = [cast(models.Field, model._meta.get_field(n)).attname for n in names]  # columns
        seen: dict[tuple, int] = {}
        for index, obj in enumerate(objects):
            key = tuple(getattr(obj, a) for a in attnames)
            if any(v is None or v == "" for v in key):
                continue
            if key in seen:
                errors.setdefault(index, {})[names[-1]] = [
                    _("Repeats the value of item %(number)d.") % {"number": seen[key] + 1}]
            else:
                seen[key] = index
        for chunk in _chunks(list(seen), 500):
            if len(attnames) == 1:
                query = models.Q(**{f"{attnames[0]}__in": [key[0] for key in chunk]})
            else:
                query = models.Q()
                for key in chunk:
                    query |= models.Q(**dict(zip(attnames, key, strict=True)))
            for row in model._default_manager.filter(query).values_list("pk", *attnames):
                index = seen[tuple(row[1:])]
                if objects[index].pk != row[0]:
                    errors.setdefault(index, {})[names[-1]] = [_("Another object already has this value.")]
    for constraint in unique_names(model):
        if changed is not None and {constraint.field, *constraint.scope}.isdisjoint(changed):
            continue
        for index, message in name_conflicts(objects, constraint).items():
            errors.setdefault(index, {})[constraint.field] = [message]
    return errors


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]
