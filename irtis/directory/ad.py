"""Reading a domain from Active Directory over LDAPS: the Configuration naming context (sites,
subnets, servers, replication connections, site links, the naming master), the domain's (FSMO
role holders, trusts) and each controller's root DSE (the health figures).

The connection is irtis.identity.directory's (TLS 1.2+, the certificate checked against the
domain's CA file and host name, controllers tried in turn). Nothing here touches the database;
`readings.record` stores what this returns. Failures are `ReadError`s with a message for people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from ldap3 import BASE, Connection
from ldap3.core.exceptions import LDAPException
from ldap3.utils.dn import parse_dn

from irtis.identity.directory import (
    DirectoryCertificateError,
    DirectoryQueryError,
    DirectorySettings,
    DirectoryUnavailable,
    bind_reason,
    search,
    session,
)

ROOT_DSE = ["serverName", "dnsHostName", "currentTime", "isSynchronized", "isGlobalCatalogReady",
            "highestCommittedUSN", "domainFunctionality", "forestFunctionality", "defaultNamingContext",
            "configurationNamingContext", "schemaNamingContext"]
NEIGHBOURS = "msDS-ReplAllInboundNeighbors"  # constructed on the root DSE by Windows; absent on Samba
NTDSDSA_OPT_IS_GC = 0x1
TRUST_NON_TRANSITIVE = 0x1
TRUST_FOREST = 0x8
SITES_FILTER = ("(|(objectClass=site)(objectClass=subnet)(objectClass=server)(objectClass=nTDSDSA)"
                "(objectClass=nTDSConnection)(objectClass=siteLink))")
SITES_ATTRIBUTES = ["objectClass", "cn", "description", "location", "siteObject", "dNSHostName", "options",
                    "msDS-isRODC", "fromServer", "enabledConnection", "siteList"]


class ReadError(Exception):
    """The domain could not be read; the message says why, for people."""


@dataclass
class Health:
    """One controller's root DSE, read over LDAPS."""

    reachable: bool = False
    error: str = ""
    time_offset: float | None = None
    synchronized: bool | None = None
    gc_ready: bool | None = None
    highest_usn: int | None = None
    failures: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Controller:
    name: str
    dns_name: str
    site: str
    global_catalog: bool = False
    read_only: bool = False
    roles: list[str] = field(default_factory=list)
    health: Health = field(default_factory=Health)


@dataclass
class ADReading:
    server: str = ""
    domain_level: int | None = None
    forest_level: int | None = None
    sites: list[dict[str, str]] = field(default_factory=list)
    subnets: list[dict[str, str]] = field(default_factory=list)
    controllers: list[Controller] = field(default_factory=list)
    connections: list[dict[str, object]] = field(default_factory=list)
    trusts: list[dict[str, object]] = field(default_factory=list)
    fsmo: dict[str, str] = field(default_factory=dict)  # role → controller name
    replication_status: str = ""


@dataclass(frozen=True)
class Target:
    """Where and as whom to read a domain."""

    urls: tuple[str, ...]
    bind: str
    password: str = field(repr=False)
    ca_file: str = ""
    timeout: float = 5.0

    def settings(self, urls: tuple[str, ...] | None = None) -> DirectorySettings:
        return DirectorySettings(uris=urls or self.urls, bind_dn=self.bind, bind_password=self.password,
                                 ca_file=self.ca_file, timeout=self.timeout)


def read(target: Target) -> ADReading:
    """Read the domain through the first controller that answers; ReadError saying why not."""
    try:
        with session(target.settings(), target.bind, target.password) as conn:
            _bound(conn)
            reading, answered = _read(conn)
        for controller in reading.controllers:
            if _name(controller.name) == _name(_rdn(answered.get("serverName", ""), 0)):
                controller.health = _health(answered, reading)
            else:
                controller.health = _remote_health(target, controller.dns_name, reading)
        return reading
    except DirectoryCertificateError as error:
        raise ReadError(_("The domain controller's certificate failed validation (check the CA file and "
                          "the address's host name): %(detail)s") % {"detail": error}) from None
    except DirectoryUnavailable as error:
        raise ReadError(_("No domain controller answered over LDAPS: %(detail)s") % {"detail": error}) from None
    except DirectoryQueryError as error:
        raise ReadError(_("The directory refused a search: %(detail)s") % {"detail": error}) from None


def _bound(conn: Connection) -> None:
    if not conn.bound:
        reason = bind_reason(str(conn.result.get("message", "")))
        raise ReadError(_("The domain controller refused the bind account (%(reason)s): check the account "
                          "and its password.") % {"reason": reason})


def _root_dse(conn: Connection, extra: list[str] | None = None) -> dict[str, str]:
    found = search(conn, "", "(objectClass=*)", ROOT_DSE + (extra or []), scope=BASE)
    attributes = found[0][1] if found else {}
    return {k: v[0] for k, v in attributes.items() if v and k != NEIGHBOURS} | (
        {NEIGHBOURS: "\n".join(attributes[NEIGHBOURS])} if attributes.get(NEIGHBOURS) else {})


def _read(conn: Connection) -> tuple[ADReading, dict[str, str]]:
    root = _root_dse(conn, [NEIGHBOURS])
    domain_nc, config_nc = root.get("defaultNamingContext", ""), root.get("configurationNamingContext", "")
    reading = ADReading(server=root.get("dnsHostName", ""), domain_level=_int(root.get("domainFunctionality")),
                        forest_level=_int(root.get("forestFunctionality")))
    _sites(reading, search(conn, f"CN=Sites,{config_nc}", SITES_FILTER, SITES_ATTRIBUTES))
    holders = {"schema": root.get("schemaNamingContext", ""), "naming": f"CN=Partitions,{config_nc}",
               "pdc": domain_nc, "rid": f"CN=RID Manager$,CN=System,{domain_nc}",
               "infrastructure": f"CN=Infrastructure,{domain_nc}"}
    for role, dn in holders.items():
        found = search(conn, dn, "(objectClass=*)", ["fSMORoleOwner"], scope=BASE)
        owner = found[0][1].get("fSMORoleOwner", [""])[0] if found else ""
        if owner:
            reading.fsmo[role] = _rdn(owner, 1)
    for controller in reading.controllers:
        controller.roles = [r for r, holder in reading.fsmo.items() if _name(holder) == _name(controller.name)]
    for _dn, attrs in search(conn, f"CN=System,{domain_nc}", "(objectClass=trustedDomain)",
                             ["trustPartner", "flatName", "trustDirection", "trustType", "trustAttributes"]):
        flags = _int(_first(attrs, "trustAttributes")) or 0
        reading.trusts.append({
            "partner": _first(attrs, "trustPartner"), "flat_name": _first(attrs, "flatName"),
            "direction": _int(_first(attrs, "trustDirection")), "kind": _int(_first(attrs, "trustType")),
            "transitive": not flags & TRUST_NON_TRANSITIVE, "forest": bool(flags & TRUST_FOREST)})
    return reading, root


def _sites(reading: ADReading, entries: list[tuple[str, dict[str, list[str]]]]) -> None:
    """Sort the objects under CN=Sites into sites, subnets, controllers, connections and site links."""
    servers: dict[str, Controller] = {}
    dsas: dict[str, tuple[int, bool]] = {}  # server DN → options, RODC
    links: list[tuple[str, set[str]]] = []
    connections = []
    for dn, attrs in entries:
        classes = {c.lower() for c in attrs.get("objectClass", [])}
        if "site" in classes:
            reading.sites.append({"name": _first(attrs, "cn"), "description": _first(attrs, "description")})
        elif "subnet" in classes:
            reading.subnets.append({"prefix": _first(attrs, "cn"), "site": _rdn(_first(attrs, "siteObject"), 0),
                                    "location": _first(attrs, "location")})
        elif "server" in classes:
            servers[_norm(dn)] = Controller(name=_first(attrs, "cn"), dns_name=_first(attrs, "dNSHostName"),
                                             site=_rdn(dn, 2))
        elif "ntdsdsa" in classes:
            dsas[_parent(dn)] = (_int(_first(attrs, "options")) or 0,
                                 _first(attrs, "msDS-isRODC").upper() == "TRUE")
        elif "ntdsconnection" in classes:
            connections.append((dn, attrs))
        elif "sitelink" in classes:
            links.append((_first(attrs, "cn"), {_rdn(site, 0).lower() for site in attrs.get("siteList", [])}))
    for server_dn, (options, rodc) in dsas.items():
        if controller := servers.get(server_dn):  # a server object with NTDS settings is a DC
            controller.global_catalog, controller.read_only = bool(options & NTDSDSA_OPT_IS_GC), rodc
            reading.controllers.append(controller)
    reading.controllers.sort(key=lambda c: c.name.lower())
    for dn, attrs in connections:
        source = _first(attrs, "fromServer")
        from_site, to_site = _rdn(source, 3), _rdn(dn, 4)
        link = "" if from_site.lower() == to_site.lower() else next(
            (name for name, sites in links if {from_site.lower(), to_site.lower()} <= sites), "")
        reading.connections.append({
            "from_server": _rdn(source, 1), "to_server": _rdn(dn, 2), "from_site": from_site, "to_site": to_site,
            "site_link": link, "enabled": _first(attrs, "enabledConnection").upper() != "FALSE"})
    reading.sites.sort(key=lambda s: s["name"].lower())
    reading.subnets.sort(key=lambda s: s["prefix"])


def _health(root: dict[str, str], reading: ADReading) -> Health:
    """The health figures in a controller's root DSE."""
    health = Health(reachable=True, synchronized=_flag(root.get("isSynchronized")),
                    gc_ready=_flag(root.get("isGlobalCatalogReady")), highest_usn=_int(root.get("highestCommittedUSN")))
    if current := root.get("currentTime"):
        try:
            theirs = datetime.strptime(current[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
            health.time_offset = round((theirs - datetime.now(UTC)).total_seconds(), 1)
        except ValueError:
            health.time_offset = None
    if NEIGHBOURS in root:
        reading.replication_status = NEIGHBOURS
        health.failures = _failures(root[NEIGHBOURS])
    return health


def _remote_health(target: Target, dns_name: str, reading: ADReading) -> Health:
    """Connect to the controller itself (its DNS name, the port of the domain's first address)."""
    if not dns_name:
        return Health(error=_("AD records no DNS name for this controller."))
    port = urlsplit(target.urls[0]).port or 636
    try:
        with session(target.settings((f"ldaps://{dns_name}:{port}",)), target.bind, target.password) as conn:
            if not conn.bound:
                return Health(error=_("The controller refused the bind account (%(reason)s).") % {
                    "reason": bind_reason(str(conn.result.get("message", "")))})
            return _health(_root_dse(conn, [NEIGHBOURS]), reading)
    except DirectoryCertificateError as error:
        return Health(error=_("The controller's certificate failed validation: %(detail)s") % {"detail": error})
    except (DirectoryUnavailable, DirectoryQueryError, LDAPException) as error:
        return Health(error=_("The controller did not answer over LDAPS: %(detail)s") % {"detail": error})


def _failures(text: str) -> list[dict[str, str]]:
    """The neighbours whose last replication failed, from DS_REPL_NEIGHBOR XML blobs."""
    found = []
    for blob in re.findall(r"<DS_REPL_NEIGHBOR>.*?</DS_REPL_NEIGHBOR>", text, re.DOTALL):
        values = dict(re.findall(r"<(\w+)>([^<]*)</\1>", blob))
        if values.get("dwLastSyncResult", "0") != "0" or values.get("cNumConsecutiveSyncFailures", "0") != "0":
            found.append({"source": _rdn(values.get("pszSourceDsaDN", ""), 1),
                          "context": values.get("pszNamingContext", ""),
                          "result": values.get("dwLastSyncResult", ""),
                          "failures": values.get("cNumConsecutiveSyncFailures", ""),
                          "last_success": values.get("ftimeLastSyncSuccess", "")})
    return found


def _first(attrs: dict[str, list[str]], name: str) -> str:
    values = attrs.get(name) or []
    return values[0] if values else ""


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _flag(value: str | None) -> bool | None:
    return None if value is None else value.upper() == "TRUE"


def _rdn(dn: str, index: int) -> str:
    """The value of the `index`-th RDN of `dn` ("" when it has fewer)."""
    try:
        return parse_dn(dn, strip=True)[index][1]
    except (LDAPException, IndexError):
        return ""


def _norm(dn: str, skip: int = 0) -> str:
    """`dn` written one way (lower case, no spaces around the separators), its first `skip` RDNs left out."""
    try:
        parts = parse_dn(dn, escape=True, strip=True)
    except LDAPException:
        return ""
    return ",".join(f"{a}={v}" for a, v, _sep in parts[skip:]).lower()


def _parent(dn: str) -> str:
    return _norm(dn, 1)


def _name(name: str) -> str:
    """A host name compared: its first label, lower case ("DC1", "dc1.irtis.test" → "dc1")."""
    return name.split(".")[0].strip().lower()
