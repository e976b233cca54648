"""Demo: ~600 officers' mobile devices (deterministic, synthetic); directory and mail are irtis.directory's
and irtis.mail's."""

import datetime
import random
import unicodedata

from django.utils import timezone

from irtis.core import bulk

from .models import MobileDevice, Site, SoftwareVersion

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
    """The demo mobile devices, the same on every run but for their check-ins, which are counted back
    from this morning (most within the last days, some weeks ago: stale)."""
    rng = random.Random(20240301)
    morning = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0)
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
            "os_name": rng.choice(systems), "user_account": account, "user_name": f"{first} {surname}",
            "site_code": rng.choice(POST_SITES), "mdm_state": mdm, "compliance": compliance,
            "last_check_in": morning - datetime.timedelta(
                minutes=rng.randrange(60 * 24 * (60 if rng.random() < 0.05 else 3)))
            if mdm == "enrolled" else None,
            "access_profile": rng.choice(PROFILES),
        })
    return rows


def load_mobile() -> None:
    sites = {s.code: s for s in Site.objects.all()}
    versions = {v.name: v for v in SoftwareVersion.objects.filter(name__in={
        name for _kind, _model, names in MODELS for name in names})}
    existing = set(MobileDevice.objects.values_list("serial", flat=True))
    new = []
    for values in mobile_values():
        if values["serial"] in existing:
            continue
        device = MobileDevice(site=sites[values.pop("site_code")], operating_system=versions[values.pop("os_name")],
                              **values)
        device.full_clean(validate_unique=False)
        new.append(device)
    bulk.save_objects(new)


