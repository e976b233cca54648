"""The user's own notifications over the REST API.

    GET  /api/notifications/?unread=true&limit=50&offset=0
    POST /api/notifications/{id}/read/
    POST /api/notifications/read/          (all of them)
"""

from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from irtis.core.api import MAX_LIMIT, api, described, refuse_read_only

from . import kinds
from .views import inbox_of

router = Router(tags=[described(gettext_lazy("Notifications"))])


class NotificationOut(Schema):
    id: int
    kind: str
    label: str
    title: str
    object_type: str | None
    object_id: int | None
    object: str
    url: str
    context: dict[str, Any]
    count: int
    first: datetime
    time: datetime
    read: datetime | None


class NotificationList(Schema):
    count: int
    unread: int
    results: list[NotificationOut]


class Marked(Schema):
    marked: int


FIELDS = ("id", "kind", "object_id", "object_repr", "url", "context", "count", "first", "time", "read")


def _out(row: dict[str, Any]) -> dict[str, Any]:
    app_label, model = row.pop("content_type__app_label"), row.pop("content_type__model")
    kind = kinds.lookup(row["kind"])
    row["object"] = row.pop("object_repr")
    row["object_type"] = f"{app_label}.{model}" if app_label else None
    row["label"], row["title"] = str(kind.label), kind.title(row["context"], row["object"])
    return row



@router.get("/", response=NotificationList, operation_id="notifications_list",
            summary=described(gettext_lazy("The caller's notifications, newest first")))
def notification_list(
    request: HttpRequest,
    unread: bool = False,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=2**31),
) -> dict[str, Any]:
    """Your notifications, newest first, with how many there are and how many are unread."""
    rows = inbox_of(request.user)
    totals = rows.aggregate(count=Count("id"), unread=Count("id", filter=Q(read__isnull=True)))
    if unread:
        rows = rows.filter(read__isnull=True)
    page = rows.values(*FIELDS, "content_type__app_label", "content_type__model")[offset:offset + limit]
    return {
        "count": totals["unread"] if unread else totals["count"],
        "unread": totals["unread"],
        "results": [_out(row) for row in page],
    }


@router.post("/read/", response=Marked, operation_id="notifications_read_all",
             summary=described(gettext_lazy("Mark all the caller's notifications read")))
def read_all(request: HttpRequest) -> dict[str, int]:
    """Mark all your notifications read."""
    refuse_read_only(request)
    return {"marked": inbox_of(request.user).filter(read__isnull=True).update(read=timezone.now())}


@router.post("/{pk}/read/", response=NotificationOut, operation_id="notifications_read",
             summary=described(gettext_lazy("Mark one notification read")))
def read_one(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Mark one of your notifications read."""
    refuse_read_only(request)
    rows = inbox_of(request.user).filter(pk=pk) if 0 < pk < 2**63 else inbox_of(request.user).none()
    rows.filter(read__isnull=True).update(read=timezone.now())
    found = rows.values(*FIELDS, "content_type__app_label", "content_type__model").first()
    if found is None:
        raise HttpError(404, _("No such notification."))
    return _out(found)


api.add_router("/notifications/", router)
