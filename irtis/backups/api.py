"""Backups through the API, beside the registered models' CRUD:

PUT  /api/backups/repositories/<id>/password/   {"password": "..."} → 204 (write-only: never read back)
POST /api/backups/repositories/<id>/read/       → 202 the run reading the repository
POST /api/backups/policies/<id>/drill/          {"snapshot": id or null} → 202 the drill's run
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja.errors import HttpError

from irtis.core import permissions
from irtis.core.api import api, described, json_response
from irtis.tasks.api import RunOut, as_dict

from . import jobs, passwords, views
from .models import BackupPolicy, BackupRepository, Snapshot

router = Router(tags=[described(gettext_lazy("Backups"))])


class PasswordIn(Schema):
    password: str


class DrillIn(Schema):
    snapshot: int | None = None


def _one(model: type[Model], request: HttpRequest, pk: int) -> object:
    try:
        return views._one(model, request.user, "change", pk)
    except PermissionDenied:
        raise HttpError(403, _("You do not have permission to do this.")) from None
    except Http404:
        raise HttpError(404, _("Not found.")) from None


@router.put("/repositories/{int:pk}/password/", operation_id="backups_repository_password",
            url_name="backups_repository_password", response={204: None},
            summary=described(gettext_lazy("Set a repository's password (stored encrypted, never returned)")))
def set_password(request: HttpRequest, pk: int, payload: PasswordIn) -> HttpResponse:
    repository = _one(BackupRepository, request, pk)
    if not payload.password or len(payload.password) > 1024:
        raise HttpError(400, _("The password must have 1 to 1024 characters."))
    passwords.set_password(repository, payload.password)  # type: ignore[arg-type]
    return HttpResponse(status=204)


@router.post("/repositories/{int:pk}/read/", operation_id="backups_repository_read",
             url_name="backups_repository_read", response={202: RunOut},
             summary=described(gettext_lazy("Start reading a repository's snapshots")))
def read_repository(request: HttpRequest, pk: int) -> HttpResponse:
    repository = _one(BackupRepository, request, pk)
    assert isinstance(repository, BackupRepository)
    run = jobs.ingest_repository.start(queue=repository.queue, user=request.user, repository_id=repository.pk)
    return json_response(as_dict(run), 202)


@router.post("/policies/{int:pk}/drill/", operation_id="backups_policy_drill", url_name="backups_policy_drill",
             response={202: RunOut}, summary=described(gettext_lazy("Start a restore drill of the policy")))
def start_drill(request: HttpRequest, pk: int, payload: DrillIn) -> HttpResponse:
    policy = _one(BackupPolicy, request, pk)
    assert isinstance(policy, BackupPolicy)
    snapshot = None
    if payload.snapshot is not None:
        snapshot = permissions.restrict(Snapshot.objects.filter(policy=policy), request.user).filter(
            pk=payload.snapshot).first()
        if snapshot is None:
            raise HttpError(400, _("No such snapshot of this policy."))
    return json_response(as_dict(jobs.start_drill(policy, user=request.user, snapshot=snapshot)), 202)


api.add_router("/backups/", router)
