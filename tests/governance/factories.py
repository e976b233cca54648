"""Catalogue entries, principles and rules for the governance tests, on the systems tests' estate."""

import datetime as dt
from typing import Any

from irtis.governance.models import Lifecycle, Principle, Rule, Technology
from irtis.inventory.models import Manufacturer, SoftwareProduct, SoftwareVersion


def version(product: str, number: str, kind: str = "os", support_end: dt.date | None = None) -> SoftwareVersion:
    maker = Manufacturer.objects.get_or_create(name="Gamintojas")[0]
    made = SoftwareProduct.objects.get_or_create(name=product, defaults={"manufacturer": maker, "kind": kind})[0]
    return SoftwareVersion.objects.create(product=made, number=number, name=f"{product} {number}",
                                          support_end=support_end)


def technology(name: str, status: str = Lifecycle.APPROVED, versions: tuple = (), hardware: tuple = (),
               **values: Any) -> Technology:
    values.setdefault("area", Technology.Area.PLATFORM)
    if status == Lifecycle.RETIRING:
        values.setdefault("retire_by", dt.date(2026, 6, 30))
    made = Technology.objects.create(name=name, status=status, **values)
    made.software_versions.set(versions)
    made.hardware_models.set(hardware)
    return made


def principle(code: str = "AP-1") -> Principle:
    return Principle.objects.get_or_create(code=code, defaults={"name": f"Principas {code}",
                                                                "statement": "Teiginys"})[0]


def rule(code: str, kind: str, **values: Any) -> Rule:
    made = Rule(code=code, kind=kind, principle=principle(), **values)
    made.full_clean()
    made.save()
    return made
