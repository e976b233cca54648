from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "irtis.directory"
    label = "directory"
    verbose_name = _("Active Directory")

    def ready(self) -> None:
        from irtis.core.registry import ModelEntry, entry_for
        from irtis.virtualization.models import VirtualMachine

        from . import api, jobs  # noqa: F401  (the API's reading endpoints; the jobs for schedules)

        # the domain controllers a virtual machine runs, on its page
        cast(ModelEntry, entry_for(VirtualMachine)).add_panel("directory/vm_panel.html")
