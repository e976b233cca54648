"""Authorisation in one place: who may do what with which objects.

Every view, API endpoint, search, import and export asks `allowed` and `restrict`.

A user may do an action on a model if they are an active superuser, or if an enabled object
permission (kept by identity, read through `IRTIS_PERMISSION_GRANTS`) given to them or to one
of their roles (groups) names the model and the action. A permission may carry constraints (a
filter dict, or a list of them meaning OR); the user then acts only on the objects that match.
All permissions of a user are read once per request and kept on the user object, so a page
asking a hundred times costs the same as asking once; and they are kept in the process between
requests while their version (one query) is unchanged: a role names some 150 models, whose
permissions took a fifth of a role user's request to read and compile.
"""

import datetime
import decimal
import json
import logging
import threading
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from types import SimpleNamespace
from typing import Any, Literal, cast

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, FieldError, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .registry import ModelEntry, entry_for

log = logging.getLogger(__name__)

ACTIONS = ("view", "add", "change", "delete", "import", "export")
_CACHE = "_irtis_permissions"

# (app_label.model_name, action) → None when unconstrained, else the list of Q that grant it.
Grants = dict[tuple[str, str], list[models.Q] | None]


def _label(target: "ModelEntry | type[models.Model] | str") -> str:
    if isinstance(target, ModelEntry):
        return target.label
    if isinstance(target, str):
        return target.lower()
    return target._meta.label_lower


def _active(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


Granted = Iterable[tuple[str, Any, Any, list[str]]]  # (name, actions, constraints, model labels)


@cache
def _granted() -> Callable[[Any, str | None], tuple[str | None, Granted | None]]:
    """The function reading a user's permissions from where they are kept (`IRTIS_PERMISSION_GRANTS`,
    identity's object permissions): given the version the caller knows, the current version and,
    unless that is the one known, the permissions."""
    return import_string(settings.IRTIS_PERMISSION_GRANTS)


# user pk → (the version of the grants, what they grant), for the most recent users.
_kept: dict[Any, tuple[str, Grants]] = {}
_kept_lock = threading.Lock()
KEPT_USERS = 2048


def grants(user: Any) -> Grants:
    """Everything the user is granted, read once per user object (i.e. once per request)."""
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    result: Grants = {}
    if _active(user) and getattr(user, "pk", None) is not None:
        result = _load(user)
    try:
        setattr(user, _CACHE, result)
    except AttributeError:  # pragma: no cover - an object that takes no attributes
        pass
    return result


def forget(user: Any) -> None:
    """Drop the cached permissions (after the user's roles or permissions changed)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def _load(user: Any) -> Grants:
    kept = _kept.get(user.pk)
    version, permissions = _granted()(user, kept[0] if kept else None)
    if permissions is None and kept is not None:
        return kept[1]
    result = _compile(permissions or [], user)
    if version is not None:
        with _kept_lock:
            if len(_kept) >= KEPT_USERS:
                del _kept[next(iter(_kept))]
            _kept[user.pk] = (version, result)
    return result


def _compile(permissions: Granted, user: Any) -> Grants:
    from django.apps import apps

    result: Grants = {}
    for name, actions, constraints, labels in permissions:
        for label in labels:
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            q = constraint_q(constraints, user, model)
            if q is False:
                log.warning(
                    "Permission “%s” has invalid constraints %s for %s: no access.",
                    name, json.dumps(constraints, ensure_ascii=False), label,
                )
                continue
            for action in actions if isinstance(actions, list) else []:
                key = (label, str(action))
                if q is None or result.get(key, []) is None:
                    result[key] = None
                else:
                    cast(list[models.Q], result.setdefault(key, [])).append(q)  # None is handled above
    return result


_ANY_USER = SimpleNamespace(pk=0)  # "$user" when only the lookups are checked


def _substitute(value: Any, user: Any) -> Any:
    if value == "$user":
        return user.pk
    if isinstance(value, list):
        return [_substitute(v, user) for v in value]
    return value


def constraint_q(
    constraints: Any, user: Any, model: type[models.Model]
) -> "models.Q | Literal[False] | None":
    """The filter that `constraints` mean for `model`: None (no constraint) or False (invalid)."""
    if constraints in (None, {}, []):
        return None
    q = _q(constraints, user)
    if q is False or not _resolves(model, json.dumps(constraints, sort_keys=True)):
        return False
    return q


def _q(constraints: Any, user: Any) -> "models.Q | Literal[False]":
    q = models.Q()
    for item in constraints if isinstance(constraints, list) else [constraints]:
        if not isinstance(item, dict) or not item:
            return False
        q |= models.Q(**{str(k): _substitute(v, user) for k, v in item.items()})
    return q


@lru_cache(maxsize=4096)
def _resolves(model: type[models.Model], constraints: str) -> bool:
    """Do the constraints' lookups resolve on the model (the fields exist, the values fit)?
    Compiling the query costs about a millisecond, so it is done once per constraints and model
    in a process (the models do not change while it runs), not at every request."""
    q = _q(json.loads(constraints), _ANY_USER)
    try:
        str(model._default_manager.filter(q).query)
    except (FieldError, FieldDoesNotExist, ValidationError, ValueError, TypeError) as error:
        log.warning("Invalid permission constraints %s on %s: %s", constraints, model._meta.label, error)
        return False
    return True


def has(user: Any, target: "ModelEntry | type[models.Model] | str", action: str) -> bool:
    """May the user do `action` on at least some objects of `target` (entry, model or label)?"""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return (_label(target), action) in grants(user)


def rights(user: Any) -> frozenset[tuple[str, str]] | Literal[True]:
    """Whatever `has` answers for the user, as one hashable value, to keep what depends on it
    alone: True for an active superuser (everything), else the (model label, action) pairs
    granted (none to an inactive user)."""
    if not _active(user):
        return frozenset()
    return True if user.is_superuser else frozenset(grants(user))


def right(permission: str) -> tuple[str, str] | None:
    """The (model label, action) of a Django permission name ("inventory.view_device"); None if
    it names none of the actions irtis grants."""
    app_label, _, codename = permission.partition(".")
    action, _, model_name = codename.partition("_")
    return (f"{app_label}.{model_name}", action) if action in ACTIONS and model_name else None


def allowed(user: object, entry: ModelEntry, action: str) -> bool:
    """May the user perform `action` (view, add, change, delete, import, export) on the model?"""
    return has(user, entry, action)


def constraint(
    user: Any, target: "ModelEntry | type[models.Model] | str", action: str
) -> models.Q | None:
    """The filter limiting the user's `action` on `target`; None if not limited (or superuser).

    Ask `has` first: a user without the permission gets None here too.
    """
    if not _active(user) or user.is_superuser:
        return None
    found = grants(user).get((_label(target), action))
    if not found:
        return None
    q = models.Q()
    for item in found:
        q |= item
    return q


def _superusers_only(user: Any, model: type[models.Model], action: str) -> models.Q | None:
    """The objects of `model` that only a superuser may write, if `user` may not (see the
    registration's `superusers_only`); None when nothing is withheld."""
    if action in {"view", "export"} or not _active(user) or user.is_superuser:
        return None
    entry = entry_for(model)
    withheld = entry.superusers_only if entry else None
    return withheld(user) if callable(withheld) else withheld


def restrict(queryset: models.QuerySet, user: object, action: str = "view") -> models.QuerySet:
    """The part of `queryset` the user may act on."""
    model = queryset.model
    if not has(user, model, action):
        return queryset.none()
    if (withheld := _superusers_only(user, model, action)) is not None:
        queryset = queryset.exclude(withheld)
    q = constraint(user, model, action)
    if q is None:
        return queryset
    # A subquery, not a join: constraints across many-valued relations yield no duplicates.
    return queryset.filter(pk__in=model._default_manager.filter(q).values("pk"))


def obtain(queryset: models.QuerySet, user: object, action: str, pk: int) -> Any:
    """The object of `queryset` with this pk if the user may `action` it; Http404 if they may not
    even see it (a hidden object answers like a missing one), PermissionDenied if they may only see it."""
    found = restrict(queryset, user, action).filter(pk=pk).first()
    if found is None:
        if restrict(queryset, user).filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404(_("Not found."))
    return found


def ensure(user: Any, objects: Iterable[models.Model], action: str) -> None:
    """Raise PermissionDenied if any object falls outside what the user may `action`.

    Writers call it after saving, inside their transaction, so an object moved out of the
    user's constraint (a device put at a site they do not manage) is never committed.
    """
    errors = check_objects(user, objects, action)
    if errors:
        raise PermissionDenied("; ".join(message for _, message in errors[:5]))


def check_objects(user: Any, objects: Iterable[models.Model], action: str) -> list[tuple[int, str]]:
    """(position, message) for each object the user may not `action`; empty when all are fine.

    A saved object is checked against the database (call it after saving, inside the
    transaction, to check the new state; before saving, to check the object may be touched at
    all). An unsaved object is checked by evaluating the constraints on its attributes.
    """
    objects = list(objects)
    if not objects:
        return []
    model = type(objects[0])
    if not has(user, model, action):
        return [(i, _refused(o)) for i, o in enumerate(objects)]
    saved = [o.pk for o in objects if o.pk is not None and not o._state.adding]
    privileged = _privileged(user, objects, saved, action)
    q = constraint(user, model, action)
    if q is None:
        return privileged
    errors = _outside(objects, saved, q)
    return sorted(dict([*errors, *privileged]).items())


def _privileged(user: Any, objects: list[models.Model], saved: list[Any], action: str) -> list[tuple[int, str]]:
    """Objects only a superuser may write: as they are stored (before a change is saved) or as
    they would become (a flag being set)."""
    from django.utils.translation import gettext as _

    withheld = _superusers_only(user, type(objects[0]), action)
    if withheld is None:
        return []
    stored = set(type(objects[0])._default_manager.filter(pk__in=saved).filter(withheld)
                 .values_list("pk", flat=True)) if saved else set()
    message = _("Only a superuser may create, change or delete “%(object)s”.")
    return [(i, message % {"object": o}) for i, o in enumerate(objects)
            if o.pk in stored or _matches(o, withheld)]


def _outside(objects: list[models.Model], saved: list[Any], q: models.Q) -> list[tuple[int, str]]:
    model = type(objects[0])
    inside = set(model._default_manager.filter(pk__in=saved).filter(q).values_list("pk", flat=True))
    errors = []
    for index, obj in enumerate(objects):
        ok = obj.pk in inside if obj.pk is not None and not obj._state.adding else _matches(obj, q)
        if not ok:
            errors.append((index, _refused(obj)))
    return errors


def _refused(obj: models.Model) -> str:
    from django.utils.translation import gettext as _

    return _("You may not do this with “%(object)s”: it is outside your permissions.") % {
        "object": obj
    }


# --- evaluating constraints on an unsaved object ----------------------------------------------

_LOOKUPS = {
    "exact": lambda a, b: a == b,
    "iexact": lambda a, b: str(a).casefold() == str(b).casefold(),
    "in": lambda a, b: a in b,
    "isnull": lambda a, b: (a is None) == bool(b),
    "gt": lambda a, b: a is not None and a > b,
    "gte": lambda a, b: a is not None and a >= b,
    "lt": lambda a, b: a is not None and a < b,
    "lte": lambda a, b: a is not None and a <= b,
    "contains": lambda a, b: a is not None and str(b) in str(a),
    "icontains": lambda a, b: a is not None and str(b).casefold() in str(a).casefold(),
    "startswith": lambda a, b: a is not None and str(a).startswith(str(b)),
    "istartswith": lambda a, b: a is not None and str(a).casefold().startswith(str(b).casefold()),
    "endswith": lambda a, b: a is not None and str(a).endswith(str(b)),
    "iendswith": lambda a, b: a is not None and str(a).casefold().endswith(str(b).casefold()),
}


def _matches(obj: models.Model, q: models.Q) -> bool:
    results = [
        _matches(obj, child) if isinstance(child, models.Q) else _condition(obj, *cast(tuple[str, Any], child))
        for child in q.children
    ]
    outcome = any(results) if q.connector == models.Q.OR else all(results)
    return not outcome if q.negated else outcome


def _condition(obj: models.Model, path: str, expected: Any) -> bool:
    parts = path.split("__")
    lookup = parts.pop() if len(parts) > 1 and parts[-1] in _LOOKUPS else "exact"
    value: Any = obj
    for index, name in enumerate(parts):
        if value is None:
            break
        try:
            field = value._meta.pk if name == "pk" else value._meta.get_field(name)
        except (AttributeError, FieldDoesNotExist):
            return False
        if field.is_relation and not field.many_to_one and not field.one_to_one:
            return False  # many-valued relations cannot be evaluated before saving
        last = index == len(parts) - 1
        value = getattr(value, field.attname if last and field.many_to_one else field.name, None)
        if last:
            expected = _prepared(field, expected, lookup)
    try:
        return bool(_LOOKUPS[lookup](value, expected))
    except TypeError:
        return False


def _prepared(field: models.Field, value: Any, lookup: str) -> Any:
    if lookup in {
        "isnull",
        "contains",
        "icontains",
        "startswith",
        "istartswith",
        "endswith",
        "iendswith",
        "iexact",
    }:
        return value
    target = cast(models.ForeignKey, field).target_field if field.many_to_one else field
    convert = target.to_python
    if lookup == "in":
        return [convert(v) for v in value]
    if isinstance(value, str | int | float | decimal.Decimal | datetime.date):
        return convert(value)
    return value
