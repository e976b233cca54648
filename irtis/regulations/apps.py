from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegulationsConfig(AppConfig):
    name = "irtis.regulations"
    verbose_name = _("Regulating documents")

    def ready(self) -> None:
        from irtis.notifications import kinds

        from . import api  # noqa: F401  (mounts the versions, comments and route actions on the platform API)

        kinds.register(
            "regulations.review",
            _("Document awaits review"),
            subject=_("Document %(object)s awaits your decision (step %(step)s)"),
            template="regulations/notifications/review.txt",
            channel="both",
            digest=0,
        )
        kinds.register(
            "regulations.returned",
            _("Document returned"),
            subject=_("Document %(object)s was returned: %(reason)s"),
            template="regulations/notifications/returned.txt",
            channel="both",
            digest=0,
        )
