from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VirtualizationConfig(AppConfig):
    name = "irtis.virtualization"
    verbose_name = _("Virtualisation")
