"""Demo hardware and software of the customs estate (shared domain facts, section 4; synthetic)."""

import datetime
import zlib
from collections.abc import Sequence
from decimal import Decimal

from irtis.core.demo import ensure
from irtis.core.models import Tag

from .models import (
    Device,
    DeviceRole,
    HardwareModel,
    Installation,
    Interface,
    Location,
    Manufacturer,
    Rack,
    Site,
    SoftwareProduct,
    SoftwareVersion,
    StorageCapacity,
    Team,
)

D = datetime.date
TEAMS = [
    ("Serverių ir virtualizacijos komanda", "serveriai@lrmuitine.lt", "Tarnybinės stotys, VMware, diskų masyvai"),
    ("Duomenų bazių komanda", "dbadmin@lrmuitine.lt", "Oracle ir MS SQL duomenų bazių valdymo sistemos"),
    ("Tinklų komanda", "tinklai@lrmuitine.lt", "Duomenų perdavimo tinklai, saugasienės, IP telefonija"),
    ("Atsarginio kopijavimo komanda", "kopijos@lrmuitine.lt", "Atsarginis kopijavimas ir atkūrimas"),
    ("Katalogo ir el. pašto komanda", "ad@lrmuitine.lt", "Active Directory ir el. paštas"),
    ("Mobiliųjų įrenginių komanda", "mdm@lrmuitine.lt", "Pareigūnų mobilieji įrenginiai, MDM"),
]
ROLES = [
    ("Tarnybinė stotis", "#0d6efd", "Fizinė tarnybinė stotis (serveris)"),
    ("Diskų masyvas", "#6f42c1", "Duomenų saugyklos masyvas"),
    ("SAN komutatorius", "#d63384", "Saugyklų tinklo (FC SAN) komutatorius"),
    ("LAN komutatorius", "#198754", "Vietinio tinklo komutatorius"),
    ("Maršrutizatorius", "#20c997", "WAN maršrutizatorius (SVDPT / LTE)"),
    ("Saugasienė", "#dc3545", "Saugasienė (užkarda)"),
    ("Apkrovos balansavimo įrenginys", "#fd7e14", "Apkrovos balansavimo įrenginys"),
    ("VoIP šliuzas", "#0dcaf0", "IP telefonijos šliuzas"),
    ("Juostinė biblioteka", "#6c757d", "Juostinė atsarginių kopijų biblioteka"),
]
MAKERS = [("Red Hat", "https://www.redhat.com", "Operacinės sistemos"),
          ("F5", "https://www.f5.com", "Apkrovos balansavimas"),
          ("Veeam", "https://www.veeam.com", "Atsarginis kopijavimas"),
          ("PostgreSQL Global Development Group", "https://www.postgresql.org", "Duomenų bazių valdymo sistema"),
          ("Google", "https://www.android.com", "Mobiliųjų įrenginių operacinė sistema"),
          ("Apple", "https://www.apple.com", "Mobilieji įrenginiai ir jų operacinės sistemos")]
# name, maker, part, U, full depth, W, end of sale, end of support
HPE, DELL, CISCO = "Hewlett Packard Enterprise", "Dell Technologies", "Cisco Systems"
HARDWARE = [
    ("ProLiant DL380 Gen9", HPE, "719064-B21", 2, True, 500, D(2019, 7, 31), D(2025, 7, 31)),
    ("ProLiant DL380 Gen10", HPE, "868703-B21", 2, True, 800, D(2023, 6, 30), D(2028, 6, 30)),
    ("ProLiant DL360 Gen10", HPE, "867959-B21", 1, True, 500, D(2023, 6, 30), D(2028, 6, 30)),
    ("ProLiant DL380 Gen11", HPE, "P52534-B21", 2, True, 1000, None, None),
    ("PowerEdge R750", DELL, "R750-BASE", 2, True, 1100, D(2024, 12, 31), D(2030, 12, 31)),
    ("PowerEdge R650", DELL, "R650-BASE", 1, True, 800, D(2024, 12, 31), D(2030, 12, 31)),
    ("Primera A630", HPE, "N9Z18A", 4, True, 2000, None, None),
    ("PowerStore 1200T", DELL, "PS1200T", 2, True, 1400, None, None),
    ("Brocade G620", "Brocade (Broadcom)", "BR-G620-48-32G-R", 1, False, 200, None, D(2029, 12, 31)),
    ("Nexus 93180YC-FX", CISCO, "N9K-C93180YC-FX", 1, False, 450, D(2025, 2, 28), D(2030, 2, 28)),
    ("Catalyst 9300-48P", CISCO, "C9300-48P-E", 1, False, 350, None, None),
    ("ISR 4331", CISCO, "ISR4331/K9", 1, False, 250, D(2023, 11, 7), D(2028, 11, 30)),
    ("FortiGate 1800F", "Fortinet", "FG-1800F", 2, True, 650, None, None),
    ("FortiGate 100F", "Fortinet", "FG-100F", 1, False, 100, None, None),
    ("BIG-IP i5800", "F5", "F5-BIG-I5800", 1, True, 400, D(2025, 12, 31), D(2030, 12, 31)),
    ("TS4300", "IBM", "3555-L3A", 3, True, 300, None, None),
]
MS, RH = "Microsoft", "Red Hat"
# product, maker, kind, [(number, release, mainstream support end, end of life)]; for the products
# in EXTENDED the last date is also the end of extended support (Microsoft's is included; Oracle's
# is bought); Red Hat's extended life support for RHEL 7 is not bought here.
SOFTWARE: list[tuple[str, str, str, list[tuple[str, datetime.date, datetime.date, datetime.date | None]]]] = [
    ("Windows Server", MS, "os", [("2012 R2", D(2013, 11, 25), D(2018, 10, 9), D(2023, 10, 10)),
                                  ("2016", D(2016, 10, 15), D(2022, 1, 11), D(2027, 1, 12)),
                                  ("2019", D(2018, 11, 13), D(2024, 1, 9), D(2029, 1, 9)),
                                  ("2022", D(2021, 8, 18), D(2026, 10, 13), D(2031, 10, 14))]),
    ("Red Hat Enterprise Linux", RH, "os", [("7.9", D(2020, 9, 29), D(2024, 6, 30), D(2028, 6, 30)),
                                             ("8.10", D(2024, 5, 22), D(2029, 5, 31), D(2032, 5, 31)),
                                             ("9.4", D(2024, 4, 30), D(2032, 5, 31), D(2035, 5, 31))]),
    ("VMware ESXi", "VMware (Broadcom)", "hypervisor", [("7.0 U3", D(2021, 10, 5), D(2025, 10, 2), D(2027, 10, 2)),
                                                        ("8.0 U3", D(2024, 6, 25), D(2027, 10, 11), D(2029, 10, 11))]),
    ("Oracle Database", "Oracle", "dbms", [("12c R2", D(2017, 3, 1), D(2020, 11, 30), D(2022, 3, 31)),
                                           ("19c", D(2019, 4, 25), D(2029, 12, 31), D(2032, 12, 31))]),
    ("SQL Server", MS, "dbms", [("2014", D(2014, 4, 1), D(2019, 7, 9), D(2024, 7, 9)),
                                ("2019", D(2019, 11, 4), D(2025, 2, 28), D(2030, 1, 8))]),
    ("PostgreSQL", "PostgreSQL Global Development Group", "dbms", [("16", D(2023, 9, 14), D(2028, 11, 9),
                                                                    D(2028, 11, 9))]),
    ("Exchange Server", MS, "application", [("2019 CU15", D(2025, 2, 10), D(2025, 10, 14), D(2025, 10, 14))]),
    ("FortiOS", "Fortinet", "firmware", [("7.2", D(2022, 3, 31), D(2026, 3, 31), D(2026, 9, 30)),
                                         ("7.4", D(2023, 5, 11), D(2027, 5, 11), D(2027, 11, 11))]),
    ("Cisco IOS XE", CISCO, "firmware", [("17.9", D(2022, 7, 29), D(2027, 7, 31), D(2028, 7, 31))]),
    ("Cisco NX-OS", CISCO, "firmware", [("10.3", D(2022, 8, 19), D(2027, 8, 31), D(2028, 8, 31))]),
    ("Veeam Backup & Replication", "Veeam", "application", [("12.3", D(2024, 12, 3), D(2027, 12, 3), None)]),
    ("HPE Primera OS", HPE, "firmware", [("4.6", D(2024, 2, 1), D(2028, 2, 1), None)]),
    # Officers' mobile devices (Windows: the Enterprise editions' servicing dates).
    ("Android", "Google", "os", [("14", D(2023, 10, 4), D(2027, 10, 4), None),
                                 ("15", D(2024, 9, 3), D(2028, 9, 3), None)]),
    ("iOS", "Apple", "os", [("17.6", D(2024, 7, 29), D(2025, 3, 31), None),
                            ("18.1", D(2024, 10, 28), D(2027, 3, 31), None)]),
    ("iPadOS", "Apple", "os", [("17.6", D(2024, 7, 29), D(2025, 3, 31), None),
                               ("18.1", D(2024, 10, 28), D(2027, 3, 31), None)]),
    ("Windows 11", MS, "os", [("23H2", D(2023, 10, 31), D(2026, 11, 10), D(2026, 11, 10)),
                              ("24H2", D(2024, 10, 1), D(2027, 10, 12), D(2027, 10, 12))]),
    ("Windows 10", MS, "os", [("22H2", D(2022, 10, 18), D(2025, 10, 14), D(2025, 10, 14))]),
]
EXTENDED = {"Windows Server", "SQL Server", "Oracle Database"}
RACKS = [  # name, location, U, description
    ("DC1-A01", "DC1-SERV-1", 42, "ESXi CL-PROD"), ("DC1-A02", "DC1-SERV-1", 42, "ESXi CL-PROD, CL-DMZ"),
    ("DC1-A03", "DC1-SERV-1", 42, "ESXi CL-MGMT, Oracle RAC"),
    ("DC1-A04", "DC1-SERV-1", 42, "MS SQL, kopijavimas, CCN"),
    ("DC1-S01", "DC1-SERV-2", 42, "Diskų masyvai ir SAN"), ("DC1-N01", "DC1-SERV-2", 42, "Tinklo įranga"),
    ("DC2-A01", "DC2-SALE-A", 42, "ESXi"), ("DC2-A02", "DC2-SALE-A", 42, "DB, kopijavimas, juostinė biblioteka"),
    ("DC2-N01", "DC2-SALE-A", 42, "Tinklo įranga ir saugykla"), ("HQ-R01", "HQ-KOM-1", 42, "Katalogas, IP telefonija"),
]
SERVERS, ARRAY, SAN, LAN, ROUTER, FW, LB, VOIP, TAPE = (r[0] for r in ROLES)
ADMINS, DBA, NET, BACKUP, DIRECTORY = (t[0] for t in TEAMS[:5])


def _devices() -> list[tuple]:
    """(name, role, model, site, rack, platform, team, status, description, tags)."""
    rows: list[tuple] = []
    add = rows.append
    for n in range(1, 13):
        cluster = "CL-PROD" if n <= 8 else "CL-DMZ" if n <= 10 else "CL-MGMT"
        add((f"dc1-esx-{n:02d}", SERVERS, "ProLiant DL380 Gen10", "DC1", f"DC1-A0{1 + (n - 1) // 5}",
             "VMware ESXi 8.0 U3" if n <= 10 else "VMware ESXi 7.0 U3", ADMINS, "active",
             f"ESXi mazgas, klasteris {cluster}", ()))
    for n in range(1, 5):
        add((f"dc1-ora-{n:02d}", SERVERS, "PowerEdge R750", "DC1", "DC1-A03", "Red Hat Enterprise Linux 8.10", DBA,
             "active", "Oracle RAC mazgas (MDAS, NTKS, iMDAS)", ("kritine",)))
    add(("dc1-sql-01", SERVERS, "ProLiant DL360 Gen10", "DC1", "DC1-A04", "Windows Server 2019", DBA, "active",
         "MS SQL (ANPR, XRAY)", ()))
    add(("dc1-sql-02", SERVERS, "ProLiant DL380 Gen9", "DC1", "DC1-A04", "Windows Server 2012 R2", DBA, "active",
         "MS SQL (SCCM, VOIP) – senas, keisti", ("eksploatuoti-iki-2027",)))
    for n in (1, 2):
        add((f"dc1-bkp-{n:02d}", SERVERS, "PowerEdge R650", "DC1", "DC1-A04", "Windows Server 2022", BACKUP, "active",
             "Veeam atsarginio kopijavimo tarnybinė stotis", ()))
        add((f"dc1-ccn-{n:02d}", SERVERS, "ProLiant DL360 Gen10", "DC1", "DC1-A04", "Red Hat Enterprise Linux 7.9",
             NET, "active", "CCN/CSI šliuzas (izoliuotas VLAN 140)", ("kritine",)))
    for n in range(1, 9):
        add((f"dc2-esx-{n:02d}", SERVERS, "ProLiant DL380 Gen11", "DC2", "DC2-A01", "VMware ESXi 8.0 U3", ADMINS,
             "active", "ESXi mazgas, rezervinis DC", ()))
    for n in (1, 2):
        add((f"dc2-ora-{n:02d}", SERVERS, "PowerEdge R750", "DC2", "DC2-A02", "Red Hat Enterprise Linux 8.10", DBA,
             "active", "Oracle Data Guard budėjimo režimo DB", ()))
        add((f"dc2-bkp-{n:02d}", SERVERS, "PowerEdge R650", "DC2", "DC2-A02", "Red Hat Enterprise Linux 9.4", BACKUP,
             "active", "Nekeičiama (immutable) atsarginių kopijų saugykla", ()))
    add(("dc2-sql-01", SERVERS, "ProLiant DL360 Gen10", "DC2", "DC2-A02", "Windows Server 2019", DBA, "active",
         "MS SQL rezervas", ()))
    for n in (1, 2):
        add((f"hq-dc-{n:02d}", SERVERS, "ProLiant DL360 Gen10", "VNO-HQ", "HQ-R01", "Windows Server 2022", DIRECTORY,
             "active", "Active Directory domeno valdiklis", ()))
        add((f"hq-voip-{n:02d}", VOIP, "ISR 4331", "VNO-HQ", "HQ-R01", "Cisco IOS XE 17.9", NET, "active",
             "IP telefonijos šliuzas", ()))
    for code, count in (("MED", 2), ("SAL", 2), ("KYB", 2), ("KLP", 2), ("VNO-AP", 1), ("KUN-P", 1), ("LAV", 1)):
        for n in range(1, count + 1):
            closed = code == "LAV"
            add((f"{code.lower().replace('-', '')}-srv-{n:02d}", SERVERS,
                 "ProLiant DL380 Gen9" if closed else "PowerEdge R650", code, None,
                 "Windows Server 2012 R2" if closed else "Windows Server 2019", ADMINS,
                 "decommissioning" if closed else "active",
                 "Posto tarnybinė stotis (PKP uždarytas 2024-03-01)" if closed
                 else "Posto tarnybinė stotis (ANPR, failai)",
                 ()))
    for n in (1, 2):
        add((f"dc1-masyvas-{n:02d}", ARRAY, "Primera A630", "DC1", "DC1-S01", "HPE Primera OS 4.6", ADMINS, "active",
             "Pagrindinis diskų masyvas", ()))
        add((f"dc1-san-{n:02d}", SAN, "Brocade G620", "DC1", "DC1-S01", None, NET, "active",
             f"SAN gamykla {'A' if n == 1 else 'B'}", ("brexit-projektas",)))
        add((f"dc2-san-{n:02d}", SAN, "Brocade G620", "DC2", "DC2-N01", None, NET, "active",
             f"SAN gamykla {'A' if n == 1 else 'B'}", ("brexit-projektas",)))
        add((f"dc1-lan-{n:02d}", LAN, "Nexus 93180YC-FX", "DC1", "DC1-N01", "Cisco NX-OS 10.3", NET, "active",
             "DC branduolio komutatorius", ("brexit-projektas",)))
        add((f"dc2-lan-{n:02d}", LAN, "Nexus 93180YC-FX", "DC2", "DC2-N01", "Cisco NX-OS 10.3", NET, "active",
             "DC branduolio komutatorius", ("brexit-projektas",)))
        add((f"dc1-fw-{n:02d}", FW, "FortiGate 1800F", "DC1", "DC1-N01", "FortiOS 7.4", NET, "active",
             "Perimetro saugasienė (HA pora)", ()))
        add((f"dc1-lb-{n:02d}", LB, "BIG-IP i5800", "DC1", "DC1-N01", None, NET, "active",
             "e. paslaugų (BAP, MLS, GVS) apkrovos balansavimas", ()))
    add(("dc2-masyvas-01", ARRAY, "PowerStore 1200T", "DC2", "DC2-N01", None, ADMINS, "active",
         "Rezervinio DC diskų masyvas", ()))
    add(("dc2-fw-01", FW, "FortiGate 1800F", "DC2", "DC2-N01", "FortiOS 7.2", NET, "active",
         "Rezervinio DC saugasienė", ()))
    add(("dc2-juosta-01", TAPE, "TS4300", "DC2", "DC2-A02", None, BACKUP, "active", "LTO-9 juostinė biblioteka", ()))
    add(("hq-lan-01", LAN, "Catalyst 9300-48P", "VNO-HQ", "HQ-R01", "Cisco IOS XE 17.9", NET, "active",
         "Departamento branduolio komutatorius", ()))
    for code in ("MED", "SAL", "KYB", "KLP", "VNO-AP", "KUN-P"):
        short = code.lower().replace("-", "")
        add((f"{short}-fw-01", FW, "FortiGate 100F", code, None, "FortiOS 7.2", NET, "active", "Posto saugasienė", ()))
        add((f"{short}-lan-01", LAN, "Catalyst 9300-48P", code, None, "Cisco IOS XE 17.9", NET, "active",
             "Posto komutatorius", ()))
        add((f"{short}-rtr-01", ROUTER, "ISR 4331", code, None, "Cisco IOS XE 17.9", NET, "active",
             "SVDPT / LTE maršrutizatorius", ()))
    return rows


def _serial(name: str) -> str:
    return f"CZ{zlib.crc32(name.encode()):08X}"


def _mac(name: str, port: int) -> str:
    digest = zlib.crc32(f"{name}/{port}".encode())
    return "00:1b:21:" + ":".join(f"{(digest >> s) & 0xFF:02x}" for s in (16, 8, 0))


def _ports(role: str) -> Sequence[tuple[str, str, int | None]]:
    if role in (SAN,):
        return [(f"fc{n}", "32gfc-sfp28", None) for n in range(1, 5)] + [("mgmt0", "mgmt", 1500)]
    if role == ARRAY:
        return [(f"fc{n}", "32gfc-sfp28", None) for n in range(1, 5)] + [("mgmt0", "mgmt", 1500)]
    if role in (LAN, FW, ROUTER, LB, VOIP):
        return [(f"port{n}", "10gbase-x-sfpp", 9000) for n in range(1, 5)] + [("mgmt0", "mgmt", 1500)]
    if role == TAPE:
        return [("fc1", "16gfc-sfpp", None), ("mgmt0", "mgmt", 1500)]
    return [("ilo", "mgmt", 1500), ("eth0", "10gbase-x-sfpp", 9000), ("eth1", "10gbase-x-sfpp", 9000)]


def load() -> None:
    for name, email, description in TEAMS:
        ensure(Team, "name", {"name": name, "email": email, "description": description})
    for name, color, description in ROLES:
        ensure(DeviceRole, "name", {"name": name, "color": color, "description": description})
    for name, website, description in MAKERS:
        ensure(Manufacturer, "name", {"name": name, "website": website, "description": description})
    makers = {m.name: m for m in Manufacturer.objects.all()}
    for name, maker, part, height, full, watts, sale, support in HARDWARE:
        ensure(HardwareModel, "name", {
            "name": name, "manufacturer": makers[maker], "part_number": part, "u_height": height,
            "full_depth": full, "power_draw": watts, "end_of_sale": sale, "end_of_support": support})
    for product, maker, kind, versions in SOFTWARE:
        prod = ensure(SoftwareProduct, "name", {"name": product, "manufacturer": makers[maker], "kind": kind})
        for number, released, support, eol in versions:
            ensure(SoftwareVersion, "name", {
                "name": f"{product} {number}", "product": prod, "number": number, "release_date": released,
                "support_end": support, "end_of_life": eol,
                "extended_support_end": eol if product in EXTENDED else None})
    sites = {s.code: s for s in Site.objects.all()}
    locations = {loc.code: loc for loc in Location.objects.all()}
    for name, location, height, description in RACKS:
        loc = locations[location]
        ensure(Rack, "name", {"name": name, "site": loc.site, "location": loc, "u_height": height,
                              "description": description})
    _load_devices(sites, locations)


def _warranty_end(end_of_support: datetime.date | None) -> datetime.date | None:
    """The maker's warranty: two years shorter than the support contract bought to the model's end of support."""
    return end_of_support.replace(year=end_of_support.year - 2) if end_of_support else None


def _load_devices(sites: dict[str, Site], locations: dict[str, Location]) -> None:
    roles = {r.name: r for r in DeviceRole.objects.all()}
    models = {m.name: m for m in HardwareModel.objects.all()}
    versions = {v.name: v for v in SoftwareVersion.objects.all()}
    teams = {t.name: t for t in Team.objects.all()}
    racks = {r.name: r for r in Rack.objects.all()}
    tags = {t.slug: t for t in Tag.objects.all()}
    next_unit: dict[str, int] = {}
    rooms = {loc.site.code: loc for loc in locations.values() if loc.kind == "room"}
    for number, (name, role, model, site, rack, platform, team, status, description, labels) in enumerate(
        _devices(), start=1
    ):
        values = {
            "name": name, "role": roles[role], "hardware_model": models[model], "site": sites[site],
            "location": racks[rack].location if rack else rooms.get(site), "rack": racks.get(rack),
            "position": None, "face": "", "serial": _serial(name), "asset_number": f"MISC-{number:05d}",
            "status": status, "platform": versions.get(platform), "team": teams[team], "description": description,
            "warranty_end": _warranty_end(models[model].end_of_support), "support_end": models[model].end_of_support,
        }
        if rack:
            unit = next_unit.get(rack, 2)
            values["position"], values["face"] = unit, "front"
            next_unit[rack] = unit + models[model].u_height + 1
        device = ensure(Device, "name", values)
        for slug in labels:
            if not device.tags.filter(slug=slug).exists():
                device.tags.add(tags[slug])
        for port, (port_name, kind, mtu) in enumerate(_ports(role)):
            if not Interface.objects.filter(device=device, name=port_name).exists():
                port_obj = Interface(device=device, name=port_name, type=kind, mtu=mtu, mac_address=_mac(name, port))
                port_obj.full_clean()
                port_obj.save()
    _load_storage_and_software(versions, teams)


def _load_storage_and_software(versions: dict[str, SoftwareVersion], teams: dict[str, Team]) -> None:
    devices = {d.name: d for d in Device.objects.filter(role__name=ARRAY)}
    for name, raw, usable, used in (("dc1-masyvas-01", 200, 150, 112), ("dc1-masyvas-02", 200, 150, 97),
                                    ("dc2-masyvas-01", 260, 200, 171)):
        capacity = StorageCapacity.objects.filter(device=devices[name]).first()
        values = {"raw_tb": Decimal(raw), "usable_tb": Decimal(usable), "used_tb": Decimal(used)}
        if capacity is None:
            capacity = StorageCapacity(device=devices[name], **values)
            capacity.full_clean()
            capacity.save()
    installs = [(f"dc1-ora-{n:02d}", "Oracle Database 19c", DBA) for n in range(1, 5)]
    installs += [("dc2-ora-01", "Oracle Database 19c", DBA), ("dc2-ora-02", "Oracle Database 12c R2", DBA),
                 ("dc1-sql-01", "SQL Server 2019", DBA), ("dc1-sql-02", "SQL Server 2014", DBA),
                 ("dc2-sql-01", "SQL Server 2019", DBA), ("dc1-bkp-01", "Veeam Backup & Replication 12.3", BACKUP),
                 ("dc1-bkp-02", "Veeam Backup & Replication 12.3", BACKUP)]
    by_name = {d.name: d for d in Device.objects.filter(name__in=[i[0] for i in installs])}
    for device, version, team in installs:
        if not Installation.objects.filter(device=by_name[device], software_version=versions[version]).exists():
            item = Installation(device=by_name[device], software_version=versions[version], team=teams[team])
            item.full_clean()
            item.save()
