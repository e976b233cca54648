"""Export of a filtered list to CSV, XLSX, JSON or YAML, in the layout imports read back."""

import datetime
import decimal
import io
import json
from typing import Any, cast

import openpyxl
import tablib
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from . import permissions, relations, tabular
from .registry import ModelEntry
from .views import EntryView

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "yaml": "application/yaml",
}
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Make a text cell inert in spreadsheets: a leading apostrophe, which imports strip again."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict | list):  # a JSON field: JSON text, which no spreadsheet refuses
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def dataset(entry: ModelEntry, queryset: Any, spreadsheet: bool) -> tablib.Dataset:
    cols = tabular.columns(entry)
    plain = [c for c in cols if not c.many]
    many = [c for c in cols if c.many]
    rows = list(queryset.values_list(*[c.lookup for c in plain]))
    # One query per many-to-many field: the natural keys of each row's related objects.
    keys = {c.name: _related_keys(c.field, queryset) for c in many}
    data = tablib.Dataset(headers=[c.name for c in plain + many])
    for row in rows:
        values = [_plain(v) for v in row]
        values += [f"{relations.SEPARATOR} ".join(sorted(keys[c.name].get(row[0], []))) for c in many]
        data.append([neutralise(v) for v in values] if spreadsheet else values)
    return data


def _related_keys(field: Any, queryset: Any) -> dict[int, list[str]]:
    owner, _target = relations.ends(field)
    through = field.remote_field.through
    key = f"{field.m2m_reverse_field_name()}__{tabular.related_key(field)}"
    pairs = through.objects.filter(**{f"{owner}__in": queryset.values("pk")}).order_by()
    result: dict[int, list[str]] = {}
    for pk, value in pairs.values_list(owner, key):
        result.setdefault(pk, []).append(str(value))
    return result


def xlsx(data: tablib.Dataset, title: str) -> bytes:
    """The workbook written row by row in openpyxl's write-only mode. tablib builds a full
    workbook, whose cell objects for 10,000 devices took a worker past 200 MB."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])  # the longest sheet name Excel accepts
    sheet.append(data.headers)
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class ExportView(EntryView):
    action = "export"

    def get(self, request: HttpRequest) -> HttpResponse:
        fmt = request.GET.get("format", "csv")
        if fmt not in FORMATS:
            return HttpResponse(status=400)
        filterset, queryset = self.filtered()
        if not filterset.is_valid():
            return HttpResponse(status=400)
        # What the user may see and, of that, what they may export (each may be constrained).
        queryset = permissions.restrict(queryset, request.user, "export")
        data = dataset(self.entry, queryset.order_by("pk"), spreadsheet=fmt in {"csv", "xlsx"})
        content = xlsx(data, str(self.entry.verbose_name_plural)) if fmt == "xlsx" else data.export(fmt)
        if fmt == "csv":
            content = "\ufeff" + cast(str, content)  # so Excel reads UTF-8 (ą, č, ę …) correctly
        response = HttpResponse(content, content_type=FORMATS[fmt])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="{self.entry.path}-{stamp}.{fmt}"'
        return response
