"""Procurement (docs/procurement.md): the evaluation of 20 offers × 500 requirements × 5
evaluators (totals, ranks, flags, and the DOCX report), and licence compliance over an estate of
about 100,000 objects (2,000 cluster hosts in 200 clusters, 40,000 virtual machines, 10,000
DBMS instances, 12,000 servers with 40,000 installations), and the suppliers' SLA roll-up: 50
suppliers × 200 external services each (10,000 services, each measured as its own system) over 12
months, with an outage and two incidents per service a month (240,000 state changes, 240,000
incidents); half the contracts count response and resolution in working hours.

    .venv/bin/python benchmarks/procurement_bench.py                       # SQLite, a throw-away test database
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_bench .venv/bin/python benchmarks/procurement_bench.py

Creates and destroys its own test database (`test_<name>`). The estate is written with
`bulk_create` (no audit entries: the benchmark measures the reads).
"""

import random
from datetime import timedelta
from decimal import Decimal

from common import analyze, measure, setup_database, teardown_database

OFFERS, REQUIREMENTS, EVALUATORS, QUALITY = 20, 500, 5, 4
CLUSTERS, HOSTS_PER_CLUSTER, VMS, DBMS, SERVERS, INSTALLS = 200, 10, 40_000, 10_000, 12_000, 40_000
SLA_SUPPLIERS, SERVICES_PER_SUPPLIER, SLA_MONTHS, INCIDENTS_PER_MONTH = 50, 200, 12, 2


def evaluation_data() -> object:
    from django.utils import timezone

    from irtis.identity.models import User
    from irtis.procurement import scoring
    from irtis.procurement.models import (
        Criterion,
        Offer,
        OfferAnswer,
        Procurement,
        Requirement,
        Specification,
        Supplier,
    )

    pick = random.Random(16)
    spec = Specification.objects.create(code="TS-BENCH", title="Bandymas")
    Requirement.objects.bulk_create([
        Requirement(specification=spec, number=n, text=f"Reikalavimas {n}",
                    kind="mandatory" if n % 3 else "evaluated") for n in range(1, REQUIREMENTS + 1)])
    Specification.objects.filter(pk=spec.pk).update(status="approved")
    spec.refresh_from_db()
    procurement = Procurement.objects.create(name="Bandomasis pirkimas", specification=spec,
                                             deadline=timezone.now() + timedelta(days=1))
    Criterion.objects.create(procurement=procurement, name="Kaina", kind="price", weight=Decimal("60"))
    quality = [Criterion.objects.create(procurement=procurement, name=f"Kokybė {n}", weight=Decimal("10"))
               for n in range(QUALITY)]
    suppliers = Supplier.objects.bulk_create([Supplier(name=f"UAB Tiekėjas {n}") for n in range(OFFERS)])
    offers = Offer.objects.bulk_create([Offer(procurement=procurement, supplier=s,
                                              price=Decimal(pick.randrange(50_000, 150_000))) for s in suppliers])
    requirements = list(spec.requirements.all())
    OfferAnswer.objects.bulk_create([
        OfferAnswer(offer=o, requirement=r, answer=pick.choice(["meets"] * 98 + ["partly", "does_not"]),
                    page=str(pick.randrange(1, 300))) for o in offers for r in requirements])
    evaluators = [User.objects.create_user(f"vertintojas{n}") for n in range(EVALUATORS)]
    procurement.evaluators.set(evaluators)
    for user in evaluators:
        scoring.declare(procurement, user)
        scoring.score(procurement, user, {(o.pk, q.pk): pick.randrange(0, 11) for o in offers for q in quality})
        scoring.submit(procurement, user)
    return procurement


def estate() -> None:
    from irtis.databases.models import DBMSInstance
    from irtis.inventory.models import (
        Device,
        DeviceRole,
        HardwareModel,
        Installation,
        Manufacturer,
        Site,
        SoftwareProduct,
        SoftwareVersion,
    )
    from irtis.procurement.models import Licence
    from irtis.virtualization.models import Cluster, ClusterHost, ClusterType, VirtualMachine

    pick = random.Random(4)
    site = Site.objects.create(code="DC1", name="Duomenų centras", kind="data_centre")
    maker = Manufacturer.objects.create(name="Gamintojas")
    model = HardwareModel.objects.create(name="Serveris", manufacturer=maker)
    role = DeviceRole.objects.create(name="Tarnybinė stotis")
    products = SoftwareProduct.objects.bulk_create([
        SoftwareProduct(name=f"Produktas {n}", manufacturer=maker, kind="dbms" if n < 5 else "application")
        for n in range(20)])
    versions = SoftwareVersion.objects.bulk_create([
        SoftwareVersion(product=p, number=str(v), name=f"{p.name} {v}") for p in products for v in range(3)])
    hosts_needed = CLUSTERS * HOSTS_PER_CLUSTER
    devices = Device.objects.bulk_create([
        Device(name=f"srv-{n:05d}", role=role, hardware_model=model, site=site,
               platform=versions[pick.randrange(len(versions))] if n >= hosts_needed else None)
        for n in range(hosts_needed + SERVERS)], batch_size=2000)
    kind = ClusterType.objects.create(name="VMware vSphere")
    clusters = Cluster.objects.bulk_create([Cluster(name=f"CL-{n}", type=kind, site=site) for n in range(CLUSTERS)])
    ClusterHost.objects.bulk_create([
        ClusterHost(cluster=clusters[n // HOSTS_PER_CLUSTER], device=devices[n], cpu_cores=pick.choice([16, 32, 64]),
                    memory_gb=512) for n in range(hosts_needed)], batch_size=2000)
    machines = VirtualMachine.objects.bulk_create([
        VirtualMachine(name=f"vm-{n:05d}", cluster=clusters[n % CLUSTERS], vcpus=4, memory_mb=8192,
                       operating_system=versions[pick.randrange(len(versions))]) for n in range(VMS)], batch_size=2000)
    DBMSInstance.objects.bulk_create([
        DBMSInstance(name=f"db-{n:05d}", engine="oracle", software_version=versions[pick.randrange(15)],
                     virtual_machine=machines[n] if n % 4 else None,
                     device=None if n % 4 else devices[n % len(devices)])
        for n in range(DBMS)], batch_size=2000)
    pairs = set()
    while len(pairs) < INSTALLS:
        pairs.add((pick.randrange(hosts_needed, len(devices)), pick.randrange(len(versions))))
    Installation.objects.bulk_create([Installation(device=devices[d], software_version=versions[v])
                                      for d, v in pairs], batch_size=2000)
    Licence.objects.bulk_create([
        Licence(name=f"Licencija {p.name} {metric}", product=p, metric=metric, quantity=pick.randrange(10, 5000),
                core_factor=Decimal("0.5"))
        for p in products for metric in ("core", "device", "instance")])


def sla_estate() -> object:
    """Suppliers, their contracts and external services, each service's system with an outage and
    incidents every month of the last year. Returns a superuser to read it as."""
    from django.utils import timezone

    from irtis.identity.models import User
    from irtis.monitoring.models import Incident, SystemChange
    from irtis.procurement.models import Contract, ExternalService, Supplier
    from irtis.systems.models import ImportanceCategory, InformationSystem

    pick = random.Random(2)
    now = timezone.now()
    category = ImportanceCategory.objects.create(code="SLA", name="SLA", rank=2)
    suppliers = Supplier.objects.bulk_create([Supplier(name=f"UAB Paslaugos {n:02d}") for n in range(SLA_SUPPLIERS)])
    start = (now - timedelta(days=31 * SLA_MONTHS)).date()
    contracts = Contract.objects.bulk_create([
        Contract(number=f"SLA-{n}", supplier=s, subject="Paslaugos", value=Decimal("100000"), start=start,
                 end=start + timedelta(days=3 * 365), response_hours=Decimal("4"), resolution_hours=Decimal("8"),
                 availability_percent=Decimal("99.9"), working_hours=bool(n % 2)) for n, s in enumerate(suppliers)])
    count = SLA_SUPPLIERS * SERVICES_PER_SUPPLIER
    systems = InformationSystem.objects.bulk_create([
        InformationSystem(code=f"SLA{n:05d}", name=f"Paslaugos sistema {n}", category=category)
        for n in range(count)], batch_size=2000)
    ExternalService.objects.bulk_create([
        ExternalService(name=f"Paslauga {n:05d}", kind="wan", supplier=suppliers[n // SERVICES_PER_SUPPLIER],
                        contract=contracts[n // SERVICES_PER_SUPPLIER], system=systems[n],
                        monthly_fee=Decimal("1000"), penalty_rate=Decimal("5"), incident_penalty_rate=Decimal("2"))
        for n in range(count)], batch_size=2000)
    changes, incidents, links = [], [], []
    first = now - timedelta(days=31 * SLA_MONTHS)
    for system in systems:
        changes.append(SystemChange(system=system, at=first - timedelta(days=1), state="up"))
        for month in range(SLA_MONTHS):
            down = first + timedelta(days=31 * month + pick.randrange(28), minutes=pick.randrange(1440))
            changes.append(SystemChange(system=system, at=down, state="down"))
            changes.append(SystemChange(system=system, at=down + timedelta(minutes=pick.randrange(5, 240)),
                                        state="up"))
            for _ in range(INCIDENTS_PER_MONTH):
                detected = first + timedelta(days=31 * month + pick.randrange(28), minutes=pick.randrange(1440))
                answered = detected + timedelta(minutes=pick.randrange(5, 600))
                incidents.append(Incident(number=f"INC-B-{len(incidents)}", title="Sutrikimas", detected_at=detected,
                                          acknowledged_at=answered, resolved_at=answered + timedelta(
                                              minutes=pick.randrange(10, 1200)), status="resolved"))
                links.append(system.pk)
    SystemChange.objects.bulk_create(changes, batch_size=5000)
    Incident.objects.bulk_create(incidents, batch_size=5000)
    through = Incident.systems.through
    through._default_manager.bulk_create([through(incident_id=i.pk, informationsystem_id=s)
                                          for i, s in zip(incidents, links, strict=True)], batch_size=5000)
    return User.objects.create_user("sla-bench", is_superuser=True)


def main() -> None:
    vendor = setup_database()
    from irtis.procurement import evaluation, licensing, statements, word

    try:
        procurement = evaluation_data()
        estate()
        analyze()
        print(f"{vendor}: {OFFERS} offers × {REQUIREMENTS} requirements × {EVALUATORS} evaluators; estate of "
              f"{CLUSTERS * HOSTS_PER_CLUSTER + SERVERS} servers, {VMS} VMs, {DBMS} DBMS instances, {INSTALLS} "
              "installations")
        measure("evaluation: totals, ranks, flags", lambda: evaluation.evaluate(procurement), runs=10)
        measure("evaluation: totals and the DOCX report",
                lambda: word.evaluation_report(evaluation.evaluate(procurement)), runs=10)
        measure("licence compliance (60 licences, whole estate)", licensing.compliance, runs=5)
        reader = sla_estate()
        analyze()
        print(f"SLA: {SLA_SUPPLIERS} suppliers × {SERVICES_PER_SUPPLIER} services × {SLA_MONTHS} months, "
              f"{INCIDENTS_PER_MONTH} incidents and an outage per service a month")
        rollup = measure("supplier roll-up, all suppliers, 12 months",
                         lambda: statements.suppliers_rollup(reader, SLA_MONTHS), runs=3)
        one = statements.suppliers_rollup(reader, SLA_MONTHS)[0].supplier
        measure("one supplier (200 services), 12 months",
                lambda: statements.total_of(reader, one, SLA_MONTHS), runs=3)
        measure("one supplier's statement as DOCX",
                lambda: word.supplier_statement(statements.total_of(reader, one, SLA_MONTHS), "docx"), runs=3)
        assert rollup["queries"] <= 8, rollup
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
