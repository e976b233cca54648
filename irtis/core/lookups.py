"""`field__in_list=ids`: `__in` with the whole list as one query parameter.

Naming the objects of a large walk filters by tens of thousands of ids. With `__in` each id is
a placeholder that Django resolves and the driver splits out of the SQL text, which costs more
than reading the rows (30,000 machines by name: 330 ms against 40 ms). Here the list is one
value: an array on PostgreSQL (`= ANY(%s)`), JSON text read by `json_each` on SQLite.
"""

import json
from typing import Any

from django.db import models
from django.db.models.lookups import Lookup


@models.IntegerField.register_lookup
class InList(Lookup):
    lookup_name = "in_list"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        values = [int(v) for v in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, values]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(values)]
