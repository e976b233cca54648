"""URL patterns: every app's own `urls` module, then the pages generated for registered models."""

from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import URLPattern, URLResolver, include, path

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
