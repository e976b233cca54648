"""URL patterns generated for every registered model, grouped by app."""

from django.urls import URLPattern, URLResolver, include, path

from . import registry
from .exports import ExportView
from .imports import ImportView
from .views import (
    BulkDeleteView,
    BulkEditView,
    DeleteView,
    DetailView,
    EditView,
    JournalView,
    ListView,
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
)


def model_urlpatterns() -> list[URLResolver]:
    apps: dict[str, list[URLPattern]] = {}
    for entry in registry.entries():
        patterns = apps.setdefault(entry.app_label, [])
        for suffix, view, action in PAGES:
            patterns.append(path(
                f"{entry.path}/{suffix}", view.as_view(entry=entry), name=f"{entry.model_name}_{action}",
            ))
    return [path(f"{label}/", include((patterns, label))) for label, patterns in apps.items()]
