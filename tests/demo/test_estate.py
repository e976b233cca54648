"""The whole demo estate, as the Quick start loads it: each app's part is on it and consistent with
the others, and a second load writes nothing.

The demo is loaded once for the package (tests/demo/conftest.py; each app's module loading its
own took a tenth of the suite); each test runs in its own transaction on top of it, so what one
test changes the next does not see. What a part of the demo does alone, without the rest (a
lookup that finds nothing fails loudly), stays with its app.
"""

import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext

from irtis.access import demo as access_demo
from irtis.access.models import AccessRequest, Entitlement, Membership, RequestStatus
from irtis.audit.models import AuditEntry
from irtis.backups import demo as backups_demo
from irtis.backups import drills
from irtis.backups.models import BackupPolicy, Result, Snapshot
from irtis.changes import demo as changes_demo
from irtis.changes.conflicts import conflicts
from irtis.changes.impact import affected_systems
from irtis.changes.models import Blackout, ChangeRequest, MaintenanceWindow, Status
from irtis.databases.demo import DATABASES, INSTANCES
from irtis.databases.models import Database, DBMSInstance
from irtis.flows import analysis
from irtis.flows import demo as flows_demo
from irtis.flows.models import Firewall, Flow
from irtis.governance import demo as governance_demo
from irtis.governance.models import Outcome, Rule, RuleResult, Technology
from irtis.governance.proposals_models import Proposal
from irtis.inventory.models import Device, Site
from irtis.network.models import Prefix
from irtis.procurement import demo as procurement_demo
from irtis.procurement import evaluation, licensing, sla, specifications
from irtis.procurement.models import Contract, ExternalService, Procurement, Specification
from irtis.projects import demo as projects_demo
from irtis.projects import portfolio
from irtis.projects.models import Project
from irtis.regulations import demo as regulations_demo
from irtis.regulations import drafting, route
from irtis.regulations.models import Document
from irtis.reports import demo as reports_demo
from irtis.reports import periods, sections
from irtis.reports.models import CapacitySample, Recommendation, ReportSubscription
from irtis.risks import demo as risks_demo
from irtis.risks import evaluators
from irtis.risks.models import Finding, Risk
from irtis.security import demo as security_demo
from irtis.security.evaluation import Status as ControlStatus
from irtis.security.models import ControlResult, EvidenceState, SystemResult
from irtis.systems import graph
from irtis.systems.demo import SYSTEMS
from irtis.systems.demo_services import SERVICES
from irtis.systems.models import Deployment, FailoverPath, InformationSystem
from irtis.tasks.models import Schedule
from irtis.virtualization.demo import machines as demo_machines
from irtis.virtualization.models import Cluster, ClusterHost, VirtualDisk, VirtualMachine, VMAddressAssignment

pytestmark = pytest.mark.django_db


def unchanged_by(load: object) -> bool:
    """Whether loading (a part of) the demo again writes no audit entry, i.e. changes nothing."""
    entries = AuditEntry.objects.count()
    load()
    return AuditEntry.objects.count() == entries


def test_a_second_load_of_the_whole_demo_writes_nothing() -> None:
    assert unchanged_by(lambda: call_command("demo", stdout=io.StringIO()))


# --- inventory, virtualisation, databases, systems ---------------------------------------------

def test_virtual_machines_clusters_and_hosts() -> None:
    assert set(Cluster.objects.values_list("name", flat=True)) == {"CL-PROD", "CL-DMZ", "CL-MGMT", "CL-DC2"}
    assert VirtualMachine.objects.count() == len(demo_machines())
    hosts = Counter(ClusterHost.objects.values_list("cluster__name", flat=True))
    assert hosts == {"CL-PROD": 8, "CL-DMZ": 2, "CL-MGMT": 2, "CL-DC2": 8}


def test_machines_have_eth0_a_primary_inside_the_ip_plan_and_disks() -> None:
    machines = list(VirtualMachine.objects.select_related("primary_ip"))
    assert machines and all(m.primary_ip for m in machines)
    assignments = list(VMAddressAssignment.objects.select_related("ip_address", "interface__untagged_vlan"))
    assert {a.interface.virtual_machine_id for a in assignments} == {m.pk for m in machines}
    for assignment in assignments:  # every address inside a prefix of its VRF, the prefix of its VLAN
        address = assignment.ip_address
        prefix = Prefix.plain.filter(vrf=address.vrf, start_key__lte=address.address_key,
                                     end_key__gte=address.address_key, vlan__isnull=False).get()
        assert prefix.vlan == assignment.interface.untagged_vlan, address
    disks: Counter[int] = Counter()
    for disk in VirtualDisk.objects.all():
        disks[disk.virtual_machine_id] += disk.size_gb
    assert all(disks[m.pk] == m.disk_gb for m in machines if m.status != VirtualMachine.Status.PLANNED)
    assert all(0 < disks[m.pk] < m.disk_gb for m in machines if m.status == VirtualMachine.Status.PLANNED)


def test_every_dbms_instance_has_its_engines_version() -> None:
    assert DBMSInstance.objects.count() == len(INSTANCES) and Database.objects.count() == len(DATABASES)
    assert not DBMSInstance.objects.filter(software_version__isnull=True).exists()
    for instance in DBMSInstance.objects.select_related("software_version__product"):
        engine = {"oracle": "Oracle Database", "postgresql": "PostgreSQL", "mssql": "SQL Server"}[instance.engine]
        assert instance.software_version.product.name == engine, instance
    assert not DBMSInstance.objects.filter(device__isnull=False, virtual_machine__isnull=False).exists()


def test_the_analysis_finds_the_hidden_single_point_of_failure() -> None:
    """One disk array under the production cluster and the Oracle servers: the March 2021 outage
    of MDAS, NTKS and IDAIS."""
    assert InformationSystem.objects.count() == len(SYSTEMS) + len(SERVICES)
    array = Device.objects.get(name="dc1-masyvas-01")
    report = {system.code: {n.label for n in found} for system, found in graph.spof_report().items()}
    assert {"MDAS", "NTKS", "iMDAS"} <= set(report)
    for code in ("MDAS", "iMDAS"):
        assert "dc1-masyvas-01" in report[code]
        assert "dc1-ora-01" not in report[code]  # the RAC has two nodes
    assert not report["NTKS"]  # its tested failover path to DC2 covers the first data centre
    marks = {n.label: n.state for n in graph.single_points_of_failure(InformationSystem.objects.get(code="MDAS"))}
    assert marks["dc1-masyvas-01"] == "untested_failover"  # MDAS's path was last drilled in 2024
    found = graph.impact([array])
    assert {"MDAS", "IDAIS"} <= {n.label.split()[0] for n in found.systems_stopped}
    assert {(n.label.split()[0], n.rto_hours) for n in found.systems_failover} >= {("NTKS", 4.0)}


def test_technical_services_and_failover() -> None:
    services = InformationSystem.objects.filter(kind=InformationSystem.Kind.TECHNICAL_SERVICE)
    assert {"DNS", "NTP", "PKI", "AD", "MFA", "SIEM", "MDM", "VOIP", "BKP-PROXY"} <= set(
        services.values_list("code", flat=True))
    # Every production machine reaches an information system or a technical service.
    machines = list(VirtualMachine.objects.filter(environment="production"))
    reached = affected_systems([graph.node_of(m) for m in machines])
    assert [m.name for m in machines if not reached.get(graph.node_of(m))] == []
    assert {p.system.code: p.tested for p in FailoverPath.objects.select_related("system")} == {
        "NTKS": True, "MDAS": False, "VOIP": True}
    for path in FailoverPath.objects.all():
        path.full_clean()
    found = graph.impact([Site.objects.get(code="DC1")])
    assert {n.label.split()[0] for n in found.systems_failover} == {"NTKS", "VOIP"}
    assert "MDAS" in {n.label.split()[0] for n in found.systems_stopped}


# --- operations, backups, flows -------------------------------------------------------------------

def test_the_maintenance_calendar_has_conflicts_to_show() -> None:
    assert MaintenanceWindow.objects.count() == len(changes_demo.WINDOWS)
    assert ChangeRequest.objects.count() == len(changes_demo.CHANGES)
    assert Blackout.objects.count() == 2
    patch = MaintenanceWindow.objects.get(name="Mėnesio pataisų naktis")
    assert patch.status == Status.APPROVED and patch.covered.count() == 3
    clash = MaintenanceWindow.objects.get(name="MDAS taikomosios programos diegimas")
    assert [c.other for c in conflicts(clash)] == [patch]
    oracle = ChangeRequest.objects.get(title="Oracle 19.24 RU RAC A mazgams")
    assert oracle.risk and oracle.affected_systems > 0
    assert unchanged_by(changes_demo.load)
    Deployment.objects.filter(device__name="dc1-fw-02").delete()  # the VPN service runs on it
    Device.objects.filter(name="dc1-fw-02").delete()
    ChangeRequest.objects.filter(title="FortiOS atnaujinimas").delete()
    MaintenanceWindow.objects.filter(name="Saugasienių FortiOS 7.4.5").delete()
    with pytest.raises(Device.DoesNotExist):
        changes_demo.load()


def test_the_demo_restic_repository_restores() -> None:
    assert BackupPolicy.objects.count() == 4
    assert Snapshot.objects.filter(policy__name="MDAS duomenų bazė").count() == 1
    assert unchanged_by(backups_demo.load)
    drill = drills.run(BackupPolicy.objects.get(name="MDAS duomenų bazė"))
    assert drill.result == Result.PASSED, drill.reason
    assert drill.files == len(backups_demo.FILES)


def test_flows_leave_two_rules_unexplained() -> None:
    assert Flow.objects.count() == len(flows_demo.FLOWS) and Firewall.objects.count() == len(flows_demo.FIREWALLS)
    assert sorted(rule.name for rule in analysis.unexplained()) == ["Kopijavimo agentai", "Portalai iš interneto"]
    assert [flow.name for flow in analysis.past_review()] == ["Taikomosios programos → duomenų bazės"]
    assert unchanged_by(flows_demo.load)


# --- security, access, risks, governance, regulations ---------------------------------------------

def test_every_control_is_evaluated_once() -> None:
    results = {r.control.code: r for r in ControlResult.objects.select_related("control")}
    assert results["K-POLICY"].status == ControlStatus.PASSED
    assert results["K-VULN-SCAN"].deviations[0]["params"] == {"state": EvidenceState.EXPIRED}
    assert results["K-LOG-REVIEW"].deviations[0]["params"] == {"state": EvidenceState.UNREVIEWED}
    assert results["K-CERTIFICATES"].status == ControlStatus.FAILED
    assert results["K-SW-SUPPORT"].status == ControlStatus.FAILED and results["K-SW-SUPPORT"].checked > 100
    assert SystemResult.objects.filter(system__code="MDAS").exists()
    count = ControlResult.objects.count()
    assert unchanged_by(security_demo.load) and ControlResult.objects.count() == count


def test_access_is_tied_to_the_estates_system() -> None:
    assert Entitlement.objects.filter(system__code="MDAS").count() == 3
    assert AccessRequest.objects.get().status == RequestStatus.REQUESTED
    assert Membership.objects.count() == 1
    assert unchanged_by(access_demo.load)
    mdas = InformationSystem.objects.get(code="MDAS")
    mdas.code = "KITA"
    mdas.save()
    with pytest.raises(InformationSystem.DoesNotExist):
        access_demo.load()


def test_findings_and_risks_are_linked_to_machines_and_systems() -> None:
    scanned = Finding.objects.filter(scope=risks_demo.SCOPE)
    assert scanned.count() > 0 and not scanned.filter(virtual_machine=None).exists()
    assert set(scanned.values_list("systems__code", flat=True)) == {"MDAS", "NTKS", "BAP"}
    assert Risk.objects.get(title="Deklaracijų duomenų nutekėjimas").findings.exists()
    assert evaluators.risk_analysis_current().status == ControlStatus.FAILED  # the demo shows what is missing
    assert unchanged_by(risks_demo.load)


def test_governance_has_results_of_every_kind_and_a_checked_proposal() -> None:
    assert Technology.objects.count() == len(governance_demo.TECHNOLOGIES)
    assert Rule.objects.count() == sum(len(p[3]) for p in governance_demo.PRINCIPLES)
    outcomes = set(RuleResult.objects.values_list("outcome", flat=True))
    assert {Outcome.PASSED, Outcome.FAILED, Outcome.UNKNOWN} <= outcomes
    proposal = Proposal.objects.get(code="P-2026-01")
    assert proposal.checked and proposal.findings.filter(automatic=True, severity="minor").exists()
    assert unchanged_by(governance_demo.load)


def test_a_regulating_document_approved_through_its_route() -> None:
    backup = Document.objects.get(title="Informacinių sistemų atsarginių kopijų darymo tvarkos aprašas")
    assert (backup.status, backup.approved_revision, backup.versions.count()) == ("in_force", 2, 2)
    assert all(s.decision and s.decision.decision == "approve" for s in route.state(backup))
    shown, older = drafting.placed(backup, backup.versions.get(number=2))
    assert [c.text for p in shown for c in p.comments] == ["Nurodykite, kiek laiko kopijos saugomos DC2."]
    assert len(older) == 1  # the comment on the paragraph version 2 changed
    assert set(backup.controls.values_list("code", flat=True)) == {"K-BACKUP-RPO", "K-RESTORE-DRILL"}
    assert Document.objects.get(title="Incidentų valdymo tvarkos aprašas").status == "draft"
    assert unchanged_by(regulations_demo.load)


# --- procurement, projects, reports ------------------------------------------------------------

def test_procurement_on_the_estate() -> None:
    support = Contract.objects.get(number="2025/ORA-03")
    assert support.devices.exists() and support.software_products.get().name == "Oracle Database"
    assert Contract.objects.get(number="2023/WAN-01").amendments.count() == 1
    spec = Specification.objects.get(code="TS-2026-07", revision=2)
    changes = specifications.diff(spec.previous, spec)
    assert [(c.number, c.status) for c in changes] == [(2, "changed"), (7, "added")]
    result = evaluation.evaluate(Procurement.objects.get(name="Tarnybinių stočių pirkimas 2026"))
    assert [line.rank for line in result.ranking] == [1, 2, None]  # one offer fails requirement 7
    oracle = next(p for p in licensing.compliance() if p.product == "Oracle Database")
    assert oracle.needed and oracle.needed > 0
    months = sla.statement(ExternalService.objects.get(name="Pasienio postų WAN kanalai"), 3)
    assert len(months) == 3 and months[-1].target == Decimal("99.9")
    assert unchanged_by(procurement_demo.load)


def test_projects_with_late_work_to_show() -> None:
    renewal = Project.objects.get(code="P-2026-01")
    assert set(renewal.systems.values_list("code", flat=True)) == {"MDAS", "NTKS"}
    assert renewal.contracts.exists() and renewal.procurements.exists()
    root = renewal.manager
    root.is_superuser = True  # reads everything, as the portfolio's head would
    lines = {line.project.code: line for line in portfolio.lines(root, Project.objects.all())}
    assert lines["P-2026-01"].health == "amber" and lines["P-2026-01"].late_tasks
    assert lines["P-2026-02"].overrun and lines["P-2026-02"].health == "red"
    assert unchanged_by(projects_demo.load)


def test_the_last_months_report_reads_every_section() -> None:
    assert Recommendation.objects.filter(status__in=Recommendation.OPEN).count() == 2
    assert ReportSubscription.objects.filter(recipient__username=reports_demo.HEAD).count() == 2
    assert set(Schedule.objects.filter(task__startswith="irtis.reports.").values_list("task", flat=True)) == {
        "irtis.reports.jobs.remind_recommendations", "irtis.reports.jobs.record_capacity",
        "irtis.reports.jobs.issue_reports"}
    parts = {p.key: p for p in sections.collect(periods.last_complete("month", timezone.localdate()), None)}
    for key in ("spof", "support", "security", "capacity", "follow_up"):  # held whatever the month
        assert not parts[key].empty, key
    trend = parts["capacity"].tables[-1]  # a year of made-up history: every capacity has its trend
    assert trend.caption == gettext("Capacity trends") and len(trend.rows) == sections.SHOWN
    samples = CapacitySample.objects.count()
    assert unchanged_by(reports_demo.load) and CapacitySample.objects.count() == samples
