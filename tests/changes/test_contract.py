"""The platform contract for every changes model: pages, API, import/export, search, audit."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from irtis.changes.models import ApprovalRule, Blackout, ChangeRequest, MaintenanceWindow, WindowObject
from irtis.inventory.models import Site
from tests.support.contract import ModelContract
from tests.systems.factories import system

from .factories import at, window


class TestMaintenanceWindow(ModelContract):
    model = MaintenanceWindow
    change = {"description": "Perkeltas langas"}

    def make(self, n: int) -> MaintenanceWindow:
        return window(f"Langas {n}", [], at(days=n), status="draft")

    def new_values(self) -> dict:
        return {"name": "Pataisų naktis", "start": at(days=10), "end": at(days=10, hours=4),
                "recurrence": "FREQ=MONTHLY;BYDAY=2TU;COUNT=12", "description": "Mėnesinis atnaujinimas"}


class TestWindowObject(ModelContract):
    model = WindowObject

    @property
    def change(self) -> dict:  # type: ignore[override]
        """Another draft window: the one change every object allows."""
        return {"window": MaintenanceWindow.objects.get_or_create(
            name="Kitas langas", defaults={"start": at(days=40), "end": at(days=41)})[0]}

    def make(self, n: int) -> WindowObject:
        site = Site.objects.create(code=f"WS{n}", name=f"Vieta {n}", kind="datacentre")
        made = window(f"Langas {n}", [site], at(days=n), status="draft")
        return made.covered.get()

    def new_values(self) -> dict:
        site = Site.objects.create(code="NEWS", name="Nauja vieta", kind="datacentre")
        return {"window": window("Naujas langas", [], at(), status="draft"),
                "object_type": ContentType.objects.get_for_model(Site), "object_id": site.pk}

    def differ(self, name: str, first: WindowObject, second: WindowObject) -> str:  # type: ignore[override]
        """The object is a type and an id together: change both."""
        if name == "object_type":
            other = system(f"SYS{second.pk}")
            second.object_type, second.object_id = ContentType.objects.get_for_model(other), other.pk
            second.save()
            return str(first.object_type_id)
        return super().differ(name, first, second)


class TestBlackout(ModelContract):
    model = Blackout
    change = {"description": "Pakeistas aprašas"}

    def make(self, n: int) -> Blackout:
        return Blackout.objects.create(name=f"Draudimas {n}", system=system(f"B{n}"), start=at(days=n),
                                       end=at(days=n + 2))

    def new_values(self) -> dict:
        return {"name": "Mėnesio pabaigos deklaravimo pikas", "start": at(days=27), "end": at(days=31),
                "recurrence": "FREQ=MONTHLY;BYMONTHDAY=-3;UNTIL=20281231", "system": system("MDAS")}


class TestChangeRequest(ModelContract):
    model = ChangeRequest
    change = {"title": "Pervadintas pakeitimas"}

    def make(self, n: int) -> ChangeRequest:
        return ChangeRequest.objects.create(title=f"Pakeitimas {n}", description=f"Aprašas {n}",
                                            window=window(f"Langas {n}", [], at(days=n), status="draft"))

    def new_values(self) -> dict:
        return {"title": "Oracle 19.24 pataisos", "kind": "normal", "description": "RU pataisos RAC mazgams",
                "implementation_plan": "1. Mazgas po mazgo", "rollback_plan": "opatch rollback",
                "window": window("Naujas langas", [], at(), status="draft")}


class TestApprovalRule(ModelContract):
    model = ApprovalRule
    change = {"approvals": 3}

    def make(self, n: int) -> ApprovalRule:
        return ApprovalRule.objects.create(subject="normal", role=Group.objects.create(name=f"cab{n}"))

    def new_values(self) -> dict:
        return {"subject": "emergency", "role": Group.objects.create(name="ecab"), "approvals": 2,
                "allow_self_approval": True}
