"""The built-in evaluators over real records: each fails on the deviating object, names the
systems it concerns, and passes once the records conform."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from irtis.identity.models import TOTPDevice, User
from irtis.inventory.models import Interface
from irtis.network.models import SecurityZone
from irtis.security import evaluators
from irtis.security.evaluation import EVALUATORS, Status
from irtis.systems.models import Certificate, Component, Deployment
from irtis.tasks import jobs as task_jobs
from irtis.tasks.models import Run
from irtis.tasks.models import Status as RunStatus
from tests.backups.factories import policy
from tests.inventory import factories as inventory
from tests.network.helpers import address, prefix

from . import factories

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_every_builtin_evaluator_is_registered_with_requirements() -> None:
    for code in ("software_in_support", "no_single_point_of_failure", "backups_within_rpo",
                 "restore_drill_within_period", "privileged_mfa", "audit_trail_verified", "certificates_valid",
                 "zones_assigned"):
        assert EVALUATORS[code].requirements, code


def test_software_out_of_support_fails_and_names_the_system() -> None:
    old = inventory.version("Windows Server", "2012 R2", support_end=TODAY - timedelta(days=1))
    new = inventory.version("Windows Server", "2025", support_end=TODAY + timedelta(days=900))
    legacy, current = inventory.device("dc1-old-01", platform=old), inventory.device("dc1-new-01", platform=new)
    mdas = factories.system("MDAS")
    component = Component.objects.create(system=mdas, name="db", environment="production", kind="database")
    Deployment.objects.create(component=component, device=legacy)

    outcome = evaluators.software_in_support()

    assert outcome.status == Status.FAILED and outcome.checked == 2
    [deviation] = outcome.deviations
    assert (deviation.object, deviation.label, deviation.systems) == (
        f"inventory.device:{legacy.pk}", "dc1-old-01", (mdas.pk,))
    assert deviation.params["date"] == (TODAY - timedelta(days=1)).isoformat()
    legacy.platform = new
    legacy.save()
    assert evaluators.software_in_support().status == Status.PASSED
    assert current.pk


def test_certificates_must_stay_valid_for_30_days() -> None:
    Certificate.objects.create(subject="CN=ok", issuer="CA", serial="1", expires=TODAY + timedelta(days=31))
    soon = Certificate.objects.create(subject="CN=soon", issuer="CA", serial="2", expires=TODAY + timedelta(days=30))
    outcome = evaluators.certificates_valid()
    assert outcome.status == Status.FAILED and outcome.checked == 2
    assert [d.label for d in outcome.deviations] == ["CN=soon"]
    soon.delete()
    assert evaluators.certificates_valid().status == Status.PASSED


def test_privileged_accounts_need_a_confirmed_second_factor(settings) -> None:
    settings.IRTIS_MFA_ROLES = ["security_officer"]
    root = User.objects.create_superuser("root", "root@example.lt", "x")
    User.objects.create_user("plain", "plain@example.lt", "x")  # not privileged
    outcome = evaluators.privileged_mfa()
    assert outcome.status == Status.FAILED and outcome.checked == 1
    assert [d.label for d in outcome.deviations] == ["root"]
    device = TOTPDevice.objects.create(user=root, secret="A" * 32)
    assert evaluators.privileged_mfa().status == Status.FAILED  # enrolling is not finished
    device.confirmed = timezone.now()
    device.save()
    assert evaluators.privileged_mfa().status == Status.PASSED


def _verification(hours_ago: float, intact: bool = True) -> Run:
    finished = timezone.now() - timedelta(hours=hours_ago)
    return Run.objects.create(task=task_jobs.verify_audit_trail.module_path, status=RunStatus.DONE,
                              finished_at=finished, result={"intact": intact, "problem": "" if intact else "#5"})


def test_the_audit_trail_must_be_verified_intact_within_24_hours() -> None:
    assert evaluators.VERIFY_TASK == task_jobs.verify_audit_trail.module_path
    assert evaluators.audit_trail_verified().deviations[0].reason == "Never verified"
    _verification(25)
    assert evaluators.audit_trail_verified().status == Status.FAILED
    _verification(1, intact=False)
    outcome = evaluators.audit_trail_verified()
    assert outcome.status == Status.FAILED and outcome.deviations[0].params == {"problem": "#5"}
    _verification(0.5)
    assert evaluators.audit_trail_verified().status == Status.PASSED


def test_devices_and_prefixes_must_be_in_a_security_zone() -> None:
    zone = SecurityZone.objects.create(code="PROD", name="Gamybinė")
    prefix("10.0.0.0/8", status="container")  # a container is not checked
    zoned = prefix("10.10.100.0/24", zone=zone)
    prefix("10.10.100.0/26")  # inside a zoned prefix: zoned
    bare = prefix("10.20.0.0/24")
    inside, outside = inventory.device("in-01"), inventory.device("out-01")
    inventory.device("old-01", status="retired")
    address("10.10.100.5/24", interface=Interface.objects.create(device=inside, name="eth0"))
    address("10.20.0.5/24", interface=Interface.objects.create(device=outside, name="eth0"))

    outcome = evaluators.zones_assigned()

    assert outcome.status == Status.FAILED
    assert outcome.checked == 3 + 2
    assert sorted(d.object for d in outcome.deviations) == sorted(
        [f"network.prefix:{bare.pk}", f"inventory.device:{outside.pk}"])
    bare.zone = zone
    bare.save()
    assert evaluators.zones_assigned().status == Status.PASSED
    assert zoned.pk


def test_backups_within_rpo_and_drills_within_their_period() -> None:
    mdas = factories.system("MDAS")
    made = policy(mdas, name="MDAS DB", rpo_minutes=60, drill_every_days=30)
    rpo = evaluators.backups_within_rpo()
    assert rpo.status == Status.FAILED
    assert [(d.label, d.reason, d.systems) for d in rpo.deviations] == [
        ("MDAS DB", "No good backup recorded", (mdas.pk,))]
    drill = evaluators.restore_drill_within_period()
    assert drill.status == Status.FAILED and drill.deviations[0].params["days"] == 30
    assert made.pk


def test_nothing_to_check_is_not_applicable_not_passed() -> None:
    assert evaluators.certificates_valid().status == Status.NOT_APPLICABLE
    assert evaluators.no_single_point_of_failure().status == Status.NOT_APPLICABLE
