"""The automatic controls computed from the data of irtis's own apps. Each reads with a handful
of grouped queries whatever the size of the estate, and names every deviating object with the
information systems it concerns (`placement.py`)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from irtis.backups import coverage
from irtis.backups.models import BackupPolicy
from irtis.identity.models import TOTPDevice, User
from irtis.inventory import reports
from irtis.inventory.models import Device, SoftwareVersion
from irtis.network.models import IPAddress, Prefix
from irtis.systems import graph
from irtis.systems.models import Certificate, InformationSystem
from irtis.tasks.models import Run
from irtis.tasks.models import Status as RunStatus

from . import conf
from .evaluation import Deviation, Outcome, Status, evaluator
from .placement import Systems, object_id

SHOWN_LABEL = 200  # characters of a label kept


def _label(obj: Any) -> str:
    return str(obj)[:SHOWN_LABEL]


@evaluator("software_in_support", _("Operating systems and DBMS in support"),
           _("Every device platform, installed software, virtual machine operating system and DBMS instance "
             "runs a version whose support and life have not ended."),
           ("LT-26", "A.8.8", "A.8.19"))
def software_in_support() -> Outcome:
    today = timezone.localdate()
    places = Systems()
    checked, deviations = 0, []
    for model, paths in reports.sources():
        version = paths["version"]
        rows = model._default_manager.exclude(**paths.get("exclude", {})).filter(**{f"{version}__isnull": False})
        checked += rows.count()
        target = paths.get("target", "")
        related = [f"{version}__product", *([target] if target else [])]
        for row in rows.filter(SoftwareVersion.unsupported_q(today, prefix=f"{version}__")).select_related(*related):
            release = getattr(row, version)
            shown = getattr(row, target) if target else row
            deviations.append(Deviation(
                object_id(shown), _label(shown), gettext_noop("%(version)s: support ended on %(date)s"),
                {"version": str(release), "date": release.support_ends.isoformat()}, places.of(shown),
            ))
    return Outcome.of(checked, deviations)


@evaluator("no_single_point_of_failure", _("No single point of failure"),
           _("No system of a category that asks for the analysis (category I) stops when any one object fails."),
           ("LT-15", "LT-12", "A.8.14", "A.5.30"))
def no_single_point_of_failure() -> Outcome:
    systems = InformationSystem.objects.filter(category__analyse_spof=True).exclude(
        lifecycle=InformationSystem.Lifecycle.RETIRED)
    found = graph.spof_report(systems)
    deviations = [
        Deviation(object_id(system), system.code, gettext_noop("Stops when one of these fails: %(objects)s"),
                  {"objects": ", ".join(info.label for info in points[:20]), "count": len(points)}, (system.pk,))
        for system, points in found.items() if points
    ]
    return Outcome.of(len(found), deviations)


def _policy_rows() -> tuple[list[coverage.PolicyState], dict[int, tuple[str, int | None, int | None]]]:
    policies = BackupPolicy.objects.all()
    states = coverage.policy_states(policies, timezone.now())
    facts = {pk: (name, rpo, drill) for pk, name, rpo, drill in
             policies.values_list("pk", "name", "rpo_minutes", "drill_every_days")}
    return states, facts


@evaluator("backups_within_rpo", _("Backups within the RPO"),
           _("Every backup policy has a good backup younger than its RPO."),
           ("LT-13", "A.8.13"))
def backups_within_rpo() -> Outcome:
    now = timezone.now()
    states, facts = _policy_rows()
    deviations = []
    for state in states:
        name, rpo, _drill = facts[state.pk]
        if state.last_good is None:
            deviations.append(Deviation(f"backups.backuppolicy:{state.pk}", name,
                                        gettext_noop("No good backup recorded"), {},
                                        (state.system_id,) if state.system_id else ()))
        elif state.last_good < now - timedelta(minutes=rpo or 0):
            deviations.append(Deviation(f"backups.backuppolicy:{state.pk}", name,
                                        gettext_noop("Last good backup %(time)s is older than the RPO of %(rpo)s min"),
                                        {"time": state.last_good.isoformat(timespec="minutes"), "rpo": rpo},
                                        (state.system_id,) if state.system_id else ()))
    return Outcome.of(len(states), deviations)


@evaluator("restore_drill_within_period", _("Restore drill within its period"),
           _("Every backup policy has a passed restore drill within its drill period."),
           ("LT-14", "LT-12", "A.8.13"))
def restore_drill_within_period() -> Outcome:
    now = timezone.now()
    states, facts = _policy_rows()
    deviations = []
    for state in states:
        name, _rpo, days = facts[state.pk]
        if state.last_drill is None or (days and state.last_drill < now - timedelta(days=days)):
            deviations.append(Deviation(f"backups.backuppolicy:{state.pk}", name,
                                        gettext_noop("No passed restore drill within %(days)s days"),
                                        {"days": days, "last": state.last_drill.isoformat() if state.last_drill
                                         else None}, (state.system_id,) if state.system_id else ()))
    return Outcome.of(len(states), deviations)


@evaluator("privileged_mfa", _("Privileged irtis accounts with MFA"),
           _("Every active superuser and every holder of a role that must sign in with a second factor "
             "(IRTIS_MFA_ROLES) has enrolled an authenticator."),
           ("LT-21", "LT-25", "A.8.5", "A.8.2"))
def privileged_mfa() -> Outcome:
    privileged = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__name__in=settings.IRTIS_MFA_ROLES)).distinct()
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed__isnull=False)
    rows = list(privileged.annotate(mfa=Exists(enrolled)).values_list("pk", "username", "mfa"))
    deviations = [Deviation(f"identity.user:{pk}", name, gettext_noop("No second factor enrolled"))
                  for pk, name, mfa in rows if not mfa]
    return Outcome.of(len(rows), deviations)


VERIFY_TASK = "irtis.tasks.jobs.verify_audit_trail"


def _trail(reason: str, params: dict[str, Any] | None = None, data: dict[str, Any] | None = None) -> Outcome:
    return Outcome(Status.FAILED, 1, (Deviation("audit.auditentry:trail", "audit trail", reason, params or {}),),
                   data=data or {})


@evaluator("audit_trail_verified", _("Audit trail verified"),
           _("The audit trail's hash chain and signed checkpoints were verified intact within the last 24 hours."),
           ("LT-10", "A.8.15", "A.5.33"))
def audit_trail_verified() -> Outcome:
    hours = conf.audit_verify_hours()
    last = Run.objects.filter(task=VERIFY_TASK, status=RunStatus.DONE).order_by("-finished_at").first()
    if last is None or last.finished_at is None:
        return _trail(gettext_noop("Never verified"))
    data = {"run": str(last.pk), "finished": last.finished_at.isoformat(), "result": last.result}
    result = last.result or {}
    if not result.get("intact"):
        return _trail(gettext_noop("The last verification found a problem: %(problem)s"),
                      {"problem": result.get("problem", "")}, data)
    if last.finished_at < timezone.now() - timedelta(hours=hours):
        return _trail(gettext_noop("Last verified on %(time)s, more than %(hours)s h ago"),
                      {"time": last.finished_at.isoformat(timespec="minutes"), "hours": hours}, data)
    return Outcome(Status.PASSED, 1, data=data)


@evaluator("certificates_valid", _("Certificates valid for more than 30 days"),
           _("Every recorded certificate stays valid for more than the warning period (30 days)."),
           ("LT-32", "A.8.24"))
def certificates_valid() -> Outcome:
    limit = timezone.localdate() + timedelta(days=conf.certificate_days())
    places = Systems()
    certificates = Certificate.objects.all()
    deviations = [
        Deviation(object_id(c), _label(c), gettext_noop("Expires on %(date)s"), {"date": c.expires.isoformat()},
                  places.of_certificate(c))
        for c in certificates.filter(expires__lte=limit).select_related("interconnection")
    ]
    return Outcome.of(certificates.count(), deviations, days=conf.certificate_days())


def _zoned_prefix(prefix: str = "") -> Q:
    """A prefix (reached by `prefix`) placed in a zone directly, by its VRF or by its VLAN."""
    return (Q(**{f"{prefix}zone__isnull": False}) | Q(**{f"{prefix}vrf__zone__isnull": False})
            | Q(**{f"{prefix}vlan__zone__isnull": False}))


def _same_table(prefixes: QuerySet) -> QuerySet:
    """Prefixes in the outer row's VRF, the global table (no VRF) matching only itself."""
    return prefixes.annotate(table=Coalesce("vrf", Value(0))).filter(table=Coalesce(OuterRef("vrf"), Value(0)))


@evaluator("zones_assigned", _("Every device and prefix in a security zone"),
           _("Every prefix but containers is in a security zone (its own, its VRF's, its VLAN's or a covering "
             "prefix's), and every device not retired has an address in such a prefix or a zoned VRF."),
           ("LT-18", "A.8.20", "A.8.22"))
def zones_assigned() -> Outcome:
    covering = _same_table(Prefix.objects.filter(_zoned_prefix(), start_key__lte=OuterRef("start_key"),
                                                 end_key__gte=OuterRef("end_key")))
    prefixes = Prefix.objects.exclude(status=Prefix.Status.CONTAINER).annotate(zoned=Exists(covering))
    unzoned_prefixes = list(prefixes.filter(zoned=False).values_list("pk", "prefix")[:5000])
    address_zoned = _same_table(Prefix.objects.filter(_zoned_prefix(), start_key__lte=OuterRef("address_key"),
                                                      end_key__gte=OuterRef("address_key")))
    zoned_addresses = IPAddress.objects.filter(Q(vrf__zone__isnull=False) | Exists(address_zoned),
                                               interface__device=OuterRef("pk"))
    devices = Device.objects.exclude(status=Device.Status.RETIRED)
    unzoned_devices = list(devices.filter(~Exists(zoned_addresses)).values_list("pk", "name"))
    places = Systems()
    deviations = [Deviation(f"network.prefix:{pk}", str(text), gettext_noop("Not in a security zone"))
                  for pk, text in unzoned_prefixes]
    deviations += [Deviation(f"inventory.device:{pk}", name, gettext_noop("No address in a zoned prefix"),
                             systems=places.of_id("device", pk)) for pk, name in unzoned_devices]
    return Outcome.of(prefixes.count() + devices.count(), deviations)
