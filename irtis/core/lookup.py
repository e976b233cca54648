"""Choices for the related-object selects of forms and filters (see core.widgets, core.choices).

`/lookup/<app.model>/?lookup-q=words` gives the matches of a search box (the first ones when no
words are given); `?lookup-options=1` gives `<option>`s for a select whose parents changed, and
with `lookup-pk=id` only that object if it still fits. Any other parameter names a reference field
of the model and the id it must hold (`?site=3`): the parents chosen in the form. Only objects the
reader may see are given.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import permissions, registry
from .choices import labelled, narrow, object_id, parent_fields
from .search import matching_ids
from .widgets import LOOKUP_THRESHOLD, distinguished

LIMIT = 20
OWN = {"lookup-q", "lookup-pk", "lookup-options"}


@login_required
def lookup(request: HttpRequest, label: str) -> HttpResponse:
    entry = registry.by_label(label)
    if entry is None:
        raise Http404
    try:
        parents = parent_fields(entry.model, {k: v for k, v in request.GET.items() if k not in OWN})
        pk = object_id(request.GET["lookup-pk"]) if request.GET.get("lookup-pk") else None
    except ValueError as error:
        return HttpResponseBadRequest(_("Unknown field or bad id: %(value)s") % {"value": error})
    objects = narrow(permissions.restrict(entry.model._default_manager.all(), request.user), parents)
    if "lookup-options" in request.GET:
        if pk:
            objects = objects.filter(pk=pk)
        options = distinguished(labelled(objects)[:LOOKUP_THRESHOLD])
        return render(request, "core/widgets/lookup_options.html", {"matches": options})
    query = request.GET.get("lookup-q", "").strip()
    if query:
        objects = objects.filter(pk__in=matching_ids(entry.model, query))
    matches = list(labelled(objects)[:LIMIT + 1])
    context = {"matches": distinguished(matches[:LIMIT]), "more": len(matches) > LIMIT}
    return render(request, "core/widgets/lookup_results.html", context)
