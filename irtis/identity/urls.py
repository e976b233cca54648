"""Pages of identity: the user's own account (/account/) and access administration (/access/)."""

from django.urls import path

from . import views

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
        path("permissions/", views.permission_list, name="permissions"),
        path("permissions/add/", views.permission_edit, name="permission_add"),
        path("permissions/<int:pk>/", views.permission_edit, name="permission_edit"),
        path("permissions/<int:pk>/delete/", views.permission_delete, name="permission_delete"),
        path("users/", views.user_list, name="users"),
        path("users/<int:pk>/", views.user_roles, name="user_roles"),
    ],
    "access",
)
