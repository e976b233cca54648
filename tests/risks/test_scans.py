"""Reading Greenbone XML and the CSV: what is taken, and every kind of bad file refused with a reason."""

import io
from datetime import date
from decimal import Decimal

import pytest

from irtis.risks.scans import ScanError, read_csv, read_greenbone

from .reports import Result, greenbone


def _read(data: bytes):  # type: ignore[no-untyped-def]
    return read_greenbone(io.BytesIO(data))


def test_results_task_and_start_are_read():
    report = _read(greenbone([Result("10.10.1.5"), Result("10.10.1.6", oid="1.2.3", severity="9.8", cves=(),
                                                            port="general/tcp")]))
    assert report.task == "DC1 serveriai" and report.started == date(2026, 11, 30)
    assert [(r.host, r.port, r.nvt_oid, r.cvss, r.cve) for r in report.results] == [
        ("10.10.1.5", "443/tcp", "1.3.6.1.4.1.25623.1.0.108440", Decimal("5.9"), ("CVE-2011-3389",)),
        ("10.10.1.6", "general/tcp", "1.2.3", Decimal("9.8"), ()),
    ]
    assert report.results[0].key == "1.3.6.1.4.1.25623.1.0.108440|10.10.1.5|443/tcp"


def test_log_entries_are_not_findings():
    report = _read(greenbone([Result("10.10.1.5", severity="0.0"), Result("10.10.1.5", oid="9", severity="-1")]))
    assert [r.cvss for r in report.results] == [Decimal("0.0")]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE report [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><report><results><result>&c;</result></results></report>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE report [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<report><results><result><host>&x;</host></result></results></report>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL, b'<!DOCTYPE report SYSTEM "http://x/r.dtd"><report/>'])
def test_hostile_xml_is_refused(data):
    with pytest.raises(ScanError, match="DTD, entities or external references"):
        _read(data)


def test_truncated_file_names_its_position():
    data = greenbone([Result("10.10.1.5"), Result("10.10.1.6")])
    with pytest.raises(ScanError, match=r"not well-formed XML \(line 2, column \d+\)"):
        _read(data[: len(data) - 40])


@pytest.mark.parametrize(("data", "message"), [
    (b"<html><body/></html>", "root element is <html>"),
    (b"<report/>", "holds no scan"),
    (b"", "not well-formed"),
    (greenbone([Result("10.10.1.5", severity="11")]), "result 1: the CVSS score 11 is outside 0–10"),
    (greenbone([Result("10.10.1.5", severity="high")]), "result 1: the CVSS score “high” is not a number"),
    (greenbone([Result("")]), "result 1: the host is missing"),
    (greenbone([Result("10.10.1.5"), Result("a host")]), "result 2: “a host” is neither"),
    (greenbone([Result("10.10.1.5", oid="")]), "result 1: the NVT and its OID are missing"),
])
def test_bad_reports_are_refused_with_a_reason(data, message):
    with pytest.raises(ScanError, match=message):
        _read(data)


def test_result_limit(settings):
    settings.IRTIS_IMPORT_MAX_ROWS = 2
    with pytest.raises(ScanError, match="more than 2 results"):
        _read(greenbone([Result(f"10.0.0.{n}") for n in range(3)]))


def test_csv_is_read_with_either_separator():
    text = "\ufeffHost;Port;NVT_OID;Title;CVSS;CVE\n10.10.1.5;22/tcp;;Silpnas SSH šifras;5,3;CVE-1 CVE-2\n\n"
    report = read_csv(io.BytesIO(text.encode()))
    assert [(r.host, r.port, r.title, r.cvss, r.cve, r.key) for r in report.results] == [
        ("10.10.1.5", "22/tcp", "Silpnas SSH šifras", Decimal("5.3"), ("CVE-1", "CVE-2"),
         "Silpnas SSH šifras|10.10.1.5|22/tcp")]
    assert read_csv(io.BytesIO(b"host,title\nsrv01.muitine.lt,Pasenusi OS\n")).results[0].host == "srv01.muitine.lt"


@pytest.mark.parametrize(("data", "message"), [
    (b"host;name\n", "unknown: name, missing: title"),
    (b"host;title\n10.0.0.1\n", "Line 2 has 1 cells instead of 2"),
    (b"host;title\n10.0.0.1;\n", "line 2: the title is missing"),
    (b"host;title;cvss\n10.0.0.1;X;-1\n", "line 2: the CVSS score -1"),
    (b"host;title\n10.0.0.1;\xff\n", "not UTF-8"),
])
def test_bad_csv_is_refused_with_a_reason(data, message):
    with pytest.raises(ScanError, match=message):
        read_csv(io.BytesIO(data))
