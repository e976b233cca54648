from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "irtis.mail"
    label = "mail"
    verbose_name = _("E-mail")

    def ready(self) -> None:
        from irtis.core.registry import ModelEntry, entry_for

        from .models import AcceptedDomain, DatabaseAvailabilityGroup

        # the copies of each database on the DAG's page; the DNS check on the domain's page
        cast(ModelEntry, entry_for(DatabaseAvailabilityGroup)).add_panel("mail/dag_panel.html", first=True)
        cast(ModelEntry, entry_for(AcceptedDomain)).add_panel("mail/domain_panel.html", first=True)
