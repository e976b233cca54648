"""Pages of identity: the user's own account (/account/) and access administration (/access/)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import path, reverse

from . import role_pages, views


def _moved(name: str) -> Callable[..., HttpResponsePermanentRedirect]:
    """Bookmarks of the former hand-written user and permission pages lead to the generated ones."""

    def view(request: HttpRequest, pk: int | None = None) -> HttpResponsePermanentRedirect:
        args = [pk] if pk is not None else []
        return HttpResponsePermanentRedirect(reverse(f"identity:{name}", args=args))

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

roles = (
    [
        path("", role_pages.role_list, name="list"),
        path("<int:pk>/", role_pages.role_detail, name="detail"),
    ],
    "roles",
)

access = (
    [
        path("permissions/", _moved("objectpermission_list"), name="permissions"),
        path("permissions/add/", _moved("objectpermission_add")),
        path("permissions/<int:pk>/", _moved("objectpermission_edit")),
        path("permissions/<int:pk>/delete/", _moved("objectpermission_delete")),
        path("users/", _moved("user_list"), name="users"),
        path("users/<int:pk>/", _moved("user_edit")),
    ],
    "access_moved",  # not "access": that namespace is irtis.access's models
)
