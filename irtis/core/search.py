"""The search index behind the global search box and every list's `q` filter."""

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import prefetch_related_objects
from django.db.models.functions import RowNumber
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from irtis.sql import insert_many, insert_values

from . import changes, registry
from .models import SearchEntry


def normalize(text: str) -> str:
    """Case-fold and strip diacritics: "Šalčininkų" → "salcininku"."""
    if text.isascii():  # nothing to decompose: the common case of ids, host names and paths
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _document(entry: registry.ModelEntry, obj: models.Model) -> str:
    parts = [str(obj)]
    for name in entry.search:
        if name in entry.many_names:  # the names of the related objects
            parts += [str(related) for related in getattr(obj, name).all()]
            continue
        value = getattr(obj, name, None)
        if value not in (None, ""):
            parts.append(str(value))
    return normalize(" ".join(parts))


def entries_for(objects: Iterable[models.Model]) -> list[SearchEntry]:
    objects = list(objects)
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    for model, group in by_model.items():  # one query per searched many-to-many field
        entry = registry.entry_for(model)
        if names := [n for n in entry.search if n in entry.many_names] if entry else []:
            prefetch_related_objects(group, *names)
    result = []
    for obj in objects:
        entry = registry.entry_for(type(obj))
        if entry:
            result.append(SearchEntry(
                content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
                title=str(obj)[:200], text=_document(entry, obj),
            ))
    return result


def index_rows(model: type[models.Model], rows: Iterable[tuple[int, str, Iterable[Any]]]) -> None:
    """Index rows of NEW objects of `model` from (id, title, searched values) without model
    instances: what `reindex(objects, new=True)` writes, for objects written in bulk SQL. The
    values are those of the model's registered `search` fields (no many-to-many ones)."""
    type_id = ContentType.objects.get_for_model(model).pk
    insert_values(SearchEntry, ("content_type", "object_id", "title", "text"), [
        [type_id, pk, title[:200], normalize(" ".join([title, *(str(v) for v in values if v not in (None, ""))]))]
        for pk, title, values in rows])


def reindex(objects: Iterable[models.Model], new: bool = False) -> None:
    """Replace the index rows of these objects whose text changed (bulk: a few queries per
    model); `new` objects have none yet, so nothing is read or deleted for them."""
    rows = entries_for(objects)
    if not new:
        by_type: dict[int, list[SearchEntry]] = {}
        for row in rows:
            by_type.setdefault(row.content_type_id, []).append(row)
        rows = []
        for type_id, entries in by_type.items():
            for start in range(0, len(entries), 500):
                rows += _replace_changed(type_id, entries[start:start + 500])
    insert_many(SearchEntry, rows)


def _replace_changed(type_id: int, entries: list[SearchEntry]) -> list[SearchEntry]:
    """Delete the stored rows that differ from `entries`; return the entries to insert."""
    stored = SearchEntry.objects.filter(content_type_id=type_id, object_id__in=[e.object_id for e in entries])
    current = {object_id: (title, text) for object_id, title, text in stored.values_list("object_id", "title", "text")}
    changed = [e for e in entries if current.get(e.object_id) != (e.title, e.text)]
    if stale := [e.object_id for e in changed if e.object_id in current]:
        rows = SearchEntry.objects.filter(content_type_id=type_id, object_id__in=stale)
        rows._raw_delete(rows.db)  # no signals or cascades to honour: no need to fetch the rows
    return changed


def matching_ids(model: type[models.Model], query: str) -> models.QuerySet:
    """Subquery of ids of `model` objects whose index text contains every word of `query`."""
    rows = SearchEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
    for word in normalize(query).split():
        rows = rows.filter(text__contains=word)
    return rows.values("object_id")


def search(query: str, limit_per_type: int = 10) -> list[tuple[registry.ModelEntry, list[SearchEntry], int]]:
    """Global search: (registered model, first matches, total matches) for each model that matches.

    One scan of the index: window functions number the matches of each model and count them.
    """
    words = normalize(query).split()
    if not words:
        return []
    rows = SearchEntry.objects.all()
    for word in words:
        rows = rows.filter(text__contains=word)
    by_type = models.F("content_type_id")
    rows = rows.annotate(
        rank=models.Window(RowNumber(), partition_by=by_type, order_by=[models.F("title").asc(), "id"]),
        total=models.Window(models.Count("id"), partition_by=by_type),
    ).filter(rank__lte=limit_per_type).defer("text").order_by("content_type_id", "rank")
    found: dict[int, list[Any]] = {}  # entries annotated with their type's `total`
    for row in rows:
        found.setdefault(row.content_type_id, []).append(row)
    results = []
    for entry in registry.entries():
        first = found.get(ContentType.objects.get_for_model(entry.model).pk)
        if first:
            results.append((entry, first, first[0].total))
    return results


@receiver(post_save)
def _index_saved(sender: type, instance: models.Model, **kwargs: Any) -> None:
    if registry.entry_for(sender) and not kwargs.get("raw"):
        reindex([instance], new=kwargs.get("created", False))


@receiver(post_delete)
def _unindex_deleted(sender: type, instance: models.Model, **kwargs: Any) -> None:
    if registry.entry_for(sender):
        kind = ContentType.objects.get_for_model(sender).pk
        if (batch := changes.deleting()) is not None:
            batch.unindexed.setdefault(kind, []).append(instance.pk)
            return
        SearchEntry.objects.filter(content_type_id=kind, object_id=instance.pk).delete()
