from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    name = "irtis.changes"
    verbose_name = _("Maintenance and changes")

    def ready(self) -> None:
        from . import api  # noqa: F401  (mounts the approval actions on the platform API)
