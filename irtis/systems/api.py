"""Impact analysis endpoints, next to the generic CRUD of the systems models.

    GET  /api/systems/impact/?failed=inventory.device-7&failed=virtualization.virtualmachine-3[&objects=true]
    POST /api/systems/impact/                 {"failed": ["inventory.device-7", "16-8"]}
    GET  /api/systems/downstream/?object=systems.informationsystem-1&depth=12
    GET  /api/systems/upstream/?object=inventory.device-7
    GET  /api/systems/spof/                   (every system whose category asks for it)
    GET  /api/systems/spof/?system=MDAS       (one system, by code or id)
    GET  /api/systems/graph/?object=…&direction=down&depth=6&failed=…
    GET  /api/systems/expiring-certificates/?within_days=30

Objects are named "<app_label>.<model>-<id>" or "<content type id>-<id>"; an unknown object, or
one the user may not view, answers 404 naming it. In answers, objects the user may not view are
anonymous placeholders ("restricted-<n>", kind "restricted") that keep their state and edges:
the user learns that a system stops and through how many hidden objects, not their names.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from irtis.core import permissions
from irtis.core.api import api, described

from . import graph
from .models import Certificate, InformationSystem
from .models.eu import expiring

router = Router(tags=[described(gettext_lazy("Dependencies and impact"))])
MAX_OBJECTS = 1000


class FailedObjects(Schema):
    failed: list[str] = Field(..., min_length=1, max_length=MAX_OBJECTS, description="objects that fail together")
    objects: bool = Field(False, description="list every affected object, not only systems and components")


def _allowed(request: HttpRequest) -> None:
    if not permissions.has(request.user, InformationSystem, "view"):
        raise HttpError(403, _("You may not view information systems."))


def _nodes(request: HttpRequest, specs: list[str]) -> list[graph.Node]:
    """The named objects; one the user may not view is answered like one that does not exist."""
    if not specs:
        raise HttpError(400, _("Name at least one object."))
    if len(specs) > MAX_OBJECTS:
        raise HttpError(400, _("Name at most %(count)d objects.") % {"count": MAX_OBJECTS})
    try:
        nodes = graph.existing([graph.parse(s) for s in specs])
    except graph.UnknownObject as error:
        raise HttpError(404, _("No such object: %(object)s") % {"object": error.args[0]}) from None
    hidden = graph.hidden(nodes, request.user)
    for spec, node in zip(specs, nodes, strict=True):
        if node in hidden:
            raise HttpError(404, _("No such object: %(object)s") % {"object": spec})
    return nodes


def _depth(depth: int) -> int:
    if not 0 <= depth <= 50:
        raise HttpError(400, _("depth must be 0 to 50."))
    return depth


@router.get("/impact/", operation_id="systems_impact", url_name="systems_impact",
            summary=described(gettext_lazy("What stops and what degrades if objects fail")))
def impact_get(request: HttpRequest, failed: list[str] = Query(...), objects: bool = False,  # noqa: B008
               ) -> dict[str, Any]:
    """Systems and components that stop or degrade; `objects=true` lists every affected object."""
    _allowed(request)
    return graph.impact(_nodes(request, failed), objects, request.user).as_dict()


@router.post("/impact/", operation_id="systems_impact_post",
             summary=described(gettext_lazy("Impact of a set of objects failing")))
def impact_post(request: HttpRequest, payload: FailedObjects) -> dict[str, Any]:
    _allowed(request)
    return graph.impact(_nodes(request, payload.failed), payload.objects, request.user).as_dict()


def _layers(layers: list[list[graph.NodeInfo]]) -> list[list[dict[str, Any]]]:
    return [[n.as_dict() for n in layer] for layer in layers]


@router.get("/downstream/", operation_id="systems_downstream",
            summary=described(gettext_lazy("What an object depends on, layer by layer")))
def downstream(request: HttpRequest, object: str, depth: int = graph.MAX_DEPTH) -> list[list[dict[str, Any]]]:
    _allowed(request)
    return _layers(graph.downstream(_nodes(request, [object]), _depth(depth), request.user))


@router.get("/upstream/", operation_id="systems_upstream",
            summary=described(gettext_lazy("What depends on an object, layer by layer")))
def upstream(request: HttpRequest, object: str, depth: int = graph.MAX_DEPTH) -> list[list[dict[str, Any]]]:
    _allowed(request)
    return _layers(graph.upstream(_nodes(request, [object]), _depth(depth), request.user))


def system_named(request: HttpRequest, text: str) -> InformationSystem:
    visible = permissions.restrict(InformationSystem.objects.all(), request.user)
    found = visible.filter(code=text).first()
    if found is None and text.isdigit():
        found = visible.filter(pk=int(text)).first()
    if found is None:
        raise HttpError(404, _("No such information system: %(system)s") % {"system": text})
    return found


@router.get("/spof/", operation_id="systems_spof",
            summary=described(gettext_lazy("Single points of failure of systems")))
def spof(request: HttpRequest, system: str = "") -> list[dict[str, Any]]:
    _allowed(request)
    report = graph.spof_report([system_named(request, system)] if system else None, request.user)
    return [{"system": s.code, "id": s.pk, "url": s.get_absolute_url(),
             "single_points_of_failure": [n.as_dict() for n in found]} for s, found in report.items()]


@router.get("/graph/", operation_id="systems_graph", url_name="systems_graph",
            summary=described(gettext_lazy("Dependency map of an object's neighbourhood")))
def graph_view(request: HttpRequest, object: str, direction: str = "down", depth: int = 6,
               failed: list[str] = Query([])) -> dict[str, Any]:  # noqa: B008
    _allowed(request)
    if direction not in {"down", "up", "both"}:
        raise HttpError(400, _("direction must be down, up or both."))
    root = _nodes(request, [object])
    failing = _nodes(request, failed) if failed else ()
    return graph.graph_json(root, direction, _depth(depth), failing, user=request.user)


class ExpiringCertificate(Schema):
    id: int
    subject: str
    issuer: str
    serial: str
    expires: str
    days_left: int
    interconnection: int | None


@router.get("/expiring-certificates/", response=list[ExpiringCertificate],
            operation_id="systems_certificates_expiring",
            summary=described(gettext_lazy("Certificates that expire within some days (expired ones included)")))
def certificates_expiring(request: HttpRequest, within_days: int = 30) -> list[dict[str, Any]]:
    if not 0 <= within_days <= 3650:
        raise HttpError(400, _("within_days must be 0 to 3650."))
    found = expiring(permissions.restrict(Certificate.objects.all(), request.user), within_days)
    return [{"id": c.pk, "subject": c.subject, "issuer": c.issuer, "serial": c.serial,
             "expires": c.expires.isoformat(), "days_left": c.days_left, "interconnection": c.interconnection_id}
            for c in found]


api.add_router("/systems/", router)
