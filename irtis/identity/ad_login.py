"""The sign-in page, telling "Active Directory is unreachable" apart from "wrong password".

`DirectoryAuthenticationForm` is Django's AuthenticationForm plus one rule: when sign-in
failed and the AD backend flagged the request (no domain controller answered, or its
certificate did not validate), the error says so, so staff know to use a local account or
try later. Other sign-in steps (MFA, throttling) can subclass this form or view.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.utils.translation import gettext_lazy as _

from .ldap import REQUEST_FLAG

DIRECTORY_MESSAGES = {
    "unreachable": _("Active Directory is unreachable; sign in with a local account or try later."),
    "certificate": _(
        "The Active Directory server's certificate could not be verified; sign in with a local "
        "account or contact the ICT administrators."
    ),
}


class DirectoryAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong user name or password."),
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        reason = getattr(self.request, REQUEST_FLAG, None)
        if reason in DIRECTORY_MESSAGES:
            return forms.ValidationError(DIRECTORY_MESSAGES[reason], code=f"directory_{reason}")
        return super().get_invalid_login_error()


class DirectoryLoginView(LoginView):
    authentication_form = DirectoryAuthenticationForm
