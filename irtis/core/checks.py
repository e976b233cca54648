"""System checks of registered models (run by `irtis check` and at every start)."""

from typing import Any

from django.core import checks
from django.core.checks import Error, register
from django.db import models

from . import collation, registry

EXPECTED = {
    "version": lambda f: isinstance(f, models.PositiveIntegerField) and not f.editable,
    "created": lambda f: isinstance(f, models.DateTimeField) and f.auto_now_add,
    "updated": lambda f: isinstance(f, models.DateTimeField) and f.auto_now,
}


@register()
def platform_fields(app_configs: Any, **kwargs: Any) -> list[Error]:
    """A model field named like a platform field silently replaces it (e.g. a software `version`)."""
    errors = []
    for entry in registry.entries():
        for name, is_platform_field in EXPECTED.items():
            if not is_platform_field(entry.model._meta.get_field(name)):
                errors.append(Error(
                    f"{entry.label}.{name} replaces the platform's {name} field",
                    hint="Give the field another name; BaseModel uses it for locking and history.",
                    obj=entry.model, id="irtis.E001",
                ))
    return errors


@register()
def ordering_indexes(app_configs: Any, **kwargs: Any) -> list[checks.Warning]:
    """Lists are read in the model's default order; without an index in that order every page
    sorts the whole table (slow, not wrong: a warning; tests/core/test_checks.py fails on it)."""
    warnings = []
    for entry in registry.entries():
        if name := collation.ordering_index_missing(entry.model):
            warnings.append(checks.Warning(
                f"{entry.label} is ordered by {name} in Lithuanian order without an index for it",
                hint=f'Add collation.index("{name}", "…") to Meta.indexes.',
                obj=entry.model, id="irtis.W002",
            ))
    return warnings
