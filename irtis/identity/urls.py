"""Pages of identity: the user's own account (/account/) and access administration (/access/)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import path, reverse

from . import views


def _moved(action: str) -> Callable[..., HttpResponsePermanentRedirect]:
    """Bookmarks of the former hand-written permission pages lead to the generated ones."""

    def view(request: HttpRequest, pk: int | None = None) -> HttpResponsePermanentRedirect:
        args = [pk] if pk is not None else []
        return HttpResponsePermanentRedirect(reverse(f"identity:objectpermission_{action}", args=args))

    return view


account = (
    [
        path("", views.security, name="security"),
        path("password/", views.password_change, name="password"),
        path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
        path("mfa/enrol/", views.mfa_enrol, name="mfa_enrol"),
        path("tokens/", views.token_list, name="tokens"),
        path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    ],
    "account",
)

access = (
    [
        path("permissions/", _moved("list"), name="permissions"),
        path("permissions/add/", _moved("add")),
        path("permissions/<int:pk>/", _moved("edit")),
        path("permissions/<int:pk>/delete/", _moved("delete")),
        path("users/", views.user_list, name="users"),
        path("users/<int:pk>/", views.user_roles, name="user_roles"),
    ],
    "access",
)
