"""Cable traces through the API, beside the registered models' CRUD:

GET /api/inventory/<ports>/<id>/trace/ → the path from that port (an interface, front or rear port,
    console or console server port, power port, outlet or feed) to its far end: `hops` (near port,
    cable, far port), `end`, and `loop` / `truncated` when the path loops or is too long
"""

from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router
from ninja.errors import HttpError

from irtis.core.api import Endpoints, api, described, json_response
from irtis.core.registry import ModelEntry, entry_for

from . import trace
from .models import Cable
from .models.cabling import port_model

router = Router(tags=[described(gettext_lazy("Inventory: cable traces"))])


def _endpoint(kind: str) -> None:
    model = port_model(kind)
    entry = cast(ModelEntry, entry_for(model))

    def view(request: HttpRequest, pk: int) -> HttpResponse:
        port = Endpoints(entry).authorise(request, "view").filter(pk=pk).first()
        if port is None:
            raise HttpError(404, _("Not found."))
        path = trace.trace(port)
        visible = trace.visible_devices([path], request.user)
        return json_response(_hide(path.as_dict(), visible))

    router.get(f"/{entry.path}/{{int:pk}}/trace/", operation_id=f"inventory_{entry.model_name}_trace",
               url_name=f"inventory_{entry.model_name}_trace", response={200: Any},
               summary=described(format_lazy(gettext_lazy("Trace the cable path from a {port} to its far end"),
                                           port=model._meta.verbose_name)))(view)


def _hide(data: dict[str, Any], visible: set[int]) -> dict[str, Any]:
    """The trace with ports of devices the user may not view left unnamed."""
    def port(p: dict[str, Any] | None) -> dict[str, Any] | None:
        if p is None or p["device"] is None or p["device"]["id"] in visible:
            return p
        return {"kind": p["kind"], "id": None, "name": None, "device": None}
    return {**data, "start": port(data["start"]), "end": port(data["end"]),
            "hops": [{**h, "near": port(h["near"]), "far": port(h["far"])} for h in data["hops"]]}


for _kind in Cable.KINDS:
    _endpoint(_kind)

api.add_router("/inventory/", router)
