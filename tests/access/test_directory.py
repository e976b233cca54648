"""Against the real Samba AD DC: approval adds the account to the group, expiry and revocation
remove it, the reconciliation finds a leftover, the hygiene controls read real accounts."""

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import ldap3
import pytest
from django.utils import timezone

from irtis.access import actions, ad
from irtis.access.evaluators import (
    leavers_enabled,
    password_never_expires,
    privileged_members,
    removed_from_ad,
    unused_accounts,
)
from irtis.access.models import Kind, Membership, MembershipStatus
from irtis.security.evaluation import Status
from tests.support.samba import ADMIN_PASSWORD, BASE_DN

from .people import ask, entitlement, officer, person

pytestmark = pytest.mark.django_db
NUMBERS = itertools.count()


@pytest.fixture
def dc(samba_dc: Any, settings: Any) -> Iterator[Any]:
    settings.ACTIVE_DIRECTORY = samba_dc.settings()
    settings.IRTIS_AD_WRITE_BIND_DN = f"Administrator@{samba_dc.upn_suffix}"
    settings.IRTIS_AD_WRITE_BIND_PASSWORD = ADMIN_PASSWORD
    yield samba_dc


def _account(dc: Any, name: str, uac: int = 512) -> str:
    """A user entry `name` in the directory (enabled unless `uac` says otherwise)."""
    conn = dc.admin()
    try:
        dn = f"CN={name},CN=Users,{BASE_DN}"
        assert conn.add(dn, ["top", "person", "organizationalPerson", "user"], {
            "sAMAccountName": name, "userAccountControl": "514"}), conn.result
        assert conn.extend.microsoft.modify_password(dn, "Slaptas-Testas1!"), conn.result
        assert conn.modify(dn, {"userAccountControl": [(ldap3.MODIFY_REPLACE, [str(uac)])]}), conn.result
        return dn
    finally:
        conn.unbind()


def _group(dc: Any) -> str:
    name = f"G_ACCESS_{next(NUMBERS)}_{timezone.now():%H%M%S%f}"
    dn = f"CN={name},CN=Users,{BASE_DN}"
    conn = dc.admin()
    try:
        assert conn.add(dn, ["top", "group"], {"sAMAccountName": name, "groupType": str(-2147483646)}), conn.result
    finally:
        conn.unbind()
    return dn


def _members(dc: Any, group_dn: str) -> set[str]:
    conn = dc.admin()
    try:
        return ad.members(conn, group_dn)
    finally:
        conn.unbind()


def _unique(prefix: str) -> str:
    return f"{prefix}{next(NUMBERS)}{timezone.now():%M%S%f}"[:20]


def _granted(dc: Any, group_dn: str, username: str) -> tuple[Membership, str]:
    account_dn = _account(dc, username)
    owner, security, requester = person(_unique("sav")), officer(_unique("sau")), person(username)
    what = entitlement(owner, name=f"AD {group_dn}", kind=Kind.AD_GROUP, reference=group_dn)
    request = ask(requester, requester, what, days=5)
    actions.approve(request, owner, "owner")
    actions.approve(request, security, "officer")
    membership = Membership.objects.select_related("entitlement", "user").get(request=request)
    from irtis.access.jobs import apply_membership

    assert apply_membership.body(None, membership_id=membership.pk) == {"added": 1, "removed": 0, "failed": 0}
    membership.refresh_from_db()
    return membership, account_dn


def test_approval_adds_and_expiry_removes(dc: Any) -> None:
    group = _group(dc)
    membership, account_dn = _granted(dc, group, _unique("jon"))
    membership.refresh_from_db()
    assert membership.ad_applied_at is not None and membership.last_error == ""
    assert ad.group_key(account_dn) in _members(dc, group)
    from irtis.access.jobs import synchronise_access

    assert synchronise_access.body(None)["expired"] == 0
    actions.expire(timezone.localdate() + dt.timedelta(days=10))
    assert actions.synchronise(actions.pending()) == {"added": 0, "removed": 1, "failed": 0}
    assert ad.group_key(account_dn) not in _members(dc, group)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.REMOVED and membership.ad_removed_at is not None


def test_revocation_removes_at_once(dc: Any) -> None:
    group = _group(dc)
    membership, account_dn = _granted(dc, group, _unique("ona"))
    actions.revoke(membership, officer(_unique("rev")))
    assert ad.group_key(account_dn) not in _members(dc, group)
    assert Membership.objects.get(pk=membership.pk).request.status == "revoked"


def test_a_failed_write_is_kept_and_retried(dc: Any, settings: Any) -> None:
    group = _group(dc)
    settings.IRTIS_AD_WRITE_BIND_PASSWORD = "neteisingas"
    username = _unique("pet")
    account_dn = _account(dc, username)
    owner, security = person(_unique("sav")), officer(_unique("sau"))
    requester = person(username)
    request = ask(requester, requester, entitlement(owner, name="AD klaida", kind=Kind.AD_GROUP, reference=group))
    actions.approve(request, owner, "owner")
    actions.approve(request, security, "officer")
    membership = Membership.objects.select_related("entitlement", "user").get(request=request)
    assert actions.synchronise([membership])["failed"] == 1
    membership.refresh_from_db()
    assert "bind refused" in membership.last_error and membership.ad_applied_at is None
    settings.IRTIS_AD_WRITE_BIND_PASSWORD = ADMIN_PASSWORD
    assert actions.synchronise(actions.pending())["added"] == 1
    assert ad.group_key(account_dn) in _members(dc, group)


def test_reconciliation_finds_a_leftover(dc: Any) -> None:
    group = _group(dc)
    membership, _ = _granted(dc, group, _unique("dal"))
    # ended in irtis while the directory was out of reach: the account stays in the group
    actions.end(membership, "expired")
    outcome = removed_from_ad()
    assert outcome.status == Status.FAILED
    assert [d.object for d in outcome.deviations] == [f"access.membership:{membership.pk}"]
    actions.synchronise(actions.pending())
    assert removed_from_ad().status == Status.PASSED


def test_hygiene_reads_real_accounts(dc: Any) -> None:
    never = _unique("nev")
    _account(dc, never, uac=512 | 0x10000)
    leaver = person(never)
    leaver.is_active = False
    leaver.save()
    found = password_never_expires()
    assert found.status == Status.FAILED and never in {d.label for d in found.deviations}
    assert "jonas" not in {d.label for d in found.deviations}
    unused = unused_accounts()
    assert never in {d.label for d in unused.deviations}
    leavers = leavers_enabled()
    assert leavers.status == Status.FAILED and [d.label for d in leavers.deviations] == [never]
    privileged = privileged_members()
    assert privileged.status == Status.FAILED
    assert "administrator" in {d.label for d in privileged.deviations}


def test_wrong_certificate_is_unknown(dc: Any, settings: Any) -> None:
    settings.ACTIVE_DIRECTORY = dc.settings(CA_FILE=str(dc.wrong_ca_file))
    outcome = privileged_members()
    assert outcome.status == Status.UNKNOWN and outcome.params["error"]
