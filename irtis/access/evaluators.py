"""Active Directory hygiene, read from the directory over LDAPS (statute 2.9). Each control is
UNKNOWN, with the reason, when the directory is not configured or does not answer."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars

from irtis.identity.directory import EPOCH_AS_FILETIME, IN_CHAIN, DirectoryQueryError, DirectoryUnavailable
from irtis.security.evaluation import Deviation, Outcome, Status, evaluator

from . import actions, ad
from .models import Kind, Membership, MembershipStatus

ENABLED = "(!(userAccountControl:1.2.840.113556.1.4.803:=2))"
DONT_EXPIRE_PASSWORD = 0x10000


def _guarded(function: Callable[[], Outcome]) -> Callable[[], Outcome]:
    """An unreachable or unconfigured directory, or a refused search: UNKNOWN, never PASSED."""

    def run() -> Outcome:
        try:
            return function()
        except DirectoryUnavailable as error:
            return Outcome(Status.UNKNOWN, reason=gettext_noop("Active Directory could not be read: %(error)s"),
                           params={"error": str(error) or error.reason})
        except (DirectoryQueryError, LDAPException, OSError) as error:
            return Outcome(Status.UNKNOWN, reason=gettext_noop("Active Directory refused the query: %(error)s"),
                           params={"error": str(error)})

    run.__name__ = function.__name__
    return run


def _accounts(filter_: str, attributes: list[str]) -> list[tuple[str, dict[str, Any]]]:
    with ad.reader() as (conn, conf):
        return ad.paged(conn, ad.directory.base_dn(conn, conf), f"(&{ad.PERSON}{filter_})",
                        ["sAMAccountName", *attributes])


def _name(attributes: dict[str, Any]) -> str:
    value = attributes.get("sAMAccountName")
    return str(value[0] if isinstance(value, list) else value or "")


@evaluator("ad_privileged_members", _("Privileged AD group members are granted"),
           _("Every member of the privileged groups (IRTIS_ACCESS_PRIVILEGED_GROUPS) holds an active, "
             "approved access to the group."), ("2.9",))
@_guarded
def privileged_members() -> Outcome:
    granted: dict[str, set[str]] = {}
    for reference, username in Membership.objects.filter(
            status=MembershipStatus.ACTIVE, entitlement__kind=Kind.AD_GROUP).values_list(
            "entitlement__reference", "user__username"):
        granted.setdefault(ad.group_key(reference), set()).add(username.lower())
    checked, deviations = 0, []
    with ad.reader() as (conn, conf):
        base = ad.directory.base_dn(conn, conf)
        for name in settings.IRTIS_ACCESS_PRIVILEGED_GROUPS:
            escaped = escape_filter_chars(name)
            flt = f"(&(objectClass=group)(|(cn={escaped})(sAMAccountName={escaped})))"
            for group_dn, _attrs in ad.directory.search(conn, base, flt, ["cn"]):
                members = ad.paged(conn, base, f"(&{ad.PERSON}(memberOf:{IN_CHAIN}:={escape_filter_chars(group_dn)}))",
                                   ["sAMAccountName"])
                for dn, attributes in members:
                    checked += 1
                    username = _name(attributes).lower()
                    if username not in granted.get(ad.group_key(group_dn), set()):
                        deviations.append(Deviation(dn, username, gettext_noop(
                            "Member of %(group)s without an approved access"), {"group": name}))
    return Outcome.of(checked, deviations)


def _filetime(value: Any) -> dt.datetime | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dt.datetime):
        return value if value.year > 1601 else None
    try:
        ticks = int(value)
    except (TypeError, ValueError):
        return None
    if ticks <= 0:
        return None
    return dt.datetime.fromtimestamp((ticks - EPOCH_AS_FILETIME) / 10**7, tz=dt.UTC)


@evaluator("ad_unused_accounts", _("No unused AD accounts"),
           _("Enabled accounts have signed in within IRTIS_ACCESS_UNUSED_DAYS days (lastLogonTimestamp)."),
           ("2.9",))
@_guarded
def unused_accounts() -> Outcome:
    days = settings.IRTIS_ACCESS_UNUSED_DAYS
    cutoff = timezone.now() - dt.timedelta(days=days)
    accounts = _accounts(ENABLED, ["lastLogonTimestamp"])
    deviations = []
    for dn, attributes in accounts:
        last = _filetime(attributes.get("lastLogonTimestamp"))
        if last is None:
            deviations.append(Deviation(dn, _name(attributes), gettext_noop("Never signed in")))
        elif last < cutoff:
            deviations.append(Deviation(dn, _name(attributes), gettext_noop(
                "Last signed in on %(date)s, more than %(days)s days ago"),
                {"date": last.date().isoformat(), "days": days}))
    return Outcome.of(len(accounts), deviations, days=days)


@evaluator("ad_leavers_enabled", _("Leavers' AD accounts are disabled"),
           _("People whose irtis account is deactivated have no enabled account in the directory."), ("2.9",))
@_guarded
def leavers_enabled() -> Outcome:
    left = {name.lower() for name in get_user_model().objects.filter(is_active=False)
            .values_list("username", flat=True)}
    if not left:
        return Outcome.of(0, [])
    deviations = []
    names = sorted(left)
    for start in range(0, len(names), 200):  # a filter of 200 names a query
        terms = "".join(f"(sAMAccountName={escape_filter_chars(n)})" for n in names[start:start + 200])
        for dn, attributes in _accounts(f"{ENABLED}(|{terms})", []):
            deviations.append(Deviation(dn, _name(attributes), gettext_noop(
                "Deactivated in irtis, still enabled in Active Directory")))
    return Outcome.of(len(left), deviations)


@evaluator("ad_password_never_expires", _("AD passwords expire"),
           _("No enabled account has a password that never expires (userAccountControl 0x10000)."), ("2.9",))
@_guarded
def password_never_expires() -> Outcome:
    accounts = _accounts(ENABLED, ["userAccountControl"])
    deviations = []
    for dn, attributes in accounts:
        uac = attributes.get("userAccountControl")
        uac = uac[0] if isinstance(uac, list) else uac
        if int(uac or 0) & DONT_EXPIRE_PASSWORD:
            deviations.append(Deviation(dn, _name(attributes), gettext_noop("The password never expires")))
    return Outcome.of(len(accounts), deviations)


@evaluator("access_removed_from_ad", _("Ended access is removed from AD"),
           _("No expired or revoked access leaves its account in the Active Directory group."), ("1.2", "2.9"))
@_guarded
def removed_from_ad() -> Outcome:
    checked, found = actions.leftovers()
    return Outcome.of(checked, [Deviation(f"access.membership:{m.pk}", str(m), gettext_noop(
        "Ended on %(status)s but %(user)s is still in %(group)s"),
        {"status": m.updated.date().isoformat(), "user": m.user.username, "group": m.entitlement.reference})
        for m in found])
