"""Small saved objects for the inventory tests; `n` makes each one unique."""

import datetime

from irtis.inventory.models import (
    Device,
    DeviceRole,
    HardwareModel,
    Manufacturer,
    Rack,
    Site,
    SoftwareProduct,
    SoftwareVersion,
    Team,
)


def site(code: str = "DC1") -> Site:
    return Site.objects.get_or_create(code=code, defaults={"name": f"Vieta {code}", "kind": "datacentre"})[0]


def maker(name: str = "Gamintojas") -> Manufacturer:
    return Manufacturer.objects.get_or_create(name=name)[0]


def rack(n: int = 1, at: Site | None = None, u_height: int = 42) -> Rack:
    return Rack.objects.create(site=at or site(), name=f"DC1-A{n:02d}", u_height=u_height)


def role(name: str = "Tarnybinė stotis", color: str = "#0d6efd") -> DeviceRole:
    return DeviceRole.objects.get_or_create(name=name, defaults={"color": color})[0]


def hardware(name: str = "ProLiant DL380 Gen10", u_height: int = 2, full_depth: bool = True) -> HardwareModel:
    return HardwareModel.objects.get_or_create(
        name=name, defaults={"manufacturer": maker(), "u_height": u_height, "full_depth": full_depth},
    )[0]


def team(name: str = "Serverių komanda") -> Team:
    return Team.objects.get_or_create(name=name)[0]


def version(product: str = "Windows Server", number: str = "2012 R2", support_end: datetime.date | None = None,
            end_of_life: datetime.date | None = None, kind: str = "os",
            extended_support_end: datetime.date | None = None) -> SoftwareVersion:
    prod = SoftwareProduct.objects.get_or_create(name=product, defaults={"manufacturer": maker(), "kind": kind})[0]
    return SoftwareVersion.objects.get_or_create(
        product=prod, number=number,
        defaults={"name": f"{product} {number}", "support_end": support_end, "end_of_life": end_of_life,
                  "extended_support_end": extended_support_end},
    )[0]


def device(name: str, **values: object) -> Device:
    values.setdefault("site", site())
    values.setdefault("role", role())
    values.setdefault("hardware_model", hardware())
    obj = Device(name=name, **values)
    obj.full_clean()
    obj.save()
    return obj
