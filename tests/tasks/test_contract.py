from irtis.tasks.models import Schedule
from tests.support.contract import ModelContract


class TestSchedule(ModelContract):
    model = Schedule

    def make(self, n: int) -> Schedule:
        return Schedule.objects.create(name=f"Tvarkaraštis {n}", task="irtis.tasks.jobs.verify_audit_trail",
                                       cron=f"{n % 60} 3 * * *")

    def new_values(self) -> dict:
        return {"name": "Naktinis patikrinimas", "task": "irtis.tasks.jobs.verify_audit_trail", "cron": "30 2 * * 1-5"}

    change = {"cron": "0 4 * * *"}
