"""Cable trace figures (docs/performance.md, docs/inventory-physical.md): a trace from a server's
interface through 5 patch panels (12-fibre trunks between them) to a switch port, among 1,000
other cables, as the function and through the API.

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/cable_trace_bench.py
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_physical \
        flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/cable_trace_bench.py

Builds the estate in a throw-away test database.
"""

from typing import Any

from common import analyze, api_client, check_ok, measure, setup_database, teardown_database

PANELS = 5
BACKGROUND = 1000


def _save(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def build() -> tuple[Any, Any]:
    """The chain and the background cables; (server interface, switch interface)."""
    from django.db import transaction

    from irtis.inventory.models import (
        Cable,
        Device,
        DeviceRole,
        FrontPort,
        HardwareModel,
        Interface,
        Manufacturer,
        RearPort,
        Site,
    )

    with transaction.atomic():
        site = _save(Site(code="DC1", name="Duomenų centras", kind="datacentre"))
        maker = _save(Manufacturer(name="Gamintojas"))
        model = _save(HardwareModel(name="Modelis", manufacturer=maker, u_height=1))
        role = _save(DeviceRole(name="Įranga", color="#0d6efd"))

        def device(name: str) -> Any:
            return _save(Device(name=name, site=site, role=role, hardware_model=model))

        def cable(a: Any, b: Any) -> None:
            from irtis.inventory.models.cabling import kind_of
            _save(Cable(**{f"a_{kind_of(a)}": a, f"b_{kind_of(b)}": b}, type="om4"))

        server = _save(Interface(device=device("srv-00"), name="eth0", type="10gbase-x-sfpp"))
        switch = _save(Interface(device=device("sw-00"), name="port1", type="10gbase-x-sfpp"))
        near: Any = server
        for n in range(PANELS):
            panel = device(f"pp-{n}")
            trunk = _save(RearPort(device=panel, name="R1", type="mpo", positions=12))
            fronts = [_save(FrontPort(device=panel, name=f"F{p}", type="lc", rear_port=trunk,
                                      rear_port_position=p)) for p in range(1, 13)]
            if n % 2 == 0:  # entered at a front port, left by the trunk
                cable(near, fronts[6])
                near = trunk
            else:  # entered by the trunk, left at the front port of the same position
                cable(near, trunk)
                near = fronts[6]
        cable(near, switch)
        for n in range(1, BACKGROUND + 1):
            if n % 50 == 1:
                a, b = device(f"srv-{n:04d}"), device(f"sw-{n:04d}")
            cable(_save(Interface(device=a, name=f"eth{n}")), _save(Interface(device=b, name=f"port{n}")))
    analyze()
    return server, switch


def main() -> None:
    vendor = setup_database()
    try:
        from irtis.inventory import trace

        server, switch = build()
        path = trace.trace(server)
        assert path.end == switch and len(path.hops) == PANELS + 1 and not path.loop, path
        print(f"{vendor}: trace through {PANELS} patch panels ({len(path.hops)} cables), {BACKGROUND} other cables")
        measure("trace.trace(interface)", lambda: trace.trace(server), runs=50)
        client = api_client()
        measure("GET /api/inventory/interfaces/<id>/trace/",
                lambda: check_ok(client.get(f"/api/inventory/interfaces/{server.pk}/trace/")), runs=50)
        measure("GET interface page (trace panel)", lambda: check_ok(client.get(server.get_absolute_url())), runs=20)
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
