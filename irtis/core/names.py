"""Names (and codes) that must be unique: normalised on the way in, compared without case.

One declaration per field: ``name = NameField(_("name"), max_length=100, unique=True)`` (or
``unique_with=("device",)`` for a name unique within its device). The field

- stores its text normalised (`normalise`): Unicode NFKC (full-width digits and letters,
  ligatures, compatibility look-alikes become their plain forms), format characters (Unicode
  category Cf: zero-width spaces and joiners, soft hyphens, direction marks) removed, runs of
  white space made one space, surrounding white space stripped. What is stored is what every
  page, file and API answer shows;
- refuses a name mixing Latin, Cyrillic or Greek letters (a Cyrillic "а" in a Latin name looks
  the same and is not);
- is unique case-insensitively, enforced by the database: a unique index over the folded text
  (`Fold`: lower case by Unicode's rules, ICU's on PostgreSQL, Python's on SQLite), which the
  field adds to its model as a `UniqueName` constraint. Forms, the API and imports refuse a
  taken name with an error naming the object that has it, never with a database error.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Case mapping as Unicode defines it, without a language's special rules: the same as Python's
# str.lower(), which the check of a batch (core.bulk) and the migrations use.
ICU_ROOT = "und-x-icu"
SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form a unique name is stored in (see the module's description)."""
    if text.isascii():  # no compatibility or format characters: spacing only
        return " ".join(text.split()) if _SPACES.search(text) else text
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(unicodedata.normalize("NFKC", text).split())


def fold(text: str) -> str:
    """A normalised name as the unique index compares it."""
    return normalise(text).lower()


def scripts(text: str) -> list[str]:
    """The alphabets among Latin, Cyrillic and Greek whose letters `text` contains."""
    found = {unicodedata.name(c, "").split(" ", 1)[0] for c in text if c.isalpha() and not c.isascii()}
    if any(c.isascii() and c.isalpha() for c in text):
        found.add("LATIN")
    return [s for s in SCRIPTS if s in found]


def one_alphabet(value: str) -> None:
    mixed = scripts(value)
    if len(mixed) > 1:
        names = {"LATIN": _("Latin"), "CYRILLIC": _("Cyrillic"), "GREEK": _("Greek")}
        raise ValidationError(
            _("Mixes letters of different alphabets (%(alphabets)s): look-alike letters would make "
              "names that seem equal and are not. Write it in one alphabet."),
            code="mixed_alphabets", params={"alphabets": ", ".join(str(names[s]) for s in mixed)})


class Fold(models.Func):
    """LOWER of a text column by Unicode's rules on both databases (SQLite's own lower() folds
    ASCII only, so it gets a function of its own, registered on every connection)."""

    function = "LOWER"
    arity = 1

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template=f'LOWER((%(expressions)s) COLLATE "{ICU_ROOT}")', **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="IRTIS_FOLD", **extra)


def _sqlite_fold(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


@receiver(connection_created)
def _register(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":  # deterministic: usable in an index
        connection.connection.create_function("IRTIS_FOLD", 1, _sqlite_fold, deterministic=True)


class UniqueName(models.UniqueConstraint):
    """`field` unique once folded, within the objects sharing the `scope` fields' values."""

    def __init__(self, field: str, *, scope: Sequence[str] = (), name: str) -> None:
        self.field, self.scope = field, tuple(scope)
        super().__init__(*(models.F(s) for s in self.scope), Fold(field), name=name,
                         violation_error_code="unique")

    def deconstruct(self) -> tuple[str, tuple, dict]:
        return "irtis.core.names.UniqueName", (self.field,), {"scope": self.scope, "name": self.name}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UniqueName) and self.deconstruct() == other.deconstruct()

    def __hash__(self) -> int:
        return hash(self.deconstruct()[1:2])

    def validate(self, model: type[models.Model], instance: models.Model, exclude: Any = None,
                 using: str = DEFAULT_DB_ALIAS) -> None:
        if exclude and ({self.field, *self.scope} & set(exclude)):
            return
        value = getattr(instance, self.field)
        scope = {}
        for name in self.scope:
            attname = model._meta.get_field(name).attname  # type: ignore[union-attr]  # a column
            scope[attname] = getattr(instance, attname)
        if value in (None, "") or None in scope.values():
            return
        taken = model._default_manager.using(using).alias(_folded=Fold(self.field)).filter(
            _folded=fold(value), **scope)
        if not instance._state.adding and instance.pk is not None:
            taken = taken.exclude(pk=instance.pk)
        existing = taken.only("pk", self.field).first()
        if existing is not None:
            raise ValidationError({self.field: ValidationError(
                taken_message(model, self.field, getattr(existing, self.field), self.scope), code="unique")})


def taken_message(model: type[models.Model], field: str, value: str, scope: Sequence[str] = ()) -> str:
    """"Device “SW-01” already exists (…)": the object that has the name, by its stored name."""
    meta = model._meta
    params = {"model": capfirst(meta.verbose_name), "value": value,
              "field": meta.get_field(field).verbose_name}  # type: ignore[union-attr]  # a column
    if scope:
        params["scope"] = ", ".join(str(meta.get_field(s).verbose_name) for s in scope)  # type: ignore[union-attr]
        return gettext("%(model)s “%(value)s” already exists with the same %(scope)s (%(field)s is "
                       "compared ignoring case, extra spaces and look-alike characters).") % params
    return gettext("%(model)s “%(value)s” already exists (%(field)s is compared ignoring case, extra "
                   "spaces and look-alike characters).") % params


class NameMixin:
    """What makes a text field a name: see the module's description."""

    normalises = True  # irtis.sql never passes its values through unconverted

    def __init__(self, *args: Any, unique: bool = False, unique_with: Sequence[str] = (), **kwargs: Any) -> None:
        self.unique_name, self.unique_with = unique or bool(unique_with), tuple(unique_with)
        super().__init__(*args, **kwargs)
        # Added to the field's validator list as CharField adds its length check: not among the
        # validators given, which migrations would record.
        cast(Any, self).validators.append(one_alphabet)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        if self.unique_with:
            kwargs["unique_with"] = self.unique_with
        elif self.unique_name:
            kwargs["unique"] = True
        return name, path, args, kwargs

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)  # type: ignore[misc]
        # Historical models of migrations ("__fake__") carry the constraint in their state.
        if self.unique_name and not cls._meta.abstract and cls.__module__ != "__fake__":
            constraint = UniqueName(name, scope=self.unique_with,
                                    name=f"{cls._meta.db_table}_{name}_unique"[:63])
            if all(c.name != constraint.name for c in cls._meta.constraints):
                cls._meta.constraints = [*cls._meta.constraints, constraint]
                cls._meta.original_attrs["constraints"] = cls._meta.constraints  # seen by migrations

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)  # type: ignore[misc]
        return normalise(value) if isinstance(value, str) else value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = super().pre_save(model_instance, add)  # type: ignore[misc]
        if isinstance(value, str) and (normalised := normalise(value)) != value:
            setattr(model_instance, self.attname, normalised)  # type: ignore[attr-defined]
            return normalised
        return value


class NameField(NameMixin, models.CharField):
    """A name or code that must be unique (or one that is compared as such)."""


class SlugNameField(NameMixin, models.SlugField):
    """A slug that must be unique."""


def unique_names(model: type[models.Model]) -> list[UniqueName]:
    return [c for c in model._meta.constraints if isinstance(c, UniqueName)]


def conflicts(objects: Sequence[models.Model], constraint: UniqueName) -> dict[int, str]:
    """Error by index of the objects whose name repeats an earlier one's or is taken in the
    table, for a batch (imports, API lists): one query per 500 names."""
    model = type(objects[0])
    scope = [model._meta.get_field(s).attname for s in constraint.scope]  # type: ignore[union-attr]
    seen: dict[tuple, list[int]] = {}
    errors: dict[int, str] = {}
    for index, obj in enumerate(objects):
        value = getattr(obj, constraint.field)
        key = (*(getattr(obj, a) for a in scope), fold(value) if isinstance(value, str) else value)
        if any(v is None for v in key) or key[-1] == "":
            continue
        if key in seen:
            errors[index] = gettext("Repeats the value of item %(number)d.") % {"number": seen[key][0] + 1}
        seen.setdefault(key, []).append(index)
    keys = list(seen)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        query = models.Q(_folded__in=[k[-1] for k in chunk])
        if scope:
            query &= models.Q(*(models.Q(**dict(zip(scope, k[:-1], strict=True))) for k in chunk),
                              _connector=models.Q.OR)
        rows = model._default_manager.alias(_folded=Fold(constraint.field)).filter(query)
        for row in rows.values_list("pk", constraint.field, *scope):
            for index in seen.get((*row[2:], fold(row[1])), ()):  # each item naming it
                if objects[index].pk != row[0]:
                    errors[index] = taken_message(model, constraint.field, row[1], constraint.scope)
    return errors


def normalise_existing(app_label: str, specs: dict[str, Iterable[tuple[str, ...]]]) -> Any:
    """A migration step, before a `UniqueName` is added: store every name of the given
    fields normalised, or stop, naming the rows, when two of them become one name (or one
    becomes too long) — nothing is merged or lost. `specs`: model name → (field, *scope)."""
    from django.db import migrations

    def run(apps: Any, schema_editor: Any) -> None:
        problems: list[str] = []
        changes: list[tuple[Any, int, str, str]] = []
        for model_name, fields in specs.items():
            model = apps.get_model(app_label, model_name)
            for field, *scope in fields:
                attnames = [model._meta.get_field(s).attname for s in scope]
                limit = model._meta.get_field(field).max_length
                groups: dict[tuple, list[tuple[int, str]]] = {}
                for pk, value, *within in model._default_manager.order_by("pk").values_list("pk", field, *attnames):
                    if value is None:
                        continue
                    normalised = normalise(value)
                    if limit and len(normalised) > limit:
                        problems.append(f"{app_label}.{model_name} id {pk}: {field} “{value}” is longer than "
                                        f"{limit} characters once normalised (“{normalised}”)")
                    if normalised != value:
                        changes.append((model, pk, field, normalised))
                    if normalised and None not in within:
                        groups.setdefault((*within, normalised.lower()), []).append((pk, value))
                for rows in groups.values():
                    if len(rows) > 1:
                        problems.append(f"{app_label}.{model_name} {field}: " + ", ".join(
                            f"“{value}” (id {pk})" for pk, value in rows))
        if problems:
            raise RuntimeError(
                "These names are one name once normalised (case, spaces, zero-width and look-alike "
                "characters) and must be unique; rename all but one of each, then migrate again:\n  "
                + "\n  ".join(problems))
        for model, pk, field, value in changes:
            model._default_manager.filter(pk=pk).update(**{field: value})

    return migrations.RunPython(run, migrations.RunPython.noop)
