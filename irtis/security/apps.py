from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "irtis.security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from irtis.tasks.models import Run

        from . import api, evaluators, jobs  # noqa: F401  (the built-in evaluators, the jobs, the API)
        from .pack import delete_file

        post_delete.connect(lambda sender, instance, **kwargs: delete_file(instance), sender=Run,
                            dispatch_uid="security_pack_file", weak=False)
