"""Each virtual machine's free-text primary IP address becomes a recorded IP address
(irtis.network) assigned to an interface of the machine ("eth0", made when it has none), and the
machine's primary IP points at it.

An address already recorded is used as it is; else it is made in the table whose prefixes
contain it: the global table first, else the one VRF that has such a prefix, else (none or
several VRFs) the global table. Without a mask, it takes the length of the longest prefix
containing it (none: a host address). A text that is no address, an address assigned to a
device's interface or written for two machines stops the migration naming the machines: fix the
text (`primary_ip_text`) and migrate again; nothing is dropped.
"""

import ipaddress

from django.db import migrations

from irtis.network import ip


class Stop(RuntimeError):
    pass


def _parse(text: str) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, int | None]:
    """(address, mask length or None) of a text such as 10.1.2.3/24 or 10.1.2.3."""
    text = text.strip()
    if "/" in text:
        interface = ipaddress.ip_interface(text)
        return interface.ip, interface.network.prefixlen
    return ipaddress.ip_address(text), None


def _record(apps, machine, address, length):  # type: ignore[no-untyped-def]  # historical models
    IPAddress = apps.get_model("network", "IPAddress")
    Prefix = apps.get_model("network", "Prefix")
    key = ip.key(address)
    recorded = list(IPAddress.objects.filter(address_key=key))
    if recorded:
        in_global = [r for r in recorded if r.vrf_id is None]
        if in_global or len(recorded) == 1:
            return (in_global or recorded)[0]
        raise Stop(f"“{machine.name}” (id {machine.pk}): {address} is recorded in several VRFs; "
                   "assign the machine's address by hand and clear its primary_ip_text")
    containing = Prefix.objects.filter(family=address.version, start_key__lte=key, end_key__gte=key)
    vrf_ids = set(containing.values_list("vrf_id", flat=True))
    vrf_id = None if None in vrf_ids or len(vrf_ids) != 1 else vrf_ids.pop()
    if length is None:
        longest = containing.filter(vrf_id=vrf_id).order_by("-length").first()
        length = longest.length if longest else address.max_prefixlen
    interface = ipaddress.ip_interface(f"{address}/{length}")
    return IPAddress.objects.create(
        address=str(interface), vrf_id=vrf_id, status="active", family=address.version,
        length=length, address_key=key, description="",
    )


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    VirtualMachine = apps.get_model("virtualization", "VirtualMachine")
    VMInterface = apps.get_model("virtualization", "VMInterface")
    VMAddressAssignment = apps.get_model("virtualization", "VMAddressAssignment")
    problems = []
    for machine in VirtualMachine.objects.exclude(primary_ip_text="").order_by("pk"):
        try:
            address, length = _parse(machine.primary_ip_text)
        except ValueError:
            problems.append(f"“{machine.name}” (id {machine.pk}): “{machine.primary_ip_text}” is no IP address")
            continue
        try:
            record = _record(apps, machine, address, length)
        except Stop as stop:
            problems.append(str(stop))
            continue
        if record.interface_id:
            problems.append(f"“{machine.name}” (id {machine.pk}): {record.address} is assigned to a device "
                            f"interface (id {record.interface_id})")
            continue
        taken = VMAddressAssignment.objects.filter(ip_address=record).select_related(
            "interface__virtual_machine").first()
        if taken and taken.interface.virtual_machine_id != machine.pk:
            problems.append(f"“{machine.name}” (id {machine.pk}): {record.address} is already the address of "
                            f"“{taken.interface.virtual_machine.name}”")
            continue
        if taken is None:
            interface = VMInterface.objects.filter(virtual_machine=machine).order_by("name").first()
            if interface is None:
                interface = VMInterface.objects.create(virtual_machine=machine, name="eth0")
            VMAddressAssignment.objects.create(interface=interface, ip_address=record)
        machine.primary_ip = record
        machine.save(update_fields=["primary_ip"])
    if problems:
        raise RuntimeError("The primary IP addresses of these virtual machines cannot be recorded; fix "
                           "their primary_ip_text and migrate again:\n" + "\n".join(problems))


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    VirtualMachine = apps.get_model("virtualization", "VirtualMachine")
    for machine in VirtualMachine.objects.filter(primary_ip__isnull=False).select_related("primary_ip"):
        machine.primary_ip_text = machine.primary_ip.address
        machine.save(update_fields=["primary_ip_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("virtualization", "0004_interfaces_disks_addresses"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
