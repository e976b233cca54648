"""A reading compared with the records: what discovery would create or update, then applying it.

A plan is rebuilt, never trusted: the preview hands out a signed token holding the reading (no
credentials) and the plan's digest; applying rebuilds the plan from that reading against the
records as they are at that moment, under a lock on the device row, and refuses when the
digest differs (someone changed, added or removed a record since the preview). The writes use
the ordinary `full_clean()` + `save()`, so they are validated, versioned and audited as the
acting user of the surrounding change context (the request's, or `changes_by` in a command).
"""

import hashlib
import ipaddress
import json
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from irtis.core import permissions
from irtis.core.models import StaleObjectError
from irtis.inventory.models import Device, Interface, Manufacturer, SoftwareProduct, SoftwareVersion
from irtis.inventory.models.cabling import Cable
from irtis.network import ip
from irtis.network.models import VRF, IPAddress
from irtis.network.models.ipam import same_vrf

from . import platforms
from .snmp import Reading

CREATE, UPDATE, UNCHANGED, NOT_SEEN, SKIPPED = "create", "update", "unchanged", "not_seen", "skipped"
SALT = "irtis.discovery"
TOKEN_SECONDS = 30 * 60
SOFTWARE_LOOPBACK = 24  # IANA ifType softwareLoopback
# IANA ifType → interface type; Ethernet (6) and Fibre Channel (56) by speed in Mbit/s.
VIRTUAL_TYPES = {24, 53, 131, 135, 136, 209}
ETHERNET_BY_SPEED = {100: "100base-tx", 1000: "1000base-t", 10000: "10gbase-x-sfpp", 25000: "25gbase-x-sfp28",
                     40000: "40gbase-x-qsfpp", 100000: "100gbase-x-qsfp28"}
FC_BY_SPEED = {16000: "16gfc-sfpp", 32000: "32gfc-sfp28"}
ACTION_LABELS = {CREATE: gettext_lazy("to create"), UPDATE: gettext_lazy("to update"),
                 UNCHANGED: gettext_lazy("unchanged"), NOT_SEEN: gettext_lazy("not seen on the device"),
                 SKIPPED: gettext_lazy("skipped")}


class PlanChanged(Exception):
    """The records changed since the preview: the confirmed plan is no longer what would happen."""


class PlanExpired(Exception):
    """The preview token is not valid (tampered with, for another user or device, or too old)."""


@dataclass
class Change:
    field: str
    label: str
    current: str
    discovered: str
    raw: tuple[Any, Any] = (None, None)  # language-independent values, for the digest


@dataclass
class Item:
    kind: str  # platform, serial, interface, address, cable
    action: str
    name: str
    pk: int | None = None
    version: int | None = None
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    obj: Any = field(default=None, repr=False)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self.action])

    @property
    def applies(self) -> bool:
        return self.action in (CREATE, UPDATE) and not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "action": self.action, "name": self.name, "id": self.pk, "version": self.version,
                "changes": [{k: v for k, v in asdict(c).items() if k != "raw"} for c in self.changes],
                "notes": self.notes, "errors": self.errors}


@dataclass
class Plan:
    device: Device
    vrf: VRF | None
    reading: Reading
    system: list[Change]
    items: list[Item]

    def of_kind(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]

    @property
    def summary(self) -> dict[str, int]:
        counts = {a: 0 for a in (CREATE, UPDATE, UNCHANGED, NOT_SEEN, SKIPPED)}
        for item in self.items:
            counts[item.action] += 1
        counts["errors"] = sum(1 for i in self.items if i.errors)
        return counts

    @property
    def has_changes(self) -> bool:
        return any(i.applies for i in self.items)

    def __post_init__(self) -> None:
        # Fixed when built: what applying would do, independent of the display language.
        facts = [self.device.pk, self.device.version, self.vrf.pk if self.vrf else None, [
            [i.kind, i.action, i.name, i.pk, i.version, bool(i.errors), [[c.field, *c.raw] for c in i.changes]]
            for i in self.items]]
        self.digest = hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        return {
            "device": {"id": self.device.pk, "name": self.device.name, "version": self.device.version},
            "vrf": self.vrf.pk if self.vrf else None,
            "system": [{k: v for k, v in asdict(c).items() if k != "raw"} for c in self.system],
            "items": [i.as_dict() for i in self.items],
            "summary": self.summary,
            "digest": self.digest,
        }


# --- permissions ------------------------------------------------------------------------------


def authorise(user: Any, device: Device) -> None:
    """Raise PermissionDenied unless the user may record on this device what discovery finds."""
    if permissions.check_objects(user, [device], "change"):
        raise PermissionDenied(_("You may not change device %(device)s.") % {"device": device})
    for model in (Interface, IPAddress):
        for action in ("add", "change"):
            if not permissions.has(user, model, action):
                raise PermissionDenied(_("Discovery needs permission to add and change %(objects)s.")
                                       % {"objects": model._meta.verbose_name_plural})


# --- building the plan ------------------------------------------------------------------------


def build(device: Device, reading: Reading, vrf: VRF | None, user: Any) -> Plan:
    """Compare the reading with the device's records; writes nothing."""
    interfaces = _interface_items(device, reading)
    by_name = {i.name: i.obj for i in interfaces if i.obj is not None}
    items = [_platform_item(device, reading, user), _serial_item(device, reading), *interfaces,
             *_address_items(device, reading, vrf, by_name), *_cable_items(device, reading, by_name, user)]
    system = [
        Change("sys_name", _("system name (sysName)"), device.name, reading.sys_name),
        Change("sys_descr", _("system description (sysDescr)"), "", reading.sys_descr),
        Change("sys_object_id", _("system object ID (sysObjectID)"), "", reading.sys_object_id),
    ]
    return Plan(device, vrf, reading, system, items)


def _label(model: type[models.Model], name: str) -> str:
    return str(cast(models.Field, model._meta.get_field(name)).verbose_name)  # a column


def _shown(model: type[models.Model], name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = dict(cast(models.Field, model._meta.get_field(name)).flatchoices)  # a column
    return str(choices.get(value, value))


def _change(model: type[models.Model], name: str, current: Any, discovered: Any) -> Change:
    return Change(name, _label(model, name), _shown(model, name, current), _shown(model, name, discovered),
                  (current, discovered))


def _errors(obj: models.Model, exclude: tuple[str, ...] = ()) -> list[str]:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            return list(error.messages)
        return [f"{_label(type(obj), name) if name != '__all__' else ''}: {message}".lstrip(": ")
                for name, messages in error.message_dict.items() for message in messages]
    return []


def interface_type(if_type: int, speed_mbps: int | None) -> str:
    """The inventory's interface type for an IANA ifType at a speed (other when unsure)."""
    if if_type in VIRTUAL_TYPES:
        return Interface.Type.VIRTUAL
    if if_type == 161:
        return Interface.Type.LAG
    if if_type == 6:
        return ETHERNET_BY_SPEED.get(speed_mbps or 0, Interface.Type.OTHER)
    if if_type == 56:
        return FC_BY_SPEED.get(speed_mbps or 0, Interface.Type.OTHER)
    return Interface.Type.OTHER


def _interface_items(device: Device, reading: Reading) -> list[Item]:
    recorded = {i.name: i for i in Interface.objects.filter(device=device)}
    items, seen = [], set()
    for port in reading.ports:
        name = port.name[:64]
        if not name:
            continue
        if name in seen:
            items.append(Item("interface", SKIPPED, name, errors=[
                _("The device reports more than one interface named %(name)s.") % {"name": name}]))
            continue
        seen.add(name)
        notes = [_("operational status: %(status)s") % {"status": _("up") if port.oper_up else _("down")}]
        if port.speed_mbps:
            notes.append(_("speed: %(speed)s Mbit/s") % {"speed": port.speed_mbps})
        # An empty reading never clears a recorded value (agents often leave ifAlias empty).
        wanted = {"mtu": port.mtu if port.mtu and port.mtu >= 68 else None, "mac_address": port.mac,
                  "enabled": port.admin_up, "description": port.alias[:200]}
        wanted = {k: v for k, v in wanted.items() if v is not None and v != ""}
        obj = recorded.get(name)
        if obj is None:
            obj = Interface(device=device, name=name, type=interface_type(port.if_type, port.speed_mbps), **wanted)
            changes = [_change(Interface, "type", None, obj.type)]
            changes += [_change(Interface, k, None, v) for k, v in wanted.items()]
            items.append(Item("interface", CREATE, name, changes=changes, notes=notes, errors=_errors(obj), obj=obj))
            continue
        changes = [_change(Interface, k, getattr(obj, k), v) for k, v in wanted.items() if getattr(obj, k) != v]
        for change in changes:
            setattr(obj, change.field, change.raw[1])
        action = UPDATE if changes else UNCHANGED
        items.append(Item("interface", action, name, obj.pk, obj.version, changes, notes,
                          _errors(obj) if changes else [], obj))
    for name, obj in recorded.items():
        if name not in seen:
            items.append(Item("interface", NOT_SEEN, name, obj.pk, obj.version,
                              notes=[_("Recorded but not reported by the device; left as it is.")]))
    return items


def _host_local(address: ipaddress.IPv4Interface | ipaddress.IPv6Interface) -> bool:
    value = address.ip
    return value.is_loopback or value.is_link_local or value.is_multicast or value.is_unspecified


def _address_items(device: Device, reading: Reading, vrf: VRF | None, interfaces: dict[str, Interface]) -> list[Item]:
    names = {p.index: p.name[:64] for p in reading.ports}
    loopbacks = {p.index for p in reading.ports if p.if_type == SOFTWARE_LOOPBACK}
    items, wanted = [], []
    for found in reading.addresses:
        address = ipaddress.ip_interface(found.address)
        name = names.get(found.if_index, "")
        if _host_local(address):
            items.append(Item("address", SKIPPED, str(address), notes=[
                _("On %(interface)s; a host-local address (loopback or link-local) is not recorded.")
                % {"interface": name or found.if_index}]))
        else:
            wanted.append((address, name, found.if_index in loopbacks))
    keys = [ip.key(a.ip) for a, _name, _loop in wanted]
    recorded = {a.address_key: a for a in IPAddress.objects.filter(same_vrf(vrf.pk if vrf else None),
                                                                    address_key__in=keys).select_related("interface")}
    seen: set[str] = set()
    for (address, name, loopback), key in zip(wanted, keys, strict=True):
        if key in seen:
            items.append(Item("address", SKIPPED, str(address), errors=[
                _("The device reports this address on more than one interface.")]))
            continue
        seen.add(key)
        items.append(_address_item(device, vrf, address, interfaces.get(name), name, loopback, recorded.get(key)))
    for obj in IPAddress.objects.filter(interface__device=device).select_related("interface"):
        if obj.address_key not in seen:
            items.append(Item("address", NOT_SEEN, obj.address, obj.pk, obj.version, notes=[
                _("Recorded on %(interface)s but not reported by the device; left as it is.")
                % {"interface": cast(Interface, obj.interface).name}]))  # filtered by interface
    return items


def _address_item(device: Device, vrf: VRF | None, address: Any, interface: Interface | None, name: str,
                  loopback: bool, obj: IPAddress | None) -> Item:
    text = str(address)
    target = interface if interface is not None and interface.pk else None  # a new interface is linked on apply
    if obj is None:
        obj = IPAddress(address=text, vrf=vrf, status=IPAddress.Status.ACTIVE, interface=target,
                        role=IPAddress.Role.LOOPBACK if loopback else "")
        changes = [Change("interface", _label(IPAddress, "interface"), "", name, (None, name))]
        if vrf is not None:
            changes.append(Change("vrf", _label(IPAddress, "vrf"), "", str(vrf), (None, vrf.pk)))
        return Item("address", CREATE, text, changes=changes, errors=_errors(obj), obj=obj, extra={"interface": name})
    if obj.interface and obj.interface.device_id != device.pk:
        return Item("address", SKIPPED, text, obj.pk, obj.version, errors=[
            _("Recorded on interface %(interface)s of another device; move it by hand if it has moved.")
            % {"interface": obj.interface}])
    changes = []
    if obj.address != text:
        changes.append(Change("address", _label(IPAddress, "address"), obj.address, text, (obj.address, text)))
        obj.address = text
    current = obj.interface.name if obj.interface else ""
    if current != name:
        changes.append(Change("interface", _label(IPAddress, "interface"), current, name, (current, name)))
        obj.interface = target
    if not changes:
        return Item("address", UNCHANGED, text, obj.pk, obj.version, obj=obj)
    return Item("address", UPDATE, text, obj.pk, obj.version, changes, errors=_errors(obj), obj=obj,
                extra={"interface": name})


def _platform_item(device: Device, reading: Reading, user: Any) -> Item:
    """The device's platform (its OS); the item is named by the platform discovered ("" if none)."""
    found = platforms.identify(reading.sys_descr)
    current = str(device.platform) if device.platform_id else ""
    if found is None:
        return Item("platform", UNCHANGED, "", device.pk, device.version,
                    notes=[_("The operating system is not recognised from sysDescr; the platform is left as it is.")])
    version, creates = _software_version(found)
    if version.pk is not None and version.pk == device.platform_id:
        return Item("platform", UNCHANGED, version.name, device.pk, device.version)
    change = Change("platform", _label(Device, "platform"), current, version.name,
                    (device.platform_id, version.pk or version.name))
    notes = [_("Adds %(model)s “%(object)s”.") % {"model": o._meta.verbose_name, "object": o} for o in creates]
    errors = [_("You may not add %(objects)s.") % {"objects": type(o)._meta.verbose_name_plural}
              for o in creates if user is not None and not permissions.has(user, type(o), "add")]
    for obj in creates:
        errors += _errors(obj, exclude=tuple(f.name for f in obj._meta.concrete_fields
                                             if f.is_relation and getattr(obj, f.name).pk is None))
    return Item("platform", UPDATE, version.name, device.pk, device.version, [change], notes, errors, obj=device,
                extra={"version": version, "creates": creates})


def _serial_item(device: Device, reading: Reading) -> Item:
    """The device's serial number from ENTITY-MIB (an agent reporting none leaves it as it is)."""
    notes = [_("software revision: %(revision)s") % {"revision": reading.software}] if reading.software else []
    if not reading.serial or reading.serial == device.serial:
        return Item("serial", UNCHANGED, reading.serial or device.serial, device.pk, device.version, notes=notes)
    change = _change(Device, "serial", device.serial, reading.serial)
    return Item("serial", UPDATE, reading.serial, device.pk, device.version, [change], notes, obj=device)


def _cable_items(device: Device, reading: Reading, interfaces: dict[str, Interface], user: Any) -> list[Item]:
    """A cable proposed for each LLDP neighbour that matches a recorded device and interface; a
    neighbour matching nothing, or contradicting a recorded cable, is an item with an error to review.
    Three queries whatever the number of neighbours."""
    if not reading.neighbours:
        return []
    names = {n.system_name.lower() for n in reading.neighbours} | {
        n.system_name.split(".")[0].lower() for n in reading.neighbours}
    devices: dict[str, list[Device]] = {}
    for found in Device.objects.annotate(lowered=Lower("name")).filter(lowered__in=names):
        devices.setdefault(found.name.lower(), []).append(found)
    remote_ports = {(i.device_id, i.name): i for i in Interface.objects.filter(
        device__in=[d for ds in devices.values() for d in ds], name__in={n.port for n in reading.neighbours})}
    may_add = user is None or permissions.has(user, Cable, "add")
    ends = [i.pk for i in (*interfaces.values(), *remote_ports.values()) if i.pk]
    cables: dict[int, dict[int, Cable]] = {}  # interface id → the cables touching it
    for cable in Cable.objects.filter(models.Q(a_interface__in=ends) | models.Q(b_interface__in=ends)):
        for end in (cable.a_interface_id, cable.b_interface_id):
            if end is not None:
                cables.setdefault(end, {})[cable.pk] = cable
    return [_cable_item(n, interfaces, devices, remote_ports, cables, may_add) for n in reading.neighbours]


def _cable_item(neighbour: Any, interfaces: dict[str, Interface], devices: dict[str, list[Device]],
                remote_ports: dict[tuple[int, str], Interface], cables: dict[int, dict[int, Cable]],
                may_add: bool) -> Item:
    name = f"{neighbour.local_port} → {neighbour.system_name} {neighbour.port}"
    system = neighbour.system_name.lower()
    matches = devices.get(system) or devices.get(system.split(".")[0]) or []
    if len(matches) != 1:
        return Item("cable", SKIPPED, name, errors=[
            _("The LLDP neighbour %(system)s matches no recorded device.") % {"system": neighbour.system_name}
            if not matches else _("The LLDP neighbour %(system)s matches more than one device.")
            % {"system": neighbour.system_name}])
    remote = remote_ports.get((matches[0].pk, neighbour.port))
    local = interfaces.get(neighbour.local_port)
    if remote is None:
        return Item("cable", SKIPPED, name, errors=[_("Device %(device)s has no interface %(interface)s.") % {
            "device": matches[0], "interface": neighbour.port}])
    if local is None:
        return Item("cable", SKIPPED, name, errors=[_("The device has no interface %(interface)s.") % {
            "interface": neighbour.local_port}])
    if local.pk is None:
        return Item("cable", SKIPPED, name, notes=[_("The interface is new: discover again once it is recorded.")])
    recorded = {**cables.get(local.pk, {}), **cables.get(remote.pk, {})}
    joining = [c for c in recorded.values() if {c.end_id("a"), c.end_id("b")} == {
        ("interface", local.pk), ("interface", remote.pk)}]
    if joining:
        return Item("cable", UNCHANGED, name, joining[0].pk, joining[0].version, obj=joining[0])
    if recorded:
        return Item("cable", SKIPPED, name, errors=[
            _("LLDP sees %(local)s joined to %(remote)s, but a recorded cable (%(cables)s) joins them elsewhere: "
              "check the cabling.") % {"local": local, "remote": remote,
                                       "cables": ", ".join(str(c) for c in recorded.values())}])
    cable = Cable(a_interface=local, b_interface=remote, status=Cable.Status.CONNECTED,
                  description=_("Found by LLDP"))
    errors = _errors(cable) + ([] if may_add else [
        _("You may not add %(objects)s.") % {"objects": Cable._meta.verbose_name_plural}])
    changes = [Change("b_interface", _label(Cable, "b_interface"), "", str(remote), (None, remote.pk))]
    return Item("cable", CREATE, name, changes=changes, errors=errors, obj=cable)


def _software_version(found: platforms.Platform) -> tuple[SoftwareVersion, list[models.Model]]:
    """The recorded version the platform is (its exact number, else its release train), or new objects."""
    creates: list[models.Model] = []
    product = SoftwareProduct.objects.filter(name__iexact=found.product).first()
    if product is None:
        maker = Manufacturer.objects.filter(name__iexact=found.manufacturer).first()
        if maker is None:
            maker = Manufacturer(name=found.manufacturer)
            creates.append(maker)
        product = SoftwareProduct(manufacturer=maker, name=found.product, kind=found.kind)
        creates.append(product)
        recorded = {}
    else:
        recorded = {v.number: v for v in product.versions.all()}
    trains = [n for n in recorded if found.version.startswith(n) and found.version[len(n):len(n) + 1] in ".(-"]
    version = recorded.get(found.version) or (recorded[max(trains, key=len)] if trains else None)
    if version is None:
        version = SoftwareVersion(product=product, number=found.version, name=f"{product.name} {found.version}"[:150])
        creates.append(version)
    return version, creates


# --- the preview token ------------------------------------------------------------------------


def issue(plan: Plan, user: Any) -> str:
    """A signed token of the previewed reading, for this user and device only (no credentials in it)."""
    return signing.dumps({"user": user.pk, "device": plan.device.pk, "vrf": plan.vrf.pk if plan.vrf else None,
                          "reading": plan.reading.as_dict(), "digest": plan.digest}, salt=SALT, compress=True)


def redeem(token: str, user: Any, device: Device) -> tuple[Reading, VRF | None, str]:
    try:
        data = signing.loads(token, salt=SALT, max_age=TOKEN_SECONDS)
    except signing.BadSignature:  # also SignatureExpired
        raise PlanExpired(_("The preview has expired or is not valid: discover the device again.")) from None
    if data.get("user") != user.pk or data.get("device") != device.pk:
        raise PlanExpired(_("The preview has expired or is not valid: discover the device again."))
    vrf = None
    if data["vrf"] is not None:
        vrf = VRF.objects.filter(pk=data["vrf"]).first()
        if vrf is None:
            raise PlanChanged
    return Reading.from_dict(data["reading"]), vrf, data["digest"]


# --- applying -------------------------------------------------------------------------------


def apply(token: str, user: Any, device: Device) -> Plan:
    """Apply the previewed plan in one transaction, or raise PlanChanged / PlanExpired / PermissionDenied."""
    reading, vrf, digest = redeem(token, user, device)
    authorise(user, device)
    try:
        with transaction.atomic():
            locked = Device.objects.select_for_update().get(pk=device.pk)
            plan = build(locked, reading, vrf, user)
            if plan.digest != digest:
                raise PlanChanged
            _execute(plan, user)
    except (StaleObjectError, IntegrityError, Device.DoesNotExist):
        raise PlanChanged from None
    return plan


def _execute(plan: Plan, user: Any) -> None:
    done: dict[tuple[type, str], list[models.Model]] = {}

    def save(obj: models.Model) -> None:
        action = "add" if obj._state.adding else "change"
        for related in obj._meta.concrete_fields:  # take the id of a parent saved just before (a new product)
            if (isinstance(related, models.ForeignKey) and related.is_cached(obj)
                    and related.get_cached_value(obj) is not None):
                setattr(obj, related.name, related.get_cached_value(obj))
        obj.full_clean()
        obj.save()
        done.setdefault((type(obj), action), []).append(obj)

    todo = [i for i in plan.items if i.applies]
    platform = next((i for i in todo if i.kind == "platform"), None)
    for obj in platform.extra["creates"] if platform else ():
        save(obj)
    for item in todo:
        if item.kind == "interface":
            save(item.obj)
    interfaces = {i.name: i for i in Interface.objects.filter(device=plan.device)}
    for item in todo:
        if item.kind == "address":
            item.obj.interface = interfaces.get(item.extra["interface"])
            save(item.obj)
    serial = next((i for i in todo if i.kind == "serial"), None)
    if platform:
        plan.device.platform = platform.extra["version"]
    if serial:
        plan.device.serial = plan.reading.serial
    if platform or serial:
        save(plan.device)
    for item in todo:
        if item.kind == "cable":
            save(item.obj)
    for (_model, action), objects in done.items():
        permissions.ensure(user, objects, action)  # after saving: the new state must be inside the user's rights
