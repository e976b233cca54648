"""Reading a device's SNMP agent (v2c or v3): system group, interfaces, IP addresses, the
chassis' serial number (ENTITY-MIB) and LLDP neighbours (LLDP-MIB).

pysnmp's asyncio API runs in a private event loop, so views and commands call the plain
`read()`, and a sweep reads many agents at once in one loop with `read_many()`. MIB files are
not loaded (`lookupMib=False`): the few objects read are named by their numeric OIDs below,
which keeps a read fast and independent of installed MIBs.
"""

import asyncio
import ipaddress
import socket
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from pysnmp.error import PySnmpError
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    Udp6TransportTarget,
    UdpTransportTarget,
    UsmUserData,
    bulk_cmd,
    get_cmd,
)
from pysnmp.hlapi.v3arch.asyncio import auth as usm
from pysnmp.proto import errind
from pysnmp.proto.rfc1905 import EndOfMibView, NoSuchInstance, NoSuchObject

SYS_DESCR, SYS_OBJECT_ID, SYS_NAME = "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0"
IF_NUMBER = "1.3.6.1.2.1.2.1.0"  # IF-MIB ifNumber: the rows of ifTable
IF_ENTRY = "1.3.6.1.2.1.2.2.1"          # IF-MIB ifTable
IFX_ENTRY = "1.3.6.1.2.1.31.1.1.1"      # IF-MIB ifXTable
IP_ADDR_ENTRY = "1.3.6.1.2.1.4.20.1"    # IP-MIB ipAddrTable (IPv4)
IP_ADDRESS_ENTRY = "1.3.6.1.2.1.4.34.1"  # IP-MIB ipAddressTable (IPv4 and IPv6)
IF_COLUMNS = {"descr": 2, "type": 3, "mtu": 4, "speed": 5, "mac": 6, "admin": 7, "oper": 8}
IFX_COLUMNS = {"name": 1, "high_speed": 15, "alias": 18}
IP_ADDR_COLUMNS = {"if_index": 2, "netmask": 3}
IP_ADDRESS_COLUMNS = {"if_index": 3, "type": 4, "prefix": 5}
ENT_PHYSICAL_ENTRY = "1.3.6.1.2.1.47.1.1.1.1"  # ENTITY-MIB entPhysicalTable
ENT_COLUMNS = {"class": 5, "software": 10, "serial": 11}
ENT_CHASSIS = 3  # entPhysicalClass chassis(3)
LLDP_REM_ENTRY = "1.0.8802.1.1.2.1.4.1.1"  # LLDP-MIB lldpRemTable: index timeMark.localPortNum.remIndex
LLDP_REM_COLUMNS = {"port_subtype": 6, "port_id": 7, "port_descr": 8, "sys_name": 9}
LLDP_LOC_PORT_ENTRY = "1.0.8802.1.1.2.1.3.7.1"  # LLDP-MIB lldpLocPortTable: index localPortNum
LLDP_LOC_COLUMNS = {"port_subtype": 2, "port_id": 3, "port_descr": 4}
LLDP_NAMED_PORTS = {1, 5, 7}  # port ID subtypes that are a name: interfaceAlias, interfaceName, local
REPETITIONS = 25  # at most per column and request; a walk starts smaller (see `_Session.table`)
FIRST_REPETITIONS = 4
MAX_ROWS = 20000  # per table: a misbehaving agent cannot keep a read going for ever

AUTH_PROTOCOLS = {
    "MD5": usm.usmHMACMD5AuthProtocol,
    "SHA": usm.usmHMACSHAAuthProtocol,
    "SHA-224": usm.usmHMAC128SHA224AuthProtocol,
    "SHA-256": usm.usmHMAC192SHA256AuthProtocol,
    "SHA-384": usm.usmHMAC256SHA384AuthProtocol,
    "SHA-512": usm.usmHMAC384SHA512AuthProtocol,
}
PRIV_PROTOCOLS = {
    "AES": usm.usmAesCfb128Protocol,
    "AES-192": usm.usmAesCfb192Protocol,
    "AES-256": usm.usmAesCfb256Protocol,
    "DES": usm.usmDESPrivProtocol,
}
LEVELS = ("noAuthNoPriv", "authNoPriv", "authPriv")


class SnmpError(Exception):
    """The agent could not be read; `message` says why in the user's language."""

    def __init__(self, message: str, timeout: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.timeout = timeout


@dataclass(frozen=True)
class Credentials:
    """What one read authenticates with; secrets are kept out of repr() and never stored."""

    version: str  # "2c" or "3"
    community: str = field(default="", repr=False)
    user: str = ""
    level: str = "authPriv"
    auth_protocol: str = "SHA"
    auth_key: str = field(default="", repr=False)
    priv_protocol: str = "AES"
    priv_key: str = field(default="", repr=False)

    def auth_data(self) -> CommunityData | UsmUserData:
        if self.version == "2c":
            return CommunityData(self.community, mpModel=1)
        values: dict[str, Any] = {}
        if self.level in ("authNoPriv", "authPriv"):
            values.update(authKey=self.auth_key, authProtocol=AUTH_PROTOCOLS[self.auth_protocol])
        if self.level == "authPriv":
            values.update(privKey=self.priv_key, privProtocol=PRIV_PROTOCOLS[self.priv_protocol])
        return UsmUserData(self.user, **values)


@dataclass
class Port:
    """One row of ifTable joined with ifXTable."""

    index: int
    name: str
    descr: str = ""
    alias: str = ""
    if_type: int = 1
    mtu: int | None = None
    speed_mbps: int | None = None
    mac: str = ""
    admin_up: bool = True
    oper_up: bool = False


@dataclass
class Address:
    """An address the agent reports, with its mask length and the ifIndex it is on."""

    address: str  # "192.0.2.2/24"
    if_index: int


@dataclass
class Neighbour:
    """An LLDP neighbour seen on one of the device's ports."""

    local_port: str  # the device's own interface name
    system_name: str  # the neighbour's lldpRemSysName
    port: str  # the neighbour's port, by name when it sends one, else its description


@dataclass
class Reading:
    """Everything a read found, plain enough to keep in a signed token."""

    sys_name: str
    sys_descr: str
    sys_object_id: str
    ports: list[Port] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    serial: str = ""  # the chassis' entPhysicalSerialNum
    software: str = ""  # the chassis' entPhysicalSoftwareRev
    neighbours: list[Neighbour] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Reading":
        return cls(
            sys_name=data["sys_name"], sys_descr=data["sys_descr"], sys_object_id=data["sys_object_id"],
            ports=[Port(**p) for p in data["ports"]], addresses=[Address(**a) for a in data["addresses"]],
            serial=data.get("serial", ""), software=data.get("software", ""),
            neighbours=[Neighbour(**n) for n in data.get("neighbours", [])],
        )


def read(host: str, port: int, credentials: Credentials, timeout: float = 2.0, retries: int = 1) -> Reading:
    """Read the agent at host:port; raises SnmpError with a message for the user."""

    async def one() -> Reading:
        engine = SnmpEngine()
        try:
            return await _read(engine, host, port, credentials, timeout, retries)
        finally:
            engine.close_dispatcher()

    return asyncio.run(one())


def read_many(hosts: list[str], port: int, credentials: Credentials, concurrency: int = 32,
              timeout: float = 2.0, retries: int = 1) -> list[Reading | SnmpError]:
    """Read the agents at `hosts` (the same port and credentials), `concurrency` at a time, through
    one SNMP engine; each host's reading or the error that stopped it, in the order of `hosts`."""

    async def every() -> list[Reading | SnmpError]:
        engine, gate = SnmpEngine(), asyncio.Semaphore(concurrency)

        async def one(host: str) -> Reading | SnmpError:
            async with gate:
                try:
                    return await _read(engine, host, port, credentials, timeout, retries)
                except SnmpError as error:
                    return error

        try:
            return list(await asyncio.gather(*(one(host) for host in hosts)))
        finally:
            engine.close_dispatcher()

    return asyncio.run(every())


async def _read(engine: SnmpEngine, host: str, port: int, credentials: Credentials, timeout: float,
                retries: int) -> Reading:
    try:
        target = await _target(host, port, timeout, retries)
        session = _Session(engine, credentials, target, f"{host}:{port}", timeout * (retries + 1))
        system = await session.get([SYS_NAME, SYS_DESCR, SYS_OBJECT_ID, IF_NUMBER])
        rows = _int(system.get(IF_NUMBER)) or REPETITIONS
        interfaces = await session.table(IF_ENTRY, IF_COLUMNS, first=rows + 1)
        extended = await session.table(IFX_ENTRY, IFX_COLUMNS, first=rows + 1)
        ipv4 = await session.table(IP_ADDR_ENTRY, IP_ADDR_COLUMNS)
        modern = await session.table(IP_ADDRESS_ENTRY, IP_ADDRESS_COLUMNS)
        entities = await session.table(ENT_PHYSICAL_ENTRY, ENT_COLUMNS)
        remote = await session.table(LLDP_REM_ENTRY, LLDP_REM_COLUMNS)
        local = await session.table(LLDP_LOC_PORT_ENTRY, LLDP_LOC_COLUMNS)
    except PySnmpError as error:  # bad parameters or a socket that cannot be opened
        raise SnmpError(_("SNMP error: %(error)s") % {"error": error}) from None
    ports = _ports(interfaces, extended)
    serial, software = _chassis(entities)
    return Reading(
        sys_name=_text(system.get(SYS_NAME)), sys_descr=_text(system.get(SYS_DESCR)),
        sys_object_id=str(system.get(SYS_OBJECT_ID) or ""), ports=ports, addresses=_addresses(ipv4, modern),
        serial=serial, software=software, neighbours=_neighbours(remote, local, ports),
    )


async def _target(host: str, port: int, timeout: float, retries: int) -> UdpTransportTarget | Udp6TransportTarget:
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        try:
            found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_DGRAM)
        except (OSError, UnicodeError):  # UnicodeError: a name IDNA cannot encode
            raise SnmpError(_("Cannot resolve the name %(host)s.") % {"host": host}) from None
        literal = ipaddress.ip_address(found[0][4][0])
    kind = UdpTransportTarget if literal.version == 4 else Udp6TransportTarget
    return await kind.create((str(literal), port), timeout=timeout, retries=retries)


class _Session:
    def __init__(self, engine: SnmpEngine, credentials: Credentials, target: Any, where: str, wait: float) -> None:
        self.engine, self.credentials, self.target, self.where, self.wait = engine, credentials, target, where, wait
        self.auth = credentials.auth_data()

    async def get(self, oids: list[str]) -> dict[str, Any]:
        error, status, _index, binds = await get_cmd(
            self.engine, self.auth, self.target, ContextData(), *(ObjectType(ObjectIdentity(o)) for o in oids),
            lookupMib=False,
        )
        self._check(error, status)
        return {str(name): value for name, value in binds if not isinstance(value, NoSuchObject | NoSuchInstance)}

    async def table(self, entry: str, columns: dict[str, int],
                    first: int = FIRST_REPETITIONS) -> dict[str, dict[tuple[int, ...], Any]]:
        """Walk the columns of one table together with GETBULK: {column: {index: value}}.

        The first request asks for `first` rows (the expected size, when known), later ones
        twice as many up to REPETITIONS: an agent answers every repetition of every column
        even past the table's end, and decoding those answers is most of a read's time."""
        prefixes = {name: (*_oid(entry), number) for name, number in columns.items()}
        last = dict(prefixes)
        found: dict[str, dict[tuple[int, ...], Any]] = {name: {} for name in columns}
        active = list(columns)
        repetitions = max(1, min(first, REPETITIONS))
        while active:
            error, status, _index, binds = await bulk_cmd(
                self.engine, self.auth, self.target, ContextData(), 0, repetitions,
                *(ObjectType(ObjectIdentity(last[n])) for n in active), lookupMib=False,
            )
            self._check(error, status)
            if not binds:
                break
            finished = set()
            for position, (name, value) in enumerate(binds):
                column = active[position % len(active)]
                oid = tuple(name)
                prefix = prefixes[column]
                if (column in finished or isinstance(value, EndOfMibView) or oid[:len(prefix)] != prefix
                        or oid <= last[column] or len(found[column]) >= MAX_ROWS):
                    finished.add(column)
                    continue
                found[column][oid[len(prefix):]] = value
                last[column] = oid
            active = [n for n in active if n not in finished]
            repetitions = min(repetitions * 2, REPETITIONS)
        return found

    def _check(self, error: Any, status: Any) -> None:
        if not error and not status:
            return
        names = {"target": self.where, "user": self.credentials.user, "level": self.credentials.level,
                 "seconds": f"{self.wait:g}"}
        if isinstance(error, errind.RequestTimedOut):
            message = (
                _("%(target)s did not answer within %(seconds)s s: check the address and port, that SNMP is "
                  "enabled there and that the community is right.")
                if self.credentials.version == "2c" else
                _("%(target)s did not answer within %(seconds)s s: check the address and port, that SNMP is "
                  "enabled there and that the privacy key and protocol are right.")
            )
            raise SnmpError(message % names, timeout=True)
        if isinstance(error, errind.WrongDigest | errind.AuthenticationError | errind.AuthenticationFailure):
            raise SnmpError(_("%(target)s refused the SNMPv3 authentication key or protocol of user %(user)s.")
                            % names)
        if isinstance(error, errind.UnknownUserName):
            raise SnmpError(_("%(target)s has no SNMPv3 user %(user)s.") % names)
        if isinstance(error, errind.UnsupportedSecurityLevel):
            raise SnmpError(_("%(target)s does not allow user %(user)s at security level %(level)s.") % names)
        if isinstance(error, errind.DecryptionError):
            raise SnmpError(_("%(target)s could not decrypt the request: check the privacy key and protocol.")
                            % names)
        if error:
            raise SnmpError(_("SNMP error from %(target)s: %(error)s") % {**names, "error": error})
        raise SnmpError(_("%(target)s answered with the SNMP error “%(error)s”.")
                        % {**names, "error": status.prettyPrint()})


def _oid(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _text(value: Any) -> str:
    if value is None:
        return ""
    return bytes(value.asOctets()).decode("utf-8", "replace").strip().strip("\x00")


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _mac(value: Any) -> str:
    octets = bytes(value.asOctets()) if value is not None else b""
    return ":".join(f"{b:02x}" for b in octets) if len(octets) == 6 else ""


def _ports(table: dict[str, dict], extended: dict[str, dict]) -> list[Port]:
    ports = []
    for (index,) in sorted(k for k in table["descr"] if len(k) == 1):
        key = (index,)
        speed = _int(extended["high_speed"].get(key))
        if not speed and table["speed"].get(key) is not None:
            speed = int(table["speed"][key]) // 1_000_000
        descr = _text(table["descr"].get(key))
        ports.append(Port(
            index=index, name=_text(extended["name"].get(key)) or descr, descr=descr,
            alias=_text(extended["alias"].get(key)), if_type=_int(table["type"].get(key)) or 1,
            mtu=_int(table["mtu"].get(key)), speed_mbps=speed or None, mac=_mac(table["mac"].get(key)),
            admin_up=_int(table["admin"].get(key)) == 1, oper_up=_int(table["oper"].get(key)) == 1,
        ))
    return ports


def _addresses(ipv4: dict[str, dict], modern: dict[str, dict]) -> list[Address]:
    """IPv4 from ipAddrTable (or ipAddressTable when an agent has only that), IPv6 from ipAddressTable."""
    found = []
    for key, if_index in ipv4["if_index"].items():
        if len(key) != 4 or key not in ipv4["netmask"]:
            continue
        mask = ipaddress.IPv4Address(bytes(ipv4["netmask"][key].asOctets()))
        network = ipaddress.IPv4Network(f"0.0.0.0/{mask}", strict=False)
        found.append(Address(f"{ipaddress.IPv4Address(bytes(key))}/{network.prefixlen}", int(if_index)))
    wanted = {6} if found else {4, 6}
    for key, if_index in modern["if_index"].items():
        # index: address type (1 ipv4, 2 ipv6), length, the address octets
        family = {1: 4, 2: 6}.get(key[0])
        if family not in wanted or len(key) != 2 + key[1] or key[1] not in (4, 16):
            continue
        if _int(modern["type"].get(key)) != 1:  # unicast only: no broadcast or anycast rows
            continue
        prefix = modern["prefix"].get(key)
        length = tuple(prefix)[-1] if prefix is not None and len(tuple(prefix)) > 1 else (32 if family == 4 else 128)
        address = ipaddress.ip_address(bytes(key[2:]))
        found.append(Address(f"{address}/{length}", int(if_index)))
    return sorted(found, key=lambda a: (a.if_index, ipaddress.ip_interface(a.address).version, a.address))


def _chassis(entities: dict[str, dict]) -> tuple[str, str]:
    """(serial number, software revision) of the first chassis, else of the first entity that has one."""
    rows = sorted(entities["serial"])
    chassis = [k for k in rows if _int(entities["class"].get(k)) == ENT_CHASSIS]
    for key in chassis + rows:
        if serial := _text(entities["serial"].get(key)):
            return serial[:100], _text(entities["software"].get(key))[:100]
    return "", ""


def _neighbours(remote: dict[str, dict], local: dict[str, dict], ports: list[Port]) -> list[Neighbour]:
    """LLDP neighbours by the local port's name: the local port table's name (or description),
    else the interface whose ifIndex is the local port number (as lldpd and most agents number them)."""
    by_index = {p.index: p.name for p in ports}
    found = []
    for key, name in sorted(remote["sys_name"].items()):
        if len(key) != 3:
            continue
        number = (key[1],)
        named = _int(local["port_subtype"].get(number)) in LLDP_NAMED_PORTS
        local_name = ((_text(local["port_id"].get(number)) if named else "")
                      or _text(local["port_descr"].get(number)) or by_index.get(key[1], ""))
        remote_named = _int(remote["port_subtype"].get(key)) in LLDP_NAMED_PORTS
        port = (_text(remote["port_id"].get(key)) if remote_named else "") or _text(remote["port_descr"].get(key))
        found.append(Neighbour(local_port=local_name[:64], system_name=_text(name)[:255], port=port[:64]))
    return found
