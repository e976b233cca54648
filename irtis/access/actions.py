"""Approving, rejecting and revoking access; applying grants to Active Directory.

    approve(request, user, step, comment)   step "owner" (the entitlement's owner) or "officer"
                                            (who may change access requests: security officers)
    reject(request, user, comment)          by the owner or an officer
    revoke(membership, user)                ends a grant and removes it from AD at once
    synchronise(memberships)                adds / removes accounts in AD groups, errors kept

The requester (and the person the access is for) never approves; one person never gives both
approvals. Each request is locked (select_for_update) from the check to the write, so two
approvals at once cannot both count. Every write is a saved object: audited.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ldap3.core.exceptions import LDAPException

from irtis.core import permissions
from irtis.identity.directory import DirectoryUnavailable

from . import ad
from .models import AccessRequest, Kind, Membership, MembershipStatus, RequestStatus

STEPS = ("owner", "officer")


class ActionRefused(Exception):
    """The action cannot be done: the message says why."""


def _save(obj: Any, **values: Any) -> None:
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()


def _visible(request: AccessRequest, user: Any) -> AccessRequest:
    """The request re-read and locked; PermissionDenied when the user may not see it."""
    if not permissions.restrict(AccessRequest.objects.filter(pk=request.pk), user, "view").exists():
        raise PermissionDenied
    return AccessRequest.objects.select_for_update().select_related("entitlement").get(pk=request.pk)


def is_officer(user: Any) -> bool:
    return permissions.has(user, AccessRequest, "change")


def may_decide(request: AccessRequest, user: Any, step: str) -> bool:
    if step == "owner":
        return request.entitlement.owner_id == user.pk or user.is_superuser
    return is_officer(user)


@transaction.atomic
def approve(request: AccessRequest, user: Any, step: str, comment: str = "") -> AccessRequest:
    if step not in STEPS:
        raise ValueError(step)
    request = _visible(request, user)
    if request.status != RequestStatus.REQUESTED:
        raise ActionRefused(_("Only a request awaiting approval can be approved; this one is %(status)s.")
                            % {"status": request.get_status_display()})
    if user.pk in (request.requester_id, request.beneficiary_id):
        raise ActionRefused(_("You cannot approve a request you made or that gives you access: "
                              "the owner and a security officer must."))
    if not may_decide(request, user, step):
        raise PermissionDenied(_("Only the entitlement's owner approves as owner.") if step == "owner"
                               else _("Only a security officer approves as security officer."))
    now = timezone.now()
    if step == "owner":
        if request.owner_approved_by_id:
            raise ActionRefused(_("The owner has approved this request already."))
        if request.officer_approved_by_id == user.pk:
            raise ActionRefused(_("One person cannot give both approvals."))
        request.owner_approved_by, request.owner_approved_at = user, now
    else:
        if request.officer_approved_by_id:
            raise ActionRefused(_("A security officer has approved this request already."))
        if request.owner_approved_by_id == user.pk:
            raise ActionRefused(_("One person cannot give both approvals."))
        request.officer_approved_by, request.officer_approved_at = user, now
    if comment:
        request.decision_comment = "\n".join(filter(None, [request.decision_comment, comment]))
    if request.owner_approved_by_id and request.officer_approved_by_id:
        request.status = RequestStatus.APPROVED
        _save(request)
        membership = Membership(user_id=request.beneficiary_id, entitlement=request.entitlement, request=request,
                                valid_until=request.valid_until)
        _save(membership)
        if request.entitlement.kind == Kind.AD_GROUP:
            from .jobs import apply_membership

            transaction.on_commit(lambda: apply_membership.start(membership_id=membership.pk, user=user))
    else:
        _save(request)
    return request


@transaction.atomic
def reject(request: AccessRequest, user: Any, comment: str = "") -> AccessRequest:
    request = _visible(request, user)
    if request.status != RequestStatus.REQUESTED:
        raise ActionRefused(_("Only a request awaiting approval can be rejected; this one is %(status)s.")
                            % {"status": request.get_status_display()})
    if not (may_decide(request, user, "owner") or may_decide(request, user, "officer")):
        raise PermissionDenied
    _save(request, status=RequestStatus.REJECTED, decision_comment=comment)
    return request


def revoke(membership: Membership, user: Any) -> Membership:
    """End the grant (owner or officer) and take the account out of the AD group now; if the
    directory cannot be reached the error is kept and the sync job retries."""
    with transaction.atomic():
        if not permissions.restrict(Membership.objects.filter(pk=membership.pk), user, "view").exists():
            raise PermissionDenied
        membership = Membership.objects.select_for_update().select_related("entitlement").get(pk=membership.pk)
        if not (membership.entitlement.owner_id == user.pk or user.is_superuser or is_officer(user)):
            raise PermissionDenied
        end(membership, RequestStatus.REVOKED)
    synchronise([membership])
    return membership


def end(membership: Membership, why: str) -> None:
    """Mark a grant removed (its request revoked or expired); the directory is synchronised after."""
    if membership.status == MembershipStatus.REMOVED:
        raise ActionRefused(_("This access has ended already."))
    _save(membership, status=MembershipStatus.REMOVED)
    if membership.request_id:
        request = AccessRequest.objects.select_for_update().get(pk=membership.request_id)
        _save(request, status=why)


def expire(today: Any = None) -> list[Membership]:
    """End every active grant past its last day; the caller synchronises the directory."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(Membership.objects.select_for_update().filter(status=MembershipStatus.ACTIVE,
                                                                 valid_until__lt=today))
        for membership in due:
            end(membership, RequestStatus.EXPIRED)
    return due


def pending() -> list[Membership]:
    """AD grants the directory does not yet reflect: active and not added, or ended and not removed."""
    base = Membership.objects.filter(entitlement__kind=Kind.AD_GROUP).select_related("entitlement", "user")
    return [*base.filter(status=MembershipStatus.ACTIVE, ad_applied_at__isnull=True),
            *base.filter(status=MembershipStatus.REMOVED, ad_applied_at__isnull=False, ad_removed_at__isnull=True)]


def synchronise(memberships: Iterable[Membership]) -> dict[str, int]:
    """Write each AD grant's state to its group over one connection. A failure is kept on the
    membership (`last_error`) for the next run to retry; nothing raises."""
    todo = [m for m in memberships if m.entitlement.kind == Kind.AD_GROUP]
    done = {"added": 0, "removed": 0, "failed": 0}
    if not todo:
        return done
    try:
        with ad.writer() as (conn, conf):
            for membership in todo:
                adding = membership.status == MembershipStatus.ACTIVE
                try:
                    dn = ad.account_dn(conn, conf, membership.user.username)
                    if dn is None:
                        raise LDAPException(_("No account %(name)s in the directory.")
                                            % {"name": membership.user.username})
                    ad.set_member(conn, membership.entitlement.reference, dn, adding)
                except (LDAPException, OSError) as error:
                    _failed(membership, str(error))
                    done["failed"] += 1
                    continue
                now = timezone.now()
                if adding:
                    _record(membership, ad_applied_at=now, last_error="")
                else:
                    _record(membership, ad_removed_at=now, last_error="")
                done["added" if adding else "removed"] += 1
    except DirectoryUnavailable as error:
        for membership in todo:
            _failed(membership, str(error) or error.reason)
        done["failed"] = len(todo)
    return done


def _failed(membership: Membership, error: str) -> None:
    _record(membership, last_error=_("%(time)s: %(error)s") % {
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "error": error})


def _record(membership: Membership, **values: Any) -> None:
    with transaction.atomic():
        fresh = Membership.objects.select_for_update().get(pk=membership.pk)
        for name, value in values.items():
            setattr(fresh, name, value)
            setattr(membership, name, value)
        fresh.save(update_fields=list(values))
        membership.version = fresh.version


def leftovers() -> tuple[int, list[Membership]]:
    """(AD grants checked, ended grants whose account is still in the group with no active grant
    covering it). DirectoryUnavailable when the directory cannot be read."""
    ended = list(Membership.objects.filter(entitlement__kind=Kind.AD_GROUP, status=MembershipStatus.REMOVED)
                 .select_related("entitlement", "user"))
    active = set(Membership.objects.filter(entitlement__kind=Kind.AD_GROUP, status=MembershipStatus.ACTIVE)
                 .values_list("user_id", "entitlement_id"))
    found: list[Membership] = []
    with ad.reader() as (conn, conf):
        groups: dict[str, set[str]] = {}
        for membership in ended:
            if (membership.user_id, membership.entitlement_id) in active:
                continue
            reference = membership.entitlement.reference
            if reference not in groups:
                groups[reference] = ad.members(conn, reference)
            dn = ad.account_dn(conn, conf, membership.user.username)
            if dn is not None and ad.group_key(dn) in groups[reference]:
                found.append(membership)
    return len(ended), found
