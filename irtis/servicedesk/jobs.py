"""Escalation: a scheduled run telling the queue and the assignee of requests whose target is near.

"Escalate requests near their targets" takes no arguments, so Administration → Schedules starts
it (every 15 minutes, say). A request is escalated once (`escalated_at`); the notification goes
to its assignee and its queue's members, or to the `service_desk` role when it has neither.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from irtis.audit.context import changes_by
from irtis.audit.models import Source
from irtis.notifications.events import notify
from irtis.tasks.runs import job

from .models import OPEN, Request


def escalate(now: Any = None) -> int:
    """Escalate every open request near or past a target, once; the number escalated."""
    now = now or timezone.now()
    escalated = 0
    waiting = (Request.objects.filter(status__in=OPEN, escalated_at__isnull=True, resolution_due__isnull=False)
               .select_related("queue", "assignee").order_by("resolution_due"))
    with changes_by(None, Source.JOB):
        for request in waiting.iterator(chunk_size=500):
            target = request.near(now)
            if not target:
                continue
            people = [request.assignee] if request.assignee else []
            if request.queue_id:
                people += list(request.queue.members.all())  # type: ignore[union-attr]
            context = {"target": target, "priority": request.priority,
                       "due": (request.response_due if target == "response" else request.resolution_due)}
            sent = notify("servicedesk.target_near", users=people, obj=request, context=context) if people else []
            if not sent:
                notify("servicedesk.target_near", roles=["service_desk"], obj=request, context=context)
            request.escalated_at = now
            request.save(update_fields=["escalated_at"])
            escalated += 1
    return escalated


@job(label=gettext_lazy("Escalate requests near their targets"), schedulable=True)
def escalate_due(run: Any) -> dict[str, Any]:
    return {"escalated": escalate()}
