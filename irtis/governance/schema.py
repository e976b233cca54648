"""The documented file format of a proposal (JSON or YAML), checked with errors by path.

The schema is Pydantic's (already in irtis for the API): `SCHEMA` is its JSON Schema, served at
/governance/proposals/schema/ and described in docs/governance.md. References to other objects are
by their natural keys: systems and EU systems by code, the category by code, the cluster by name,
the prefix as written ("10.20.0.0/22"), zones by code, software versions by their full name,
hardware models by name.
"""

import datetime
import json
from typing import Annotated, Any, Literal

import yaml
from django.db import models
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from irtis.inventory.models import HardwareModel, SoftwareVersion, StorageCapacity
from irtis.network.models import Prefix, SecurityZone
from irtis.systems.models import Component, EUSystem, ImportanceCategory, InformationSystem
from irtis.virtualization.models import Cluster

from .proposals_models import Proposal, ProposalComponent, ProposalInterface

MAX_COMPONENTS = 2000
Text = Annotated[str, Field(max_length=200)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Positive = Annotated[int, Field(ge=1, le=100_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ComponentIn(_Strict):
    name: Name
    kind: Literal[tuple(Component.Kind.values)]  # type: ignore[valid-type]
    software_version: Text | None = None
    operating_system: Text | None = None
    hardware_model: Text | None = None
    zone: Text | None = None
    internet_facing: bool = False
    instances: Annotated[int, Field(ge=1, le=1000)] = 1
    vcpu: Positive
    memory_gb: Positive
    storage_gb: Annotated[int, Field(ge=0, le=10_000_000)] = 0
    ip_addresses: Annotated[int, Field(ge=0, le=65_536)] = 1
    description: str = ""


class InterfaceIn(_Strict):
    name: Name
    system: Text | None = None
    eu_system: Text | None = None
    source_zone: Text
    destination_zone: Text
    protocol: Literal["tcp", "udp", "icmp", "any"] = "tcp"
    ports: Annotated[str, Field(max_length=200)] = ""
    description: str = ""


class ProposalIn(_Strict):
    code: Annotated[str, Field(min_length=1, max_length=30)]
    name: Text
    kind: Literal["new", "change"] = "new"
    system: Text | None = None
    category: Text | None = None
    cluster: Text | None = None
    storage: Text | None = None  # the disk array's device name
    prefix: Text | None = None
    owner_unit: Text = ""
    backup_planned: bool = False
    planned_end: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    data_categories: Annotated[str, Field(max_length=500)] = ""
    description: str = ""
    components: Annotated[list[ComponentIn], Field(max_length=MAX_COMPONENTS)] = []
    interfaces: Annotated[list[InterfaceIn], Field(max_length=MAX_COMPONENTS)] = []


SCHEMA = ProposalIn.model_json_schema()


def path(loc: tuple[int | str, ...]) -> str:
    """Pydantic's location as a path: ("components", 3, "vcpu") → "components[3].vcpu"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def _message(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx", {})
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("must be a whole number")
    if kind == "greater_than_equal" and ctx.get("ge") == 1:
        return _("must be a positive integer")
    if kind == "greater_than_equal":
        return _("must be at least %(min)s") % {"min": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("must be at most %(max)s") % {"max": ctx.get("le")}
    if kind == "missing":
        return _("is required")
    if kind == "extra_forbidden":
        return _("is not a field of the format")
    if kind in ("string_type", "string_too_short", "string_too_long"):
        return _("must be a text of %(min)s to %(max)s characters") % {
            "min": ctx.get("min_length", 1), "max": ctx.get("max_length", "…")}
    if kind == "bool_type":
        return _("must be true or false")
    if kind == "literal_error":
        return _("must be one of: %(values)s") % {"values": ctx.get("expected", "")}
    if kind == "list_type":
        return _("must be a list")
    if kind == "too_long":
        return _("has too many items (at most %(max)s)") % {"max": ctx.get("max_length")}
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _("must be an object (a mapping of fields)")
    if kind == "string_pattern_mismatch":
        return _("must be a date written YYYY-MM-DD")
    return str(error["msg"])


class FileError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def read(data: bytes, name: str) -> ProposalIn:
    """The proposal in the file, or FileError with every error by path."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError([_("The file is not UTF-8 text.")]) from None
    try:
        loaded = json.loads(text) if name.lower().endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        raise FileError([_("The file cannot be read as JSON or YAML: %(error)s") % {"error": error}]) from None
    if isinstance(loaded, dict) and isinstance(loaded.get("planned_end"), datetime.date):
        loaded["planned_end"] = loaded["planned_end"].isoformat()  # YAML reads an unquoted date as a date
    try:
        return ProposalIn.model_validate(loaded)
    except ValidationError as error:
        raise FileError([f"{path(e['loc'])}: {_message(e)}" for e in error.errors()]) from None


def _lookup(model: type[models.Model], field: str, wanted: set[str]) -> dict[str, Any]:
    if not wanted:
        return {}
    return {getattr(o, field): o for o in model._default_manager.filter(**{f"{field}__in": wanted})}


def build(given: ProposalIn) -> tuple[Proposal, list[ProposalComponent], list[ProposalInterface]]:
    """Unsaved objects of the file, its references resolved (one query per kind of reference), or
    FileError naming each unknown reference by path."""
    errors: list[str] = []
    comps, faces = given.components, given.interfaces
    versions = _lookup(SoftwareVersion, "name",
                       {v for c in comps for v in (c.software_version, c.operating_system) if v})
    hardware = _lookup(HardwareModel, "name", {c.hardware_model for c in comps if c.hardware_model})
    zones = _lookup(SecurityZone, "code", {c.zone for c in comps if c.zone} | {
        z for i in faces for z in (i.source_zone, i.destination_zone)})
    systems = _lookup(InformationSystem, "code", {i.system for i in faces if i.system} | (
        {given.system} if given.system else set()))
    eu = _lookup(EUSystem, "code", {i.eu_system for i in faces if i.eu_system})

    def ref(found: dict[str, Any], key: str | None, where: str, what: str) -> Any:
        if key is None:
            return None
        if key not in found:
            errors.append(f"{where}: " + _("no %(what)s “%(key)s”") % {"what": what, "key": key})
        return found.get(key)

    category = ref(_lookup(ImportanceCategory, "code", {given.category} if given.category else set()),
                   given.category, "category", _("importance category"))
    cluster = ref(_lookup(Cluster, "name", {given.cluster} if given.cluster else set()), given.cluster, "cluster",
                  _("cluster"))
    arrays = {a.device.name: a for a in StorageCapacity.objects.select_related("device").filter(
        device__name=given.storage)} if given.storage else {}
    storage = ref(arrays, given.storage, "storage", _("disk array"))
    prefix = None
    if given.prefix:
        prefix = Prefix.objects.filter(prefix=given.prefix).order_by("vrf_id").first()
        if prefix is None:
            errors.append("prefix: " + _("no %(what)s “%(key)s”") % {"what": _("prefix"), "key": given.prefix})
    proposal = Proposal(
        code=given.code, name=given.name, kind=given.kind, category=category, cluster=cluster, storage=storage,
        prefix=prefix,
        system=ref(systems, given.system, "system", _("information system")), owner_unit=given.owner_unit,
        backup_planned=given.backup_planned, data_categories=given.data_categories, description=given.description,
        planned_end=datetime.date.fromisoformat(given.planned_end) if given.planned_end else None)
    components = []
    seen: set[str] = set()
    for n, c in enumerate(comps):
        where = f"components[{n}]"
        if c.name.casefold() in seen:
            errors.append(f"{where}.name: " + _("repeats the name of an earlier component"))
        seen.add(c.name.casefold())
        components.append(ProposalComponent(
            proposal=proposal, name=c.name, kind=c.kind, internet_facing=c.internet_facing, instances=c.instances,
            vcpu=c.vcpu, memory_gb=c.memory_gb, storage_gb=c.storage_gb, ip_addresses=c.ip_addresses,
            description=c.description,
            software_version=ref(versions, c.software_version, f"{where}.software_version", _("software version")),
            operating_system=ref(versions, c.operating_system, f"{where}.operating_system", _("software version")),
            hardware_model=ref(hardware, c.hardware_model, f"{where}.hardware_model", _("hardware model")),
            zone=ref(zones, c.zone, f"{where}.zone", _("security zone"))))
    interfaces = []
    for n, i in enumerate(faces):
        where = f"interfaces[{n}]"
        interfaces.append(ProposalInterface(
            proposal=proposal, name=i.name, protocol=i.protocol, ports=i.ports, description=i.description,
            system=ref(systems, i.system, f"{where}.system", _("information system")),
            eu_system=ref(eu, i.eu_system, f"{where}.eu_system", _("EU system")),
            source_zone=ref(zones, i.source_zone, f"{where}.source_zone", _("security zone")),
            destination_zone=ref(zones, i.destination_zone, f"{where}.destination_zone", _("security zone"))))
    if errors:
        raise FileError(errors)
    return proposal, components, interfaces
