"""SPF, DKIM and DMARC of a mail domain: the TXT records read from DNS and what is wrong with them.

The resolvers are `IRTIS_DNS_RESOLVERS` ("host" or "host:port"; empty: the system's). A domain with
no record answers "missing" (NXDOMAIN and an empty answer alike); a resolver that does not answer
in `IRTIS_DNS_TIMEOUT` seconds is an error (`DnsError`), never taken as "no record".

SPF's limit of 10 DNS-querying mechanisms (RFC 7208 §4.6.4) is counted on the domain's own record,
without following `include:` and `redirect=` into the records they name.
"""

from dataclasses import dataclass, field

import dns.exception
import dns.resolver
from django.conf import settings
from django.utils.translation import gettext as _

SPF_LOOKUP_LIMIT = 10
LOOKUP_MECHANISMS = ("include", "a", "mx", "ptr", "exists", "redirect")
ERROR, WARNING, OK = "error", "warning", "ok"


class DnsError(Exception):
    """The resolvers gave no answer (timeout, refusal): the records could not be read."""


@dataclass
class Reading:
    """The records found for a domain and the findings as (level, message) pairs."""

    spf: list[str] = field(default_factory=list)
    dmarc: list[str] = field(default_factory=list)
    dkim: dict[str, list[str]] = field(default_factory=dict)
    findings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def status(self) -> str:
        levels = {level for level, _message in self.findings}
        return ERROR if ERROR in levels else WARNING if WARNING in levels else OK


def resolver() -> dns.resolver.Resolver:
    """A resolver over the configured servers (or the system's), with the configured timeout."""
    configured = settings.IRTIS_DNS_RESOLVERS
    result = dns.resolver.Resolver(configure=not configured)
    if configured:
        result.nameservers = [(server.rpartition(":")[0] if _has_port(server) else server).strip("[]")
                              for server in configured]
        ports = {int(server.rpartition(":")[2]) for server in configured if _has_port(server)}
        if len(ports) > 1:
            raise DnsError(_("All configured DNS resolvers must use the same port."))
        if ports:
            result.port = ports.pop()
    result.timeout = result.lifetime = settings.IRTIS_DNS_TIMEOUT
    return result


def _has_port(server: str) -> bool:
    """"10.0.0.1:5353" has a port; "10.0.0.1" and an IPv6 address "::1" do not ("[::1]:53" does)."""
    host, colon, port = server.rpartition(":")
    return bool(colon) and port.isdigit() and (host.count(":") == 0 or host.endswith("]"))


def txt(name: str, using: dns.resolver.Resolver) -> list[str]:
    """The TXT strings at `name` (each record's chunks joined); [] when there are none."""
    try:
        answer = using.resolve(name, "TXT", raise_on_no_answer=False)
    except dns.resolver.NXDOMAIN:
        return []
    except dns.exception.Timeout:
        raise DnsError(_("No DNS answer for %(name)s within %(seconds)s s from %(servers)s.") % {
            "name": name, "seconds": using.lifetime, "servers": servers(using)}) from None
    except (dns.resolver.NoNameservers, dns.exception.DNSException) as error:
        raise DnsError(_("The DNS query for %(name)s failed: %(error)s") % {"name": name, "error": error}) from None
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]


def servers(using: dns.resolver.Resolver) -> str:
    return ", ".join(f"{server}:{using.port}" for server in using.nameservers)


def read(domain: str, selectors: list[str], using: dns.resolver.Resolver | None = None) -> Reading:
    """Read and evaluate the domain's SPF, DMARC and DKIM records; `DnsError` if DNS does not answer."""
    using = using or resolver()
    reading = Reading()
    reading.spf = [r for r in txt(domain, using) if r.lower().startswith("v=spf1")]
    reading.dmarc = [r for r in txt(f"_dmarc.{domain}", using) if r.lower().startswith("v=dmarc1")]
    for selector in selectors:
        reading.dkim[selector] = [r for r in txt(f"{selector}._domainkey.{domain}", using) if "p=" in r.lower()]
    reading.findings = [*evaluate_spf(reading.spf), *evaluate_dmarc(reading.dmarc),
                        *evaluate_dkim(domain, reading.dkim)]
    return reading


def evaluate_spf(records: list[str]) -> list[tuple[str, str]]:
    if not records:
        return [(ERROR, _("No SPF record."))]
    if len(records) > 1:
        return [(ERROR, _("SPF records: %(count)d; a domain must publish exactly one.") % {"count": len(records)})]
    terms = records[0].lower().split()[1:]
    findings = []
    last = terms[-1] if terms else ""
    if last == "-all":
        findings.append((OK, _("SPF ends in -all.")))
    elif last == "~all":
        findings.append((WARNING, _("SPF ends in ~all (soft fail): -all refuses forged mail.")))
    elif last in ("all", "+all", "?all"):
        findings.append((ERROR, _("SPF ends in %(term)s: any server may send as the domain.") % {"term": last}))
    elif not any(t.startswith("redirect=") for t in terms):
        findings.append((WARNING, _("SPF has no \"all\" mechanism at its end.")))
    lookups = sum(1 for t in terms if t.lstrip("+-~?").split(":")[0].split("=")[0].split("/")[0]
                  in LOOKUP_MECHANISMS)
    if lookups > SPF_LOOKUP_LIMIT:
        findings.append((ERROR, _("DNS lookups SPF needs: %(count)d; at most %(limit)d are allowed.")
                         % {"count": lookups, "limit": SPF_LOOKUP_LIMIT}))
    return findings


def _tags(record: str) -> dict[str, str]:
    pairs = (part.strip().split("=", 1) for part in record.split(";") if "=" in part)
    return {key.strip().lower(): value.strip() for key, value in pairs}


def evaluate_dmarc(records: list[str]) -> list[tuple[str, str]]:
    if not records:
        return [(ERROR, _("No DMARC record at _dmarc."))]
    if len(records) > 1:
        return [(ERROR, _("DMARC records: %(count)d; a domain must publish exactly one.") % {"count": len(records)})]
    tags = _tags(records[0])
    policy = tags.get("p", "").lower()
    findings = []
    if policy in ("reject", "quarantine"):
        findings.append((OK, _("DMARC policy is %(policy)s.") % {"policy": policy}))
    elif policy == "none":
        findings.append((WARNING, _("DMARC policy is none: failing mail is only reported.")))
    else:
        findings.append((ERROR, _("DMARC record has no valid policy (p=).")))
    if not tags.get("rua"):
        findings.append((WARNING, _("DMARC has no aggregate report address (rua=).")))
    return findings


def evaluate_dkim(domain: str, records: dict[str, list[str]]) -> list[tuple[str, str]]:
    if not records:
        return [(WARNING, _("No DKIM selectors are configured for the domain."))]
    findings = []
    for selector, found in records.items():
        name = f"{selector}._domainkey.{domain}"
        keys = [_tags(r).get("p", "") for r in found]
        if not keys:
            findings.append((ERROR, _("No DKIM key at %(name)s.") % {"name": name}))
        elif not any(keys):
            findings.append((ERROR, _("The DKIM key at %(name)s is revoked (empty p=).") % {"name": name}))
        else:
            findings.append((OK, _("DKIM key found at %(name)s.") % {"name": name}))
    return findings
