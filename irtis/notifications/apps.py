from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "irtis.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import api, checks  # noqa: F401  (mounts /api/notifications/; registers the checks)
