"""The project page's panel: its Gantt, last status report and late tasks."""

from typing import Any

from django import template
from django.utils import timezone

from irtis.core import permissions
from irtis.projects import portfolio
from irtis.projects.models import Project, ProjectTask

register = template.Library()


@register.simple_tag(takes_context=True)
def project_overview(context: template.Context, project: Project) -> dict[str, Any]:
    user, today = context["request"].user, timezone.localdate()
    tasks = list(permissions.restrict(project.tasks.select_related("responsible"), user))
    return {
        "chart": portfolio.project_chart(user, project, tasks, today),
        "progress": portfolio.progress(tasks),
        "late": [t for t in tasks if portfolio.is_late(t, today)],
        "report": permissions.restrict(project.status_reports.all(), user).first(),
        "open": [t for t in tasks if t.status not in ProjectTask.CLOSED],
    }
