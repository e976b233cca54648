"""The platform's contract for the registered monitoring models: checks and incidents."""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models

from irtis.inventory.models import Device
from irtis.monitoring.models import Check, Incident, ServiceLevel
from irtis.systems.models import InformationSystem
from tests.support.contract import ModelContract
from tests.virtualization.factories import cluster, server, vm


class TestCheck(ModelContract):
    model = Check
    change = {"interval": 120}

    @pytest.fixture(autouse=True)
    def zones(self, settings: Any) -> None:
        """A zone's queue beside `default`, so that checks can differ in their zone."""
        settings.IRTIS_TASK_QUEUES = ["default", "pkp-medininkai"]

    def make(self, n: int) -> Check:
        device = server(f"srv-{n}")
        return Check.objects.create(name=f"Patikra {n}", kind="tcp", host="127.0.0.1", port=1000 + n,
                                    target_type=ContentType.objects.get_for_model(Device), target_id=device.pk)

    def new_values(self) -> dict:
        device = server("srv-new")
        return {"name": "Nauja patikra", "kind": "tcp", "host": "127.0.0.1", "port": 443, "interval": 30,
                "target_type": ContentType.objects.get_for_model(Device), "target_id": device.pk}

    def differ(self, name: str, first: Check, second: Check) -> str:
        """The target is a type and an id together: change both; a kind needs its own fields."""
        if name == "kind":
            first.kind = "dns"
            first.full_clean()
            first.save()
            return "dns"
        if name not in ("target_type", "target_id"):
            return super().differ(name, first, second)
        other = vm("vm-differ", cluster("CL-D")) if name == "target_type" else server("srv-differ")
        first.target_type, first.target_id = ContentType.objects.get_for_model(other), other.pk
        first.full_clean()
        first.save()
        return str(first.target_type_id if name == "target_type" else first.target_id)


class TestIncident(ModelContract):
    model = Incident
    change = {"title": "Pakeistas"}

    def make(self, n: int) -> Incident:
        return Incident.objects.create(number=f"INC-T-{n}", title=f"Incidentas {n}")

    def new_values(self) -> dict:
        return {"number": "INC-NEW", "title": "Duomenų masyvo gedimas", "severity": "high"}

    def many_targets(self, field: models.ManyToManyField, n: int) -> list[models.Model]:
        if field.name == "systems":
            return [InformationSystem.objects.create(code=f"IS{i}", name=f"Sistema {i}") for i in range(n)]
        return super().many_targets(field, n)


class TestServiceLevel(ModelContract):
    model = ServiceLevel
    change = {"days": "1-4"}

    def make(self, n: int) -> ServiceLevel:
        return ServiceLevel.objects.create(system=InformationSystem.objects.create(code=f"SL{n}", name=f"Sistema {n}"))

    def new_values(self) -> dict:
        return {"system": InformationSystem.objects.create(code="SLNEW", name="Nauja"), "hours": "working",
                "days": "1-5", "opens": "07:30", "closes": "16:30", "time_zone": "Europe/Vilnius",
                "public_holidays": True, "exclude_maintenance": False}
