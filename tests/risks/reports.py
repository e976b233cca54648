"""Greenbone reports as GMP `get_reports` writes them, generated for the tests and the benchmark."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr


@dataclass(frozen=True)
class Result:
    host: str
    oid: str = "1.3.6.1.4.1.25623.1.0.108440"
    name: str = "SSL/TLS: Deprecated TLSv1.0 and TLSv1.1 Protocol Detection"
    port: str = "443/tcp"
    severity: str = "5.9"
    cves: tuple[str, ...] = ("CVE-2011-3389",)
    description: str = "The service accepts TLSv1.0."


def _result(number: int, r: Result) -> str:
    refs = "".join(f'<ref type="cve" id={quoteattr(c)}/>' for c in r.cves)
    return (
        f'<result id="r{number}"><name>{escape(r.name)}</name><owner><name>scanner</name></owner>'
        f"<host>{escape(r.host)}<asset asset_id=\"a{number}\"/><hostname></hostname></host>"
        f"<port>{escape(r.port)}</port><nvt oid={quoteattr(r.oid)}><type>nvt</type><name>{escape(r.name)}</name>"
        f"<family>SSL and TLS</family><cvss_base>{escape(r.severity)}</cvss_base><refs>{refs}</refs>"
        f"<solution type=\"Mitigation\">Disable it.</solution></nvt><scan_nvt_version/>"
        f"<threat>Medium</threat><severity>{escape(r.severity)}</severity><qod><value>98</value></qod>"
        f"<description>{escape(r.description)}</description>"
        # a nested result (GMP's detection details) is not a finding of its own
        f"<detection><result id=\"d{number}\"><details><detail><name>product</name></detail></details></result>"
        f"</detection></result>"
    )


def chunks(results: Iterable[Result], task: str = "DC1 serveriai", start: str = "2026-11-30T22:00:05Z"
           ) -> Iterator[bytes]:
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<report id="9f2b" format_id="a994b278-1f62-11e1-96ac-406186ea4fc5" extension="xml" '
        f'content_type="text/xml"><owner><name>scanner</name></owner><name>{escape(start)}</name>'
        f'<report id="9f2b"><gmp><version>22.4</version></gmp><scan_run_status>Done</scan_run_status>'
        f"<task id=\"t1\"><name>{escape(task)}</name></task><scan_start>{escape(start)}</scan_start>"
        '<results start="1" max="-1">'
    ).encode()
    for number, result in enumerate(results, start=1):
        yield _result(number, result).encode()
    yield b"</results><result_count>0</result_count></report></report>"


def greenbone(results: Iterable[Result], **kwargs: str) -> bytes:
    return b"".join(chunks(results, **kwargs))
