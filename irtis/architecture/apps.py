from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PANEL = "architecture/system_panel.html"


class ArchitectureConfig(AppConfig):
    name = "irtis.architecture"
    verbose_name = _("Architecture")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from irtis.tasks.models import Run

        from . import api, checks  # noqa: F401  (the API's routes; the Graphviz/WeasyPrint checks)
        from .jobs import delete_file

        attach_panel()
        # Generated files go with their runs (old runs are deleted by irtis.tasks.jobs.delete_old_runs).
        post_delete.connect(lambda sender, instance, **kwargs: delete_file(instance), sender=Run,
                            weak=False, dispatch_uid="architecture-files")


def attach_panel() -> None:
    """Show the "architecture description" links on each information system's detail page.

    Architecture stands above systems, so it attaches its panel to the systems' registration
    rather than systems naming a template of a later app.
    """
    from irtis.core.registry import entry_for

    from .sources import system_model

    model = system_model()
    entry = entry_for(model) if model is not None else None
    if entry is not None:
        entry.add_panel(PANEL)
