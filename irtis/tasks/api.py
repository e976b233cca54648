"""GET /api/tasks/runs/ (newest first, `status` filter, limit/offset) and /api/tasks/runs/<id>/."""

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from irtis.core.api import MAX_LIMIT, api, described, json_response

from .models import Run, Status
from .runs import progress_of
from .views import visible_runs

router = Router(tags=[described(gettext_lazy("Background tasks"))])


class RunFilter(Schema):
    status: Status | None = None
    limit: int = Field(50, ge=0, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=2**31 - 1)


def as_dict(run: Run) -> dict[str, Any]:
    duration = run.duration
    return {
        "id": str(run.pk), "task": run.task, "label": str(run.label), "queue": run.queue, "object": run.key,
        "status": run.status,
        "started_by": run.started_by.get_username() if run.started_by else None,
        "enqueued_at": run.enqueued_at, "started_at": run.started_at, "finished_at": run.finished_at,
        "duration": duration.total_seconds() if duration is not None else None, "attempts": run.attempts,
        "progress": run.progress, "message": run.message, "error": run.error, "result": run.result,
    }


class RunOut(Schema):
    id: uuid.UUID
    task: str
    label: str
    queue: str
    object: str
    status: Status
    started_by: str | None
    enqueued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    duration: float | None
    attempts: int
    progress: int
    message: str
    error: str
    result: Any


@router.get("/runs/", operation_id="tasks_run_list", url_name="tasks_run_list", response={200: list[RunOut]},
            summary=described(gettext_lazy("Runs of background tasks, newest first")))
def run_list(request: HttpRequest, filters: Query[RunFilter]) -> HttpResponse:
    rows = visible_runs(request.user)
    if filters.status:
        rows = rows.filter(status=filters.status)
    runs = list(rows[filters.offset:filters.offset + filters.limit])
    progress_of(runs)
    return json_response([as_dict(run) for run in runs])


@router.get("/runs/{uuid:pk}/", operation_id="tasks_run_detail", url_name="tasks_run_detail",
            response={200: RunOut}, summary=described(gettext_lazy("One run of a background task")))
def run_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    run = visible_runs(request.user).filter(pk=pk).first()
    if run is None:
        raise HttpError(404, _("Not found."))
    progress_of([run])
    return json_response(as_dict(run))


api.add_router("/tasks/", router)
