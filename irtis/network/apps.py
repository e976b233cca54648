from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "irtis.network"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from . import api  # noqa: F401  (mounts the allocation endpoints on the platform API)
