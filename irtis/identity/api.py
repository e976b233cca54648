"""API token authentication, plugged into the platform's API by `IRTIS_API_AUTHENTICATION`."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from irtis.audit import context

from . import tokens
from .events import client_ip


class TokenAuth(HttpBearer):
    """`Authorization: Bearer irt_…`: the token's user makes the request (and its changes);
    `request.token` tells the API whether the token is read-only."""

    def __call__(self, request: HttpRequest) -> Any:
        # ninja's reads `request.headers`, which Django builds of every header for this one.
        scheme, _space, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        return self.authenticate(request, token) if scheme.lower() == self.openapi_scheme else None

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            found = tokens.check(token, client_ip(request))
        except tokens.RateLimited as limited:
            raise HttpError(
                429,
                _("Too many refused tokens from your address. Try again in %(seconds)d seconds.")
                % {"seconds": limited.seconds},
            ) from None
        if found is None:
            return None
        request.user = found.user
        request.token = found  # type: ignore[attr-defined]  # read by Endpoints.authorise (read-only tokens)
        context.set_user(found.user)
        return found
