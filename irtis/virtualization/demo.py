"""Demo virtualisation estate (shared domain facts, section 4): four vSphere clusters on the ESXi
servers of irtis.inventory's demo, and about 200 virtual machines of the customs systems and of
the infrastructure services.

Per information system: two web, two app and one integ machine in production, copies in
pre-production, test and development; the infrastructure services run in production.
Split: production 45 %, pre-production 20 %, test 25 %, development 10 %.
"""

from collections import Counter
from decimal import Decimal

from irtis.core.demo import ensure
from irtis.inventory.models import Device, Site, SoftwareVersion, Team
from irtis.network.demo import DOMAIN
from irtis.network.models import VLAN, IPAddress, Prefix

from .models import (
    Cluster,
    ClusterHost,
    ClusterType,
    Environment,
    VirtualDisk,
    VirtualMachine,
    VMAddressAssignment,
    VMInterface,
)

E = Environment
S = VirtualMachine.Status

# name, site, ESXi servers (inventory devices), datastore TB, vCPU limit, description
CLUSTERS = [
    (
        "CL-PROD",
        "DC1",
        [f"dc1-esx-{n:02}" for n in range(1, 9)],
        "120",
        "4.00",
        "Gamybinis klasteris: muitinės informacinių sistemų taikomosios ir integracinės dalys",
    ),
    (
        "CL-DMZ",
        "DC1",
        ["dc1-esx-09", "dc1-esx-10"],
        "12",
        "4.00",
        "Demilitarizuotos zonos klasteris: el. paslaugų portalai (BAP, MLS, GVS)",
    ),
    (
        "CL-MGMT",
        "DC1",
        ["dc1-esx-11", "dc1-esx-12"],
        "30",
        "6.00",
        "Valdymo klasteris: stebėsena, SIEM, privilegijuota prieiga, CMDB",
    ),
    (
        "CL-DC2",
        "DC2",
        [f"dc2-esx-{n:02}" for n in range(1, 9)],
        "140",
        "5.00",
        "Rezervinio DC klasteris: parengiamoji, bandomoji ir kūrimo aplinkos, "
        "rezervinės infrastruktūros VM",
    ),
]
HOST_CORES = {"CL-PROD": 48, "CL-DMZ": 24, "CL-MGMT": 24, "CL-DC2": 48}
HOST_MEMORY_GB = {"CL-PROD": 1024, "CL-DMZ": 384, "CL-MGMT": 256, "CL-DC2": 1024}

# Information systems: code, Lithuanian name, web tier public (DMZ), extra pre-production app node
SYSTEMS = [
    ("mdas", "Muitinės deklaracijų apdorojimo sistema (MDAS)", False, True),
    ("imdas", "Išmanioji MDAS (iMDAS)", False, True),
    ("ntks", "Nacionalinė tranzito kontrolės sistema (NTKS)", False, True),
    ("ics2", "ICS2 nacionalinė dalis", False, True),
    ("ppmks", "Prekių pateikimo muitinei kontrolės sistema (PPMKS)", False, True),
    ("idais", "Intrastat duomenų apdorojimo sistema (IDAIS)", False, True),
    ("bap", "Bendras naudotojų valdymo portalas (BAP)", True, True),
    ("mls", "Muitinės leidimų sistema (MLS)", True, False),
    ("gvs", "Garantijų valdymo sistema (GVS)", True, False),
    ("makis", "Muitinės apskaitos ir kontrolės informacinė sistema (MAKIS)", False, False),
    ("litar", "Integruotas tarifas (LITAR)", False, False),
]
TIERS = {  # tier: Lithuanian role, vCPU, memory MB, disk GB
    "web": ("žiniatinklio serveris", 4, 8192, 80),
    "app": ("taikomųjų programų serveris", 8, 32768, 150),
    "integ": ("integracijos serveris", 4, 16384, 100),
}
ENVIRONMENT_NAMES = {
    E.PRODUCTION: ("prod", "gamybinė aplinka"),
    E.PRE_PRODUCTION: ("preprod", "parengiamoji aplinka"),
    E.TEST: ("test", "bandomoji aplinka"),
    E.DEVELOPMENT: ("dev", "kūrimo aplinka"),
}

# Infrastructure services in production: prefix, count, Lithuanian description, vCPU, MB, GB,
# cluster (a list: one per machine, cycled), OS family, team
INFRA = [
    (
        "ad-dc",
        4,
        "Active Directory domeno valdiklis",
        4,
        16384,
        120,
        ["CL-PROD", "CL-PROD", "CL-DC2", "CL-DC2"],
        "win",
        "Katalogo ir el. pašto",
    ),
    (
        "exch",
        4,
        "Exchange pašto serveris (DAG narys)",
        8,
        65536,
        1500,
        ["CL-PROD", "CL-PROD", "CL-DC2", "CL-DC2"],
        "win",
        "Katalogo ir el. pašto",
    ),
    (
        "adfs",
        1,
        "ADFS tapatybės federacijos serveris",
        4,
        8192,
        80,
        ["CL-PROD"],
        "win",
        "Katalogo ir el. pašto",
    ),
    (
        "mfa",
        1,
        "Kelių veiksnių tapatumo nustatymo serveris",
        4,
        8192,
        80,
        ["CL-PROD"],
        "win",
        "Saugos",
    ),
    (
        "pki-ca",
        2,
        "Viešųjų raktų infrastruktūros sertifikavimo tarnyba",
        2,
        8192,
        100,
        ["CL-MGMT"],
        "win",
        "Saugos",
    ),
    (
        "siem",
        3,
        "SIEM žurnalinių įrašų analizės mazgas",
        8,
        65536,
        3000,
        ["CL-MGMT"],
        "linux",
        "Saugos",
    ),
    (
        "mon",
        3,
        "Stebėsenos (Zabbix) serveris",
        4,
        16384,
        300,
        ["CL-MGMT"],
        "linux",
        "Sistemų administravimo",
    ),
    (
        "wsus",
        2,
        "Windows atnaujinimų (WSUS) serveris",
        4,
        8192,
        600,
        ["CL-MGMT", "CL-DC2"],
        "win",
        "Sistemų administravimo",
    ),
    (
        "bkp-proxy",
        4,
        "Atsarginio kopijavimo tarpinis serveris",
        8,
        16384,
        80,
        ["CL-PROD", "CL-PROD", "CL-DC2", "CL-DC2"],
        "linux",
        "Sistemų administravimo",
    ),
    (
        "pam",
        1,
        "Privilegijuotos prieigos valdymo (PAM) serveris",
        4,
        16384,
        150,
        ["CL-MGMT"],
        "linux",
        "Saugos",
    ),
    ("jump", 1, "Administratorių šuolinis serveris", 4, 16384, 120, ["CL-MGMT"], "win", "Saugos"),
    (
        "mdm",
        2,
        "Mobiliųjų įrenginių valdymo (MDM) serveris",
        4,
        16384,
        150,
        ["CL-DMZ", "CL-PROD"],
        "win",
        "Tinklo",
    ),
    (
        "voip-cm",
        2,
        "IP telefonijos skambučių valdymo serveris",
        4,
        16384,
        110,
        ["CL-PROD", "CL-DC2"],
        "linux",
        "Tinklo",
    ),
    ("dns", 2, "DNS ir DHCP serveris", 2, 4096, 60, ["CL-PROD", "CL-DC2"], "linux", "Tinklo"),
    (
        "file",
        2,
        "Failų serveris",
        4,
        16384,
        4000,
        ["CL-PROD", "CL-DC2"],
        "win",
        "Sistemų administravimo",
    ),
    (
        "cmdb",
        1,
        "Konfigūracijos valdymo duomenų bazė (CMDB, irtis)",
        4,
        16384,
        200,
        ["CL-MGMT"],
        "linux",
        "Sistemų administravimo",
    ),
]
# The VLAN (at the cluster's site) and so the prefix of the IP plan (irtis.network's demo) each
# cluster's machines are connected to; database servers are on the site's database VLAN.
CLUSTER_VLANS = {"CL-PROD": 100, "CL-DMZ": 120, "CL-MGMT": 10, "CL-DC2": 160}
DATABASE_VLAN = 110
FIRST_HOST = 50  # below: the network demo's own addresses (gateways, servers, VIPs)
SYSTEM_DISK_GB = 60
OS_VERSIONS = {"linux": "Red Hat Enterprise Linux 9", "win": "Windows Server 2022"}
DATABASE_VMS = [
    (
        "pgsql-01.prod",
        "CL-PROD",
        E.PRODUCTION,
        "PostgreSQL klasterio pagrindinis mazgas (BAP, PPMKS, ICS2)",
        16,
        131072,
        3000,
    ),
    (
        "pgsql-02.prod",
        "CL-PROD",
        E.PRODUCTION,
        "PostgreSQL klasterio atsarginis mazgas",
        16,
        131072,
        3000,
    ),
    (
        "ora-01.preprod",
        "CL-DC2",
        E.PRE_PRODUCTION,
        "Oracle DBVS parengiamajai aplinkai",
        8,
        65536,
        4000,
    ),
    (
        "pgsql-01.preprod",
        "CL-DC2",
        E.PRE_PRODUCTION,
        "PostgreSQL parengiamajai aplinkai",
        4,
        32768,
        800,
    ),
    ("ora-01.test", "CL-DC2", E.TEST, "Oracle DBVS bandomajai aplinkai", 8, 65536, 4000),
    ("pgsql-01.test", "CL-DC2", E.TEST, "PostgreSQL bandomajai aplinkai", 4, 16384, 600),
    ("mssql-01.test", "CL-DC2", E.TEST, "MS SQL Server bandomajai aplinkai", 4, 32768, 1000),
    ("ora-01.dev", "CL-DC2", E.DEVELOPMENT, "Oracle DBVS kūrėjams", 4, 32768, 1500),
    ("pgsql-01.dev", "CL-DC2", E.DEVELOPMENT, "PostgreSQL kūrėjams", 2, 8192, 300),
]
STATUS_EXCEPTIONS = {  # a few machines that are not simply running
    "ics2-app-02.test": S.PLANNED,
    "ics2-integ-01.test": S.PLANNED,
    "ics2-web-01.dev": S.STAGED,
    "litar-app-02.test": S.DECOMMISSIONING,
    "makis-web-01.test": S.OFFLINE,
    "gvs-app-01.dev": S.OFFLINE,
}


def machines() -> list[dict]:
    """The demo machines as field values (clusters and versions by name)."""
    rows = []

    def add(
        name: str,
        cluster: str,
        environment: str,
        description: str,
        vcpus: int,
        memory_mb: int,
        disk_gb: int,
        os_family: str,
        team: str,
    ) -> None:
        rows.append(
            {
                "name": name,
                "cluster": cluster,
                "environment": environment,
                "description": description,
                "vcpus": vcpus,
                "memory_mb": memory_mb,
                "disk_gb": disk_gb,
                "os": OS_VERSIONS[os_family],
                "team": team,
                "status": STATUS_EXCEPTIONS.get(name, S.ACTIVE),
            }
        )

    for code, title, public, second_app in SYSTEMS:
        layout = {
            E.PRODUCTION: {"web": 2, "app": 2, "integ": 1},
            E.PRE_PRODUCTION: {"web": 1, "app": 2 if second_app else 1, "integ": 1},
            E.TEST: {"web": 1, "app": 2, "integ": 1},
            E.DEVELOPMENT: {"web": 1, "app": 1} if code != "litar" else {},
        }
        for environment, tiers in layout.items():
            suffix, env_title = ENVIRONMENT_NAMES[environment]
            for tier, count in tiers.items():
                role, vcpus, memory_mb, disk_gb = TIERS[tier]
                if environment != E.PRODUCTION:
                    vcpus, memory_mb = max(2, vcpus // 2), memory_mb // 2
                    cluster = "CL-DC2"
                else:
                    cluster = "CL-DMZ" if public and tier == "web" else "CL-PROD"
                for n in range(1, count + 1):
                    add(
                        f"{code}-{tier}-{n:02}.{suffix}",
                        cluster,
                        environment,
                        f"{title}: {role} Nr. {n} ({env_title})",
                        vcpus,
                        memory_mb,
                        disk_gb,
                        "linux",
                        "Taikomųjų sistemų",
                    )
    for prefix, count, title, vcpus, memory_mb, disk_gb, clusters, os_family, team in INFRA:
        for n in range(1, count + 1):
            add(
                f"{prefix}-{n:02}.prod",
                clusters[(n - 1) % len(clusters)],
                E.PRODUCTION,
                f"{title} Nr. {n}",
                vcpus,
                memory_mb,
                disk_gb,
                os_family,
                f"{team}",
            )
    # Infrastructure test copies, so the split matches the estate's (45/20/25/10 %).
    for prefix, title in (
        ("ad-dc", "Active Directory domeno valdiklis"),
        ("exch", "Exchange pašto serveris"),
        ("pki-ca", "Sertifikavimo tarnyba"),
        ("mon", "Stebėsenos serveris"),
        ("siem", "SIEM mazgas"),
        ("adfs", "ADFS serveris"),
    ):
        add(
            f"{prefix}-01.test",
            "CL-DC2",
            E.TEST,
            f"{title} (bandomoji aplinka)",
            2,
            8192,
            100,
            "linux" if prefix in {"mon", "siem"} else "win",
            "Sistemų administravimo",
        )
    # Database servers that are virtual machines (irtis.databases puts DBMS instances on them).
    for name, cluster, environment, title, vcpus, memory_mb, disk_gb in DATABASE_VMS:
        add(name, cluster, environment, title, vcpus, memory_mb, disk_gb, "linux", "Duomenų bazių")
    return rows


def _team(name: str) -> Team | None:
    return Team.objects.filter(name__startswith=name).order_by("name").first()


def load() -> None:
    vsphere = ensure(
        ClusterType,
        "name",
        {
            "name": "VMware vSphere",
            "description": "VMware vSphere 8 (ESXi ir vCenter) virtualizacijos platforma",
        },
    )
    clusters = {}
    for name, site_code, servers, storage_tb, vcpu_limit, description in CLUSTERS:
        clusters[name] = ensure(
            Cluster,
            "name",
            {
                "name": name,
                "type": vsphere,
                "site": Site.objects.get(code=site_code),
                "status": Cluster.Status.ACTIVE,
                "storage_tb": Decimal(storage_tb),
                "vcpu_ratio_limit": Decimal(vcpu_limit),
                "memory_ratio_limit": Decimal("1.00"),
                "description": description,
            },
        )
        for device in Device.objects.filter(name__in=servers).order_by("name"):
            ensure(
                ClusterHost,
                "device",
                {
                    "device": device,
                    "cluster": clusters[name],
                    "cpu_cores": HOST_CORES[name],
                    "memory_gb": HOST_MEMORY_GB[name],
                    "description": "ESXi mazgas",
                },
            )
    versions = {v.name: v for v in SoftwareVersion.objects.filter(name__in=OS_VERSIONS.values())}
    teams: dict[str, Team | None] = {}
    hosts: Counter[int] = Counter()
    for number, row in enumerate(machines(), start=1):
        team = teams.setdefault(row["team"], _team(row["team"]))
        machine = ensure(
            VirtualMachine,
            "name",
            {
                "name": row["name"],
                "cluster": clusters[row["cluster"]],
                "status": row["status"],
                "environment": row["environment"],
                "vcpus": row["vcpus"],
                "memory_mb": row["memory_mb"],
                "disk_gb": row["disk_gb"],
                "operating_system": versions.get(row["os"]),
                "team": team,
                "description": row["description"],
            },
        )
        vid = DATABASE_VLAN if row["team"] == "Duomenų bazių" else CLUSTER_VLANS[row["cluster"]]
        prefix = _prefix(machine.cluster, vid)
        hosts[prefix.pk] += 1
        _network(machine, prefix, FIRST_HOST + hosts[prefix.pk], number)
        _disks(machine)


def _prefix(cluster: Cluster, vid: int) -> Prefix:
    """The IP plan's prefix of the VLAN at the cluster's site; raises when the plan has none."""
    vlan = VLAN.objects.get(group__site=cluster.site, vid=vid)
    return Prefix.objects.get(vlan=vlan)


def _network(machine: VirtualMachine, prefix: Prefix, host: int, number: int) -> None:
    """eth0 on the prefix's VLAN with an address of the prefix, the machine's primary."""
    interface = ensure(
        VMInterface,
        {"virtual_machine": machine, "name": "eth0"},
        {"untagged_vlan": prefix.vlan, "mac_address": f"00:50:56:{number >> 16 & 255:02x}:{number >> 8 & 255:02x}:"
         f"{number & 255:02x}", "enabled": True},
    )
    network = prefix.network
    address = ensure(
        IPAddress,
        {"vrf": prefix.vrf, "address": f"{network[host]}/{network.prefixlen}"},
        {"dns_name": f"{machine.name}.{DOMAIN}", "status": IPAddress.Status.ACTIVE},
    )
    ensure(VMAddressAssignment, "ip_address", {"ip_address": address, "interface": interface})
    ensure(VirtualMachine, "name", {"name": machine.name, "primary_ip": address})


def _disks(machine: VirtualMachine) -> None:
    """A system disk and, on a larger machine, a data disk: together its allocation (a planned
    machine's data disk is not made yet)."""
    datastore = f"{machine.cluster.name}-DS01"
    system = min(SYSTEM_DISK_GB, machine.disk_gb)
    ensure(VirtualDisk, {"virtual_machine": machine, "name": "Hard disk 1"},
           {"size_gb": system, "datastore": datastore, "description": "Sisteminis diskas"})
    if machine.disk_gb > system and machine.status != VirtualMachine.Status.PLANNED:
        ensure(VirtualDisk, {"virtual_machine": machine, "name": "Hard disk 2"},
               {"size_gb": machine.disk_gb - system, "datastore": datastore, "description": "Duomenų diskas"})
