"""The REST API: CRUD for every registered model under /api/<app>/<models>/.

Lists read only the columns they return (`values()`), in two queries whatever the page size:
count and rows (each many-to-many field, tags included, a subquery of the rows query). Writes
go through `bulk.save_objects` and `relations.assign`, so one object or a thousand are
validated, versioned and audited the same way.
"""

from collections.abc import Callable, Hashable
from functools import cached_property, lru_cache
from typing import Any, cast
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import DataError, IntegrityError, connection, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Router
from ninja.errors import HttpError
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from ninja.security import django_auth

from . import bulk, choices, collation, permissions, registry, relations, schemas
from .compiled import Statements
from .filters import filterset_class, narrowed, unknown_references
from .models import BaseModel, StaleObjectError
from .registry import is_reference
from .rows import fetch

MAX_LIMIT = 1000
STATEMENTS = Statements()  # the reads' SQL, by model and shape
PAGING = {"limit", "offset", "brief", "ordering"}


# Token authentication belongs to identity; the settings plug it in (core imports no app above it).
class PlatformAPI(NinjaAPI):
    """The API, whose description is written once per language and path (the operations are set
    when the process starts, and writing it takes seconds), holding the `Problem` that every
    error answers with (the operations name it in their `openapi_extra`: `schemas.failures`).
    Callers read the description; they do not change it."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._described: dict[tuple[Any, ...], Any] = {}
        self._models_mounted = False

    def mount_models(self) -> None:
        """Every registered model's endpoints, added when the API's addresses or description are
        first asked for, not when the apps load: building their twelve hundred operations takes
        four seconds, which a command that answers no request (migrate, worker, audit verify)
        need not pay."""
        if not self._models_mounted:
            self._models_mounted = True
            for entry in registry.entries():
                self.add_router(f"/{entry.app_label}/{entry.path}/", _router(entry))

    @property
    def urls(self) -> Any:
        self.mount_models()
        return super().urls

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        self.mount_models()
        key = (translation.get_language(), path_prefix, tuple(sorted((path_params or {}).items())))
        described = self._described
        if key not in described:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            schema["components"].setdefault("schemas", {})["Problem"] = schemas.Problem.model_json_schema(
                ref_template=REF_TEMPLATE, mode="serialization", schema_generator=NinjaGenerateJsonSchema)
            described[key] = schema
        return described[key]


api = PlatformAPI(
    title="irtis API", version="1", urls_namespace="api", docs_url="/docs",
    auth=[*(import_string(name)() for name in settings.IRTIS_API_AUTHENTICATION), django_auth],
)


class InvalidData(Exception):
    """Values that fail validation, by field (and by list index for lists)."""

    def __init__(self, errors: dict[str, Any]) -> None:
        self.errors = errors


@api.exception_handler(InvalidData)
def _invalid_data(request: HttpRequest, error: InvalidData) -> HttpResponse:
    return json_response({"detail": _("Invalid data."), "errors": error.errors}, 400)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, error: Exception) -> HttpResponse:
    """A number or text the database cannot hold, e.g. an id of 2**70 in a filter."""
    return json_response({"detail": _("A value is out of the range the database can store.")}, 400)


def refuse_read_only(request: HttpRequest) -> None:
    """403 for a read-only token, before any write of a custom endpoint."""
    if getattr(getattr(request, "token", None), "read_only", False):
        raise HttpError(403, _("This token is read-only."))


def object_action(request: HttpRequest, model: type[models.Model], pk: int, act: Callable[[Any], Any],
                  refused: type[Exception]) -> HttpResponse:
    """Run a domain action (approve, revoke…) on one object the caller may view, and answer with
    the object as the API reads it: 403 for a read-only token or a refused permission, 404 for an
    object out of sight, 409 for a refusal of the domain (`refused`) or a concurrent change, 422
    for an object that does not validate."""
    endpoints = Endpoints(cast(registry.ModelEntry, registry.entry_for(model)))
    refuse_read_only(request)
    target = endpoints.authorise(request, "view").filter(pk=pk).first()
    if target is None:
        raise HttpError(404, _("Not found."))
    try:
        act(target)
    except refused as refusal:
        raise HttpError(409, str(refusal)) from None
    except StaleObjectError:
        raise HttpError(409, _("Someone changed this meanwhile: look again and repeat.")) from None
    except ValidationError as invalid:  # the object itself is incomplete (edited elsewhere): say what
        raise InvalidData(invalid.message_dict if hasattr(invalid, "error_dict") else {"__all__": invalid.messages}) \
            from None
    except PermissionDenied as denied:
        raise HttpError(403, str(denied) or _("You do not have permission to do this.")) from None
    return json_response(endpoints.rows(model._default_manager.filter(pk=pk), False)[0])


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    body = orjson.dumps(data, default=str)  # dates and times as ISO 8601 by orjson itself
    return HttpResponse(body, status=status, content_type="application/json", headers=headers)


class Endpoints:
    """The operations of one registered model."""

    def __init__(self, entry: registry.ModelEntry) -> None:
        self.entry = entry
        self.model: type[BaseModel] = entry.model
        self.columns = [f.name for f in entry.value_fields]
        self.reference_names = [f.name for f in entry.value_fields if is_reference(f)]
        self.blank_choices = [f.name for f in entry.value_fields if schemas.blank_choice(f)]
        # A read's ORDER BY, worked out once per `ordering` asked (most reads ask for none).
        self.ordering = lru_cache(maxsize=64)(self._ordering)

    @cached_property
    def many_ids(self) -> dict[str, RawSQL]:
        """For each many-to-many field, the ids of each row in the rows query, a subquery per
        row (on the join table's unique index): a second query would carry one parameter per
        row, which the PostgreSQL driver parses for each request. Written in SQL once: it reads
        the row by its table's name, the alias of a query's own table. PostgreSQL gives an
        array of ids, SQLite the ids joined by commas."""
        quote = connection.ops.quote_name
        row = f"{quote(self.model._meta.db_table)}.{quote(self.model._meta.pk.column)}"
        result = {}
        for field in self.entry.many_fields:
            through = cast(type[models.Model], field.remote_field.through)._meta  # resolved once the apps are loaded
            owner = quote(cast(models.ForeignKey, through.get_field(field.m2m_field_name())).column)  # foreign keys
            target = quote(cast(models.ForeignKey, through.get_field(field.m2m_reverse_field_name())).column)
            join = quote(through.db_table)
            if connection.vendor == "postgresql":
                sql = f"ARRAY(SELECT j.{target} FROM {join} j WHERE j.{owner} = {row} ORDER BY 1)"
            else:
                sql = f"(SELECT GROUP_CONCAT(j.{target}) FROM {join} j WHERE j.{owner} = {row})"
            result[f"{field.name}__ids"] = RawSQL(sql, (), output_field=models.TextField())
        return result

    @cached_property
    def _readable(self) -> dict[bool, models.QuerySet]:
        manager = self.model._default_manager
        full = manager.annotate(**self.many_ids) if self.many_ids else manager.all()
        return {False: full.values(*self.names(False)), True: manager.values(*self.names(True))}

    def readable(self, brief: bool) -> models.QuerySet:
        """The rows a read returns, as `rows` reads them, before any filter. Built once: choosing
        twenty columns and a subquery is the same for every read, and building it was a third of
        a detail read's Python. A copy (`all()`): the one kept is never evaluated."""
        return self._readable[brief].all()

    def names(self, brief: bool) -> list[str]:
        """What `rows` selects: the columns, and each many-to-many field's ids (not for brief)."""
        columns = list(self.entry.brief) if brief else self.columns
        return columns if brief or not self.many_ids else [*columns, *self.many_ids]

    # --- access ---------------------------------------------------------------------------

    def authorise(self, request: HttpRequest, action: str, queryset: models.QuerySet | None = None) -> models.QuerySet:
        """The objects of `queryset` (all of the model's) the user may `action`; 403 if none."""
        if action != "view":
            refuse_read_only(request)
        if not permissions.allowed(request.user, self.entry, action):
            raise HttpError(403, _("You do not have permission to do this."))
        return permissions.restrict(self.model._default_manager.all() if queryset is None else queryset,
                                    request.user, action)

    # --- reading --------------------------------------------------------------------------

    def rows(self, queryset: models.QuerySet, brief: bool, shape: Hashable = None) -> list[dict[str, Any]]:
        """The rows of `queryset`, of the model's objects or of `readable(brief)`; a read's
        statement kept by its `shape` (what fixes it besides the WHERE: its ordering)."""
        selected = self.names(brief)
        statements = STATEMENTS if shape is not None else None
        if not self.many_ids or brief:
            return self.unmade_as_null(fetch(queryset, selected, statements, shape))
        if getattr(queryset, "_fields", None) != tuple(selected):  # not from `readable`
            queryset = queryset.annotate(**self.many_ids)
        rows = self.unmade_as_null(fetch(queryset, selected, statements, shape))
        names = [(name, name.removesuffix("__ids")) for name in self.many_ids]
        if connection.vendor == "postgresql":  # arrays of ids already
            for row in rows:
                for name, field in names:
                    row[field] = row.pop(name)
            return rows
        for row in rows:
            for name, field in names:
                ids = row.pop(name)
                row[field] = sorted(map(int, ids.split(","))) if ids else []
        return rows

    def unmade_as_null(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Choices left unmade (stored as "") given as null, as the schema describes them."""
        names = [name for name in self.blank_choices if rows and name in rows[0]]
        for row in rows:
            for name in names:
                if row[name] == "":
                    row[name] = None
        return rows

    def listing(self, request: HttpRequest, limit: int = 50, offset: int = 0, brief: bool = False,
             ordering: str = "", q: str = "") -> HttpResponse:
        queryset = self.authorise(request, "view", self.readable(brief))
        if not 1 <= limit <= MAX_LIMIT or offset < 0:
            raise HttpError(400, _("limit must be 1 to %(max)d and offset 0 or more.") % {"max": MAX_LIMIT})
        filterset_type = filterset_class(self.entry)
        named = frozenset(request.GET) - PAGING
        if unknown := named - filterset_type.base_filters.keys():
            return json_response({
                "detail": _("Unknown parameters: %(names)s") % {"names": ", ".join(sorted(unknown))},
                "known": sorted(set(filterset_type.base_filters) | PAGING),
            }, 400)
        filterset = None
        if named:  # a read without filters needs no filter set
            filterset = narrowed(filterset_type, named)(request.GET, queryset=queryset, request=request)
            if not filterset.is_valid():
                errors = {name: list(messages) for name, messages in filterset.errors.items()}
                return json_response({"detail": _("Invalid filter."), "errors": errors}, 400)
            queryset = filterset.qs
        queryset = queryset.order_by(*self.ordering(ordering))
        shape = ("list", ordering)  # with brief, limit and offset in the query itself
        rows = self.rows(queryset[offset:offset + limit], brief, shape)
        # A page that is not full is the last one: the count is known without counting.
        last_page = len(rows) < limit and (rows or not offset)
        count = offset + len(rows) if last_page else STATEMENTS.count(queryset, shape)
        if filterset and (errors := unknown_references(filterset, rows_found=count > 0)):
            return json_response({"detail": _("Invalid filter."), "errors": errors}, 400)
        return json_response({
            "count": count,
            "next": self.page_url(request, limit, offset + limit) if offset + limit < count else None,
            "previous": self.page_url(request, limit, max(offset - limit, 0)) if offset else None,
            "results": rows,
        })

    def _ordering(self, text: str) -> tuple[Any, ...]:
        """The ORDER BY terms of `text` (column names, "-" for descending, by commas), then the pk."""
        order = [o.strip() for o in text.split(",") if o.strip()]
        for name in order:
            if name.lstrip("-") not in self.columns:
                raise HttpError(400, _("Cannot order by “%(name)s”.") % {"name": name})
        return tuple(collation.ordered(self.model, [*order, "pk"] if order
                                       else [*(self.model._meta.ordering or []), "pk"]))

    @staticmethod
    def page_url(request: HttpRequest, limit: int, offset: int) -> str:
        """This list's address with another page: the query's parameters in their order, limit and
        offset replaced (copying the QueryDict and encoding it was a tenth of a list's Python)."""
        params = {**dict(request.GET.lists()), "limit": [str(limit)], "offset": [str(offset)]}
        query = urlencode([(name, value) for name, values in params.items() for value in values])
        return request.build_absolute_uri(f"{request.path}?{query}")

    def detail(self, request: HttpRequest, pk: int) -> HttpResponse:
        queryset = self.authorise(request, "view", self.readable(False)).filter(pk=pk).order_by()
        rows = self.rows(queryset, False, "detail")
        if not rows:
            raise HttpError(404, _("Not found."))
        return json_response(rows[0], headers={"ETag": f'"{rows[0]["version"]}"'})

    # --- writing --------------------------------------------------------------------------

    def create(self, request: HttpRequest, payload: Any) -> HttpResponse:
        self.authorise(request, "add")
        items = payload if isinstance(payload, list) else [payload]
        if not items:
            raise HttpError(400, _("Send at least one object."))
        objects = [self.model() for _ in items]
        self.write(request, "add", objects, [item.model_dump(exclude_unset=True) for item in items])
        result = self.rows(self.model._default_manager.filter(pk__in=[o.pk for o in objects]).order_by("pk"), False)
        return json_response(result if isinstance(payload, list) else result[0], 201)

    def update(self, request: HttpRequest, pk: int, payload: Any, partial: bool) -> HttpResponse:
        queryset = self.authorise(request, "change")
        data = payload.model_dump(exclude_unset=partial)
        expected = if_match(request) or data.pop("version", None)
        data.pop("version", None)
        # The row is locked from reading to writing: changes sent without a precondition at the
        # same time are applied in turn, none refused for a version it never asked for.
        with transaction.atomic():
            obj = queryset.filter(pk=pk).select_for_update(of=("self",)).first()
            if obj is None:
                raise HttpError(404, _("Not found."))
            if expected is not None and expected != obj.version:
                message = _("The object has changed since you read it (version %(version)d now).")
                raise HttpError(412, message % {"version": obj.version})
            self.write(request, "change", [obj], [data])
        row = self.rows(self.model._default_manager.filter(pk=pk), False)[0]
        return json_response(row, headers={"ETag": f'"{row["version"]}"'})

    def bulk_update(self, request: HttpRequest, payload: list[Any]) -> HttpResponse:
        queryset = self.authorise(request, "change")
        if not payload:
            raise HttpError(400, _("Send at least one object."))
        data = [item.model_dump(exclude_unset=True) for item in payload]
        ids = [d.pop("id") for d in data]
        if len(set(ids)) != len(ids):
            raise HttpError(400, _("An object is listed twice."))
        with transaction.atomic():  # locked in the order of their ids, as every list is: no deadlock
            locked = queryset.filter(pk__in=ids).order_by("pk").select_for_update(of=("self",))
            found = {obj.pk: obj for obj in locked}
            missing = [i for i in ids if i not in found]
            if missing:
                raise HttpError(404, _("Not found: %(ids)s") % {"ids": ", ".join(map(str, missing))})
            objects = [found[i] for i in ids]
            for obj, values in zip(objects, data, strict=True):
                expected = values.pop("version", None)
                if expected is not None and expected != obj.version:
                    raise HttpError(412, _("Object %(id)d has changed since you read it.") % {"id": obj.pk})
            self.write(request, "change", objects, data)
        return json_response(self.rows(self.model._default_manager.filter(pk__in=ids).order_by("pk"), False))

    def delete(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.authorise(request, "delete").filter(pk=pk).first()
        if obj is None:
            raise HttpError(404, _("Not found."))
        expected = if_match(request)
        if expected is not None and expected != obj.version:
            raise HttpError(412, _("The object has changed since you read it."))
        self.remove([obj])
        return HttpResponse(status=204)

    def bulk_delete(self, request: HttpRequest, payload: list[schemas.Identity]) -> HttpResponse:
        queryset = self.authorise(request, "delete")
        if not payload:
            raise HttpError(400, _("Send at least one object."))
        ids = [item.id for item in payload]
        found = queryset.in_bulk(ids)
        missing = [i for i in ids if i not in found]
        if missing:
            raise HttpError(404, _("Not found: %(ids)s") % {"ids": ", ".join(map(str, missing))})
        self.remove(list(found.values()))
        return HttpResponse(status=204)

    def remove(self, objects: list[BaseModel]) -> None:
        try:
            bulk.delete_objects(objects)
        except (ProtectedError, RestrictedError) as error:
            blockers = sorted({f"{o._meta.verbose_name}: {o}" for o in error.args[1]})[:20]
            message = _("Other objects depend on it: %(objects)s") % {"objects": "; ".join(blockers)}
            raise HttpError(409, message) from None

    def write(self, request: HttpRequest, action: str, objects: list[BaseModel], data: list[dict[str, Any]]) -> None:
        """Apply values, validate every object (related objects fetched in bulk), save all."""
        references = self.references(request, data)
        errors = self.check_many(request, data)
        for index, values in enumerate(data):  # PostgreSQL cannot store them, SQLite would: refused on both
            for name in (name for name, value in values.items() if _has_nul(value)):
                errors.setdefault(index, {})[name] = [str(ProhibitNullCharactersValidator.message)]
        for index, (obj, values) in enumerate(zip(objects, data, strict=True)):
            for name, value in values.items():
                if name in self.entry.many_names or name in errors.get(index, {}):
                    continue
                field = self.entry.field(name)
                if is_reference(field) and value is not None:
                    target = references[name].get(value)
                    if target is None:
                        errors.setdefault(index, {})[name] = [_("No object with id %(id)s.") % {"id": value}]
                        continue
                    setattr(obj, name, target)
                elif value is None and name in self.blank_choices:
                    setattr(obj, field.attname, "")
                else:
                    setattr(obj, field.attname, value)
            # References were resolved above in one query per field; checking them again per
            # object would cost a query each. A change validates the fields it sends (the others
            # were valid when stored) and the model's cross-field rules. Per-object constraint
            # checks run for single writes; lists rely on the batch unique check and the database.
            exclude = {*errors.get(index, {}), *self.reference_names, *self.entry.many_names}
            if action == "change":
                exclude |= {f.name for f in self.entry.value_fields if f.name not in values}
            try:
                obj.full_clean(exclude=sorted(exclude), validate_unique=False,
                               validate_constraints=len(objects) == 1)
            except ValidationError as error:
                errors.setdefault(index, {}).update(error.message_dict)
        sent = {name for values in data for name in values} if action == "change" else None
        for index, conflicts in bulk.unique_conflicts(objects, sent).items():
            for name, messages in conflicts.items():  # the model's own message, where it gave one, says more
                errors.setdefault(index, {}).setdefault(name, messages)
        if errors:
            detail = errors[0] if len(objects) == 1 and 0 in errors else {str(k): v for k, v in errors.items()}
            raise InvalidData(detail)
        try:
            with transaction.atomic():
                changed = {name for values in data for name in values if name not in self.entry.many_names}
                bulk.save_objects(objects, fields=sorted(changed))
                for field in self.entry.many_fields:
                    relations.assign(objects, field, [values.get(field.name) for values in data])
                permissions.ensure(request.user, objects, action)
        except PermissionDenied as refusal:
            raise HttpError(403, str(refusal)) from None
        except StaleObjectError:
            raise HttpError(412, _("An object changed while you were saving it; read it again.")) from None
        except IntegrityError:
            raise HttpError(409, _("The data conflicts with other objects; nothing was saved.")) from None

    def references(self, request: HttpRequest, data: list[dict[str, Any]]) -> dict[str, dict[int, models.Model]]:
        result = {}
        for field in self.model._meta.concrete_fields:
            if is_reference(field):
                ids = {d[field.name] for d in data if d.get(field.name) is not None}
                if any(field.name in d for d in data):
                    related = cast(type[models.Model], field.related_model)  # resolved once the apps are loaded
                    # An object the user may not view is refused like one that does not exist.
                    offered = choices.visible(related, request.user) if registry.entry_for(related) else \
                        related._default_manager.all()
                    result[field.name] = offered.in_bulk(ids)
        return result

    def check_many(self, request: HttpRequest, data: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
        """Errors, by item and field, naming the ids of many-to-many values that are repeated,
        name no object, or name one the user may not see; one query per field sent (two when
        some are refused)."""
        errors: dict[int, dict[str, Any]] = {}
        for field in self.entry.many_fields:
            wanted = {pk for values in data for pk in values.get(field.name) or []}
            if not wanted:
                continue
            model = cast(type[models.Model], field.related_model)  # resolved once the apps are loaded
            related = model._default_manager.all()
            visible = related
            if registry.entry_for(model):
                visible = permissions.restrict(related, request.user, "view")
            found = set(visible.filter(pk__in=wanted).values_list("pk", flat=True))
            hidden = set()
            if wanted - found:
                hidden = set(related.filter(pk__in=wanted - found).values_list("pk", flat=True))
            for index, values in enumerate(data):
                ids = values.get(field.name) or []
                messages = []
                if repeated := sorted({pk for pk in ids if ids.count(pk) > 1}):
                    messages.append(_("Listed more than once: %(ids)s") % {"ids": _ids(repeated)})
                if unknown := sorted(set(ids) - found - hidden):
                    messages.append(_("No objects with ids: %(ids)s") % {"ids": _ids(unknown)})
                if refused := sorted(set(ids) & hidden):
                    messages.append(_("You may not refer to objects with ids: %(ids)s") % {"ids": _ids(refused)})
                if messages:
                    errors.setdefault(index, {})[field.name] = messages
        return errors


def _has_nul(value: Any) -> bool:
    """Whether a NUL character is in a text, or in a text anywhere inside a JSON value."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _ids(ids: list[int]) -> str:
    return ", ".join(map(str, ids))


def if_match(request: HttpRequest) -> int | None:
    """The version an `If-Match` header names (None without one, or with `*`)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    try:
        return int(header.removeprefix("W/").strip('"'))
    except ValueError:
        raise HttpError(400, _("If-Match must be an ETag given by this API.")) from None


def described(text: str | Promise) -> str:
    """A lazy translation where ninja's signatures ask for `str` (a summary, a tag): it is read,
    in the reader's language, when the OpenAPI document is written."""
    return cast(str, text)


def _router(entry: registry.ModelEntry) -> Router:
    ops = Endpoints(entry)
    # Tags and summaries in the reader's language, by the model's own names ("Read device").
    one, many = entry.model._meta.verbose_name, entry.model._meta.verbose_name_plural or ""  # lazy, not str
    router = Router(tags=[described(many)])
    out, listing = schemas.output_schema(entry), schemas.list_schema(entry)
    create, patch = schemas.write_schema(entry, False), schemas.write_schema(entry, True)
    bulk_patch = schemas.bulk_patch_schema(entry)
    op = f"{entry.app_label}_{entry.model_name}"
    refused_writes, refused_changes = schemas.failures(400, 409, 422), schemas.failures(400, 404, 409, 412, 422)

    @router.get("/", response={200: listing}, openapi_extra=schemas.failures(400, 422), operation_id=f"{op}_list",
                summary=described(format_lazy(gettext_lazy("List {many}"), many=many)))
    def list_objects(request: HttpRequest, limit: int = 50, offset: schemas.Offset = 0, brief: bool = False,
                     ordering: str = "", q: str = "") -> HttpResponse:
        return ops.listing(request, limit, offset, brief, ordering, q)

    @router.post("/", response={201: out | list[out]}, openapi_extra=refused_writes, operation_id=f"{op}_create",  # type: ignore[valid-type]  # a schema built per model at run time
                 summary=described(format_lazy(gettext_lazy("Create {one} (one or a list)"), one=one)))
    def create_objects(request: HttpRequest, payload: create | list[create]) -> HttpResponse:  # type: ignore[valid-type]  # a schema built per model at run time
        return ops.create(request, payload)

    @router.patch("/", response={200: list[out]}, openapi_extra=refused_changes, operation_id=f"{op}_bulk_update",  # type: ignore[valid-type]  # a schema built per model at run time
                  summary=described(format_lazy(gettext_lazy("Update a list of {many}"), many=many)))
    def update_objects(request: HttpRequest, payload: list[bulk_patch]) -> HttpResponse:  # type: ignore[valid-type]  # a schema built per model at run time
        return ops.bulk_update(request, payload)

    @router.delete("/", response={204: None}, openapi_extra=schemas.failures(400, 404, 409, 422),
                   operation_id=f"{op}_bulk_delete",
                   summary=described(format_lazy(gettext_lazy("Delete a list of {many}"), many=many)))
    def delete_objects(request: HttpRequest, payload: list[schemas.Identity]) -> HttpResponse:
        return ops.bulk_delete(request, payload)

    @router.get("/{pk}/", response={200: out}, openapi_extra=schemas.failures(404, 422), operation_id=f"{op}_read",
                summary=described(format_lazy(gettext_lazy("Read {one}"), one=one)))
    def read_object(request: HttpRequest, pk: schemas.Id) -> HttpResponse:
        return ops.detail(request, pk)

    @router.patch("/{pk}/", response={200: out}, openapi_extra=refused_changes, operation_id=f"{op}_partial_update",
                  summary=described(format_lazy(gettext_lazy("Change some fields of {one}"), one=one)))
    def patch_object(request: HttpRequest, pk: schemas.Id, payload: patch) -> HttpResponse:  # type: ignore[valid-type]  # a schema built per model at run time
        return ops.update(request, pk, payload, partial=True)

    @router.put("/{pk}/", response={200: out}, openapi_extra=refused_changes, operation_id=f"{op}_update",
                summary=described(format_lazy(gettext_lazy("Replace {one}"), one=one)))
    def put_object(request: HttpRequest, pk: schemas.Id, payload: create) -> HttpResponse:  # type: ignore[valid-type]  # a schema built per model at run time
        return ops.update(request, pk, payload, partial=False)

    @router.delete("/{pk}/", response={204: None}, openapi_extra=schemas.failures(404, 409, 412, 422),
                   operation_id=f"{op}_delete",
                   summary=described(format_lazy(gettext_lazy("Delete {one}"), one=one)))
    def delete_object(request: HttpRequest, pk: schemas.Id) -> HttpResponse:
        return ops.delete(request, pk)

    return router
