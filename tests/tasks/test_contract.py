from typing import Any

import pytest

from irtis.tasks.models import Schedule
from tests.support.contract import ModelContract


class TestSchedule(ModelContract):
    model = Schedule

    @pytest.fixture(autouse=True)
    def zones(self, settings: Any) -> None:
        """A zone's queue beside `default`, so that schedules can differ in their queue."""
        settings.IRTIS_TASK_QUEUES = ["default", "pkp-medininkai"]

    def make(self, n: int) -> Schedule:
        return Schedule.objects.create(name=f"Tvarkaraštis {n}", task="irtis.tasks.jobs.verify_audit_trail",
                                       cron=f"{n % 60} 3 * * *")

    def new_values(self) -> dict:
        return {"name": "Naktinis patikrinimas", "task": "irtis.tasks.jobs.verify_audit_trail", "cron": "30 2 * * 1-5"}

    change = {"cron": "0 4 * * *"}
