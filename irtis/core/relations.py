"""Many-to-many values of registered objects (tags are one of them): read for many objects at
once, replaced in bulk and audited as the owner's before and after, whichever way they are
written (API, import, edit form, bulk edit).

In files, the natural keys of the related objects share one cell, separated by SEPARATOR.
"""

from collections.abc import Collection, Sequence
from typing import cast

from django.db import models, transaction

from irtis.audit import trail
from irtis.audit.models import Action
from irtis.sql import insert_many

from . import bulk, registry, search
from .changes import change_entry
from .models import BaseModel

SEPARATOR = ";"
CHUNK = 500


def ends(field: models.ManyToManyField) -> tuple[str, str]:
    """The join table's columns naming the owner and the related object."""
    through = _through(field)._meta
    return (cast(models.ForeignKey, through.get_field(field.m2m_field_name())).attname,  # its two foreign keys
            cast(models.ForeignKey, through.get_field(field.m2m_reverse_field_name())).attname)


def _through(field: models.ManyToManyField) -> type[models.Model]:
    return cast(type[models.Model], field.remote_field.through)  # resolved once the apps are loaded


def split(text: str) -> list[str]:
    """The natural keys written in one cell."""
    return [part.strip() for part in text.split(SEPARATOR) if part.strip()]


def related_ids(field: models.ManyToManyField, pks: Collection[int]) -> dict[int, list[int]]:
    """Each owner's related ids, sorted; one query per 500 owners."""
    owner, target = ends(field)
    through = _through(field)
    result: dict[int, list[int]] = {pk: [] for pk in pks}
    keys = list(result)
    for start in range(0, len(keys), CHUNK):
        rows = through._default_manager.filter(**{f"{owner}__in": keys[start:start + CHUNK]}).order_by()
        for pk, related in rows.values_list(owner, target):
            result[pk].append(related)
    for ids in result.values():
        ids.sort()
    return result


def assign(objects: Sequence[BaseModel], field: models.ManyToManyField,
           wanted: Sequence[Collection[int] | None]) -> None:
    """Make the related ids of each object those `wanted` for it (None: leave it as it is).

    One read, one delete and one insert whatever the number of objects; an audit entry
    (before/after ids) for each object whose set changed. Rows of a join model with fields of
    its own are written like any object (audited, indexed), their fields taking defaults.
    """
    pairs = [(obj, set(ids)) for obj, ids in zip(objects, wanted, strict=True) if ids is not None]
    if not pairs:
        return
    current = related_ids(field, [obj.pk for obj, _ids in pairs])
    through = _through(field)
    owner, target = ends(field)
    added: list[models.Model] = []
    removed: dict[int, set[int]] = {}
    entries, changed = [], []
    for obj, ids in pairs:
        was = set(current[obj.pk])
        if was == ids:
            continue
        added += [through(**{owner: obj.pk, target: pk}) for pk in sorted(ids - was)]
        if was - ids:
            removed[obj.pk] = was - ids
        entries.append(change_entry(obj, Action.UPDATE, {field.name: sorted(was)}, {field.name: sorted(ids)}))
        changed.append(obj)
    if not changed:
        return
    if issubclass(through, BaseModel):  # rows named in the audit trail by their two objects
        owners = {obj.pk: obj for obj in changed}
        related = cast(type[models.Model], field.related_model)  # resolved once the apps are loaded
        targets = related._default_manager.in_bulk({getattr(row, target) for row in added})
        for row in added:
            setattr(row, field.m2m_field_name(), owners[getattr(row, owner)])
            setattr(row, field.m2m_reverse_field_name(), targets[getattr(row, target)])
    with transaction.atomic():
        if removed:
            query = models.Q()
            for pk, ids in removed.items():
                query |= models.Q(**{owner: pk, f"{target}__in": ids})
            rows = through._default_manager.filter(query)
            if issubclass(through, BaseModel):
                rows.delete()  # each row's deletion audited and unindexed by signals
            else:
                rows._raw_delete(rows.db)
        if issubclass(through, BaseModel):
            bulk.save_objects(cast(list[BaseModel], added))  # rows of a BaseModel
        else:
            insert_many(through, added)
        trail.append(entries)
        entry = registry.entry_for(type(changed[0]))
        if entry and field.name in entry.search:
            for obj in changed:  # the index reads the new values
                getattr(obj, "_prefetched_objects_cache", {}).pop(field.name, None)
            search.reindex(changed)
