"""Forms of sign-in, second factor, API tokens, permissions and roles."""

import ipaddress
import json
from typing import Any, cast

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from irtis.audit.models import Action
from irtis.core import registry

from . import lockout, roles
from .ad_login import DirectoryAuthenticationForm
from .events import client_ip, record
from .ldap import REQUEST_FLAG
from .models import ObjectPermission, User


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
            password = cast(str, super().clean_old_password())
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


def object_type_choices() -> Any:
    """Content types a permission may name: registered models and the security models."""
    labels = {e.label for e in registry.entries()} | {roles.AUDIT, *roles.IDENTITY, roles.MAIL_LOG}
    ids = [ct.pk for ct in ContentType.objects.all() if f"{ct.app_label}.{ct.model}" in labels]
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")


class TypeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ContentType) -> str:
        model = obj.model_class()
        return f"{obj.app_label}: {model._meta.verbose_name_plural}" if model else str(obj)


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Group) -> str:
        return f"{roles.label(obj.name)} ({obj.name})"


class ObjectPermissionForm(forms.ModelForm):
    actions = forms.MultipleChoiceField(
        label=_("Actions"),
        choices=ObjectPermission.ACTION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    constraints = forms.CharField(
        label=_("Constraints"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=ObjectPermission._meta.get_field("constraints").help_text,
    )

    class Meta:
        model = ObjectPermission
        fields = (
            "name",
            "description",
            "enabled",
            "groups",
            "users",
            "object_types",
            "actions",
            "constraints",
        )
        field_classes = {"object_types": TypeChoiceField, "groups": RoleChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["object_types"]).queryset = object_type_choices()
        self.fields["object_types"].widget.attrs["size"] = 12
        if self.instance.constraints is not None:
            self.initial["constraints"] = json.dumps(self.instance.constraints, ensure_ascii=False)
        _styled(self)

    def clean_constraints(self) -> Any:
        text = self.cleaned_data["constraints"].strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            raise ValidationError(_("Write the constraints as JSON.")) from None
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(i, dict) and i for i in items):
            raise ValidationError(_("Write a filter object, or a list of them."))
        return value

    def clean(self) -> dict[str, Any]:
        from irtis.core.permissions import constraint_q

        data = cast(dict[str, Any], super().clean())  # a model form's cleaned_data
        if data.get("constraints") is None:
            return data
        for content_type in data.get("object_types") or []:
            model = content_type.model_class()
            if model is not None and constraint_q(data["constraints"], User(pk=0), model) is False:
                self.add_error(
                    "constraints",
                    _("These constraints do not fit %(model)s.")
                    % {"model": model._meta.verbose_name_plural},
                )
        return data


class UserRolesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("groups",)
        field_classes = {"groups": RoleChoiceField}
        widgets = {"groups": forms.CheckboxSelectMultiple}
        labels = {"groups": _("Roles")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["groups"]).queryset = Group.objects.order_by("name")
        _styled(self)
