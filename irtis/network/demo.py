"""Demo data and voice networks of the customs estate (shared domain facts, section 4; synthetic).

Addressing: 10.0.0.0/8 is the internal plan; each site has 10.<N>.0.0/16 and one /24 per VLAN
(third octet = VLAN ID, or VLAN ID − 200 for the post VLANs 300 and 310). Management networks
live in VRF MGMT (10.250.<N>.0/24), the CCN/CSI gateways in the isolated VRF CCN.
"""

from typing import Any

from irtis.core.demo import ensure
from irtis.inventory.models import Device, Interface, Site

from . import demo_ipam
from .models import (
    VLAN,
    VRF,
    Circuit,
    DevicePrimaryAddress,
    IPAddress,
    NumberRange,
    Prefix,
    Provider,
    RouteTarget,
    SecurityZone,
    VLANAssignment,
    VLANGroup,
    VoiceGateway,
)

T = SecurityZone.Trust
ZONES = [
    (
        "MGMT",
        "Valdymo zona",
        T.RESTRICTED,
        "Infrastruktūros valdymo sąsajos (iLO/iDRAC, vCenter); prieiga tik iš administravimo stočių.",
    ),
    (
        "PROD",
        "Produkcinė zona",
        T.RESTRICTED,
        "Muitinės informacinių sistemų taikomosios programos ir duomenų bazės.",
    ),
    ("DMZ", "Demilitarizuotoji zona", T.DMZ, "Viešosios e. paslaugos: BAP, MLS, GVS portalai."),
    (
        "B2G",
        "Verslo ir valdžios mainų zona",
        T.EXTERNAL,
        "Ekonominės veiklos vykdytojų sistemų tiesioginiai (S2S) mainai.",
    ),
    ("CCN", "CCN/CSI zona", T.CRITICAL, "ES CCN/CSI šliuzai, izoliuoti nuo kitų zonų."),
    ("BACKUP", "Atsarginio kopijavimo zona", T.RESTRICTED, "Atsarginio kopijavimo ir atkūrimo tinklas."),
    ("TEST", "Testavimo zona", T.INTERNAL, "Testavimo ir parengiamosios (preprod) aplinkos."),
    ("USERS", "Naudotojų zona", T.INTERNAL, "Darbuotojų darbo vietos, IP telefonija, tarnybinis belaidis tinklas."),
    (
        "POST-OT",
        "Postų operacinių technologijų zona",
        T.RESTRICTED,
        "ANPR ir rentgeno (X-ray) įranga pasienio kontrolės punktuose.",
    ),
    ("MDM", "Mobiliųjų įrenginių zona", T.EXTERNAL, "Pareigūnų mobiliųjų įrenginių VPN adresų telkinys."),
    ("INTERNET", "Internetas", T.UNTRUSTED, "Viešasis internetas, pasiekiamas per SVDPT; skiriamas saugasiene."),
]

# route target: (description, VRFs importing it, VRFs exporting it)
ROUTE_TARGETS = {
    "65010:10": ("Valdymo tinklų maršrutai", ("MGMT",), ("MGMT",)),
    "65010:140": ("CCN/CSI maršrutai, tik VRF CCN", ("CCN",), ("CCN",)),
    "65010:900": ("Bendrosios paslaugos (DNS, NTP): importuoja valdymo VRF", ("MGMT",), ()),
}

VRFS = [
    ("MGMT", "65010:10", "MGMT", "Valdymo tinklų maršrutizavimo sritis."),
    ("CCN", "65010:140", "CCN", "ES CCN/CSI tinklas, atskirtas nuo kitų maršrutizavimo sričių."),
]

# VLAN ID: (name, zone, description)
VLANS = {
    10: ("mgmt", "MGMT", "Valdymo tinklas (iLO/iDRAC, vCenter)"),
    20: ("vmotion", "PROD", "Virtualiųjų mašinų perkėlimas (vMotion)"),
    30: ("storage", "PROD", "Duomenų saugyklų tinklas (iSCSI; FC SAN atskirai)"),
    100: ("prod-app", "PROD", "Produkcinės taikomosios programos"),
    110: ("prod-db", "PROD", "Produkcinės duomenų bazės"),
    120: ("dmz-eservices", "DMZ", "E. paslaugų portalai (BAP, MLS, GVS)"),
    130: ("b2g-edi", "B2G", "Verslo ir valdžios elektroniniai mainai (S2S)"),
    140: ("ccn", "CCN", "ES CCN/CSI šliuzas, izoliuotas"),
    150: ("backup", "BACKUP", "Atsarginio kopijavimo tinklas"),
    160: ("test-preprod", "TEST", "Testavimo ir parengiamosios aplinkos"),
    200: ("users", "USERS", "Darbuotojų kompiuteriai"),
    210: ("voip", "USERS", "IP telefonija"),
    220: ("wifi-corp-8021x", "USERS", "Tarnybinis belaidis tinklas (802.1X, EAP)"),
    300: ("post-lan", "USERS", "Posto vietinis tinklas"),
    310: ("post-ot", "POST-OT", "Posto operacinės technologijos (ANPR, rentgeno įranga)"),
    320: ("mdm-vpn-pool", "MDM", "Mobiliųjų įrenginių VPN adresų telkinys"),
}

POSTS = ("MED", "SAL", "LAV", "KYB", "KYB-RW", "KLP", "VNO-AP", "KUN-P")
# site: (second octet of its /16, VLANs)
SITES = {
    "DC1": (10, (10, 20, 30, 100, 110, 120, 130, 140, 150, 160, 320)),
    "DC2": (20, (10, 20, 30, 100, 110, 150, 160)),
    "VNO-HQ": (30, (10, 200, 210, 220)),
    **{code: (101 + i, (10, 210, 300, 310)) for i, code in enumerate(POSTS)},
}
CLOSED = {"LAV"}

# (site, VLAN, host, DNS name, role, description)
HOSTS = [
    ("DC1", 100, 11, "mdas-app1", "", "MDAS taikomųjų programų serveris"),
    ("DC1", 100, 12, "mdas-app2", "", "MDAS taikomųjų programų serveris"),
    ("DC1", 100, 21, "ntks-app1", "", "NTKS taikomųjų programų serveris"),
    ("DC1", 100, 22, "ntks-app2", "", "NTKS taikomųjų programų serveris"),
    ("DC1", 100, 31, "imdas-app1", "", "iMDAS taikomųjų programų serveris"),
    ("DC1", 110, 11, "ora-rac1", "", "Oracle RAC mazgas"),
    ("DC1", 110, 12, "ora-rac2", "", "Oracle RAC mazgas"),
    ("DC1", 110, 20, "ora-scan", "vip", "Oracle RAC SCAN adresas"),
    ("DC1", 120, 10, "eportalai", "vip", "E. paslaugų apkrovos balansavimo adresas"),
    ("DC1", 120, 11, "bap-web1", "", "BAP portalas"),
    ("DC1", 120, 12, "mls-web1", "", "MLS portalas"),
    ("DC1", 120, 13, "gvs-web1", "", "GVS portalas"),
    ("DC1", 150, 11, "backup1", "", "Atsarginio kopijavimo serveris"),
    ("DC2", 110, 11, "ora-stby1", "", "Oracle budėjimo (standby) duomenų bazė"),
    ("DC2", 150, 11, "backup-imm1", "", "Nekeičiamų atsarginių kopijų saugykla"),
    ("VNO-HQ", 210, 10, "vgw-hq-1", "", "IP telefonijos šliuzas"),
    ("VNO-HQ", 210, 11, "vgw-hq-2", "", "IP telefonijos šliuzas"),
    ("VNO-HQ", 210, 20, "voip-cm1", "", "IP telefonijos valdymo serveris"),
    *[
        (code, 310, 11, f"anpr-{code.lower()}", "", "Valstybinių numerių atpažinimo (ANPR) kamera")
        for code in ("MED", "SAL", "KYB")
    ],
    *[
        (code, 310, 21, f"xray-{code.lower()}", "", "Rentgeno (X-ray) skenerio valdiklis")
        for code in ("MED", "SAL", "KLP")
    ],
]
DOMAIN = "muitine.local"

PROVIDERS = [
    (
        "SVDPT operatorius",
        "MISC-SVDPT",
        "SVDPT pagalbos tarnyba, tel. +37052000000",
        "Saugiojo valstybinio duomenų perdavimo tinklo (SVDPT) paslaugos ir prieiga prie interneto.",
    ),
    (
        "Mobiliojo ryšio operatorius A",
        "MISC-LTE-01",
        "Verslo klientų aptarnavimas, tel. +37052000001",
        "LTE atsarginiai ryšio kanalai postuose.",
    ),
    (
        "Fiksuoto ryšio operatorius B",
        "MISC-FIX-07",
        "Techninė pagalba, tel. +37052000002",
        "Tamsusis šviesolaidis tarp duomenų centrų ir telefonijos trunkas.",
    ),
]
# post: primary SVDPT bandwidth (Mbps)
POST_BANDWIDTH = {
    "MED": 1000,
    "SAL": 1000,
    "LAV": 100,
    "KYB": 500,
    "KYB-RW": 200,
    "KLP": 1000,
    "VNO-AP": 500,
    "KUN-P": 200,
}

NUMBER_RANGES = [
    ("+37052660000", "+37052660999", "VGW-HQ-1", "VNO-HQ", "Muitinės departamento vidaus numeriai"),
    ("+37052661000", "+37052661499", "VGW-HQ-2", "DC1", "MISC ir duomenų centrų numeriai"),
    ("+37052662000", "+37052662199", "VGW-HQ-2", "MED", "Medininkų ir Šalčininkų PKP numeriai"),
    ("+37034250000", "+37034250099", "VGW-HQ-2", "KYB", "Kybartų PKP numeriai"),
    ("+37046300000", "+37046300199", "VGW-HQ-1", "KLP", "Klaipėdos jūrų uosto PKP numeriai"),
    ("+37037300000", "+37037300099", "VGW-HQ-1", "KUN-P", "Kauno krovinių posto numeriai"),
]




def _octet(vid: int) -> int:
    return vid if vid < 256 else vid - 200


def load() -> None:
    zones = {
        code: ensure(SecurityZone, "code", {"code": code, "name": name, "trust_level": trust, "description": text})
        for code, name, trust, text in ZONES
    }
    vrfs = {
        name: ensure(VRF, "name", {"name": name, "rd": rd, "zone": zones[zone], "description": text})
        for name, rd, zone, text in VRFS
    }
    _route_targets(vrfs)
    sites = {s.code: s for s in Site.objects.filter(code__in=SITES)}
    _ip_space(zones, vrfs, sites)
    demo_ipam.load(vrfs, sites)
    _peer_links()
    _circuits(sites)
    _voice(sites)


def _route_targets(vrfs: dict[str, VRF]) -> None:
    for name, (description, importing, exporting) in ROUTE_TARGETS.items():
        target = ensure(RouteTarget, "name", {"name": name, "description": description})
        for vrf_names, field in ((importing, "import_targets"), (exporting, "export_targets")):
            for vrf_name in vrf_names:
                targets = getattr(vrfs[vrf_name], field)
                if not targets.filter(pk=target.pk).exists():
                    targets.add(target)


# core switch pair of a data centre: each switch's Po1 (the vPC peer link) carries every VLAN of the site
PEER_LINKS = {"DC1": ("dc1-lan-01", "dc1-lan-02"), "DC2": ("dc2-lan-01", "dc2-lan-02")}


def _peer_links() -> None:
    for site, switches in PEER_LINKS.items():
        vlans = [VLAN.objects.get(group__name=site, vid=vid) for vid in SITES[site][1]]
        for switch in switches:
            peer_link = Interface.objects.get(device__name=switch, name="Po1")
            for vlan in vlans:
                ensure(VLANAssignment, {"interface": peer_link, "vlan": vlan}, {"tagged": True})


def _ip_space(zones: dict, vrfs: dict, sites: dict) -> None:
    C, A, D = Prefix.Status.CONTAINER, Prefix.Status.ACTIVE, Prefix.Status.DEPRECATED
    _prefix(None, "10.0.0.0/8", C, description="Muitinės vidinis adresų planas")
    _prefix(vrfs["MGMT"], "10.250.0.0/16", C, zone=zones["MGMT"], description="Valdymo tinklai (VRF MGMT)")
    vlans: dict[tuple[str, int], VLAN] = {}
    for code, (number, vids) in SITES.items():
        site = sites.get(code)
        if site is None:
            continue
        closed = code in CLOSED
        group = ensure(
            VLANGroup, "name", {"name": code, "site": site, "description": f"{site.name}: komutavimo sritis"}
        )
        for vid in vids:
            name, zone, text = VLANS[vid]
            vlans[code, vid] = ensure(
                VLAN,
                {"group": group, "vid": vid},
                {
                    "name": name,
                    "site": site,
                    "zone": zones[zone],
                    "description": text,
                    "status": VLAN.Status.DEPRECATED if closed else VLAN.Status.ACTIVE,
                },
            )
        _prefix(None, f"10.{number}.0.0/16", D if closed else C, site=site, description=f"{site.name}: adresų sritis")
        for vid in vids:
            vlan, zone = vlans[code, vid], zones[VLANS[vid][1]]
            status = D if closed else A
            if vid == 10:
                _prefix(
                    vrfs["MGMT"],
                    f"10.250.{number}.0/24",
                    status,
                    site=site,
                    vlan=vlan,
                    zone=zone,
                    description=vlan.description,
                )
            elif vid == 140:
                _prefix(
                    vrfs["CCN"],
                    f"10.{number}.140.0/24",
                    status,
                    site=site,
                    vlan=vlan,
                    zone=zone,
                    description=vlan.description,
                )
            elif vid == 320:
                _prefix(None, "10.200.0.0/22", status, site=site, vlan=vlan, zone=zone, description=vlan.description)
            else:
                _prefix(
                    None,
                    f"10.{number}.{_octet(vid)}.0/24",
                    status,
                    site=site,
                    vlan=vlan,
                    zone=zone,
                    description=vlan.description,
                )
                if not closed:
                    _address(
                        None,
                        f"10.{number}.{_octet(vid)}.1/24",
                        f"gw-{code.lower()}-v{vid}",
                        IPAddress.Role.GATEWAY,
                        "Tinklo šliuzas (VRRP)",
                    )
    for code, vid, host, name, role, text in HOSTS:
        if code in sites:
            number = SITES[code][0]
            _address(None, f"10.{number}.{_octet(vid)}.{host}/24", name, role, text)
    if "DC1" in sites:
        for host in (11, 12):
            _address(vrfs["CCN"], f"10.10.140.{host}/24", f"ccn-gw{host - 10}", "", "CCN/CSI šliuzas")
        _address(vrfs["MGMT"], "10.250.10.10/24", "vcenter", "", "vCenter valdymo serveris")
        for host in range(101, 105):
            ilo = _address(
                vrfs["MGMT"],
                f"10.250.10.{host}/24",
                f"esx{host - 100:02d}-ilo",
                "",
                "Tarnybinės stoties valdymo sąsaja (iLO)",
            )
            _on_interface(ilo, f"dc1-esx-{host - 100:02d}", "ilo", primary=host < 103)


def _prefix(vrf: VRF | None, prefix: str, status: str, **values: Any) -> Prefix:
    values = {"site": None, "vlan": None, "zone": None, "description": "", **values, "status": status}
    return ensure(Prefix, {"vrf": vrf, "prefix": prefix}, values)


def _address(vrf: VRF | None, address: str, name: str, role: str, description: str) -> IPAddress:
    return ensure(
        IPAddress,
        {"vrf": vrf, "address": address},
        {
            "dns_name": f"{name}.{DOMAIN}",
            "role": role,
            "description": description,
            "status": IPAddress.Status.ACTIVE,
        },
    )


def _on_interface(address: IPAddress, device: str, interface: str, primary: bool) -> None:
    """The address on a device's interface (raises when the inventory demo lacks it), and
    optionally the device's primary IP address."""
    port = Interface.objects.get(device__name=device, name=interface)
    address = ensure(IPAddress, "pk", {"pk": address.pk, "interface": port})
    if primary:
        ensure(DevicePrimaryAddress, "device", {"device": port.device, "ip_address": address,
                                                "description": "Valdymo (iLO) adresas"})


def _circuits(sites: dict) -> None:
    providers = {
        name: ensure(Provider, "name", {"name": name, "account": account, "contact": contact, "description": text})
        for name, account, contact, text in PROVIDERS
    }
    svdpt, lte, fixed = (providers[p[0]] for p in PROVIDERS)
    S, K = Circuit.Status, Circuit.Kind

    def circuit(
        cid: str,
        provider: Provider,
        kind: str,
        bandwidth: int,
        a: str,
        b: str | None,
        text: str,
        commit: int | None = None,
        status: str = S.ACTIVE,
        contract: str = "",
    ) -> None:
        if a not in sites or (b and b not in sites):
            return
        ensure(
            Circuit,
            "cid",
            {
                "cid": cid,
                "provider": provider,
                "kind": kind,
                "bandwidth_mbps": bandwidth,
                "commit_rate_mbps": commit,
                "site_a": sites[a],
                "site_b": sites[b] if b else None,
                "status": status,
                "contract_ref": contract,
                "description": text,
            },
        )

    for code, bandwidth in POST_BANDWIDTH.items():
        status = S.DECOMMISSIONED if code in CLOSED else S.ACTIVE
        circuit(
            f"SVDPT-{code}-01",
            svdpt,
            K.SVDPT,
            bandwidth,
            code,
            "DC1",
            "Pagrindinis posto kanalas per SVDPT",
            commit=bandwidth // 2,
            status=status,
            contract="SVDPT-2024-017",
        )
        circuit(
            f"LTE-{code}-01",
            lte,
            K.LTE,
            100,
            code,
            None,
            "Atsarginis LTE kanalas (VPN į DC1)",
            status=status,
            contract="MOB-2023-112",
        )
    circuit(
        "MPLS-VNO-HQ-01",
        svdpt,
        K.MPLS,
        1000,
        "VNO-HQ",
        "DC1",
        "Departamento ir duomenų centro jungtis",
        commit=1000,
        contract="SVDPT-2024-017",
    )
    circuit(
        "SVDPT-VNO-HQ-02",
        svdpt,
        K.SVDPT,
        1000,
        "VNO-HQ",
        "DC2",
        "Departamento jungtis su rezerviniu DC",
        commit=500,
        contract="SVDPT-2024-017",
    )
    circuit(
        "FIB-DC1-DC2-01",
        fixed,
        K.FIBRE,
        10000,
        "DC1",
        "DC2",
        "Tamsusis šviesolaidis tarp duomenų centrų (>20 km)",
        contract="FIX-2022-031",
    )
    circuit(
        "INT-DC1-01",
        svdpt,
        K.INTERNET,
        1000,
        "DC1",
        None,
        "Interneto prieiga per SVDPT (už saugasienės)",
        commit=500,
        contract="SVDPT-2024-017",
    )
    circuit(
        "VOICE-VNO-HQ-01",
        fixed,
        K.VOICE,
        100,
        "VNO-HQ",
        None,
        "SIP trunkas į viešąjį telefono tinklą",
        commit=100,
        contract="FIX-2022-032",
    )


def _voice(sites: dict) -> None:
    if "VNO-HQ" not in sites:
        return
    gateways = {}
    for number in (1, 2):
        name = f"VGW-HQ-{number}"
        device = Device.objects.filter(name__iexact=name).first()
        gateways[name] = ensure(
            VoiceGateway,
            "name",
            {
                "name": name,
                "site": sites["VNO-HQ"],
                "device": device,
                "description": "IP telefonijos šliuzas į viešąjį telefono tinklą",
            },
        )
    for start, end, gateway, site, text in NUMBER_RANGES:
        ensure(
            NumberRange,
            "start",
            {
                "start": start,
                "end": end,
                "gateway": gateways[gateway],
                "site": sites.get(site),
                "description": text,
            },
        )
