"""Demo places and makers of the customs estate (see shared domain facts, section 4)."""

import datetime

from irtis.core.demo import ensure
from irtis.core.models import Tag

from . import demo_estate, demo_physical, demo_services, demo_templates
from .models import Location, Manufacturer, Site

S = Site.Kind
SITES = [
    ("VNO-HQ", "Muitinės departamentas", S.HEADQUARTERS, "A. Jakšto g. 1", "Vilnius", "", None),
    ("DC1", "MISC duomenų centras", S.DATA_CENTRE, "", "Vilnius", "", None),
    ("DC2", "Rezervinis duomenų centras (valstybės DC)", S.DATA_CENTRE, "", "Vilnius", "", None),
    ("MED", "Medininkų PKP", S.ROAD_BCP, "", "Medininkai", "BY", None),
    ("SAL", "Šalčininkų PKP", S.ROAD_BCP, "", "Šalčininkai", "BY", None),
    ("LAV", "Lavoriškių PKP", S.ROAD_BCP, "", "Lavoriškės", "BY", datetime.date(2024, 3, 1)),
    ("KYB", "Kybartų PKP", S.ROAD_BCP, "", "Kybartai", "RU", None),
    ("KYB-RW", "Kybartų geležinkelio PKP", S.RAIL_BCP, "", "Kybartai", "RU", None),
    ("KLP", "Klaipėdos jūrų uosto PKP", S.SEAPORT, "", "Klaipėda", "", None),
    ("VNO-AP", "Vilniaus oro uosto PKP", S.AIRPORT, "", "Vilnius", "", None),
    ("KUN-P", "Kauno krovinių postas", S.CUSTOMS_POST, "", "Kaunas", "", None),
]

L = Location.Kind
LOCATIONS = [
    ("DC1", "DC1-PAST", "Pagrindinis pastatas", L.BUILDING, None),
    ("DC1", "DC1-SERV-1", "Serverinė 1", L.SERVER_ROOM, "DC1-PAST"),
    ("DC1", "DC1-SERV-2", "Serverinė 2 (SAN)", L.SERVER_ROOM, "DC1-PAST"),
    ("DC2", "DC2-SALE-A", "Salė A", L.SERVER_ROOM, None),
    ("VNO-HQ", "HQ-KOM-1", "Komutacinė, 1 aukštas", L.ROOM, None),
    ("MED", "MED-KOM", "Komutacinė", L.ROOM, None),
    ("SAL", "SAL-KOM", "Komutacinė", L.ROOM, None),
    ("KYB", "KYB-KOM", "Komutacinė", L.ROOM, None),
    ("KLP", "KLP-KOM", "Komutacinė", L.ROOM, None),
    ("VNO-AP", "VNO-AP-KOM", "Komutacinė", L.ROOM, None),
    ("KUN-P", "KUN-P-KOM", "Komutacinė", L.ROOM, None),
]

MANUFACTURERS = [
    ("Hewlett Packard Enterprise", "https://www.hpe.com", "Tarnybinės stotys, diskų masyvai"),
    ("Dell Technologies", "https://www.dell.com", "Tarnybinės stotys, diskų masyvai"),
    ("Cisco Systems", "https://www.cisco.com", "Komutatoriai, maršrutizatoriai, IP telefonija"),
    ("Fortinet", "https://www.fortinet.com", "Saugasienės"),
    ("Brocade (Broadcom)", "https://www.broadcom.com", "SAN komutatoriai"),
    ("IBM", "https://www.ibm.com", "Juostinės bibliotekos"),
    ("VMware (Broadcom)", "https://www.vmware.com", "Virtualizacija"),
    ("Oracle", "https://www.oracle.com", "Duomenų bazių valdymo sistemos"),
    ("Microsoft", "https://www.microsoft.com", "Operacinės sistemos, katalogas, el. paštas"),
]


def load() -> None:
    border = Tag.objects.get(slug="pasienis-by")
    for code, name, kind, address, city, neighbour, closed_on in SITES:
        site = ensure(Site, "code", {
            "code": code, "name": name, "kind": kind, "address": address, "city": city,
            "border": neighbour, "closed_on": closed_on,
            "status": Site.Status.CLOSED if closed_on else Site.Status.ACTIVE,
        })
        if neighbour == "BY" and not site.tags.filter(pk=border.pk).exists():
            site.tags.add(border)
    for site_code, code, name, location_kind, parent in LOCATIONS:
        ensure(Location, "code", {
            "site": Site.objects.get(code=site_code), "code": code, "name": name, "kind": location_kind,
            "parent": Location.objects.get(code=parent) if parent else None,
        })
    for name, website, description in MANUFACTURERS:
        ensure(Manufacturer, "name", {"name": name, "website": website, "description": description})
    demo_estate.load()
    demo_physical.load()
    demo_templates.load()
    demo_services.load_mobile()
