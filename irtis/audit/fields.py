"""A JSON value stored as its one canonical text, so that the text hashed is the text kept."""

import json
from typing import Any

from django.db import models

from .canonical import json_text


class CanonicalJSONField(models.TextField):
    """JSON in a text column, written sorted and without spaces on every database.

    PostgreSQL's `jsonb` would re-render the text (its own key order and spacing), and the
    scheme-2 hash covers the stored text (`irtis.audit.canonical`).
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> str | None:
        return None if value is None else json_text(value)
