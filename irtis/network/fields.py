"""Two column-less fields that let registered network models use the generic pages unchanged.

The platform builds list columns and filters from model fields. IP space needs two things it
has no declaration for yet, so they are declared here as *virtual* fields (no database column,
like Django's GenericForeignKey), which the generic code already understands:

- `ComputedField`: a read-only list column whose value the model's default manager computes
  in the page query itself (an annotation of the same name), e.g. a prefix's utilisation.
  Sorting by it sorts by the annotation; forms, imports, exports and the API never see it.
- `ContainedInField`: a filter `?parent=10.2.0.0/16` meaning "inside this network", turned
  into a range condition on the model's indexed key columns (see `ip.py`).

(Platform candidates: computed columns and custom filter methods in `core.registry`.)
"""

from collections.abc import Sequence
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.lookups import Lookup

from . import ip


class KeyField(models.Field):
    """A fixed-width hexadecimal address key (see `ip.py`): a varchar that is ordered byte-wise.

    Not a CharField on purpose: the platform sorts CharFields in Lithuanian collation, which
    would defeat the index order of keys (and call a Python collation per comparison on SQLite).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", ip.KEY_LENGTH)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "CharField"

    def to_python(self, value: Any) -> Any:
        return value if value is None else str(value)


class _Virtual(models.Field):
    """A field without a column: not in forms, migrations, exports or API schemas."""

    def __init__(self, verbose_name: Any = None, **kwargs: Any) -> None:
        kwargs.update(editable=False, blank=True, null=True, serialize=False)
        super().__init__(verbose_name, **kwargs)

    def get_attname_column(self) -> tuple[str, None]:  # type: ignore[override]  # no column: Django skips it
        return self.get_attname(), None

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=True)
        # A default for instances loaded without the annotation (and for Model.clean_fields).
        setattr(cls, self.attname, None)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, _path, args, kwargs = super().deconstruct()
        return name, f"{type(self).__module__}.{type(self).__name__}", args, kwargs


class Percent(float):
    """A percentage that prints the way a list cell should show it: `42 %`."""

    def __str__(self) -> str:
        return "< 1 %" if 0 < self < 1 else f"{self:.0f} %"


class ComputedField(_Virtual):
    """A list column computed by the default manager's annotation of the same name."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Percent | None:
        return None if value is None else Percent(value)


class ContainedInField(_Virtual):
    """`?<name>=<CIDR>`: objects whose key column lies inside that network.

    `key_fields` are (start, end) column names; an address model gives the same name twice.
    `strict` leaves out an object covering exactly that network (a prefix is not within itself).
    An invalid CIDR matches nothing (a list filter must answer, not fail).
    """

    def __init__(self, verbose_name: Any = None, key_fields: tuple[str, str] = ("start", "end"),
                 strict: bool = False, **kwargs: Any) -> None:
        self.key_fields, self.strict = key_fields, strict
        super().__init__(verbose_name, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(key_fields=self.key_fields, strict=self.strict)
        return name, path, args, kwargs


class _Inside(Lookup):
    lookup_name = "exact"
    prepare_rhs = False
    can_use_none_as_rhs = True

    def get_prep_lookup(self) -> tuple[str, str] | None:
        try:
            return ip.bounds(ip.parse_network(str(self.rhs), strict=False))
        except (ValidationError, ValueError, TypeError):
            return None

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if self.rhs is None:
            return "1 = 0", []
        field: ContainedInField = self.lhs.target
        table = compiler.quote_name_unless_alias(self.lhs.alias)
        start, end = (connection.ops.quote_name(cast(models.Field, field.model._meta.get_field(n)).column)
                      for n in field.key_fields)
        low, high = self.rhs
        sql, params = f"{table}.{start} >= %s AND {table}.{end} <= %s", [low, high]
        if field.strict:
            sql, params = f"{sql} AND NOT ({table}.{start} = %s AND {table}.{end} = %s)", [*params, low, high]
        return f"({sql})", params


class _InsideText(_Inside):
    lookup_name = "icontains"


ContainedInField.register_lookup(_Inside)
ContainedInField.register_lookup(_InsideText)
