"""The column layout shared by imports and exports, so an export imports again unchanged.

Columns are field names. A foreign key holds the natural key of the object it points to
(a site's code, a manufacturer's name); a many-to-many field (tags too) holds the natural keys
of its objects in one cell, separated by `relations.SEPARATOR` (";").
"""

from dataclasses import dataclass
from typing import cast

from django.db import models

from .registry import ModelEntry, entry_for, is_reference


@dataclass(frozen=True)
class TableColumn:
    name: str
    field: models.Field

    @property
    def many(self) -> bool:
        return bool(self.field.many_to_many)  # None for a column

    @property
    def lookup(self) -> str:
        """The values() path that yields this column's exported value."""
        if is_reference(self.field):
            return f"{self.name}__{related_key(self.field)}"
        return self.name


def related_key(field: models.Field) -> str:
    """The field that names an object of `field`'s related model in a file."""
    related = entry_for(cast(type[models.Model], field.related_model))  # resolved once the apps are loaded
    return related.key if related else "pk"


def columns(entry: ModelEntry) -> list[TableColumn]:
    """Every column of a file: id, the fields a user sets, many-to-many fields last."""
    names = ["id", *[n for n in entry.editable_fields if n not in entry.many_names],
             *[f.name for f in entry.many_fields]]
    return [TableColumn(n, entry.field(n)) for n in names]
