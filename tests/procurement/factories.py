"""Suppliers, contracts, specifications and procurements the procurement tests build on."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from irtis.inventory.models import Manufacturer, SoftwareProduct
from irtis.procurement.models import (
    Contract,
    Criterion,
    Offer,
    Procurement,
    Requirement,
    Specification,
    Supplier,
)


def supplier(name: str = "UAB „Tiekėjas“") -> Supplier:
    return Supplier.objects.get_or_create(name=name)[0]


def contract(number: str = "S-1", end: date | None = None, **values: Any) -> Contract:
    values.setdefault("supplier", supplier())
    values.setdefault("subject", "Tarnybinių stočių priežiūra")
    values.setdefault("value", Decimal("12000"))
    values.setdefault("start", date(2025, 1, 1))
    made = Contract(number=number, end=end or date(2027, 12, 31), **values)
    made.full_clean()
    made.save()
    return made


def specification(code: str = "TS-1", requirements: int = 3, **values: Any) -> Specification:
    spec = Specification.objects.create(code=code, title=values.pop("title", f"Specifikacija {code}"), **values)
    Requirement.objects.bulk_create([
        Requirement(specification=spec, number=n, text=f"Reikalavimas {n}",
                    kind="mandatory" if n % 2 else "evaluated", proof="Gamintojo dokumentacija")
        for n in range(1, requirements + 1)])
    return spec


def approved(code: str = "TS-A", requirements: int = 3) -> Specification:
    existing = Specification.objects.filter(code=code, status=Specification.Status.APPROVED).first()
    if existing is not None:
        return existing
    spec = specification(code, requirements)
    Specification.objects.filter(pk=spec.pk).update(status=Specification.Status.APPROVED,
                                                    approved_on=timezone.localdate())
    spec.refresh_from_db()
    return spec


def procurement(name: str = "Pirkimas", spec: Specification | None = None, **values: Any) -> Procurement:
    values.setdefault("deadline", timezone.now() + timedelta(days=7))
    return Procurement.objects.create(name=name, specification=spec or approved(f"TS-{name}"), **values)


def criteria(of: Procurement, price: int = 60, quality: tuple[int, ...] = (25, 15)) -> list[Criterion]:
    made = [Criterion.objects.create(procurement=of, name="Kaina", kind="price", weight=Decimal(price))]
    made += [Criterion.objects.create(procurement=of, name=f"Kokybė {n}", kind="quality", weight=Decimal(w))
             for n, w in enumerate(quality, 1)]
    return made


def offer(of: Procurement, name: str, price: str) -> Offer:
    return Offer.objects.create(procurement=of, supplier=supplier(name), price=Decimal(price))


def product(name: str = "Oracle Database", kind: str = "dbms") -> SoftwareProduct:
    maker = Manufacturer.objects.get_or_create(name="Oracle")[0]
    return SoftwareProduct.objects.get_or_create(name=name, defaults={"manufacturer": maker, "kind": kind})[0]
