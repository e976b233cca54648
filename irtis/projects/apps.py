from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "irtis.projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from irtis.notifications import kinds

        from . import jobs  # noqa: F401  (the scheduled reminders of tasks)

        kinds.register(
            "projects.task_due", _("Project task due"),
            subject=_("Task %(object)s is due on %(date)s"),
            template="projects/notifications/task_due.txt",
            channel="both", digest=60,
        )
