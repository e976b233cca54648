"""Talking to Active Directory over TLS with ldap3: settings, connections, accounts, groups.

Why `ldap3` directly and not `django-python3-ldap`: that package (built on ldap3) looks users
up with one flat filter and maps attributes, but it has no notion of AD account state
(disabled, locked, expired), no nested-group resolution, no per-server failover with a
clear "directory unreachable" outcome, and its TLS options are a global on/off without a
CA file for LDAPS. Those are the parts statute 2.9 needs, so we use ldap3's `Server`,
`Tls` and `Connection` directly (LDAPS or StartTLS, CERT_REQUIRED against
`IRTIS_AD_CA_FILE`, host-name checking) and keep the AD knowledge in this small module.

Nothing here touches the database; `irtis.identity.ldap` turns an `Account` into a `User`.
"""

from __future__ import annotations

import logging
import math
import re
import ssl
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from ldap3 import BASE, NONE, SIMPLE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import parse_dn

log = logging.getLogger("irtis.identity.ldap")

# userAccountControl and msDS-User-Account-Control-Computed flags (MS-ADTS 2.2.16).
UF_ACCOUNTDISABLE = 0x2
UF_LOCKOUT = 0x10
UF_PASSWORD_EXPIRED = 0x800000
# accountExpires: 100 ns ticks since 1601-01-01; 0 and 2**63-1 mean "never".
NEVER = {0, 0x7FFFFFFFFFFFFFFF}
EPOCH_AS_FILETIME = 116444736000000000
IN_CHAIN = "1.2.840.113556.1.4.1941"  # LDAP_MATCHING_RULE_IN_CHAIN
MAX_NESTING = 10  # levels walked when the server cannot evaluate IN_CHAIN
MAX_GROUPS = 1000
ACCOUNT_ATTRIBUTES = [
    "sAMAccountName", "userPrincipalName", "givenName", "sn", "mail", "department",
    "userAccountControl", "msDS-User-Account-Control-Computed", "lockoutTime",
    "accountExpires", "pwdLastSet", "memberOf",
]
# "data 775" in an AD bind error tells why the bind was refused.
BIND_REASONS = {
    "525": "no such user", "52e": "wrong password", "530": "logon hours",
    "531": "workstation", "532": "password expired", "533": "disabled",
    "701": "account expired", "773": "password must be changed", "775": "locked",
}


class DirectoryUnavailable(Exception):
    """No domain controller could be reached (down, refused, timed out, misconfigured)."""

    reason = "unreachable"


class DirectoryCertificateError(DirectoryUnavailable):
    """A domain controller answered but its certificate failed validation."""

    reason = "certificate"


@dataclass(frozen=True)
class DirectorySettings:
    """The `ACTIVE_DIRECTORY` setting, checked (see docs/identity-ad.md)."""

    uris: tuple[str, ...]
    domain: str = ""
    upn_suffix: str = ""
    base_dn: str = ""
    bind_dn: str = ""
    bind_password: str = field(default="", repr=False)
    starttls: bool = False
    ca_file: str = ""
    timeout: float = 5.0
    group_roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> DirectorySettings | None:
        """The configured directory, or None when AD sign-in is off (no URI)."""
        raw: Mapping[str, Any] = getattr(settings, "ACTIVE_DIRECTORY", None) or {}
        uris = raw.get("URI") or ()
        if isinstance(uris, str):
            uris = uris.replace(",", " ").split()
        if not uris:
            return None
        starttls = bool(raw.get("STARTTLS"))
        for uri in uris:
            if problem := check_uri(uri, starttls):
                raise ImproperlyConfigured(f"IRTIS_AD_URI: {problem}")
        ca_file = raw.get("CA_FILE") or ""
        if ca_file:
            try:
                with open(ca_file, "rb"):
                    pass
            except OSError as exc:
                raise ImproperlyConfigured(f"IRTIS_AD_CA_FILE: cannot read it: {exc}") from exc
        return cls(
            uris=tuple(uris),
            domain=(raw.get("DOMAIN") or "").strip(),
            upn_suffix=(raw.get("UPN_SUFFIX") or "").strip().lstrip("@"),
            base_dn=(raw.get("BASE_DN") or "").strip(),
            bind_dn=(raw.get("BIND_DN") or "").strip(),
            bind_password=raw.get("BIND_PASSWORD") or "",
            starttls=starttls,
            ca_file=ca_file,
            timeout=float(raw.get("TIMEOUT") or 5),
            group_roles=parse_group_roles(raw.get("GROUP_ROLES") or {}),
        )


def check_uri(uri: str, starttls: bool) -> str | None:
    """Why `uri` cannot name a domain controller (plain LDAP only with StartTLS), or None.
    Also the check of a directory domain's LDAPS addresses (irtis.directory)."""
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        return f"{uri!r} is not an ldaps:// address"
    scheme = parts.scheme.lower()
    if scheme not in {"ldap", "ldaps"} or not parts.hostname:
        return f"{uri!r} is not ldaps:// or ldap://"
    if scheme == "ldap" and not starttls:
        return f"{uri!r} is plain LDAP; use ldaps:// or IRTIS_AD_STARTTLS=true"
    return None


def parse_group_roles(value: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """{group DN or CN: role or [roles]} with keys normalised for matching."""
    if not isinstance(value, Mapping):
        raise ImproperlyConfigured("IRTIS_AD_GROUP_ROLES must be a JSON object")
    result: dict[str, tuple[str, ...]] = {}
    for key, roles in value.items():
        roles = [roles] if isinstance(roles, str) else list(roles)
        if not all(isinstance(r, str) and r for r in roles):
            raise ImproperlyConfigured(f"IRTIS_AD_GROUP_ROLES[{key!r}]: roles must be names")
        result[group_key(key)] = tuple(roles)
    return result


def group_key(name: str) -> str:
    """A DN normalised for comparison (case, spaces), or a lower-case CN."""
    if "=" not in name:
        return name.strip().lower()
    try:
        parts = parse_dn(name, strip=True)
    except LDAPException:
        return name.strip().lower()
    return ",".join(f"{attr.strip().lower()}={value.strip().lower()}" for attr, value, _ in parts)


def common_name(dn: str) -> str:
    """The value of the first RDN, lower case ("CN=G_Inner,CN=Users,…" → "g_inner")."""
    try:
        return parse_dn(dn, strip=True)[0][1].strip().lower()
    except (LDAPException, IndexError):
        return ""


@dataclass(frozen=True)
class Login:
    """What the user typed, understood: which attribute to search and how to bind."""

    attribute: str  # sAMAccountName or userPrincipalName
    value: str
    bind_name: str  # the principal for a simple bind as the user


def parse_login(username: str, conf: DirectorySettings) -> Login | None:
    """`jonas`, `DOMAIN\\jonas` or `jonas@suffix`; None when it names another domain."""
    username = username.strip()
    if not username or any(c in username for c in "\0\r\n"):
        return None
    if "\\" in username:
        domain, _, name = username.partition("\\")
        if not name or "\\" in name or not conf.domain or domain.lower() != conf.domain.lower():
            return None
        return Login("sAMAccountName", name, f"{conf.domain}\\{name}")
    if "@" in username:
        return Login("userPrincipalName", username, username)
    if conf.domain:
        return Login("sAMAccountName", username, f"{conf.domain}\\{username}")
    if conf.upn_suffix:
        return Login("sAMAccountName", username, f"{username}@{conf.upn_suffix}")
    return None


@dataclass
class Account:
    """A user entry read from AD."""

    dn: str
    attributes: dict[str, list[str]]

    def first(self, name: str) -> str:
        values = self.attributes.get(name) or []
        return str(values[0]) if values else ""

    def number(self, name: str) -> int | None:
        try:
            return int(self.first(name))
        except ValueError:
            return None

    @property
    def username(self) -> str:
        return self.first("sAMAccountName").lower()

    def refusal(self, now: float | None = None) -> str | None:
        """Why AD would not let this account sign in, or None."""
        uac = self.number("userAccountControl") or 0
        computed = self.number("msDS-User-Account-Control-Computed")
        if uac & UF_ACCOUNTDISABLE:
            return "disabled"
        if computed is not None:
            if computed & UF_LOCKOUT:
                return "locked"
        elif (self.number("lockoutTime") or 0) > 0:
            return "locked"
        expires = self.number("accountExpires")
        if expires is not None and expires not in NEVER:
            if expires <= EPOCH_AS_FILETIME + int((now or time.time()) * 10**7):
                return "account expired"
        if computed is not None and computed & UF_PASSWORD_EXPIRED:
            return "password expired"
        if self.number("pwdLastSet") == 0:
            return "password must be changed"
        return None


def bind_reason(message: str) -> str:
    """The AD sub-code of a failed bind in words ("locked"), or the raw message."""
    match = re.search(r"data ([0-9a-f]+)", message or "", re.IGNORECASE)
    return BIND_REASONS.get(match.group(1).lower(), message) if match else (message or "refused")


def _tls(conf: DirectorySettings) -> Tls:
    return Tls(
        validate=ssl.CERT_REQUIRED,
        version=None,  # the ssl module's default context: TLS 1.2+, certificate chain check
        ca_certs_file=conf.ca_file or None,  # None: the system's trusted CAs
        ssl_options=[ssl.OP_NO_TLSv1, ssl.OP_NO_TLSv1_1],
    )


def _servers(conf: DirectorySettings) -> Iterator[Server]:
    for uri in conf.uris:
        parts = urlsplit(uri)
        ldaps = parts.scheme.lower() == "ldaps"
        yield Server(
            parts.hostname or "", port=parts.port or (636 if ldaps else 389), use_ssl=ldaps,
            tls=_tls(conf), get_info=NONE, connect_timeout=conf.timeout,
        )


def _is_certificate_problem(exc: BaseException) -> bool:
    text = f"{exc} {getattr(exc, 'args', '')}".lower()
    return any(word in text for word in ("certificate", "match any name"))


def connect(conf: DirectorySettings, user: str | None, password: str | None,
            writable: bool = False) -> Connection:
    """An open, TLS-protected connection to the first domain controller that answers, bound
    as `user` (result in `conn.bound`); DirectoryUnavailable when none answers. Read-only
    unless `writable` (irtis.access changes group members)."""
    problems: list[BaseException] = []
    for server in _servers(conf):
        conn = Connection(
            server, user=user, password=password, authentication=SIMPLE, read_only=not writable,
            receive_timeout=math.ceil(conf.timeout),  # ldap3 packs it as whole seconds
            auto_referrals=False, raise_exceptions=False,
            return_empty_attributes=False,
        )
        try:
            conn.open()
            if not server.ssl:
                conn.start_tls()  # raises unless the server upgraded to a validated TLS session
            if not (server.ssl or conn.tls_started):
                raise DirectoryUnavailable(f"{server}: StartTLS was not negotiated")
            conn.bind()
            return conn
        except (LDAPException, OSError, DirectoryUnavailable) as exc:
            log.warning("Active Directory %s:%s: %s", server.host, server.port, exc)
            problems.append(exc)
            _close(conn)
        except Exception as exc:  # an ldap3 bug must not turn sign-in into a 500 either
            log.exception("Active Directory %s:%s: unexpected error", server.host, server.port)
            problems.append(exc)
            _close(conn)
    if problems and all(_is_certificate_problem(p) for p in problems):
        raise DirectoryCertificateError(problems[-1])
    raise DirectoryUnavailable(problems[-1] if problems else "no server configured")


@contextmanager
def session(conf: DirectorySettings, user: str | None,
            password: str | None, writable: bool = False) -> Iterator[Connection]:
    """`connect` as a context manager that always unbinds, and that turns a connection lost
    half way into DirectoryUnavailable."""
    conn = connect(conf, user, password, writable)
    try:
        yield conn
    except LDAPException as exc:
        log.warning("Active Directory connection lost: %s", exc)
        raise DirectoryUnavailable(exc) from exc
    finally:
        _close(conn)


def _close(conn: Connection) -> None:
    try:
        conn.unbind()
    except Exception:  # closing a broken connection: nothing more to do
        log.debug("unbind failed", exc_info=True)


def search(conn: Connection, base: str, filter_: str, attributes: Iterable[str],
           scope: Literal["BASE", "LEVEL", "SUBTREE"] = SUBTREE) -> list[tuple[str, dict[str, list[str]]]]:
    """(dn, attributes) of the entries found; referrals are ignored."""
    ok = conn.search(base, filter_, search_scope=scope, attributes=list(attributes))
    if not ok and conn.result.get("result") not in (0, 32):  # 32: noSuchObject
        raise DirectoryQueryError(conn.result)
    return [
        (e["dn"], {k: [str(v) for v in vs] if isinstance(vs, list) else [str(vs)]
                   for k, vs in e.get("attributes", {}).items()})
        for e in conn.response or () if e.get("type") == "searchResEntry"
    ]


class DirectoryQueryError(Exception):
    """The server refused a search (e.g. a matching rule it does not know)."""

    def __init__(self, result: Mapping[str, Any]) -> None:
        super().__init__(f"{result.get('description')}: {result.get('message')}")
        self.result = dict(result)


def base_dn(conn: Connection, conf: DirectorySettings) -> str:
    """IRTIS_AD_BASE_DN, else the domain's naming context from the root DSE."""
    if conf.base_dn:
        return conf.base_dn
    found = search(conn, "", "(objectClass=*)", ["defaultNamingContext"], scope=BASE)
    return found[0][1].get("defaultNamingContext", [""])[0] if found else ""


def find_account(conn: Connection, conf: DirectorySettings, login: Login) -> Account | None:
    """The user entry `login` names, read with every attribute we need, or None."""
    base = base_dn(conn, conf)
    flt = (f"(&(objectCategory=person)(objectClass=user)"
           f"({login.attribute}={escape_filter_chars(login.value)}))")
    found = search(conn, base, flt, ["sAMAccountName"])
    if len(found) != 1:
        return None
    dn = found[0][0]
    # Constructed attributes (msDS-User-Account-Control-Computed) are computed on a base read.
    entry = search(conn, dn, "(objectClass=*)", ACCOUNT_ATTRIBUTES, scope=BASE)
    return Account(dn, entry[0][1]) if entry else None


def groups_of(conn: Connection, conf: DirectorySettings, account: Account) -> list[str]:
    """DNs of every group the account belongs to, directly or through nested groups.

    AD (and Samba, checked by the tests) evaluate LDAP_MATCHING_RULE_IN_CHAIN on the server in
    one query; a directory that refuses it gets a bounded breadth-first walk of memberOf.
    """
    base = base_dn(conn, conf)
    flt = f"(&(objectClass=group)(member:{IN_CHAIN}:={escape_filter_chars(account.dn)}))"
    try:
        return [dn for dn, _ in search(conn, base, flt, ["cn"])]
    except DirectoryQueryError as exc:
        log.info("IN_CHAIN refused (%s); walking nested groups", exc)
    return walk_groups(conn, account.attributes.get("memberOf", []))


def walk_groups(conn: Connection, direct: Iterable[str]) -> list[str]:
    """Breadth-first closure of memberOf from `direct`, at most MAX_NESTING levels deep and
    MAX_GROUPS groups, one query per level; cycles are harmless."""
    seen: dict[str, str] = {}
    frontier = [dn for dn in direct if group_key(dn) not in seen]
    for _ in range(MAX_NESTING):
        frontier = [dn for dn in dict.fromkeys(frontier) if group_key(dn) not in seen]
        if not frontier or len(seen) >= MAX_GROUPS:
            break
        for dn in frontier:
            seen[group_key(dn)] = dn
        parents: list[str] = []
        for chunk in range(0, len(frontier), 50):
            terms = "".join(f"(distinguishedName={escape_filter_chars(dn)})"
                            for dn in frontier[chunk:chunk + 50])
            for _, attrs in search(conn, _root(frontier[0]), f"(|{terms})", ["memberOf"]):
                parents.extend(attrs.get("memberOf", []))
        frontier = parents
    return list(seen.values())[:MAX_GROUPS]


def _root(dn: str) -> str:
    """The DC=… suffix of a DN: where to search for groups named by DN."""
    parts = [f"{a}={v}" for a, v, _ in parse_dn(dn, escape=True) if a.lower() == "dc"]
    return ",".join(parts)


def roles_for(groups: Iterable[str], conf: DirectorySettings) -> set[str]:
    """The irtis role names IRTIS_AD_GROUP_ROLES grants for these group DNs."""
    roles: set[str] = set()
    for dn in groups:
        for key in (group_key(dn), common_name(dn)):
            roles.update(conf.group_roles.get(key, ()))
    return roles
