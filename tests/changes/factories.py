"""Maintenance windows over the graph tests' estate (tests/systems/factories.estate)."""

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from irtis.changes.models import Blackout, MaintenanceWindow, Status, WindowObject

T0 = dt.datetime(2027, 3, 1, 0, 0, tzinfo=dt.UTC)


def at(days: float = 0, hours: float = 0) -> dt.datetime:
    return T0 + dt.timedelta(days=days, hours=hours)


def window(name: str, objects: list[models.Model], start: dt.datetime, hours: float = 2, recurrence: str = "",
           status: str = Status.APPROVED, **values: Any) -> MaintenanceWindow:
    made = MaintenanceWindow(name=name, start=start, end=start + dt.timedelta(hours=hours), recurrence=recurrence,
                             **values)
    made.full_clean()
    made.save()
    for obj in objects:
        cover(made, obj)
    if made.status != status:
        made.status = status
        made.save()
    return made


def cover(of: MaintenanceWindow, obj: models.Model) -> WindowObject:
    item = WindowObject(window=of, object_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    item.full_clean()
    item.save()
    return item


def blackout(name: str, start: dt.datetime, hours: float, system: Any = None, recurrence: str = "") -> Blackout:
    made = Blackout(name=name, system=system, start=start, end=start + dt.timedelta(hours=hours),
                    recurrence=recurrence)
    made.full_clean()
    made.save()
    return made
