"""Where the descriptions read irtis.systems: its models and its graph API, found at run time.

Architecture stands above systems; reading them through here keeps the rest of the app working
(with an infrastructure description only) on an installation without irtis.systems.
"""

from types import ModuleType
from typing import Any

from django.apps import apps
from django.db import models


def model(name: str) -> type[Any] | None:  # fields known at run time only
    try:
        return apps.get_model("systems", name)
    except LookupError:
        return None


def system_model() -> type[Any] | None:
    return model("InformationSystem")


def graph() -> ModuleType | None:
    """irtis.systems.graph (downstream, impact, single_points_of_failure, graph_json), if any."""
    if system_model() is None:
        return None
    try:
        from irtis.systems import graph as module
    except ImportError:
        return None
    return module


def has_field(model_class: type[models.Model], name: str) -> bool:
    try:
        model_class._meta.get_field(name)
    except Exception:
        return False
    return True


def first_field(model_class: type[models.Model], *names: str) -> str | None:
    """The first of `names` that the model has (models name the same idea differently)."""
    return next((n for n in names if has_field(model_class, n)), None)


def value(obj: Any, *names: str) -> Any:
    for name in names:
        if hasattr(obj, name):
            return getattr(obj, name)
    return None
