"""Which information systems an object concerns: the systems with a component deployed on it
(a DBMS instance also carries the systems of its databases). Read once per evaluation, in one
query, and kept in memory: evaluators ask about thousands of objects."""

from collections import defaultdict
from typing import Any

from django.db import models

from irtis.systems.models import Certificate, Deployment

FIELD_OF_MODEL = {"virtualization.virtualmachine": "virtual_machine", "inventory.device": "device",
                  "databases.dbmsinstance": "dbms_instance", "databases.database": "database"}


def object_id(obj: models.Model) -> str:
    """"app_label.model:pk", the `Deviation.object` of a model instance."""
    return f"{obj._meta.label_lower}:{obj.pk}"


class Systems:
    """Lazily loaded map of deployment targets to the ids of their systems."""

    def __init__(self) -> None:
        self._map: dict[tuple[str, int], set[int]] | None = None

    def _load(self) -> dict[tuple[str, int], set[int]]:
        if self._map is None:
            found: dict[tuple[str, int], set[int]] = defaultdict(set)
            columns = [f"{name}_id" for name in Deployment.TARGETS]
            for system, *targets in Deployment.objects.values_list("component__system", *columns).distinct():
                for name, target in zip(Deployment.TARGETS, targets, strict=True):
                    if target is not None:
                        found[(name, target)].add(system)
            for database, instance in Deployment.objects.filter(database__isnull=False).values_list(
                    "database", "database__instance").distinct():
                found[("dbms_instance", instance)] |= found[("database", database)]
            self._map = found
        return self._map

    def of_id(self, field: str, pk: int) -> tuple[int, ...]:
        return tuple(sorted(self._load().get((field, pk), ())))

    def of(self, obj: Any) -> tuple[int, ...]:
        field = FIELD_OF_MODEL.get(obj._meta.label_lower)
        return self.of_id(field, obj.pk) if field else ()

    def of_certificate(self, certificate: Certificate) -> tuple[int, ...]:
        found: set[int] = set()
        if certificate.interconnection_id and certificate.interconnection:
            found.add(certificate.interconnection.system_id)
        if certificate.device_id:
            found.update(self.of_id("device", certificate.device_id))
        if certificate.virtual_machine_id:
            found.update(self.of_id("virtual_machine", certificate.virtual_machine_id))
        return tuple(sorted(found))
