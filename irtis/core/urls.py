"""URL patterns: every app's own `urls` module, then the pages generated for registered models."""

from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec
from typing import cast

from django.apps import apps
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import URLPattern, URLResolver, include, path
from django.urls.exceptions import Resolver404
from django.urls.resolvers import ResolverMatch, RoutePattern

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

Pattern = URLPattern | URLResolver

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
    apps: dict[str, list[Pattern]] = {}
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
    return [path(f"{label}/", include((nested(patterns), label))) for label, patterns in apps.items()]


def nested(patterns: list[Pattern]) -> list[Pattern]:
    """The same routes, grouped by their first path segment, recursively (`app/`, then
    `models/`). Django tries a resolver's patterns one by one: the API's flat list (1,280
    patterns, four per path) cost every API request a few hundred tries, up to the whole list
    for the last app's models; nested, a request tries each level's groups only. A route can
    match only paths that start with its own first segment, so the order that matters is kept:
    within a segment, and around a route that starts with a parameter (it closes the groups)."""
    open_groups: dict[str, tuple[str, list[Pattern]]] = {}
    result: list[Pattern | tuple[str, list[Pattern]]] = []
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
    return dispatched([_group(*item) if isinstance(item, tuple) else item for item in result])


def _group(segment: str, patterns: list[Pattern]) -> Pattern:
    if len(patterns) == 1 and isinstance(only := patterns[0], URLPattern):
        return path(f"{segment}/{only.pattern}", only.callback, only.default_args, cast(str, only.name))
    return path(f"{segment}/", include(nested(patterns)))


def dispatched(patterns: list[Pattern]) -> list[Pattern]:
    """The same routes, each run of routes that start with a literal segment found by that
    segment (`SegmentDispatch`). Routes that start with a parameter stay where they are, between
    the runs: every route is still tried in its order among those that could match."""
    result: list[Pattern] = []
    run: list[Pattern] = []
    for pattern in [*patterns, None]:
        if pattern is not None and _literal_segment(pattern) is not None:
            run.append(pattern)
            continue
        result.extend([SegmentDispatch(run)] if len(run) > 1 else run)
        run = []
        if pattern is not None:
            result.append(pattern)
    return result


def _literal_segment(pattern: Pattern) -> str | None:
    """The first segment every path this route matches starts with, if the route fixes one."""
    if not isinstance(pattern.pattern, RoutePattern):
        return None
    segment, slash, _ = str(pattern.pattern).partition("/")
    if "<" in segment or (isinstance(pattern, URLResolver) and not slash):  # "api" would match "apiary/"
        return None
    return segment


class SegmentDispatch(URLResolver):
    """Routes found by their literal first segment: Django tries a resolver's routes one by one,
    noting each one that failed for its 404 page; the site's 56 routes, the API's 29 apps and an
    app's 29 models cost an API request 286 calls to resolve. Here a request tries only the
    routes of its path's first segment, in their order, and is answered as that resolver would
    (the 404 page of a debugging server lists none of the routes tried)."""

    def __init__(self, patterns: list[Pattern]) -> None:
        super().__init__(RoutePattern(""), patterns)
        self.by_segment: dict[str, list[Pattern]] = {}
        for pattern in patterns:
            self.by_segment.setdefault(cast(str, _literal_segment(pattern)), []).append(pattern)

    def resolve(self, path: str) -> ResolverMatch:
        path = str(path)
        for pattern in self.by_segment.get(path.partition("/")[0], ()):
            try:
                match = pattern.resolve(path)
            except Resolver404:
                continue
            if match:
                if isinstance(pattern, URLResolver):  # as URLResolver.resolve: its match is relative to its route
                    match.route = str(pattern.pattern) + match.route.removeprefix("^")
                return match
        raise Resolver404({"tried": [], "path": path})
