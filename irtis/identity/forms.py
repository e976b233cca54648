"""Forms of sign-in, second factor, password change and API tokens."""

import ipaddress
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from irtis.audit.models import Action

from . import lockout
from .ad_login import DirectoryAuthenticationForm
from .events import client_ip, record
from .ldap import REQUEST_FLAG


def _styled(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


def locked_message(until: Any) -> str:
    return _("Too many failed sign-ins. Signing in is blocked until %(time)s.") % {
        "time": formats.time_format(timezone.localtime(until), "H:i")
    }


class SignInForm(DirectoryAuthenticationForm):
    """Password sign-in through every configured backend, throttled by `lockout`."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        address = client_ip(self.request) if self.request else None
        try:
            attempt = lockout.reserve(username, address)
        except lockout.Locked as locked:
            record(Action.LOGIN_FAILED, username, after={"reason": "locked out"})
            raise ValidationError(locked_message(locked.until), code="locked") from None
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            if getattr(self.request, REQUEST_FLAG, None):
                # The directory could not check the password: not counted towards a lockout.
                lockout.forgive(attempt)
                record(Action.LOGIN_FAILED, username, after={"reason": "directory unavailable"})
                raise self.get_invalid_login_error()
            until = lockout.fail(attempt)
            record(Action.LOGIN_FAILED, username, after={"reason": "wrong user name or password"})
            if until:
                record(Action.LOCKOUT, username, after={"until": until.isoformat()})
            lockout.hold_back(address)
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """The user's own password change: the old password is checked like a sign-in (throttled,
    counted towards the lockout), the new one by every password validator."""

    def __init__(self, user: Any, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request
        _styled(self)

    def clean_old_password(self) -> str:
        name, address = self.user.get_username(), client_ip(self.request)
        try:
            attempt = lockout.reserve(name, address)
        except lockout.Locked as locked:
            raise ValidationError(locked_message(locked.until), code="locked") from None
        try:
            password = super().clean_old_password()
        except ValidationError:
            until = lockout.fail(attempt)
            record(Action.LOGIN_FAILED, name, after={"reason": "wrong password at password change"})
            if until:
                record(Action.LOCKOUT, name, after={"until": until.isoformat()})
            lockout.hold_back(address)
            raise
        lockout.succeed(name)
        return password


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class EnrolForm(CodeForm):
    current = forms.CharField(
        label=_("Code from your current authenticator"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class TokenForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=3650,
        initial=90,
        required=False,
        help_text=_("Empty: never expires."),
    )
    read_only = forms.BooleanField(label=_("Read only"), required=False)
    networks = forms.CharField(
        label=_("Allowed source networks"),
        required=False,
        help_text=_("CIDR networks, separated by commas or spaces, e.g. 10.1.0.0/16. Empty: any."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean_networks(self) -> list[str]:
        result = []
        for text in self.cleaned_data["networks"].replace(",", " ").split():
            try:
                result.append(str(ipaddress.ip_network(text, strict=False)))
            except ValueError:
                raise ValidationError(
                    _("“%(value)s” is not a network.") % {"value": text}
                ) from None
        return result
