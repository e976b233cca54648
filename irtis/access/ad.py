"""Active Directory for irtis.access: group members written with the write bind
(`IRTIS_AD_WRITE_BIND_DN`), everything else read with the look-up account of sign-in.

An account is found by its sAMAccountName, which is the irtis user name.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ldap3
from django.conf import settings
from ldap3 import Connection
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars

from irtis.identity import directory
from irtis.identity.directory import DirectorySettings, DirectoryUnavailable, group_key

PERSON = "(&(objectCategory=person)(objectClass=user))"
# Results an already-made change gives: the member is there already, or gone already.
ALREADY = {"add": {20, 68}, "delete": {16, 53}}


class NotConfigured(DirectoryUnavailable):
    reason = "not configured"


def _conf() -> DirectorySettings:
    conf = DirectorySettings.load()
    if conf is None:
        raise NotConfigured("IRTIS_AD_URI is not set")
    return conf


@contextmanager
def reader() -> Iterator[tuple[Connection, DirectorySettings]]:
    """A connection bound as the look-up account; DirectoryUnavailable if none answers."""
    conf = _conf()
    with directory.session(conf, conf.bind_dn or None, conf.bind_password or None) as conn:
        if not conn.bound:
            raise DirectoryUnavailable(f"bind refused: {conn.result.get('message')}")
        yield conn, conf


@contextmanager
def writer() -> Iterator[tuple[Connection, DirectorySettings]]:
    """A writable connection bound as IRTIS_AD_WRITE_BIND_DN."""
    conf = _conf()
    if not settings.IRTIS_AD_WRITE_BIND_DN:
        raise NotConfigured("IRTIS_AD_WRITE_BIND_DN is not set")
    with directory.session(conf, settings.IRTIS_AD_WRITE_BIND_DN, settings.IRTIS_AD_WRITE_BIND_PASSWORD,
                           writable=True) as conn:
        if not conn.bound:
            raise DirectoryUnavailable(f"write bind refused: {conn.result.get('message')}")
        yield conn, conf


def paged(conn: Connection, base: str, filter_: str, attributes: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """Every entry, 500 a page (AD answers at most 1,000 to an unpaged search)."""
    found = conn.extend.standard.paged_search(base, filter_, attributes=attributes, paged_size=500, generator=False)
    if conn.result.get("result") not in (0, 32, None):
        raise directory.DirectoryQueryError(conn.result)
    return [(e["dn"], e.get("attributes", {})) for e in found or () if e.get("type") == "searchResEntry"]


def account_dn(conn: Connection, conf: DirectorySettings, username: str) -> str | None:
    base = directory.base_dn(conn, conf)
    found = directory.search(conn, base, f"(&{PERSON}(sAMAccountName={escape_filter_chars(username)}))", ["cn"])
    return found[0][0] if len(found) == 1 else None


def members(conn: Connection, group_dn: str) -> set[str]:
    """Normalised DNs of the group's direct members (empty when the group does not exist)."""
    found = directory.search(conn, group_dn, "(objectClass=group)", ["member"], scope=ldap3.BASE)
    return {group_key(dn) for dn in (found[0][1].get("member", []) if found else [])}


def set_member(conn: Connection, group_dn: str, user_dn: str, member: bool) -> None:
    """Add or remove the account; done already counts as done. LDAPException with the server's
    answer otherwise."""
    operation = "add" if member else "delete"
    op = ldap3.MODIFY_ADD if member else ldap3.MODIFY_DELETE
    if not conn.modify(group_dn, {"member": [(op, [user_dn])]}) and \
            conn.result.get("result") not in ALREADY[operation]:
        raise LDAPException(f"{conn.result.get('description')}: {conn.result.get('message')}".strip())
