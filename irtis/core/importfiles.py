"""Reading an import file into rows of text, safely and as Lithuanian offices write them.

CSV as Excel saves it here: `;`- or `,`-separated (detected), in UTF-8 with or without a BOM,
UTF-16 or Windows-1257 (detected, or chosen by the user). XLSX is streamed and refused before
reading when its zip declares more uncompressed data than `IRTIS_IMPORT_MAX_XLSX_MB` (a zip
bomb: a few hundred KB expanding to gigabytes). Every format stops at `IRTIS_IMPORT_MAX_ROWS`.
"""

import codecs
import csv
import datetime
import io
import json
import re
import time
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from . import relations

FORMATS = ("csv", "xlsx", "json", "yaml")
# Encodings a user may choose; "" detects.
ENCODINGS = ("utf-8", "windows-1257", "utf-16")
DELIMITERS = (";", ",", "\t")
# A sheet's declared size, e.g. <dimension ref="A1:K70001"/>; the group is its last row.
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?(\d+))?"')
UNMEASURED_SHEET_BYTES = 2**20  # a smaller sheet may leave out its size: reading it twice costs little


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


def too_large() -> str:
    return _("The file is larger than %(size)d MB.") % {"size": settings.MAX_UPLOAD_BYTES // 2**20}


def too_many_rows() -> str:
    return _("The file has more than %(count)d rows; split it into smaller files.") % {
        "count": settings.IRTIS_IMPORT_MAX_ROWS}


def unreadable(fmt: str) -> str:
    return _("The file could not be read as %(format)s.") % {"format": fmt.upper()}


def parse(content: bytes, fmt: str, encoding: str = "") -> list[dict[str, str]]:
    """Rows of a file as dicts of text, keyed by the header row's names as written."""
    if fmt not in FORMATS:
        raise ImportFileError(_("Unknown file format. Use CSV, XLSX, JSON or YAML."))
    if len(content) > settings.MAX_UPLOAD_BYTES:
        raise ImportFileError(too_large())
    if fmt == "xlsx":
        return _table(_xlsx(content))
    text = decode(content, encoding)
    if fmt == "csv":
        return _table(_csv(text))
    return _records(text, fmt)


def decode(content: bytes, encoding: str = "") -> str:
    """The text of `content` in `encoding`, or in the encoding its BOM or bytes show."""
    if encoding and encoding not in ENCODINGS:
        raise ImportFileError(_("Unknown encoding."))
    encoding = {"utf-8": "utf-8-sig", "windows-1257": "cp1257"}.get(encoding, encoding) or detect(content)
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as error:
        line = content[:error.start].decode(encoding, "replace").count("\n") + 1
        raise ImportFileError(_("Line %(line)d is not valid %(encoding)s text. Save the file as UTF-8 "
                                "or choose its encoding.") % {"line": line, "encoding": _encoding_name(encoding)}
                              ) from None


def detect(content: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 by their marks; otherwise Windows-1257, as Excel
    saves "CSV" on a Lithuanian Windows, when the bytes are not UTF-8."""
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = content[:4000]
    if head.count(b"\x00") > len(head) // 4:  # UTF-16 without a BOM: every other byte of Latin text is 0
        odd_zeros = head[1::2].count(b"\x00") > head[0::2].count(b"\x00")
        return "utf-16-le" if odd_zeros else "utf-16-be"
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1257"
    return "utf-8"


def _encoding_name(codec: str) -> str:
    return {"cp1257": "Windows-1257", "utf-8-sig": "UTF-8", "utf-8": "UTF-8"}.get(codec, "UTF-16")


def delimiter(text: str) -> str:
    """The separator of a CSV text: the one its header line (quoted parts aside) uses most."""
    header = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv(text: str) -> Iterator[list[Any]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    try:
        yield from reader
    except csv.Error as error:
        raise ImportFileError(_("Line %(line)d of the CSV file cannot be read: %(reason)s") % {
            "line": reader.line_num, "reason": error}) from None


def _xlsx(content: bytes) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows, streamed; refused before reading when it would expand too far."""
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError):
        raise ImportFileError(unreadable("xlsx")) from None
    # zipfile never yields more than an entry's declared size, so the declared sizes bound the work.
    expanded = sum(info.file_size for info in archive.infolist())
    limit = settings.IRTIS_IMPORT_MAX_XLSX_MB * 2**20
    if expanded > limit:
        raise ImportFileError(_("The spreadsheet expands to %(size)d MB, more than the %(limit)d MB accepted; "
                                "split it into smaller files.") % {"size": expanded // 2**20,
                                                                    "limit": settings.IRTIS_IMPORT_MAX_XLSX_MB})
    for info in archive.infolist():
        if info.filename.startswith("xl/worksheets/") and info.file_size > UNMEASURED_SHEET_BYTES:
            _check_dimension(archive, info)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.active
        if sheet is None:
            raise ImportFileError(_("The file has no header row."))
        sheet.reset_dimensions()  # read-only: a declared size too small loses no rows
        yield from sheet.iter_rows(values_only=True)
    except ImportFileError:
        raise
    except Exception:  # openpyxl and the XML parser raise many kinds on damaged files
        raise ImportFileError(unreadable("xlsx")) from None


def _check_dimension(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a large sheet that does not declare its size, or declares too many rows: openpyxl
    reads a whole sheet to find a size it does not declare, before the first row."""
    with archive.open(info) as sheet:
        head = sheet.read(65536)
    found = DIMENSION.search(head)
    if found is None:
        raise ImportFileError(_("The spreadsheet does not say how large its sheet is; open it in Excel "
                                "and save it again."))
    if found.group(1) and int(found.group(1)) > settings.IRTIS_IMPORT_MAX_ROWS + 1:
        raise ImportFileError(too_many_rows())


def _table(lines: Iterable[Iterable[Any]]) -> list[dict[str, str]]:
    """Rows keyed by the first line's names; empty lines skipped; at most the row limit."""
    rows: list[dict[str, str]] = []
    headers: list[str] = []
    limit = settings.IRTIS_IMPORT_MAX_ROWS
    deadline = time.monotonic() + settings.IRTIS_IMPORT_READ_SECONDS
    for number, line in enumerate(lines):
        if number > limit:  # empty lines count too: a sheet of a million empty rows is work as well
            raise ImportFileError(too_many_rows())
        if number % 1000 == 0 and time.monotonic() > deadline:
            raise ImportFileError(_("Reading the file took too long; split it into smaller files."))
        values = [text(v) for v in line]
        if not any(values):
            continue
        if not headers:
            headers = values
            while headers and not headers[-1]:
                headers.pop()
            if len(set(headers)) != len(headers):
                raise ImportFileError(_("The header row names a column twice."))
            continue
        values += [""] * (len(headers) - len(values))
        rows.append(dict(zip(headers, values, strict=False)))
    if not headers:
        raise ImportFileError(_("The file has no header row."))
    return rows


def _records(text_: str, fmt: str) -> list[dict[str, str]]:
    try:
        if fmt == "json":
            records = json.loads(text_)
        else:
            import yaml

            records = yaml.safe_load(text_)
    except Exception:  # the parsers raise many kinds
        raise ImportFileError(unreadable(fmt)) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ImportFileError(_("The file must hold a list of objects."))
    if len(records) > settings.IRTIS_IMPORT_MAX_ROWS:
        raise ImportFileError(too_many_rows())
    # Values are scalars or lists of scalars: nested YAML aliases would expand exponentially.
    if any(isinstance(v, dict) or (isinstance(v, list) and any(isinstance(i, list | dict) for i in v))
           for r in records for v in r.values()):
        raise ImportFileError(_("Each value must be text, a number, or a list of them."))
    return [{str(k): text(v) for k, v in r.items()} for r in records]


def text(value: Any) -> str:
    """A cell as text, written as an export writes it."""
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
