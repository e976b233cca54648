"""Lithuanian alphabetical order (a ą b c č … s š … z ž) on both databases.

PostgreSQL has it from ICU (`lt-x-icu`); SQLite gets a collation named the same, registered on
every new connection, with a sort key built from the Lithuanian alphabet.
"""

import functools
import unicodedata
from typing import Any

from django.db import models
from django.db.backends.signals import connection_created
from django.db.models.functions import Collate
from django.dispatch import receiver

NAME = "lt-x-icu"
# Letters in order (as CLDR, which ICU follows): a letter after "<<" sorts with the one before
# it, told apart only on ties; so i, į and y are one letter at first sight, č is not c.
ALPHABET = "a<<ą b c č d e<<ę<<ė f g h i<<į<<y j k l m n o p q r s š t u<<ų<<ū v w x z ž"


def _weights() -> dict[str, tuple[int, int]]:
    weights = {}
    for primary, group in enumerate(ALPHABET.split()):
        for secondary, letter in enumerate(group.split("<<")):
            weights[letter] = (primary, secondary)
    return weights


WEIGHTS = _weights()


@functools.lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple:
    primary, secondary, case = [], [], []
    for char in text:
        lower = char.lower()
        weight = WEIGHTS.get(lower)
        if weight is None:
            base = unicodedata.normalize("NFKD", lower)[:1] or lower
            weight = WEIGHTS.get(base, (-1 if not base.isalpha() else 100, ord(base)))
            if weight[0] == -1:  # digits and punctuation sort before letters, by code point
                weight = (-1, ord(base))
        primary.append(weight[0] if weight[0] != -1 else -1_000_000 + weight[1])
        secondary.append(weight[1])
        case.append(char != lower)
    return (primary, secondary, case)


def _compare(left: str, right: str) -> int:
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


@receiver(connection_created)
def _register(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAME, _compare)


def is_collated(field: object) -> bool:
    """Free text, ordered in Lithuanian (choices order by their stored codes)."""
    return isinstance(field, models.CharField | models.TextField) and not field.choices


def ordered(model: type[models.Model], terms: list[str]) -> list[Any]:
    """ORDER BY terms with text columns in Lithuanian order ("-name" descending)."""
    result: list[Any] = []
    for term in terms:
        name = term.lstrip("-")
        try:
            field = model._meta.get_field(name)
        except Exception:  # related lookups ("site__code") and "pk" stay as they are
            result.append(term)
            continue
        if is_collated(field):
            expression = Collate(models.F(name), NAME)
            result.append(expression.desc() if term.startswith("-") else expression.asc())
        else:
            result.append(term)
    return result


def index(field: str, name: str) -> models.Index:
    """An index in Lithuanian order on a text column: lists ordered by it read the index in
    order and stop after a page, instead of sorting the whole table (on SQLite, by calling the
    Python collation for every comparison)."""
    return models.Index(Collate(models.F(field), NAME), name=name)


def ordering_index_missing(model: type[models.Model]) -> str | None:
    """The first ordering field when it is collated text without such an index, else None."""
    terms = model._meta.ordering or []
    if not terms:
        return None
    name = terms[0].lstrip("-")
    try:
        field = model._meta.get_field(name)
    except Exception:  # ordered through a relation: no single-table index can serve it
        return None
    if not is_collated(field):
        return None
    wanted = Collate(models.F(name), NAME)
    if any(list(i.expressions) == [wanted] for i in model._meta.indexes):
        return None
    return name
