"""The text, comments and route of regulating documents through the API, beside the generic CRUD
of documents and route steps; the same functions as the pages, so the same rules:

GET  /api/regulations/documents/<id>/versions/               the versions (numbers, authors, dates)
POST /api/regulations/documents/<id>/versions/               {"text": "…", "note": "…", "version": n}
     (or `If-Match: "n"`): 201 with the new version; 412 with the current text when the document
     changed since version n (nothing saved), 400 for an empty text
GET  /api/regulations/versions/<id>/                         a version's text and paragraphs
GET  /api/regulations/versions/compare/?a=<id>&b=<id>        paragraph rows; 400 for two documents
GET  /api/regulations/versions/<id>/comments/                the comments beside each paragraph
POST /api/regulations/versions/<id>/comments/                {"paragraph": n, "text": "…"}
POST /api/regulations/comments/<id>/resolve/                 {"resolved": true}
POST /api/regulations/documents/<id>/{submit,approve,return,enforce,repeal}/  {"reason": "…", "step": id}

Route actions answer 200 with the document as the generic API gives it; 404 for what the caller
may not view, 403 without the right (a read-only token, another role's step, the text's author),
409 when refused in the document's state or out of the route's order, 400 for bad input.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from irtis.core import permissions
from irtis.core.api import InvalidData, api, described, if_match, json_response, object_action, refuse_read_only

from . import drafting, route
from .models import Comment, Document, Version


class TextIn(Schema):
    text: str = Field(..., max_length=drafting.MAX_TEXT)
    note: str = Field("", max_length=300)
    version: int | None = Field(None, description="the document's version the text was edited from (or If-Match)")


class CommentIn(Schema):
    paragraph: int = Field(..., description="the paragraph's number in the version, from 1")
    text: str = Field(..., max_length=5000)


class ResolveIn(Schema):
    resolved: bool = True


class DecisionIn(Schema):
    reason: str = Field("", max_length=2000, description="why the document is returned (required to return)")
    step: int | None = Field(None, description="the id of the step decided: refused unless it is the one due")



def _documents(request: HttpRequest) -> QuerySet[Document]:
    return permissions.restrict(Document.objects.all(), request.user)


def _version(request: HttpRequest, pk: int) -> Version:
    found = (
        Version.objects.filter(document__in=_documents(request))
        .select_related("document", "author")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise HttpError(404, _("Not found."))
    return found


def _answer(write: Callable[[], Any]) -> Any:
    """The write's result, its refusals as the API's errors."""
    try:
        return write()
    except ValidationError as invalid:
        raise InvalidData(
            invalid.message_dict if hasattr(invalid, "error_dict") else {"__all__": invalid.messages}
        ) from None
    except PermissionDenied as denied:
        raise HttpError(403, str(denied) or _("You do not have permission to do this.")) from None


def version_data(version: Version, full: bool = True) -> dict[str, Any]:
    data = {
        "id": version.pk,
        "document": version.document_id,
        "number": version.number,
        "author": str(version.author),
        "created": version.created,
        "note": version.note,
        "paragraph_count": len(version.paragraphs),
    }
    if full:
        data.update(text=version.text, paragraphs=version.paragraphs)
    return data


def comment_data(remark: Comment, version: int, placed_at: int | None) -> dict[str, Any]:
    """A comment on paragraph `paragraph` of version number `version`, shown at `placed_at` (None:
    its paragraph changed since)."""
    return {
        "id": remark.pk,
        "version": version,
        "paragraph": remark.paragraph,
        "shown_at": placed_at,
        "text": remark.text,
        "author": str(remark.author),
        "created": remark.created,
        "resolved": remark.resolved,
    }


documents = Router(tags=[described(gettext_lazy("Regulating documents: text and route"))])
versions = Router(tags=[described(gettext_lazy("Regulating documents: versions and comments"))])


@documents.get(
    "/{int:pk}/versions/",
    response={200: Any},
    operation_id="regulations_versions",
    summary=described(gettext_lazy("The versions of a document's text")),
)
def version_list(request: HttpRequest, pk: int) -> HttpResponse:
    document = _documents(request).filter(pk=pk).first()
    if document is None:
        raise HttpError(404, _("Not found."))
    return json_response([version_data(v, False) for v in document.versions.select_related("author")])


@documents.post(
    "/{int:pk}/versions/",
    response={201: Any},
    operation_id="regulations_version_create",
    summary=described(gettext_lazy("Save a new version of the text")),
)
def version_create(request: HttpRequest, pk: int, payload: TextIn) -> HttpResponse:
    refuse_read_only(request)
    document = _documents(request).filter(pk=pk).first()
    if document is None:
        raise HttpError(404, _("Not found."))
    expected = if_match(request) or payload.version
    try:
        made = _answer(lambda: drafting.save(document, request.user, payload.text, expected, payload.note))
    except drafting.Conflict as conflict:
        current = drafting.latest(conflict.current)
        return json_response(
            {
                "detail": str(conflict),
                "version": conflict.current.version,
                "current": version_data(current) if current else None,
            },
            412,
        )
    return json_response(version_data(made), 201, {"ETag": made.document.etag})


@versions.get(
    "/compare/",
    response={200: Any},
    operation_id="regulations_compare",
    summary=described(gettext_lazy("The differences between two versions of one document")),
)
def compare(request: HttpRequest, a: int, b: int) -> HttpResponse:
    old, new = sorted((_version(request, a), _version(request, b)), key=lambda v: (v.document_id, v.number))
    rows = _answer(lambda: drafting.diff(old, new))
    return json_response(
        [{"status": r.status, "old": r.old_number, "new": r.new_number, "marked": str(r.marked)} for r in rows]
    )


@versions.get("/{int:pk}/", response={200: Any}, operation_id="regulations_version",
              summary=described(gettext_lazy("A version's text")))
def version_read(request: HttpRequest, pk: int) -> HttpResponse:
    return json_response(version_data(_version(request, pk)))


@versions.get(
    "/{int:pk}/comments/",
    response={200: Any},
    operation_id="regulations_comments",
    summary=described(gettext_lazy(
        "The comments shown with a version: its own and those carried from earlier versions")),
)
def comment_list(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    shown, older = drafting.placed(version.document, version)
    return json_response(
        [comment_data(c, c.carried_from or version.number, p.number) for p in shown for c in p.comments]
        + [comment_data(c, c.carried_from or version.number, None) for c in older]
    )


@versions.post(
    "/{int:pk}/comments/",
    response={201: Any},
    operation_id="regulations_comment_create",
    summary=described(gettext_lazy("Comment on a paragraph of a version")),
)
def comment_create(request: HttpRequest, pk: int, payload: CommentIn) -> HttpResponse:
    refuse_read_only(request)
    version = _version(request, pk)
    made = _answer(lambda: drafting.comment(version, request.user, payload.paragraph, payload.text))
    return json_response(comment_data(made, version.number, made.paragraph), 201)


comments = Router(tags=[described(gettext_lazy("Regulating documents: versions and comments"))])


@comments.post(
    "/{int:pk}/resolve/",
    response={200: Any},
    operation_id="regulations_comment_resolve",
    summary=described(gettext_lazy("Mark a comment resolved, or open again")),
)
def comment_resolve(request: HttpRequest, pk: int, payload: ResolveIn) -> HttpResponse:
    refuse_read_only(request)
    remark = (
        Comment.objects.select_related("version__document", "author")
        .filter(pk=pk, version__document__in=_documents(request))
        .first()
    )
    if remark is None:
        raise HttpError(404, _("Not found."))
    made = _answer(lambda: drafting.resolve(remark, request.user, payload.resolved))
    return json_response(comment_data(made, remark.version.number, made.paragraph))


def _action(name: str) -> None:
    def endpoint(request: HttpRequest, pk: int, payload: DecisionIn) -> HttpResponse:
        return object_action(
            request,
            Document,
            pk,
            lambda document: route.run(document, request.user, name, payload.reason, payload.step),
            route.ActionRefused,
        )

    documents.post(
        f"/{{int:pk}}/{name}/",
        response={200: Any},
        operation_id=f"regulations_document_{name}",
        summary=described(SUMMARIES[name]),
    )(endpoint)


SUMMARIES = {
    "submit": gettext_lazy("Submit for review: the route starts at its first step"),
    "approve": gettext_lazy("Approve as the step due (a member of its role, not the text's author)"),
    "return": gettext_lazy("Return to draft with a reason, as the step due"),
    "enforce": gettext_lazy("Put an approved document in force"),
    "repeal": gettext_lazy("Repeal"),
}
for _name in sorted(route.ACTIONS):
    _action(_name)

api.add_router("/regulations/documents/", documents)
api.add_router("/regulations/versions/", versions)
api.add_router("/regulations/comments/", comments)
