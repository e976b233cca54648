from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "irtis.core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from . import changes, checks, collation, lookups, search  # noqa: F401  (receivers, checks, lookups)
