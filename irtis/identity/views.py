"""Sign-in (password, then second factor where required), the user's own security settings
and API tokens (users and permissions are registered models with generated pages)."""

import time
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from irtis.audit.models import Action

from . import lockout, mfa, roles, tokens
from .ad_login import DirectoryLoginView
from .events import about, client_ip, record
from .forms import (
    CodeForm,
    EnrolForm,
    PasswordChangeForm,
    SignInForm,
    TokenForm,
    locked_message,
)
from .models import APIToken, User

PENDING = "irtis_mfa_pending"  # session: the user who passed the password, awaiting a code
SECRET = "irtis_mfa_secret"  # session: a secret being enrolled
PENDING_SECONDS = 300


def complete_login(request: HttpRequest, user: Any, backend: str, second_factor: str = "") -> None:
    """Sign the user in, forget their failed attempts, and audit it."""
    login(request, user, backend=backend)
    lockout.succeed(user.get_username())
    record(
        Action.LOGIN,
        user.get_username(),
        user=user,
        source_ip=client_ip(request),
        after={"backend": backend.rsplit(".", 1)[-1], "second_factor": second_factor or None},
        **about(user),
    )


class LoginView(DirectoryLoginView):
    """The password step; users who need a second factor go on to it before being signed in."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if mfa.required(user):
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "time": time.time(),
                "next": self.get_success_url(),
            }
            name = "account:mfa_verify" if mfa.enrolled(user) else "account:mfa_enrol"
            return redirect(name)
        complete_login(self.request, user, user.backend)
        return HttpResponseRedirect(self.get_success_url())


def _pending(request: HttpRequest) -> tuple[Any, dict[str, Any]] | tuple[None, None]:
    """The user half-way through signing in, if their password step is recent."""
    data = request.session.get(PENDING)
    if not data or time.time() - data.get("time", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    return (user, data) if user else (None, None)


def _finish(request: HttpRequest, user: Any, data: dict[str, Any], factor: str) -> HttpResponse:
    request.session.pop(PENDING, None)
    complete_login(request, user, data["backend"], factor)
    return HttpResponseRedirect(data.get("next") or reverse("home"))


@never_cache
@sensitive_post_parameters("code")
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator, or a recovery code."""
    user, data = _pending(request)
    if user is None or data is None:
        return redirect("login")
    if not mfa.enrolled(user):
        return redirect("account:mfa_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = client_ip(request)
        try:
            attempt = lockout.reserve(user.get_username(), address)
        except lockout.Locked as locked:
            request.session.pop(PENDING, None)
            messages.error(request, locked_message(locked.until))
            return redirect("login")
        factor = mfa.verify(user, form.cleaned_data["code"])
        if factor:
            if factor == "recovery":
                messages.warning(
                    request,
                    _("You signed in with a recovery code. %(count)d codes are left.")
                    % {"count": mfa.remaining_codes(user)},
                )
            return _finish(request, user, data, factor)
        until = lockout.fail(attempt)
        record(Action.MFA_FAILED, user.get_username(), user=user, **about(user))
        if until:
            record(
                Action.LOCKOUT, user.get_username(), user=user, after={"until": until.isoformat()}
            )
            request.session.pop(PENDING, None)
            messages.error(request, locked_message(until))
            return redirect("login")
        form.add_error("code", _("The code is wrong or has been used. Try the next one."))
    return render(
        request,
        "identity/mfa_verify.html",
        {"form": form, "pending_user": user},
        status=400 if form.errors else 200,
    )


@never_cache
@sensitive_post_parameters("code", "current")
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: at a first sign-in that requires one, or from the account page."""
    user, data = _pending(request)
    if user is None:
        if not request.user.is_authenticated:
            return redirect("login")
        user = request.user
    elif mfa.enrolled(user):
        return redirect("account:mfa_verify")
    replacing = mfa.enrolled(user)
    secret = request.session.get(SECRET) or mfa.new_secret()
    request.session[SECRET] = secret
    form = EnrolForm(request.POST or None)
    if not replacing:
        del form.fields["current"]
    if request.method == "POST" and form.is_valid():
        if replacing and not mfa.verify(user, form.cleaned_data.get("current", "")):
            record(Action.MFA_FAILED, user.get_username(), **about(user))
            form.add_error("current", _("The code from your current authenticator is wrong."))
        elif not mfa.confirm(user, secret, form.cleaned_data["code"]):
            form.add_error(
                "code", _("The code is wrong. Check the clock of your phone and try again.")
            )
        else:
            request.session.pop(SECRET, None)
            codes = mfa.new_recovery_codes(user)
            record(
                Action.MFA_ENROLLED,
                user.get_username(),
                user=user,
                after={"replaced": replacing},
                **about(user),
            )
            next_url = reverse("account:security")
            if data is not None:
                request.session.pop(PENDING, None)
                complete_login(request, user, data["backend"], "totp")
                next_url = data.get("next") or reverse("home")
            return render(
                request, "identity/recovery_codes.html", {"codes": codes, "next_url": next_url}
            )
    return render(
        request,
        "identity/mfa_enrol.html",
        {
            "form": form,
            "secret": secret,
            "uri": mfa.provisioning_uri(user, secret),
            "replacing": replacing,
            "pending": data is not None,
        },
        status=400 if form.errors else 200,
    )


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The user's own sign-in settings: second factor and recovery codes."""
    user = cast(User, request.user)  # login_required
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.verify(user, form.cleaned_data["code"]) == "totp":
            codes = mfa.new_recovery_codes(user)
            record(
                Action.MFA_ENROLLED,
                user.get_username(),
                after={"recovery_codes": "renewed"},
                **about(user),
            )
            return render(
                request,
                "identity/recovery_codes.html",
                {"codes": codes, "next_url": reverse("account:security")},
            )
        record(Action.MFA_FAILED, user.get_username(), **about(user))
        form.add_error("code", _("The code is wrong or has been used. Try the next one."))
    return render(
        request,
        "identity/security.html",
        {
            "form": form,
            "required": mfa.required(user),
            "enrolled": mfa.enrolled(user),
            "remaining": mfa.remaining_codes(user),
            "roles": [roles.label(name) for name in user.groups.values_list("name", flat=True)],
        },
    )


@login_required
@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password_change(request: HttpRequest) -> HttpResponse:
    """The user changes their own password: the old one is required, the new one must pass the
    validators, and the sessions of their other devices end (their session hash no longer fits)."""
    user = cast(User, request.user)  # login_required
    if user.source != "local" or not user.has_usable_password():
        status = 200 if request.method == "GET" else 400
        return render(request, "identity/password_change.html", {"form": None}, status=status)
    form = PasswordChangeForm(user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            record(
                Action.UPDATE,
                user.get_username(),
                {"password": "…"},
                {"password": "changed by its user", "other_sessions": "ended"},
                **about(user),
            )
        update_session_auth_hash(request, user)  # this session stays; the others no longer fit
        messages.success(request, _("Your password was changed. Your other sessions have ended."))
        return redirect("account:security")
    return render(
        request, "identity/password_change.html", {"form": form}, status=400 if form.errors else 200
    )


# --- API tokens -----------------------------------------------------------------------------


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens; a new token's text is shown once, on this response only."""
    form = TokenForm(request.POST or None)
    plain = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _token, plain = tokens.issue(
            cast(User, request.user),  # login_required
            days=data["days"],
            read_only=data["read_only"],
            description=data["description"],
            networks=data["networks"],
        )
        form = TokenForm()
    own = APIToken.objects.filter(user=cast(User, request.user))
    response = render(
        request,
        "identity/tokens.html",
        {"form": form, "tokens": own, "plain": plain},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(APIToken, pk=pk, user=request.user)
    if tokens.revoke(token):
        messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("account:tokens")
