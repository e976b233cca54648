"""Sign-in with Active Directory accounts (statute 2.9).

`ActiveDirectoryBackend` accepts `jonas`, `DOMAIN\\jonas` or `jonas@muitine.lt`, checks the
password by a simple bind over LDAPS or StartTLS (certificate validated against
IRTIS_AD_CA_FILE), refuses disabled, locked and expired accounts, and at every sign-in
copies name, e-mail and department into the irtis user and sets the user's roles (Django
groups) to exactly those IRTIS_AD_GROUP_ROLES grants for the user's AD groups, nested ones
included. See docs/identity-ad.md; the LDAP work itself is in `irtis.identity.directory`.

When no domain controller answers, the backend returns None (so the password backend can still
let a local break-glass account in) and marks the request; `irtis.identity.ad_login` then shows
"Active Directory is unreachable…" instead of "wrong password".
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables

from . import directory
from .directory import Account, DirectorySettings, DirectoryUnavailable

log = logging.getLogger("irtis.identity.ldap")
User = get_user_model()

# Set on the request when AD could not be asked: "unreachable" or "certificate".
REQUEST_FLAG = "irtis_directory_error"
SOURCE_AD = "ad"
SOURCE_LOCAL = "local"


class ActiveDirectoryBackend(BaseBackend):
    """Authenticates against AD. It answers no permission questions: those come from the
    roles (groups) it assigns, through the permission backends listed after it."""

    def get_user(self, user_id: Any) -> Any:
        user = User._default_manager.filter(pk=user_id, source=SOURCE_AD).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def user_can_authenticate(user: Any) -> bool:
        return getattr(user, "is_active", True)

    @sensitive_variables("password")
    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        if not username or not password:  # an empty password would be an anonymous bind
            return None
        try:
            conf = DirectorySettings.load()
        except ImproperlyConfigured as exc:
            log.error("Active Directory sign-in is misconfigured: %s", exc)
            _flag(request, "unreachable")
            return None
        if conf is None:
            return None
        if User.objects.filter(username=username, source=SOURCE_LOCAL).exists():
            return None  # a local (break-glass) account: the password backend's job, AD is not asked
        login = directory.parse_login(username, conf)
        if login is None:
            return None
        try:
            found = self._check(conf, login, password)
        except DirectoryUnavailable as exc:
            log.error("Active Directory unavailable for sign-in of %r: %s", username, exc)
            _flag(request, exc.reason)
            return None
        if found is None:
            return None
        account, groups = found
        return self._sync(account, directory.roles_for(groups, conf))

    @sensitive_variables("password")
    def _check(self, conf: DirectorySettings, login: directory.Login,
               password: str) -> tuple[Account, list[str]] | None:
        """The account and its groups when AD accepts this password, else None."""
        if conf.bind_dn:
            with directory.session(conf, conf.bind_dn, conf.bind_password) as service:
                if not service.bound:
                    raise DirectoryUnavailable(
                        f"service account {conf.bind_dn} refused: {service.result.get('message')}")
                account = directory.find_account(service, conf, login)
                if account is None:
                    log.info("AD sign-in refused for %r: no such account", login.value)
                    return None
                if reason := account.refusal():
                    log.info("AD sign-in refused for %s: %s", account.dn, reason)
                    return None
                with directory.session(conf, account.dn, password) as own:
                    if not own.bound:
                        reason = directory.bind_reason(own.result.get("message", ""))
                        log.info("AD sign-in refused for %s: %s", account.dn, reason)
                        return None
                return account, directory.groups_of(service, conf, account)
        with directory.session(conf, login.bind_name, password) as own:
            if not own.bound:
                reason = directory.bind_reason(own.result.get("message", ""))
                log.info("AD sign-in refused for %r: %s", login.bind_name, reason)
                return None
            account = directory.find_account(own, conf, login)
            if account is None:
                log.warning("AD accepted %r but its entry cannot be read", login.bind_name)
                return None
            if reason := account.refusal():
                log.info("AD sign-in refused for %s: %s", account.dn, reason)
                return None
            return account, directory.groups_of(own, conf, account)

    def _sync(self, account: Account, roles: set[str]) -> Any:
        """Create or update the irtis user from AD and set its roles; None if it may not
        sign in (a local account of the same name, or deactivated in irtis)."""
        username = account.username
        if not username:
            return None
        values = {
            "first_name": account.first("givenName")[:150],
            "last_name": account.first("sn")[:150],
            "email": account.first("mail")[:254],
            "department": account.first("department")[:200],
        }
        with transaction.atomic():
            user, created = User.objects.select_for_update().get_or_create(
                username=username, defaults={**values, "source": SOURCE_AD})
            if user.source != SOURCE_AD:
                log.warning("AD account %s matches local account %r; AD sign-in refused",
                            account.dn, username)
                return None
            changed = [name for name, value in values.items() if getattr(user, name) != value]
            for name in changed:
                setattr(user, name, values[name])
            if created or user.has_usable_password():
                user.set_unusable_password()  # the password lives in AD only
                changed.append("password")
            if changed and not created:
                user.save(update_fields=changed)
            elif created:
                user.save(update_fields=["password"])
            set_roles(user, roles)
        if not self.user_can_authenticate(user):
            log.info("AD account %s is deactivated in irtis", account.dn)
            return None
        return user


def set_roles(user: Any, roles: set[str]) -> None:
    """Make the user's groups exactly `roles`, creating missing role groups."""
    wanted = {name: Group.objects.get_or_create(name=name)[0] for name in sorted(roles)}
    current = set(user.groups.values_list("name", flat=True))
    if current != set(wanted):
        user.groups.set(wanted.values())
        log.info("roles of %s from AD: %s", user.username, ", ".join(sorted(wanted)) or "none")


def _flag(request: HttpRequest | None, reason: str) -> None:
    if request is not None:
        setattr(request, REQUEST_FLAG, reason)
