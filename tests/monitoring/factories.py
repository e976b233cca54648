"""Checks on objects of the graph tests' estate, pointed at loopback ports."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from irtis.monitoring.models import Check


def tcp_check(target: models.Model, port: int, name: str | None = None, **values: object) -> Check:
    made = Check(name=name or f"tcp {target}", kind="tcp", host="127.0.0.1", port=port, interval=10, timeout=2,
                 retries=0, target_type=ContentType.objects.get_for_model(target), target_id=target.pk, **values)
    made.full_clean()
    made.save()
    return made
