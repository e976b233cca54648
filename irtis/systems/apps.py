from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemsConfig(AppConfig):
    name = "irtis.systems"
    verbose_name = _("Information systems")

    def ready(self) -> None:
        from . import api  # noqa: F401  (mounts /api/systems/impact/ … on the platform API)
        from .pages import show_maps_on_object_pages

        show_maps_on_object_pages()
