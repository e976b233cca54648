"""Recommendations and people for the report tests."""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from irtis.reports.models import Recommendation


def person(username: str, **values: Any) -> Any:
    values.setdefault("email", f"{username}@muitine.lt")
    return get_user_model().objects.create_user(username, **values)


def recommendation(title: str, owner: Any = None, due: dt.date | None = None, **values: Any) -> Recommendation:
    owner = owner or get_user_model().objects.filter(username="vadove").first() or person("vadove")
    values.setdefault("raised_on", dt.date(2026, 1, 5))
    made = Recommendation(title=title, rationale="Nes taip saugiau", owner=owner,
                          due=due or dt.date(2026, 3, 1), **values)
    made.full_clean()
    made.save()
    return made
