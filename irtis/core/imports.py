"""Bulk import from CSV, XLSX, JSON and YAML: parse, validate every row, preview, then write.

Rows refer to other objects by natural key (a site's code), never by database id. A row whose
`id`, or whose key column, names an existing object updates it; any other row creates one.
Nothing is written while any row is invalid, unless the user chooses to skip invalid rows.
"""

import datetime
import json
from dataclasses import dataclass, field
from typing import Any, cast

import tablib
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import bulk, permissions, relations, tabular
from .exports import FORMULA_STARTS
from .models import BaseModel, StaleObjectError
from .registry import ModelEntry, is_reference
from .views import EntryView

FORMATS = ("csv", "xlsx", "json", "yaml")
TRUE_WORDS = {"1", "true", "yes", "taip", "t", "y"}
FALSE_WORDS = {"0", "false", "no", "ne", "f", "n"}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


def too_large() -> str:
    return _("The file is larger than %(size)d MB.") % {"size": settings.MAX_UPLOAD_BYTES // 2**20}


@dataclass(frozen=True)
class RowError:
    row: int  # 1 = the first data row
    column: str
    message: str


@dataclass
class Plan:
    """What an import would do: objects to write, and every error found."""

    objects: list[BaseModel] = field(default_factory=list)
    many: dict[str, dict[int, list[int]]] = field(default_factory=dict)  # field → row → ids to set
    rows: dict[int, BaseModel] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))
        self.bad_rows.add(row)

    @property
    def created(self) -> int:
        return sum(1 for o in self.objects if o._state.adding)

    @property
    def updated(self) -> int:
        return len(self.objects) - self.created


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return relations.SEPARATOR.join(str(v) for v in value)
    return str(value).strip()


def parse(content: bytes, fmt: str) -> list[dict[str, str]]:
    """Rows of a file as dicts of text, keyed by column name."""
    if fmt not in FORMATS:
        raise ImportFileError(_("Unknown file format. Use CSV, XLSX, JSON or YAML."))
    if len(content) > settings.MAX_UPLOAD_BYTES:
        raise ImportFileError(too_large())
    data: Any = content
    if fmt != "xlsx":
        try:
            data = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("The file is not in UTF-8 encoding (byte %(position)d). Save it as UTF-8 and try again.")
                % {"position": error.start}
            ) from None
    if fmt in {"json", "yaml"}:
        return _parse_records(data, fmt)
    try:
        dataset = tablib.Dataset().load(data, format=fmt)
    except Exception:  # tablib and its readers raise many kinds
        raise ImportFileError(_("The file could not be read as %(format)s.") % {"format": fmt.upper()}) from None
    headers = [_text(h) for h in dataset.headers or []]
    if not headers:
        raise ImportFileError(_("The file has no header row."))
    if len(set(headers)) != len(headers):
        raise ImportFileError(_("The header row names a column twice."))
    return [dict(zip(headers, (_text(v) for v in row), strict=False)) for row in dataset]


def _parse_records(text: str, fmt: str) -> list[dict[str, str]]:
    try:
        if fmt == "json":
            records = json.loads(text)
        else:
            import yaml

            records = yaml.safe_load(text)
    except Exception:
        raise ImportFileError(_("The file could not be read as %(format)s.") % {"format": fmt.upper()}) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ImportFileError(_("The file must hold a list of objects."))
    return [{str(k): _text(v) for k, v in r.items()} for r in records]


def clean_text(value: str) -> str:
    """Undo the apostrophe exports put before formula characters; refuse formulas."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        value = value[1:]
    if value.startswith(("=", "@")) or (
        value.startswith(("+", "-")) and any(c in value for c in "(|!=")
    ):
        raise ValidationError(_("Spreadsheet formulas are not accepted."))
    return value


class Importer:
    """Validates rows of one registered model and turns them into unsaved objects."""

    def __init__(self, entry: ModelEntry, rows: list[dict[str, str]]) -> None:
        self.entry = entry
        self.rows = rows
        self.columns = {c.name: c for c in tabular.columns(entry)}
        self.plan = Plan()

    def run(self) -> Plan:
        headers = list(self.rows[0]) if self.rows else []
        known = set(self.columns)
        for name in headers:
            if name not in known:
                message = _("Unknown column. Known columns: %(columns)s") % {"columns": ", ".join(sorted(known))}
                self.plan.error(0, name, message)
        if self.plan.errors or not self.rows:
            if not self.rows:
                self.plan.error(0, "", _("The file has no rows."))
            return self.plan
        self.existing = self._existing(headers)
        self.references = {name: self._references(col) for name, col in self.columns.items()
                           if (is_reference(col.field) or col.many) and name in headers}
        for number, row in enumerate(self.rows, start=1):
            self._row(number, row)
        self._check_unique()
        return self.plan

    def _existing(self, headers: list[str]) -> dict[str, dict[str, BaseModel]]:
        model, key = self.entry.model, self.entry.key
        ids = {r["id"] for r in self.rows if r.get("id", "").isdigit()}
        keys = set()
        for row in self.rows if key in headers else []:
            try:
                keys.add(self.entry.field(key).to_python(row.get(key) or None))
            except ValidationError:  # reported for its row when the value is set
                pass
        keys.discard(None)
        found = model._default_manager.filter(models.Q(pk__in=ids) | models.Q(**{f"{key}__in": keys}))
        by_id, by_key = {}, {}
        for obj in found:
            by_id[str(obj.pk)] = obj
            by_key[str(getattr(obj, key))] = obj
        return {"id": by_id, "key": by_key}

    def _references(self, column: tabular.TableColumn) -> dict[str, models.Model]:
        related = cast(type[models.Model], column.field.related_model)  # resolved once the apps are loaded
        key = tabular.related_key(column.field)
        if column.many:
            values = {v for r in self.rows for v in relations.split(r.get(column.name, ""))}
        else:
            values = {r[column.name] for r in self.rows if r.get(column.name)}
        return {str(getattr(o, key)): o for o in related._default_manager.filter(**{f"{key}__in": values})}

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
        references = [c.field for c in self.columns.values() if is_reference(c.field)]
        for reference in references:
            missing = not reference.null and getattr(obj, reference.attname) is None and obj._state.adding
            if missing and (number, reference.name) not in {(e.row, e.column) for e in self.plan.errors}:
                self.plan.error(number, reference.name, _("This field is required."))
        excluded = [f.name for f in references] + [f.name for f in self.entry.many_fields]
        try:
            obj.full_clean(exclude=excluded, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if (number, name) not in {(e.row, e.column) for e in self.plan.errors}:
                    self.plan.error(number, "" if name == "__all__" else name, "; ".join(messages))
        self.plan.objects.append(obj)
        self.plan.rows[number] = obj

    def _target(self, number: int, row: dict[str, str]) -> BaseModel | None:
        pk, key = row.get("id", ""), row.get(self.entry.key, "")
        if pk:
            obj = self.existing["id"].get(pk)
            if obj is None:
                self.plan.error(number, "id", _("No object with this id exists."))
            return obj
        return self.existing["key"].get(key) or self.entry.model()

    def _set(self, obj: BaseModel, column: tabular.TableColumn, text: str) -> None:
        field = column.field
        if is_reference(field):
            if not text:
                setattr(obj, field.name, None)
                if not field.null:
                    raise ValidationError(_("This field is required."))
                return
            target = self.references[column.name].get(text)
            if target is None:
                raise ValidationError(_("No %(model)s “%(value)s” exists.") % {
                    "model": cast(type[models.Model], field.related_model)._meta.verbose_name, "value": text})
            setattr(obj, field.name, target)
            return
        if field.choices and text:
            setattr(obj, field.attname, _choice(field, text))
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
        setattr(obj, field.attname, field.to_python(text))

    def _set_many(self, number: int, column: tabular.TableColumn, text: str) -> None:
        """The objects named in a many-to-many cell; every unknown or repeated key is named."""
        found = self.references[column.name]
        keys = relations.split(text)
        unknown = [k for k in keys if k not in found]
        if unknown:
            related = cast(type[models.Model], column.field.related_model)  # resolved once the apps are loaded
            raise ValidationError(_("No %(model)s “%(value)s” exists.") % {
                "model": related._meta.verbose_name, "value": "”, “".join(unknown)})
        if repeated := sorted({k for k in keys if keys.count(k) > 1}):
            raise ValidationError(_("Named more than once: %(values)s") % {"values": ", ".join(repeated)})
        self.plan.many.setdefault(column.name, {})[number] = [found[k].pk for k in keys]

    def _check_unique(self) -> None:
        numbers = list(self.plan.rows)
        objects = [self.plan.rows[n] for n in numbers]
        for index, fields in bulk.unique_conflicts(objects).items():
            for name, errors in fields.items():
                self.plan.error(numbers[index], name, "; ".join(errors))


def _choice(field: models.Field, text: str) -> str:
    folded = text.casefold()
    for value, label in field.flatchoices:
        if folded in (str(value).casefold(), str(label).casefold()):
            return value
    raise ValidationError(_("“%(value)s” is not one of the choices.") % {"value": text})


def plan_import(entry: ModelEntry, rows: list[dict[str, str]]) -> Plan:
    return Importer(entry, rows).run()


def apply_plan(plan: Plan, user: object, skip_invalid: bool = False) -> list[BaseModel]:
    """Write a plan's valid rows; with errors and no `skip_invalid`, write nothing."""
    if plan.errors and (not skip_invalid or any(e.row == 0 for e in plan.errors)):
        raise ValueError("the plan has errors")
    good = {n: o for n, o in plan.rows.items() if n not in plan.bad_rows}
    with transaction.atomic():
        bulk.save_objects(list(good.values()))
        model = type(next(iter(good.values()))) if good else None
        for name, by_row in plan.many.items():
            if model is None:  # every row skipped: no object to relate
                break
            numbers = [n for n in by_row if n in good]
            field = cast(models.ManyToManyField, model._meta.get_field(name))  # a many-to-many column
            relations.assign([good[n] for n in numbers], field, [by_row[n] for n in numbers])
        permissions.ensure(user, list(good.values()), "import")
    return list(good.values())


class ImportView(EntryView):
    action = "import"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.show()

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            rows = self.rows(request)
        except ImportFileError as error:
            return self.show(file_error=str(error), status=400)
        plan = plan_import(self.entry, rows)
        numbers = list(plan.rows)
        for index, message in permissions.check_objects(request.user, list(plan.rows.values()), "import"):
            plan.error(numbers[index], "", message)
        skip = bool(request.POST.get("skip_invalid"))
        if "confirm" in request.POST and (not plan.errors or skip):
            try:
                written = apply_plan(plan, request.user, skip_invalid=skip)
            except (ValueError, StaleObjectError):
                return self.show(file_error=_("The data changed meanwhile; check the preview again."), status=409)
            except PermissionDenied as refusal:  # a row would take its object outside the permission
                return self.show(file_error=str(refusal), status=403)
            messages.success(request, _("Imported %(count)d rows: %(created)d created, %(updated)d updated.") % {
                "count": len(written), "created": plan.created, "updated": plan.updated})
            return redirect(self.entry.url_name("list"))
        return self.show(plan=plan, rows=rows, data=json.dumps(rows, ensure_ascii=False),
                         status=400 if plan.errors else 200, skip_invalid=skip)

    def rows(self, request: HttpRequest) -> list[dict[str, str]]:
        if "data" in request.POST:
            try:
                rows = json.loads(request.POST["data"])
            except ValueError:
                raise ImportFileError(_("The import data was damaged; upload the file again.")) from None
            if isinstance(rows, list) and all(isinstance(r, dict) for r in rows):
                return [{str(k): str(v) for k, v in r.items()} for r in rows]
            raise ImportFileError(_("The import data was damaged; upload the file again."))
        upload = request.FILES.get("file")
        fmt = request.POST.get("format", "")
        if upload:
            if (upload.size or 0) > settings.MAX_UPLOAD_BYTES:
                raise ImportFileError(too_large())
            fmt = fmt or (upload.name or "").rsplit(".", 1)[-1].lower().replace("yml", "yaml")
            return parse(upload.read(), fmt)
        text = request.POST.get("text", "")
        if not text.strip():
            raise ImportFileError(_("Choose a file or paste the data."))
        return parse(text.encode(), fmt or "csv")

    def show(self, status: int = 200, **extra: Any) -> HttpResponse:
        columns = [c.name for c in tabular.columns(self.entry)]
        required = [c.name for c in tabular.columns(self.entry)
                    if c.name != "id" and not c.many and not c.field.blank and not c.field.has_default()]
        return render(self.request, "core/import.html", self.context(
            columns=columns, required=required, formats=FORMATS, **extra), status=status)
