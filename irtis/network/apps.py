from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "irtis.network"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from irtis.inventory.models import Interface

        from . import api  # noqa: F401  (mounts the allocation endpoints on the platform API)
        from .models.vlans import tagged_vlans_left

        Interface.mode_checks.append(tagged_vlans_left)  # a mode change against the VLANs assigned
