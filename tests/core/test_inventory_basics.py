"""The platform's own models through the generic contract: sites, locations, manufacturers, tags."""

import datetime

from irtis.core.models import Tag
from irtis.inventory.models import Location, Manufacturer, Site
from tests.support.contract import ModelContract


def site(n: int, **values: object) -> Site:
    return Site.objects.create(**{"code": f"S{n:03}", "name": f"Vieta Nr. {n}", "kind": Site.Kind.SEAPORT, **values})


class TestSite(ModelContract):
    model = Site
    change = {"name": "Šalčininkų PKP (pervadinta)"}

    def make(self, n: int) -> Site:
        return site(n)

    def new_values(self) -> dict:
        tag = Tag.objects.create(name="Kritinė", slug="kritine")
        return {"code": "NEW-1", "name": "Naujasis postas", "kind": Site.Kind.CUSTOMS_POST, "tags": [tag]}

    def differ(self, name: str, first: Site, second: Site) -> str:
        if name != "closed_on":
            return super().differ(name, first, second)
        first.status, first.closed_on = Site.Status.CLOSED, datetime.date(2025, 6, 30)
        first.save()
        return "2025-06-30"


class TestLocation(ModelContract):
    model = Location
    change = {"name": "Serverinė Ž"}

    def make(self, n: int) -> Location:
        return Location.objects.create(site=site(n), code=f"L{n:03}", name=f"Patalpa {n}")

    def new_values(self) -> dict:
        return {"site": site(900), "code": "NEW-ROOM", "name": "Komutacinė", "kind": Location.Kind.ROOM}

    def differ(self, name: str, first: Location, second: Location) -> str:
        if name != "parent":
            return super().differ(name, first, second)
        first.parent = Location.objects.create(site=first.site, code="L-PASTATAS", name="Pastatas")
        first.save()
        return str(first.parent_id)


class TestManufacturer(ModelContract):
    model = Manufacturer
    change = {"description": "Tiekėjas – atnaujinta"}

    def make(self, n: int) -> Manufacturer:
        return Manufacturer.objects.create(name=f"Gamintojas {n}")

    def new_values(self) -> dict:
        return {"name": "Ąžuolas UAB", "website": "https://example.lt"}


class TestTag(ModelContract):
    model = Tag
    change = {"description": "Pakeista"}

    def make(self, n: int) -> Tag:
        return Tag.objects.create(name=f"Žyma {n}", slug=f"zyma-{n}")

    def new_values(self) -> dict:
        return {"name": "Naujoji žyma", "slug": "naujoji-zyma", "color": "#112233"}
