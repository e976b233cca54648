"""Bulk import: validate every row of a file, preview what changes, then write.

Rows refer to other objects by natural key (a site's code) or, where it names one object only,
by name; never by database id. A row whose `id`, or whose key column, names an existing object
updates it; any other row creates one; a row that changes nothing writes nothing. Columns are
named by field name or by the label the pages show (in any of the site's languages); choices
by code or label. Nothing is written while any row is invalid, unless the user chooses to skip
invalid rows.

The work is linear in the rows: every look-up is one query per `CHUNK` values (PostgreSQL takes
at most 65,535 parameters per statement), and per-row checks use sets, not scans. Reading the
file is `importfiles`; the view and the background run live in `importviews`.
"""

import copy
import json
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from irtis.audit.context import changes_by, current
from irtis.audit.models import AuditEntry, Source
from irtis.sql import ANALYZE_ROWS, analyze

from . import bulk, permissions, relations, tabular
from .exports import FORMULA_STARTS
from .models import BaseModel, ImportUpload, SearchEntry, StaleObjectError
from .names import NameMixin, normalise
from .registry import ModelEntry, entry_for, is_reference

TRUE_WORDS = {"1", "true", "yes", "taip", "t", "y"}
FALSE_WORDS = {"0", "false", "no", "ne", "f", "n"}
CHUNK = 2000  # values per look-up query and objects per write: far below PostgreSQL's limit
SHOWN_ROWS = 100  # rows whose changes the preview spells out
SHOWN_ERRORS = 500

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class RowError:
    row: int  # 1 = the first data row; 0 = the header
    column: str
    message: str


@dataclass
class Plan:
    """What an import would do: each row's object, the columns each stored object changes in,
    and every error found."""

    rows: dict[int, BaseModel] = field(default_factory=dict)
    changed: dict[int, list[str]] = field(default_factory=dict)  # row of a stored object → columns
    many: dict[str, dict[int, list[int]]] = field(default_factory=dict)  # field → row → ids to set
    errors: list[RowError] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)
    _marked: set[tuple[int, str]] = field(default_factory=set)

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))
        self.bad_rows.add(row)
        self._marked.add((row, column))

    def has_error(self, row: int, column: str) -> bool:
        return (row, column) in self._marked

    @property
    def writes(self) -> dict[int, BaseModel]:
        """The valid rows that create an object or change one."""
        return {n: o for n, o in self.rows.items()
                if n not in self.bad_rows and (o._state.adding or self.changed.get(n))}

    @property
    def created(self) -> int:
        return sum(1 for o in self.writes.values() if o._state.adding)

    @property
    def updated(self) -> int:
        return len(self.writes) - self.created

    @property
    def unchanged(self) -> int:
        return sum(1 for n, o in self.rows.items()
                   if n not in self.bad_rows and not o._state.adding and not self.changed.get(n))


def clean_text(value: str) -> str:
    """Undo the apostrophe exports put before formula characters (the text was data, and is
    again); refuse formulas."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    if value.startswith(("=", "@")) or (
        value.startswith(("+", "-")) and any(c in value for c in "(|!=")
    ):
        raise ValidationError(_("Spreadsheet formulas are not accepted."))
    return value


def fold(text: str) -> str:
    """A header or label as compared: case and spacing ignored."""
    return " ".join(text.split()).casefold()


def _in_every_language(label: Any) -> set[str]:
    texts = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts.add(fold(str(label)))
    return texts


def header_names(entry: ModelEntry) -> dict[str, str]:
    """Column name by folded header: field names, and the labels pages show where unambiguous."""
    labels: dict[str, set[str]] = defaultdict(set)
    columns = tabular.columns(entry)
    for column in columns:
        for text in _in_every_language(column.field.verbose_name):
            labels[text].add(column.name)
    names = {text: next(iter(found)) for text, found in labels.items() if len(found) == 1}
    names.update({fold(c.name): c.name for c in columns})
    return names


def _chunks(items: Iterable[Any], size: int = CHUNK) -> list[list[Any]]:
    values = list(items)
    return [values[i:i + size] for i in range(0, len(values), size)]


def _key_field(model: type[models.Model], key: str) -> models.Field:
    """The field naming objects of `model` in a file (its natural key, or "pk")."""
    return cast(models.Field, model._meta.pk if key == "pk" else model._meta.get_field(key))  # a column


def _valid(model_field: models.Field, values: Iterable[str]) -> list[Any]:
    """The values a field can hold (a query with any other would fail), converted."""
    result = []
    for value in values:
        try:
            result.append(model_field.to_python(value))
        except (ValidationError, ValueError, TypeError):
            continue
    return result


class Importer:
    """Validates rows of one registered model and turns them into unsaved objects."""

    def __init__(self, entry: ModelEntry, rows: list[dict[str, str]], user: Any = None,
                 progress: Progress | None = None) -> None:
        self.entry = entry
        self.raw = rows
        self.user = user
        self.progress = progress
        self.columns = {c.name: c for c in tabular.columns(entry)}
        self.plan = Plan()
        self.ambiguous: dict[str, set[str]] = defaultdict(set)
        self.choice_values: dict[str, dict[str, Any]] = {}

    def run(self) -> Plan:
        names = self._map_headers()
        if self.plan.errors:
            return self.plan
        if not self.raw:
            self.plan.error(0, "", _("The file has no rows."))
            return self.plan
        self.rows = [{names[h]: v for h, v in row.items()} for row in self.raw]
        present = set(names.values())
        self._normalise_names(present)
        self.existing = self._existing(present)
        self.references = {name: self._references(col) for name, col in self.columns.items()
                           if (is_reference(col.field) or col.many) and name in present}
        stored = [o.pk for o in self.existing["id"].values()]
        self.current_many = {name: relations.related_ids(cast(models.ManyToManyField, col.field), stored)
                             for name, col in self.columns.items() if col.many and name in present}
        self.required = [c.field for c in self.columns.values() if is_reference(c.field) and not c.field.null]
        self.excluded = [c.field.name for c in self.columns.values() if is_reference(c.field) or c.many]
        total = len(self.rows)
        for number, row in enumerate(self.rows, start=1):
            self._row(number, row)
            if self.progress and number % 1000 == 0:
                self.progress(number, total, _("Checked %(done)d of %(total)d rows") % {"done": number, "total": total})
        self._check_unique()
        if self.user is not None:
            self._check_permissions()
        return self.plan

    def _normalise_names(self, present: set[str]) -> None:
        """Names (core.names) as they are stored, before anything is looked up by them: the
        object's own, and related objects' keys ("ＤＣ1" names the site DC1)."""
        columns: list[str] = []
        for name in present:
            column = self.columns[name]
            field = column.field if name != "id" else None
            if field is None or column.many:
                continue
            if is_reference(field):
                related = cast(type[models.Model], field.related_model)  # resolved once the apps are loaded
                field = _key_field(related, tabular.related_key(field))
            if isinstance(field, NameMixin):
                columns.append(name)
        for row in self.rows:
            for name in columns:
                if row.get(name):
                    row[name] = normalise(row[name])

    def _map_headers(self) -> dict[str, str]:
        """Column name by header as written; unknown and doubled headers are errors."""
        known = header_names(self.entry)
        headers = dict.fromkeys(h for row in self.raw for h in row)
        mapped: dict[str, str] = {}
        for header in headers:
            name = known.get(fold(header))
            if name is None:
                self.plan.error(0, header, _("Unknown column. Known columns: %(columns)s") % {
                    "columns": ", ".join(self.columns)})
            elif name in mapped.values():
                self.plan.error(0, header, _("Another column of the file is also “%(column)s”.") % {"column": name})
            else:
                mapped[header] = name
        return mapped

    def _existing(self, present: set[str]) -> dict[str, dict[str, BaseModel]]:
        model, key = self.entry.model, self.entry.key
        manager = model._default_manager
        by_id: dict[str, BaseModel] = {}
        by_key: dict[str, BaseModel] = {}
        ids = {int(r["id"]) for r in self.rows if r.get("id", "").isdigit()}
        for chunk in _chunks(ids):
            by_id.update((str(o.pk), o) for o in manager.filter(pk__in=chunk))
        if key in present:
            keys = set(_valid(self.entry.field(key), {r[key] for r in self.rows if r.get(key)}))
            for chunk in _chunks(keys):
                for obj in manager.filter(**{f"{key}__in": chunk}):
                    obj = by_id.setdefault(str(obj.pk), obj)  # one object for the row by id and by key
                    by_key[str(getattr(obj, key))] = obj
        return {"id": by_id, "key": by_key}

    def _references(self, column: tabular.TableColumn) -> dict[str, models.Model]:
        """Related objects by the text naming them: their key, or their name where only one has it."""
        related = cast(type[models.Model], column.field.related_model)  # resolved once the apps are loaded
        key = tabular.related_key(column.field)
        manager = related._default_manager
        if column.many:
            values = {v for r in self.rows for v in relations.split(r.get(column.name, ""))}
        else:
            values = {r[column.name] for r in self.rows if r.get(column.name)}
        found: dict[str, models.Model] = {}
        for chunk in _chunks(_valid(_key_field(related, key), values)):
            found.update((str(getattr(o, key)), o) for o in manager.filter(**{f"{key}__in": chunk}))
        missing = values - set(found)
        try:
            name_field = related._meta.get_field("name")
        except FieldDoesNotExist:
            return found
        if not missing or key == "name" or name_field.is_relation:
            return found
        named: dict[str, list[models.Model]] = defaultdict(list)
        for chunk in _chunks(missing):
            for obj in manager.filter(name__in=chunk):
                named[str(obj.name)].append(obj)  # type: ignore[attr-defined]  # checked above
        for name, objects in named.items():
            if len(objects) == 1:
                found[name] = objects[0]
            else:
                self.ambiguous[column.name].add(name)
        return found

    def _row(self, number: int, row: dict[str, str]) -> None:
        obj = self._target(number, row)
        if obj is None:
            return
        for name, text in row.items():
            if name == "id":
                continue
            try:
                if self.columns[name].many:
                    self._set_many(number, self.columns[name], clean_text(text))
                else:
                    self._set(obj, self.columns[name], clean_text(text))
            except ValidationError as error:
                self.plan.error(number, name, "; ".join(error.messages))
        for reference in self.required:
            missing = obj._state.adding and getattr(obj, reference.attname) is None
            if missing and not self.plan.has_error(number, reference.name):
                self.plan.error(number, reference.name, _("This field is required."))
        try:
            obj.full_clean(exclude=self.excluded, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = "" if name == "__all__" else name
                if not self.plan.has_error(number, column):
                    self.plan.error(number, column, "; ".join(messages))
        if not obj._state.adding:
            self.plan.changed[number] = self._changes(number, obj, row)
        self.plan.rows[number] = obj

    def _changes(self, number: int, obj: BaseModel, row: dict[str, str]) -> list[str]:
        """The columns of the row whose values differ from the stored object's."""
        changed = []
        for name in row:
            column = self.columns[name]
            if name == "id":
                continue
            if column.many:
                wanted = self.plan.many.get(name, {}).get(number)
                if wanted is not None and sorted(wanted) != self.current_many[name].get(obj.pk, []):
                    changed.append(name)
            elif getattr(obj, column.field.attname) != obj._loaded.get(column.field.attname):
                changed.append(name)
        return changed

    def _target(self, number: int, row: dict[str, str]) -> BaseModel | None:
        pk, key = row.get("id", ""), row.get(self.entry.key, "")
        if pk:
            obj = self.existing["id"].get(pk)
            if obj is None:
                self.plan.error(number, "id", _("No object with this id exists."))
            return obj
        return self.existing["key"].get(key) or self.entry.model()

    def _related(self, column: tabular.TableColumn, text: str) -> models.Model:
        target = self.references[column.name].get(text)
        if target is not None:
            return target
        related = cast(type[models.Model], column.field.related_model)  # resolved once the apps are loaded
        if text in self.ambiguous[column.name]:
            raise ValidationError(_("More than one %(model)s is named “%(value)s”: write its %(key)s instead.") % {
                "model": related._meta.verbose_name, "value": text,
                "key": _key_field(related, tabular.related_key(column.field)).verbose_name})
        raise ValidationError(_("No %(model)s “%(value)s” exists.") % {
            "model": related._meta.verbose_name, "value": text})

    def _set(self, obj: BaseModel, column: tabular.TableColumn, text: str) -> None:
        field = column.field
        if is_reference(field):
            if not text:
                setattr(obj, field.name, None)
                if not field.null:
                    raise ValidationError(_("This field is required."))
                return
            setattr(obj, field.name, self._related(column, text))
            return
        if field.choices and text:
            setattr(obj, field.attname, self._choice(column, text))
            return
        if isinstance(field, models.BooleanField):
            if text.casefold() in TRUE_WORDS | FALSE_WORDS:
                setattr(obj, field.attname, text.casefold() in TRUE_WORDS)
                return
            if text or not field.null:
                raise ValidationError(_("Write yes or no."))
        if text == "":
            value = None if field.null else ("" if field.empty_strings_allowed else None)
            if value is None and not field.null and field.has_default():
                value = field.get_default()
            setattr(obj, field.attname, value)
            return
        if isinstance(field, models.DecimalField | models.FloatField) and "," in text and "." not in text:
            text = text.replace(",", ".")  # the decimal comma Lithuanian Excel writes
        try:
            setattr(obj, field.attname, field.to_python(text))
        except ValidationError:
            expected = _expected(field)
            if expected is None:
                raise
            raise ValidationError(expected % {"value": text}) from None

    def _choice(self, column: tabular.TableColumn, text: str) -> Any:
        values = self.choice_values.get(column.name)
        if values is None:
            values = {}
            for value, label in column.field.flatchoices:
                values[fold(str(value))] = value
                values.update(dict.fromkeys(_in_every_language(label), value))
            self.choice_values[column.name] = values
        try:
            return values[fold(text)]
        except KeyError:
            allowed = ", ".join(f"{label} ({value})" for value, label in column.field.flatchoices if value != "")
            raise ValidationError(_("“%(value)s” is not one of the choices. Allowed: %(choices)s.") % {
                "value": text, "choices": allowed}) from None

    def _set_many(self, number: int, column: tabular.TableColumn, text: str) -> None:
        """The objects named in a many-to-many cell; every unknown or repeated key is named."""
        keys = relations.split(text)
        found, problems = [], []
        for key in keys:
            try:
                found.append(self._related(column, key))
            except ValidationError as error:
                problems += error.messages
        if problems:
            raise ValidationError(problems)
        if repeated := sorted({k for k in keys if keys.count(k) > 1}):
            raise ValidationError(_("Named more than once: %(values)s") % {"values": ", ".join(repeated)})
        self.plan.many.setdefault(column.name, {})[number] = [o.pk for o in found]

    def _check_unique(self) -> None:
        # Rows that write nothing keep their stored, unique values: only the others are checked,
        # against each other and against the table.
        writes = self.plan.writes
        numbers = list(writes)
        for index, fields in bulk.unique_conflicts(list(writes.values())).items():
            for name, errors in fields.items():
                self.plan.error(numbers[index], name, "; ".join(errors))

    def _check_permissions(self) -> None:
        """A row the user may not import, or that would take its object outside what they may
        import (a location moved to a site they do not manage), is an error of its row."""
        writes = self.plan.writes
        numbers = list(writes)
        objects = list(writes.values())
        model = self.entry.model
        constrained = permissions.has(self.user, model, "import") and \
            permissions.constraint(self.user, model, "import") is not None
        for start in range(0, len(objects), CHUNK):
            chunk = objects[start:start + CHUNK]
            refused = dict(permissions.check_objects(self.user, chunk, "import"))
            if constrained:
                as_new = []
                for obj in chunk:  # the row's new values, checked as if it were a new object
                    state = copy.copy(obj)
                    state._state.adding = True
                    as_new.append(state)
                refused.update(
                    (i, _("This change would take the object outside what you may import."))
                    for i, _m in permissions.check_objects(self.user, as_new, "import") if i not in refused)
            for index, message in sorted(refused.items()):
                self.plan.error(numbers[start + index], "", message)

    def shown(self, limit: int = SHOWN_ROWS) -> list[dict[str, Any]]:
        """The first rows as the preview shows them: what each does, and old → new per column."""
        numbers = sorted(self.plan.rows)[:limit] if hasattr(self, "rows") else []
        old_keys = self._old_related(numbers)
        shown = []
        for number in numbers:
            obj = self.plan.rows[number]
            row = self.rows[number - 1]
            if number in self.plan.bad_rows:
                action = "error"
            elif obj._state.adding:
                action = "create"
            else:
                action = "update" if self.plan.changed.get(number) else "unchanged"
            names = [n for n in row if n != "id" and (obj._state.adding or n in self.plan.changed.get(number, []))]
            cells = []
            for name in names:
                column = self.columns[name]
                old = "" if obj._state.adding else self._old_text(column, obj, old_keys)
                new = row[name] if column.many or is_reference(column.field) else \
                    display(column.field, getattr(obj, column.field.attname))
                cells.append([name, old, new])
            shown.append({"row": number, "action": action, "cells": cells})
        return shown

    def _old_related(self, numbers: list[int]) -> dict[str, dict[Any, str]]:
        """The keys of related objects the shown stored objects point to now, per column."""
        wanted: dict[str, set[Any]] = defaultdict(set)
        for number in numbers:
            obj = self.plan.rows[number]
            for name in self.plan.changed.get(number, []):
                column = self.columns[name]
                if column.many:
                    wanted[name].update(self.current_many[name].get(obj.pk, []))
                elif is_reference(column.field) and obj._loaded.get(column.field.attname) is not None:
                    wanted[name].add(obj._loaded[column.field.attname])
        keys = {}
        for name, pks in wanted.items():
            field = self.columns[name].field
            related = cast(type[models.Model], field.related_model)  # resolved once the apps are loaded
            key = tabular.related_key(field)
            found = related._default_manager.filter(pk__in=pks).values_list("pk", key)
            keys[name] = {pk: str(value) for pk, value in found}
        return keys

    def _old_text(self, column: tabular.TableColumn, obj: BaseModel, keys: dict[str, dict[Any, str]]) -> str:
        if column.many:
            pks = self.current_many[column.name].get(obj.pk, [])
            return relations.SEPARATOR.join(keys[column.name].get(pk, "") for pk in pks)
        value = obj._loaded.get(column.field.attname)
        if is_reference(column.field):
            return keys.get(column.name, {}).get(value, "") if value is not None else ""
        return display(column.field, value)


def _expected(field: models.Field) -> str | None:
    """What a number or date column takes, said in the user's language (Django's own messages
    for these have no Lithuanian translation)."""
    if isinstance(field, models.DateTimeField):
        return _("“%(value)s” is not a date and time: write it as YYYY-MM-DD HH:MM, e.g. 2026-12-03 14:30.")
    if isinstance(field, models.DateField):
        return _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2026-12-03.")
    if isinstance(field, models.IntegerField):
        return _("“%(value)s” is not a whole number.")
    if isinstance(field, models.DecimalField | models.FloatField):
        return _("“%(value)s” is not a number.")
    return None


def display(field: models.Field, value: Any) -> str:
    """A value as the preview shows it: choices by label, yes/no, numbers as written."""
    if value is None:
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def plan_import(entry: ModelEntry, rows: list[dict[str, str]], user: Any = None) -> Plan:
    """The plan for `rows`; with `user`, rows they may not import are errors too."""
    return Importer(entry, rows, user).run()


def apply_plan(plan: Plan, user: object, skip_invalid: bool = False,
               progress: Progress | None = None) -> list[BaseModel]:
    """Write a plan's valid rows that change something; with errors and no `skip_invalid`, write nothing."""
    if plan.errors and (not skip_invalid or any(e.row == 0 for e in plan.errors)):
        raise ValueError("the plan has errors")
    writes = plan.writes
    saved = [o for n, o in writes.items() if o._state.adding or _concrete(o, plan.changed.get(n, []))]
    total = len(saved)
    with transaction.atomic():
        for start in range(0, total, CHUNK):
            bulk.save_objects(saved[start:start + CHUNK])
            if progress:
                done = min(start + CHUNK, total)
                progress(done, total, _("Wrote %(done)d of %(total)d rows") % {"done": done, "total": total})
        model = type(next(iter(writes.values()))) if writes else None
        for name, by_row in plan.many.items():
            if model is None:  # every row skipped or unchanged: no object to relate
                break
            field = cast(models.ManyToManyField, model._meta.get_field(name))  # a many-to-many column
            numbers = [n for n in by_row if n in writes]
            for chunk in _chunks(numbers):
                relations.assign([writes[n] for n in chunk], field, [by_row[n] for n in chunk])
        for chunk in _chunks(writes.values()):
            permissions.ensure(user, chunk, "import")
        if model is not None and total >= ANALYZE_ROWS:  # statistics of the loaded table, once it is
            transaction.on_commit(lambda: analyze([model, AuditEntry, SearchEntry]))
    return list(writes.values())


def _concrete(obj: BaseModel, changed: Sequence[str]) -> bool:
    return any(not obj._meta.get_field(name).many_to_many for name in changed)


# --- Files kept on the server between preview and confirmation -----------------------------------

class UploadGone(Exception):
    """The upload expired, belongs to someone else, or was already imported."""


def store(user: Any, entry: ModelEntry, digest: str, rows: list[dict[str, str]]) -> ImportUpload:
    """Keep the rows read from a file (whose SHA-256 is `digest`) for `user`'s confirmation."""
    ImportUpload.objects.filter(expires__lt=timezone.now()).delete()
    return ImportUpload.objects.create(
        user=user, model=entry.model._meta.label, digest=digest, row_count=len(rows),
        rows=zlib.compress(json.dumps(rows, ensure_ascii=False).encode()),
        expires=timezone.now() + timedelta(hours=settings.IRTIS_IMPORT_HOURS))


def upload_of(user: Any, entry: ModelEntry, pk: str, digest: str | None = None) -> ImportUpload:
    """The user's unexpired upload for this model; with `digest`, only if it is that file's."""
    try:
        upload = ImportUpload.objects.get(pk=pk, user=user, model=entry.model._meta.label,
                                          expires__gte=timezone.now())
    except (ImportUpload.DoesNotExist, ValidationError, ValueError):
        raise UploadGone(_("The file read for this import has expired; upload it again.")) from None
    if digest is not None and digest != upload.digest:
        raise UploadGone(_("The file read for this import has expired; upload it again."))
    return upload


def process(upload: ImportUpload, confirm: bool, skip_invalid: bool,
            progress: Progress | None = None) -> dict[str, Any]:
    """Check the upload's rows and, when confirmed and allowed, write them; the outcome, kept
    on the upload (the preview, or what was written)."""
    if upload.result and upload.result.get("applied"):
        raise UploadGone(_("This file has already been imported."))
    entry = entry_for(apps.get_model(upload.model))
    if entry is None:
        raise UploadGone(_("The file read for this import has expired; upload it again."))
    rows = json.loads(zlib.decompress(upload.rows))
    importer = Importer(entry, rows, upload.user, progress)
    plan = importer.run()
    # Counted before writing: written objects are no longer new.
    result: dict[str, Any] = {
        "applied": False, "problem": "", "skip_invalid": skip_invalid, "rows": len(rows),
        "created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged,
        "invalid": len(plan.bad_rows), "error_count": len(plan.errors),
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in plan.errors[:SHOWN_ERRORS]],
        "shown": importer.shown(),
    }
    problem = ""
    applied = False
    if confirm and (not plan.errors or skip_invalid) and not any(e.row == 0 for e in plan.errors):
        context = current()
        try:
            with changes_by(user=upload.user, source=Source.IMPORT, source_ip=context.source_ip,
                            request_id=context.request_id):
                apply_plan(plan, upload.user, skip_invalid=skip_invalid, progress=progress)
            applied = True
        except StaleObjectError:
            problem = _("The data changed meanwhile; check the preview again.")
        except PermissionDenied as refusal:
            problem = str(refusal)
    upload.result = {**result, "applied": applied, "problem": problem}
    upload.save(update_fields=["result"])
    return upload.result
