"""Background tasks of notifications (Django's Tasks API)."""

from django_tasks import task

from . import delivery


@task()
def deliver_pending() -> int:
    """Send the e-mails that are due. Run it every minute; notify() also asks for it."""
    return delivery.send_due()
