"""URL patterns: every app's own `urls` module, then the pages generated for registered models."""

from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec
from typing import cast

from django.apps import apps
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import URLPattern, URLResolver, include, path
from django.urls.resolvers import RoutePattern

from . import registry
from .exports import ExportView
from .importviews import ImportView
from .views import (
    BulkDeleteView,
    BulkEditView,
    DeleteView,
    DetailView,
    EditView,
    JournalView,
    ListView,
    RelatedView,
)

PAGES = (
    ("", ListView, "list"),
    ("add/", EditView, "add"),
    ("import/", ImportView, "import"),
    ("export/", ExportView, "export"),
    ("bulk-edit/", BulkEditView, "bulk_edit"),
    ("bulk-delete/", BulkDeleteView, "bulk_delete"),
    ("<int:pk>/", DetailView, "detail"),
    ("<int:pk>/edit/", EditView, "edit"),
    ("<int:pk>/delete/", DeleteView, "delete"),
    ("<int:pk>/journal/", JournalView, "journal"),
    ("<int:pk>/related/<str:relation>/", RelatedView, "related"),
)


def app_urlpatterns() -> list[URLResolver]:
    """`irtis/<app>/urls.py` with `urlpatterns` is mounted at /<app>/ under its own app_name."""
    result = []
    for config in apps.get_app_configs():
        module = f"{config.name}.urls"
        if config.name.startswith("irtis.") and find_spec(module) and hasattr(import_module(module), "urlpatterns"):
            result.append(path(f"{config.label}/", include(module)))
    return result


def _moved(old: str, new: str) -> Callable[..., HttpResponsePermanentRedirect]:
    """Bookmarks of a page under its model's former path (the model name run together,
    "deviceroles") lead to the page under its path ("device-roles")."""

    def view(request: HttpRequest, rest: str = "") -> HttpResponsePermanentRedirect:
        return HttpResponsePermanentRedirect(request.get_full_path().replace(f"/{old}/", f"/{new}/", 1))

    return view


def model_urlpatterns() -> list[URLResolver]:
    apps: dict[str, list[URLPattern]] = {}
    for entry in registry.entries():
        patterns = apps.setdefault(entry.app_label, [])
        for suffix, view, action in PAGES:
            patterns.append(path(
                f"{entry.path}/{suffix}", view.as_view(entry=entry), name=f"{entry.model_name}_{action}",
            ))
        former = registry.plural(entry.model_name)
        if former != entry.path:
            patterns.append(path(f"{former}/<path:rest>", _moved(former, entry.path)))
            patterns.append(path(f"{former}/", _moved(former, entry.path)))
    return [path(f"{label}/", include((patterns, label))) for label, patterns in apps.items()]


def nested(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The same routes, grouped by their first path segment, recursively (`app/`, then
    `models/`). Django tries a resolver's patterns one by one: the API's flat list (1,280
    patterns, four per path) cost every API request a few hundred tries, up to the whole list
    for the last app's models; nested, a request tries each level's groups only. A route can
    match only paths that start with its own first segment, so the order that matters is kept:
    within a segment, and around a route that starts with a parameter (it closes the groups)."""
    open_groups: dict[str, tuple[str, list[URLPattern | URLResolver]]] = {}
    result: list[URLPattern | URLResolver | tuple[str, list[URLPattern | URLResolver]]] = []
    for pattern in patterns:
        route = str(pattern.pattern)
        segment, slash, rest = route.partition("/")
        if not slash or segment.startswith("<") or not isinstance(pattern, URLPattern) \
                or not isinstance(pattern.pattern, RoutePattern):
            result.append(pattern)
            if segment.startswith("<"):  # matches any segment: later routes stay after it
                open_groups.clear()
            else:  # later routes of its segment stay after it
                open_groups.pop(segment, None)
            continue
        if segment not in open_groups:
            open_groups[segment] = (segment, [])
            result.append(open_groups[segment])
        open_groups[segment][1].append(path(rest, pattern.callback, pattern.default_args, cast(str, pattern.name)))
    return [_group(*item) if isinstance(item, tuple) else item for item in result]


def _group(segment: str, patterns: list[URLPattern | URLResolver]) -> URLPattern | URLResolver:
    if len(patterns) == 1 and isinstance(only := patterns[0], URLPattern):
        return path(f"{segment}/{only.pattern}", only.callback, only.default_args, cast(str, only.name))
    return path(f"{segment}/", include(nested(patterns)))
