"""Reading scan reports: Greenbone/OpenVAS XML (GMP `get_reports`) and the documented CSV (docs/risks.md).

Both yield `ScanResult`s or raise `ScanError` naming what is wrong and where; a caller writes
nothing unless the whole file was read. XML is streamed (iterparse): a processed result is
dropped from the tree, so a 50,000-result report never sits in memory whole. defusedxml refuses
DTDs, entity declarations (billion laughs) and external references before they are expanded.
"""

import csv
import io
import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.utils.translation import gettext as _

ROOTS = ("report", "get_reports_response")


class ScanError(ValueError):
    """The file cannot be taken as a scan report; the message says why and where."""


@dataclass(frozen=True)
class ScanResult:
    nvt_oid: str
    title: str
    host: str
    port: str
    cvss: Decimal | None
    description: str
    cve: tuple[str, ...]

    @property
    def key(self) -> str:
        """What names the same weakness in a later scan of the scope."""
        return f"{self.nvt_oid or self.title}|{self.host}|{self.port}"[:400]


@dataclass
class Report:
    results: list[ScanResult]
    task: str = ""  # the scan task's name: a default scope
    started: date | None = None


def _limit() -> int:
    return int(getattr(settings, "IRTIS_IMPORT_MAX_ROWS", 200_000))


def _score(text: str, where: str) -> Decimal | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ScanError(_("%(where)s: the CVSS score “%(value)s” is not a number.") % {
            "where": where, "value": text[:40]}) from None
    if value < 0:  # Greenbone's -1, -2, -3: log, debug, false positive entries, not weaknesses
        return value
    if value > 10:
        raise ScanError(_("%(where)s: the CVSS score %(value)s is outside 0–10.") % {"where": where, "value": value})
    return value.quantize(Decimal("0.1"))


def _host(text: str, where: str) -> str:
    text = text.strip()
    if not text:
        raise ScanError(_("%(where)s: the host is missing.") % {"where": where})
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        if len(text) > 255 or any(c.isspace() for c in text):
            raise ScanError(_("%(where)s: “%(value)s” is neither an IP address nor a host name.") % {
                "where": where, "value": text[:60]}) from None
        return text.lower()


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _result(element: Element, number: int) -> ScanResult | None:
    where = _("result %(number)s") % {"number": number}
    nvt = element.find("nvt")
    if nvt is None or not nvt.get("oid"):
        raise ScanError(_("%(where)s: the NVT and its OID are missing.") % {"where": where})
    host = _host(_text(element.find("host")), where)
    score = _score(_text(element.find("severity")) or _text(nvt.find("cvss_base")), where)
    if score is not None and score < 0:
        return None
    refs = nvt.find("refs")
    cves = [r.get("id", "") for r in refs.iter("ref") if r.get("type", "").lower() == "cve"] if refs is not None else []
    cves += [c.strip() for c in _text(nvt.find("cve")).replace(",", " ").split() if c.strip() not in {"", "NOCVE"}]
    return ScanResult(
        nvt_oid=str(nvt.get("oid"))[:200], title=(_text(nvt.find("name")) or _text(element.find("name")))[:300],
        host=host, port=_text(element.find("port"))[:50], cvss=score,
        description=_text(element.find("description")), cve=tuple(dict.fromkeys(c for c in cves if c)),
    )


def _started(text: str) -> date | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date() if text else None
    except ValueError:
        return None


def read_greenbone(stream: IO[bytes]) -> Report:
    """A Greenbone report's results (log entries, severity below 0, left out)."""
    report = Report([])
    path: list[Element] = []
    number = 0
    try:
        for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                if not path and element.tag not in ROOTS:
                    raise ScanError(_("This is not a Greenbone report: its root element is <%(tag)s>.") % {
                        "tag": element.tag[:40]})
                path.append(element)
                continue
            path.pop()
            parent = path[-1].tag if path else ""
            if element.tag == "result" and parent == "results":
                number += 1
                if number > _limit():
                    raise ScanError(_("The report has more than %(limit)s results.") % {"limit": _limit()})
                found = _result(element, number)
                if found is not None:
                    report.results.append(found)
                path[-1].remove(element)  # keep memory flat
            elif element.tag == "name" and parent == "task" and not report.task:
                report.task = _text(element)[:200]
            elif element.tag == "scan_start" and report.started is None:
                report.started = _started(_text(element))
    except DefusedXmlException as error:
        raise ScanError(_("The file declares a DTD, entities or external references, which a scan report "
                          "never needs; it was refused (%(error)s).") % {"error": type(error).__name__}) from None
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise ScanError(_("The file is not well-formed XML (line %(line)s, column %(column)s): it may be "
                          "truncated.") % {"line": line, "column": column}) from None
    if number == 0 and not report.task and report.started is None:
        # a bare <report/> is no scan: a scan names its task and its start
        raise ScanError(_("The report holds no scan: no task, start time or results."))
    return report


CSV_COLUMNS = ("host", "port", "nvt_oid", "title", "cvss", "cve", "description")
CSV_REQUIRED = ("host", "title")


def _rows(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        first = text.readline()
    except UnicodeDecodeError:
        raise ScanError(_("The CSV file is not UTF-8 text.")) from None
    delimiter = max(";,\t", key=first.count)
    header = [h.strip().lower() for h in next(csv.reader([first], delimiter=delimiter), [])]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    missing = [c for c in CSV_REQUIRED if c not in header]
    if unknown or missing or len(set(header)) != len(header):
        raise ScanError(_("The CSV header must name the columns %(columns)s (host and title required); "
                          "unknown: %(unknown)s, missing: %(missing)s.") % {
            "columns": ", ".join(CSV_COLUMNS), "unknown": ", ".join(unknown) or "—",
            "missing": ", ".join(missing) or "—"})
    try:
        for number, row in enumerate(csv.reader(text, delimiter=delimiter), start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise ScanError(_("Line %(line)s has %(found)s cells instead of %(expected)s.") % {
                    "line": number, "found": len(row), "expected": len(header)})
            yield number, dict(zip(header, (c.strip() for c in row), strict=True))
    except UnicodeDecodeError:
        raise ScanError(_("The CSV file is not UTF-8 text.")) from None
    except csv.Error as error:
        raise ScanError(_("The CSV file cannot be read: %(error)s.") % {"error": error}) from None


def read_csv(stream: IO[bytes]) -> Report:
    """Findings from the documented CSV: one row per weakness and host (docs/risks.md)."""
    results: list[ScanResult] = []
    for number, row in _rows(stream):
        if len(results) >= _limit():
            raise ScanError(_("The file has more than %(limit)s rows.") % {"limit": _limit()})
        where = _("line %(number)s") % {"number": number}
        title = row.get("title", "")
        if not title:
            raise ScanError(_("%(where)s: the title is missing.") % {"where": where})
        score = _score(row.get("cvss", ""), where)
        if score is not None and score < 0:
            raise ScanError(_("%(where)s: the CVSS score %(value)s is outside 0–10.") % {
                "where": where, "value": score})
        results.append(ScanResult(
            nvt_oid=row.get("nvt_oid", "")[:200], title=title[:300], host=_host(row.get("host", ""), where),
            port=row.get("port", "")[:50], cvss=score, description=row.get("description", ""),
            cve=tuple(dict.fromkeys(row.get("cve", "").replace(",", " ").split())),
        ))
    return Report(results)


READERS: dict[str, Any] = {"greenbone": read_greenbone, "csv": read_csv}
