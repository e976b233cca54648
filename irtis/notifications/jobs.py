"""Background jobs of notifications: sending the e-mail that is due, and forgetting old events."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.tasks.runs import job

from . import delivery
from .models import Message, Notification


@job(label=_("Send due e-mail"), schedulable=True)
def deliver_pending(run: Any) -> int:
    """Send the e-mails that are due. Schedule it every minute; notify() also starts it."""
    return delivery.send_due()


@job(label=_("Delete old notifications"), schedulable=True)
def delete_old_notifications(run: Any) -> dict[str, int]:
    """Delete the notifications and sent or failed e-mails older than IRTIS_NOTIFICATIONS_DAYS
    days. An e-mail still being tried, and the events it carries, stay until it is sent or fails."""
    cutoff = timezone.now() - timedelta(days=settings.IRTIS_NOTIFICATIONS_DAYS)
    notifications, _per_model = (Notification.objects.filter(time__lt=cutoff)
                                 .exclude(message__status=Message.Status.QUEUED).delete())
    messages, _per_model = Message.objects.filter(created__lt=cutoff).exclude(status=Message.Status.QUEUED).delete()
    return {"notifications": notifications, "messages": messages}
