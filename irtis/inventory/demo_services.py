"""Demo directory services (mail is irtis.mail.demo) and ~600 officers' mobile devices (deterministic, synthetic)."""

import datetime
import random
import unicodedata

from irtis.core import bulk
from irtis.core.demo import ensure

from .models import (
    Device,
    DirectoryDomain,
    DomainController,
    MobileDevice,
    Site,
)

MEN = ["Jonas", "Petras", "Tomas", "Mindaugas", "Darius", "Andrius", "Marius", "Giedrius", "Vytautas", "Rimantas",
       "Saulius", "Laurynas", "Paulius", "Arūnas", "Žilvinas", "Kęstutis", "Algirdas", "Egidijus", "Šarūnas", "Audrius"]
WOMEN = ["Rūta", "Aušra", "Jurgita", "Ingrida", "Giedrė", "Eglė", "Laura", "Simona", "Kristina", "Živilė", "Rasa",
         "Vaida", "Dalia", "Agnė", "Neringa", "Daiva", "Jūratė", "Lina", "Ieva", "Gintarė"]
SURNAMES = ["Kazlauskas", "Jankauskas", "Petrauskas", "Stankevičius", "Vasiliauskas", "Žukauskas", "Butkus",
            "Paulauskas", "Urbonas", "Kavaliauskas", "Navickas", "Ramanauskas", "Savickas", "Rimkus", "Šimkus",
            "Baranauskas", "Žilinskas", "Adomaitis", "Mockus", "Lukoševičius", "Balčiūnas", "Grigas", "Norkus",
            "Sakalauskas", "Tamošiūnas", "Kairys", "Vaitkus", "Čepulis", "Dambrauskas", "Bagdonas"]
MODELS = [  # kind, model, OS versions
    ("phone", "Samsung Galaxy XCover7", ["Android 14", "Android 15"]),
    ("phone", "Samsung Galaxy A55", ["Android 14", "Android 15"]),
    ("phone", "Apple iPhone 15", ["iOS 17.6", "iOS 18.1"]),
    ("tablet", "Samsung Galaxy Tab Active5", ["Android 14"]),
    ("tablet", "Apple iPad 10", ["iPadOS 17.6", "iPadOS 18.1"]),
    ("laptop", "Dell Latitude 5450", ["Windows 11 23H2", "Windows 11 24H2"]),
    ("laptop", "HP EliteBook 840 G10", ["Windows 11 23H2", "Windows 11 24H2", "Windows 10 22H2"]),
]
PROFILES = ["Pareigūnas – nuolatinis VPN", "Pasienio postas – VPN + ANPR", "Vadovybė – VPN",
            "Mobilioji grupė – LTE VPN"]
POST_SITES = ["MED", "SAL", "KYB", "KYB-RW", "KLP", "VNO-AP", "KUN-P", "VNO-HQ"]
CHECK_IN_BASE = datetime.datetime(2026, 11, 28, 8, 0, tzinfo=datetime.UTC)
MOBILE_COUNT = 600


def _female(surname: str) -> str:
    """The married woman's form of a Lithuanian surname: Kazlauskas → Kazlauskienė."""
    for ending in ("ius", "as", "is", "us", "ys"):
        if surname.endswith(ending):
            return surname[: -len(ending)] + "ienė"
    return surname


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def mobile_values(count: int = MOBILE_COUNT) -> list[dict]:
    """The demo mobile devices, the same on every run."""
    rng = random.Random(20240301)
    accounts: set[str] = set()
    rows = []
    for n in range(1, count + 1):
        woman = rng.random() < 0.45
        first = rng.choice(WOMEN if woman else MEN)
        surname = rng.choice(SURNAMES)
        surname = _female(surname) if woman else surname
        account = (_ascii(first)[0] + _ascii(surname))[:18]
        base, k = account, 1
        while account in accounts:
            k += 1
            account = f"{base}{k}"
        accounts.add(account)
        kind, model, systems = MODELS[rng.randrange(len(MODELS))]
        mdm = rng.choices(["enrolled", "pending", "not_enrolled"], [92, 5, 3])[0]
        compliance = "unknown" if mdm != "enrolled" else rng.choices(["compliant", "non_compliant"], [90, 10])[0]
        rows.append({
            "serial": f"MD{n:04d}{rng.randrange(16**4):04X}", "kind": kind, "model": model,
            "imei": None if kind == "laptop" else f"35{rng.randrange(10**13):013d}",
            "os_version": rng.choice(systems), "user_account": account, "user_name": f"{first} {surname}",
            "site_code": rng.choice(POST_SITES), "mdm_state": mdm, "compliance": compliance,
            "last_check_in": CHECK_IN_BASE - datetime.timedelta(minutes=rng.randrange(60 * 24 * 20))
            if mdm == "enrolled" else None,
            "access_profile": rng.choice(PROFILES),
        })
    return rows


def load_mobile() -> None:
    sites = {s.code: s for s in Site.objects.all()}
    existing = set(MobileDevice.objects.values_list("serial", flat=True))
    new = []
    for values in mobile_values():
        if values["serial"] in existing:
            continue
        device = MobileDevice(site=sites[values.pop("site_code")], **values)
        device.full_clean(validate_unique=False)
        new.append(device)
    bulk.save_objects(new)


def load_directory() -> None:
    domain = ensure(DirectoryDomain, "fqdn", {
        "fqdn": "ad.lrmuitine.lt", "netbios_name": "MUITINE", "functional_level": "2016",
        "description": "Muitinės Active Directory domenas"})
    sites = {s.code: s for s in Site.objects.all()}
    devices = {d.name: d for d in Device.objects.filter(name__in=["hq-dc-01", "hq-dc-02"])}
    for name, site, device, fsmo, description in (
        ("hq-dc-01", "VNO-HQ", "hq-dc-01", "schema, naming, pdc, rid, infrastructure", "Fizinis DC, visi FSMO"),
        ("hq-dc-02", "VNO-HQ", "hq-dc-02", "", "Fizinis DC"),
        ("dc1-ad-01", "DC1", None, "", "Virtualus DC (CL-MGMT)"),
        ("dc1-ad-02", "DC1", None, "", "Virtualus DC (CL-MGMT)"),
        ("dc2-ad-01", "DC2", None, "", "Virtualus DC rezerviniame DC"),
        ("dc2-ad-02", "DC2", None, "", "Virtualus DC rezerviniame DC"),
    ):
        ensure(DomainController, "name", {
            "name": name, "domain": domain, "site": sites[site], "device": devices.get(device) if device else None,
            "fsmo_roles": fsmo, "global_catalog": True, "read_only": False, "description": description})
