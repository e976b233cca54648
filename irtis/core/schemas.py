"""Pydantic schemas of registered models for the REST API and its OpenAPI description.

Foreign keys are plain ids and many-to-many fields (tags too) arrays of ids: related objects
are never expanded, so a list costs one query.
"""

import datetime
import decimal
from functools import cache
from http import HTTPStatus
from typing import Annotated, Any, Literal, Optional, cast

from django.db import models
from django.utils.choices import CallableChoiceIterator
from pydantic import BaseModel as Schema
from pydantic import ConfigDict, Field, create_model

from .registry import ModelEntry, is_reference

MAX_INT = 2**63 - 1  # what both databases store in a bigint
Integer = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
Id = Annotated[int, Field(ge=1, le=MAX_INT)]
Offset = Annotated[int, Field(ge=0, le=MAX_INT)]


def fixed_choices(field: models.Field) -> bool:
    """Choices known when the schema is built; choices given by a function (e.g. the jobs that
    apps declare) are text here, checked by the model's validation."""
    return bool(field.choices) and not isinstance(field.choices, CallableChoiceIterator)


def blank_choice(field: models.Field) -> bool:
    """A choice that may be left unmade and is stored as "": the API gives and takes null for it,
    so its schema allows only the values or null."""
    return fixed_choices(field) and field.blank and field.empty_strings_allowed and not field.null


def python_type(field: models.Field) -> Any:
    if is_reference(field):
        return Id
    if fixed_choices(field):
        return Literal[tuple(value for value, _ in field.flatchoices if value != "")]
    for django_type, py in (
        (models.BooleanField, bool), (models.DateTimeField, datetime.datetime),
        (models.DateField, datetime.date), (models.DecimalField, decimal.Decimal),
        (models.FloatField, float), (models.IntegerField, Integer), (models.AutoField, Id),
        (models.BigAutoField, Id), (models.JSONField, Any),
    ):
        if isinstance(field, django_type):
            return py
    return str


def _constraints(field: models.Field) -> dict[str, Any]:
    limits: dict[str, Any] = {"description": str(field.help_text or field.verbose_name)}
    if isinstance(field, models.CharField) and field.max_length and not fixed_choices(field):
        limits["max_length"] = field.max_length
    positive = models.PositiveIntegerField | models.PositiveSmallIntegerField | models.PositiveBigIntegerField
    if isinstance(field, positive):
        limits["ge"] = 0
    return limits


def _definition(field: models.Field, optional: bool) -> tuple[Any, Any]:
    kind = python_type(field)
    if field.null or blank_choice(field):
        kind = Optional[kind]  # noqa: UP045 (runtime type construction)
    if optional or field.has_default() or field.blank or field.null:
        # May be left out, but only a nullable field takes null (the default is not validated).
        # Left out of a create or PUT, a field takes its default ("" for blank text), worked out
        # for each request when it is a function (`timezone.now`), not once when the schema is built.
        if optional or blank_choice(field):
            return (kind, Field(None, **_constraints(field)))
        if callable(field.default):
            return (kind, Field(default_factory=field.get_default, **_constraints(field)))
        return (kind, Field(field.get_default(), **_constraints(field)))
    return (kind, Field(..., **_constraints(field)))


def _many_description(field: models.ManyToManyField) -> str:
    related = cast(type[models.Model], field.related_model)  # resolved once the apps are loaded
    return f"{field.verbose_name}: ids of {related._meta.verbose_name_plural}"


@cache
def output_schema(entry: ModelEntry) -> type[Schema]:
    fields: dict[str, Any] = {f.name: (Optional[python_type(f)], None) for f in entry.value_fields}  # noqa: UP045
    for field in entry.many_fields:
        fields[field.name] = (list[Id], Field([], description=_many_description(field)))
    return create_model(f"{entry.model.__name__}", **fields)


@cache
def write_schema(entry: ModelEntry, partial: bool) -> type[Schema]:
    fields: dict[str, Any] = {
        name: _definition(entry.field(name), partial) for name in entry.editable_fields if name not in entry.many_names
    }
    for field in entry.many_fields:  # left out: unchanged (empty on create); a list replaces the set
        fields[field.name] = (Optional[list[Id]], Field(None, description=_many_description(field)))  # noqa: UP045
    if partial:
        fields["version"] = (Optional[int], Field(None, description="version read; refused if stale"))  # noqa: UP045
    suffix = "Patch" if partial else "Create"
    return create_model(
        f"{entry.model.__name__}{suffix}", __config__=ConfigDict(extra="forbid"), **fields
    )


@cache
def bulk_patch_schema(entry: ModelEntry) -> type[Schema]:
    return create_model(
        f"{entry.model.__name__}BulkPatch", __base__=write_schema(entry, partial=True), id=(Id, ...)
    )


def list_schema(entry: ModelEntry) -> type[Schema]:
    return create_model(
        f"{entry.model.__name__}List", count=(int, ...), next=(Optional[str], None),  # noqa: UP045
        previous=(Optional[str], None),  # noqa: UP045
        results=(list[output_schema(entry)], ...),  # type: ignore[arg-type,misc]  # a schema built at run time
    )


class Problem(Schema):
    """An error's answer: what went wrong and, for invalid data, the messages by field (by the
    item's position for lists); a request the schema refuses (422) lists its faults."""

    detail: str | list[dict[str, Any]]
    errors: dict[str, Any] | None = None


PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def failures(*codes: int) -> dict[str, Any]:
    """The error answers an operation may give besides those of every operation (401, 403), as
    the operation's `openapi_extra`: a `Problem` each, described only. Declared as response
    schemas, django-ninja built a model class per code and operation (6,700 of them, two thirds
    of the start of every process), while every error is answered by `json_response` and never
    goes through one; `api.PlatformAPI` adds `Problem` to the components."""
    return {"responses": {code: {"description": HTTPStatus(code).phrase,
                                 "content": {"application/json": {"schema": PROBLEM_REF}}}
                          for code in (401, 403, *codes)}}


class Identity(Schema):
    id: Id
