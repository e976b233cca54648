from typing import Any

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_edges(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """After every migrate: a migration may have rebuilt (and so dropped the triggers of) a
    table an edge is read from, so the triggers are recreated and the edge index rebuilt."""
    from . import edges

    if using == DEFAULT_DB_ALIAS:  # the graph reads the default database only
        edges.install()


class SystemsConfig(AppConfig):
    name = "irtis.systems"
    verbose_name = _("Information systems")

    def ready(self) -> None:
        from . import api  # noqa: F401  (mounts /api/systems/impact/ … on the platform API)
        from .pages import show_maps_on_object_pages

        show_maps_on_object_pages()
        post_migrate.connect(_install_edges, sender=self)
