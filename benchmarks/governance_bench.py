"""Architecture governance figures (docs/governance.md, "Performance"): evaluating every rule over
every system of the 100,000-object estate, the drift report, and the conformance check of a
proposal with 200 components.

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/governance_bench.py             # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_gov_bench \\
        flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/governance_bench.py         # PostgreSQL

The estate is systems_bench's (10,200 devices, 60,000 virtual machines, 2,000 DBMS instances,
6,000 databases, 500 systems of which 50 of category I, 5,000 components, about 15,000
deployments, 300,000 dependencies), with security_bench's software versions on every device,
virtual machine and DBMS instance (bulk SQL), backups_bench's backup policies, and on top: a
catalogue of the 12 versions (approved, tolerated, retiring, forbidden) and the hardware model,
every production component in one or two zones (one in ten internet-facing, half of those outside
a DMZ), a planned end for four systems in five, and one rule of each of the 7 kinds (8 rules,
the data-centre rule for category I only).

"evaluate every rule" is `irtis.governance.rules.evaluate()`, the job's body: the facts read, each
rule over each system in its scope, the results replacing the previous ones. The proposal check
is `check.findings` (reads only) and `check.run` (findings written through the platform's bulk
path, audited).
"""

import datetime
import os
import random
import time

import backups_bench
import security_bench
import systems_bench
from common import analyze, measure, setup_database, teardown_database

SEED = 20261204
N_COMPONENTS = 200


def catalogue(rng: random.Random) -> None:
    from django.db import transaction

    from irtis.audit.context import changes_by
    from irtis.core.bulk import save_objects
    from irtis.governance.models import Principle, Rule, RuleKind, SystemPlan, Technology
    from irtis.inventory.models import HardwareModel, SoftwareVersion
    from irtis.network.models import SecurityZone
    from irtis.systems.models import Component, ImportanceCategory, InformationSystem

    with transaction.atomic(), changes_by():
        statuses = ["approved", "approved", "tolerated", "retiring", "forbidden"]
        for n, version in enumerate(SoftwareVersion.objects.order_by("pk")):
            status = statuses[n % len(statuses)]
            tech = Technology(name=f"T {version.name}", area="platform" if n < 8 else "data", status=status,
                              retire_by=datetime.date(2027, 1, 1) if status == "retiring" else None)
            tech.full_clean()
            tech.save()
            tech.software_versions.set([version])
        tech = Technology.objects.create(name="Serveriai", area="infrastructure", status="approved")
        tech.hardware_models.set(HardwareModel.objects.all())
        zones = {code: SecurityZone.objects.create(code=code, name=code, trust_level=level)
                 for code, level in (("NET", 0), ("DMZ", 2), ("APP", 4))}
        through = Component.zones.through
        rows = []
        for cid in Component.objects.filter(environment="production").values_list("pk", flat=True):
            rows.append(through(component_id=cid, securityzone_id=zones["APP"].pk))
            if rng.random() < 0.1:
                rows.append(through(component_id=cid, securityzone_id=zones["NET"].pk))
                if rng.random() < 0.5:
                    rows.append(through(component_id=cid, securityzone_id=zones["DMZ"].pk))
        through.objects.bulk_create(rows)
        plans = [SystemPlan(system_id=pk, planned_end=datetime.date(2028 + pk % 8, 12, 31))
                 for pk in InformationSystem.objects.values_list("pk", flat=True) if pk % 5]
        save_objects(plans)
        principle = Principle.objects.create(code="AP-1", name="Principai", statement="Teiginys")
        top = ImportanceCategory.objects.order_by("rank").first()
        for kind in RuleKind:
            Rule.objects.create(code=f"R-{kind}", principle=principle, kind=kind)
        Rule.objects.create(code="R-DC-I", principle=principle, kind=RuleKind.DATA_CENTRES, minimum=2, category=top)
        Rule.objects.filter(kind=RuleKind.DATA_CENTRES, category__isnull=True).update(minimum=1)


def proposal() -> object:
    from django.db import transaction

    from irtis.audit.context import changes_by
    from irtis.core.bulk import save_objects
    from irtis.governance.proposals_models import Proposal, ProposalComponent, ProposalInterface
    from irtis.inventory.models import SoftwareVersion
    from irtis.network.models import Prefix, SecurityZone
    from irtis.virtualization.models import Cluster

    versions = list(SoftwareVersion.objects.order_by("pk"))
    zones = list(SecurityZone.objects.order_by("code"))
    with transaction.atomic(), changes_by():
        prefix = Prefix(prefix="172.16.0.0/16", status="active")
        prefix._derive()
        prefix.save()
        made = Proposal.objects.create(code="P-BENCH", name="Didelis pasiūlymas", cluster=Cluster.objects.first(),
                                       prefix=prefix, planned_end=datetime.date(2034, 12, 31), owner_unit="Skyrius",
                                       backup_planned=True)
        save_objects([ProposalComponent(
            proposal=made, name=f"dalis {n:03}", kind="database" if n % 10 == 0 else "application",
            software_version=versions[8 + n % 4] if n % 10 == 0 else None, operating_system=versions[n % 8],
            zone=zones[n % len(zones)], internet_facing=n % 25 == 0, instances=1 + n % 3, vcpu=2, memory_gb=8,
            storage_gb=100, ip_addresses=1) for n in range(N_COMPONENTS)])
        save_objects([ProposalInterface(proposal=made, name=f"sąsaja {n}", source_zone=zones[n % 3],
                                        destination_zone=zones[(n + 1) % 3], ports=str(8000 + n)) for n in range(20)])
    return made


def main() -> None:
    vendor = setup_database()
    load = open("/proc/loadavg").read().split()[:3]
    print(f"database: {vendor}; load average at start {' '.join(load)}; {os.cpu_count()} cores")
    try:
        from django.db import transaction

        from irtis.audit.context import changes_by
        from irtis.governance import catalogue as drift
        from irtis.governance import check, rules
        from irtis.governance.models import RuleResult

        start = time.perf_counter()
        counts = systems_bench.generate(random.Random(systems_bench.SEED))
        with transaction.atomic(), changes_by():
            versions = security_bench._versions()
            security_bench._sql("UPDATE inventory_device SET platform_id = %s + (id %% 8)", [versions[0]])
            security_bench._sql("UPDATE virtualization_virtualmachine SET operating_system_id = %s + (id %% 8)",
                                [versions[0]])
            security_bench._sql("UPDATE databases_dbmsinstance SET software_version_id = %s + (id %% 4)",
                                [versions[8]])
            policies = backups_bench.make_policies()
        catalogue(random.Random(SEED))
        print(f"estate: {counts['objects']} objects, {counts['dependencies']} dependencies, {policies} backup "
              f"policies, catalogue and rules in {time.perf_counter() - start:.0f} s")
        analyze()
        evaluation = rules.evaluate()
        print(f"  {evaluation.systems} systems × {evaluation.rules} rules: {evaluation.counts}")
        measure("evaluate every rule over every system, stored", rules.evaluate, runs=3)
        print(f"  {RuleResult.objects.count()} results stored")
        measure("  of which reading the facts (gather)", rules.gather, runs=3)
        found = drift.drift()
        print(f"  drift: {len(found)} objects on retiring or forbidden technology")
        measure("drift report (every object on retiring or forbidden technology)", drift.drift, runs=3)
        made = proposal()
        print(f"  proposal: {len(check.findings(made))} findings")  # type: ignore[arg-type]
        measure(f"proposal check, {N_COMPONENTS} components, 20 interfaces (reads only)",
                lambda: check.findings(made), runs=10)  # type: ignore[arg-type]
        with changes_by():
            measure(f"proposal check, {N_COMPONENTS} components, findings written and audited",
                    lambda: check.run(made), runs=5)  # type: ignore[arg-type]
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
