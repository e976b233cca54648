"""Helpers of the access-control tests: one sample object of every registered model."""

import datetime
import decimal
import importlib
import itertools
import pkgutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import Group
from django.db import DatabaseError, models, transaction

import tests
from irtis.core import registry
from irtis.core.models import BaseModel
from irtis.identity import roles
from irtis.identity.models import ObjectPermission, User

_counter = itertools.count(1)
ROLE_CODES = [r.code for r in roles.ROLES]


def contracts() -> dict[type[models.Model], type]:
    """The ModelContract test classes of the suite, by model: they know how to make objects."""
    from tests.support.contract import ModelContract

    root = Path(tests.__file__).parent
    for info in pkgutil.walk_packages([str(root)], prefix="tests."):
        name = info.name.rsplit(".", 1)[-1]
        if not name.startswith("test_") or ".identity." in info.name:
            continue
        path = root.joinpath(*info.name.split(".")[1:]).with_suffix(".py")
        if path.exists() and "ModelContract" in path.read_text(encoding="utf-8"):
            try:
                importlib.import_module(info.name)
            except Exception:  # a module being written by someone else: fall back to samples
                continue
    found: dict[type[models.Model], type] = {}
    stack = list(ModelContract.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if getattr(cls, "model", None) is not None:
            found.setdefault(cls.model, cls)
    return found


def _value(field: models.Field) -> Any:
    n = next(_counter)
    if field.choices:
        return next(v for v, _label in field.flatchoices if v != "")
    if isinstance(field, models.GenericIPAddressField):
        return f"10.99.{n // 250}.{n % 250 + 1}"
    if isinstance(field, models.EmailField):
        return f"x{n}@example.lt"
    if isinstance(field, models.URLField):
        return "https://example.lt/"
    if isinstance(field, models.SlugField):
        return f"s-{n}"
    if isinstance(field, models.CharField | models.TextField):
        return f"S{n}"[: field.max_length or 20]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        return datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    if isinstance(field, models.DateField):
        return datetime.date(2025, 1, 1)
    if isinstance(field, models.DecimalField):
        return decimal.Decimal(1)
    if isinstance(field, models.IntegerField | models.FloatField):
        return n
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.BinaryField):
        return b"S"
    raise ValueError(f"no sample for {field}")


def sample(
    model: type[BaseModel], contract: dict[type[models.Model], type] | None = None
) -> BaseModel:
    """A saved object of `model`: from its ModelContract if it has one, else from field types."""
    if contract and model in contract:
        for n in (0, 1, 2, 3, 5, 8, 13):  # the first number whose object does not exist yet
            try:
                with transaction.atomic():
                    return contract[model]().make(n)
            except Exception:
                continue
    values = {}
    for field in model._meta.concrete_fields:
        if (
            field.primary_key
            or field.has_default()
            or field.null
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            continue
        if field.many_to_one:
            values[field.name] = sample(field.related_model, contract)
        elif not field.blank or field.unique:
            values[field.attname] = _value(field)
    obj = model(**values)
    obj.save()
    return obj


def samples() -> dict[registry.ModelEntry, BaseModel]:
    contract = contracts()
    return {entry: sample(entry.model, contract) for entry in registry.entries()}


def role_user(code: str) -> User:
    user = User.objects.create_user(f"u_{code}", password=None)
    user.groups.add(Group.objects.get(name=code))
    return user


def configured(group: Group) -> dict[str, set[str]]:
    """model label → actions the group's enabled permissions name, read straight from the rows."""
    result: dict[str, set[str]] = {}
    for perm in ObjectPermission.objects.filter(groups=group, enabled=True).prefetch_related(
        "object_types"
    ):
        for ct in perm.object_types.all():
            result.setdefault(f"{ct.app_label}.{ct.model}", set()).update(perm.actions)
    return result


def call(method: Any, url: str, *args: Any, **kwargs: Any) -> Any:
    """One request in a savepoint, so that a failing one does not spoil the rest of the walk."""
    try:
        with transaction.atomic():
            return method(url, *args, **kwargs)
    except DatabaseError as error:
        return SimpleNamespace(status_code=f"database error: {error}".splitlines()[0])
