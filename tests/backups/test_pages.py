"""The pages and API around backups: coverage, history, the write-only password, drills as runs."""

import hashlib
import io
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from irtis.audit.models import AuditEntry
from irtis.backups import coverage, jobs, passwords, report
from irtis.backups.models import BackupPolicy, RepositorySecret, RestoreDrill, Result, Snapshot, Trigger
from irtis.databases.models import Database, DBMSInstance
from irtis.identity import tokens
from irtis.identity.models import ObjectPermission, User
from irtis.systems.models import Component, Deployment, InformationSystem
from irtis.tasks.models import Run, Status
from irtis.tasks.runs import execute
from tests.virtualization.factories import server, site

from .factories import policy, repository, system
from .repos import PASSWORD, restic_repo

pytestmark = pytest.mark.django_db


def viewer(*actions: str) -> User:
    """A user who may view every backup model (and `actions` on all of them)."""
    user = User.objects.create_user(f"u{User.objects.count()}")
    perm = ObjectPermission.objects.create(name=f"{user.username}:backups", actions=["view", *actions])
    perm.users.add(user)
    perm.object_types.set(ContentType.objects.filter(app_label__in=["backups", "systems"]))
    return user


def test_a_drill_started_from_the_page_runs_records_and_reports(tmp_path: Path, admin_client: Client,
                                                                admin_user: User) -> None:
    repo = repository(restic_repo(tmp_path))
    made = policy(system(), repo)
    response = admin_client.post(reverse("backups_pages:drill", args=[made.pk]))
    assert response.status_code == 302
    run = Run.objects.get(task="irtis.backups.jobs.drill")
    assert run.started_by == admin_user and run.queue == "default"
    execute(str(run.pk))
    run.refresh_from_db()
    assert run.status == Status.DONE, run.error
    drill = RestoreDrill.objects.get()
    assert drill.result == Result.PASSED and drill.started_by == admin_user and drill.trigger == Trigger.ON_DEMAND
    assert Snapshot.objects.filter(policy=made).count() == 1  # read from the repository on the way
    download = admin_client.get(reverse("backups_pages:report", args=[drill.pk]))
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == drill.report_sha256
    text = "".join("".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert drill.checksum in text and report.evidence_sha256(drill) in text
    changes = AuditEntry.objects.filter(content_type__model="restoredrill", object_id=drill.pk)
    assert any((e.after or {}).get("report_sha256") == drill.report_sha256 for e in changes)
    trail = json.dumps(list(AuditEntry.objects.values("before", "after")), default=str)
    assert PASSWORD not in trail and PASSWORD not in json.dumps(list(Run.objects.values("arguments", "result")))


def test_the_password_is_write_only_in_pages_and_api(tmp_path: Path, admin_client: Client) -> None:
    repo = repository(tmp_path / "r", password=None)
    url = reverse("backups_pages:password", args=[repo.pk])
    assert admin_client.post(url, {"password": "Kitoks-Slaptazodis-1"}).status_code == 302
    page = admin_client.get(url).content.decode()
    assert "Kitoks-Slaptazodis-1" not in page and 'type="password"' in page
    detail = admin_client.get(repo.get_absolute_url()).content.decode()
    read = admin_client.get(f"/api/backups/backup-repositories/{repo.pk}/").content.decode()
    assert "Kitoks" not in detail + read and "ciphertext" not in read
    api = reverse("api:backups_repository_password", args=[repo.pk])
    assert admin_client.put(api, {"password": "Kitas-2"}, content_type="application/json").status_code == 204
    assert admin_client.put(api, {"password": ""}, content_type="application/json").status_code == 400
    assert passwords.repo(repo).password == "Kitas-2"
    assert "Kitas-2" not in json.dumps(list(AuditEntry.objects.values("before", "after")))


def test_only_who_may_change_a_repository_sets_its_password(tmp_path: Path) -> None:
    repo = repository(tmp_path / "r", password=None)
    reader = Client()
    reader.force_login(viewer())
    assert reader.post(reverse("backups_pages:password", args=[repo.pk]), {"password": "x"}).status_code == 403
    assert reader.post(reverse("backups_pages:drill", args=[policy(system(), repo).pk])).status_code == 403
    api = Client(headers={"Authorization": f"Bearer {tokens.issue(viewer())[1]}"})
    url = reverse("api:backups_repository_password", args=[repo.pk])
    assert api.put(url, {"password": "x"}, content_type="application/json").status_code == 403
    assert api.put(reverse("api:backups_repository_password", args=[999]), {"password": "x"},
                   content_type="application/json").status_code == 404
    assert not RepositorySecret.objects.exists()


def test_the_api_starts_a_drill_and_a_reading(tmp_path: Path, admin_client: Client) -> None:
    with pytest.raises(ValidationError):  # a queue no worker listens to
        repository(tmp_path / "x", queue="dc2")
    repo = repository(tmp_path / "r")
    made = policy(system(), repo)
    started = admin_client.post(reverse("api:backups_policy_drill", args=[made.pk]), {},
                                content_type="application/json")
    assert started.status_code == 202 and Run.objects.get(pk=started.json()["id"]).queue == repo.queue
    again = admin_client.post(reverse("api:backups_policy_drill", args=[made.pk]), {},
                              content_type="application/json")
    assert again.json()["id"] == started.json()["id"]  # one drill of a policy at a time
    bad = admin_client.post(reverse("api:backups_policy_drill", args=[made.pk]), {"snapshot": 12345},
                            content_type="application/json")
    assert bad.status_code == 400
    read = admin_client.post(reverse("api:backups_repository_read", args=[repo.pk]))
    assert read.status_code == 202


def test_due_drills_follow_each_policy_period(tmp_path: Path) -> None:
    repo = repository(tmp_path / "r")
    fresh = policy(system(), repo, name="fresh")
    stale = policy(system("NTKS"), repo, name="stale", match="ntks")
    policy(system("GVS"), None, name="no repository", match="gvs")
    RestoreDrill.objects.create(policy=fresh, trigger=Trigger.SCHEDULE, result=Result.PASSED,
                                started_at=timezone.now() - timedelta(days=10))
    RestoreDrill.objects.create(policy=stale, trigger=Trigger.SCHEDULE, result=Result.FAILED,
                                started_at=timezone.now() - timedelta(days=100))
    assert [p.name for p in jobs.due()] == ["stale"]
    run = jobs.run_due_drills.start()
    execute(str(run.pk))
    started = Run.objects.filter(task="irtis.backups.jobs.drill").get()
    assert started.arguments["policy_id"] == stale.pk and started.arguments["trigger"] == Trigger.SCHEDULE


def test_coverage_finds_each_kind_of_gap(tmp_path: Path, admin_client: Client, django_assert_max_num_queries) -> None:
    dc2 = site("DC2")
    mdas = system("MDAS", rpo_minutes=15, rto_hours=Decimal("4"))
    component = Component.objects.create(system=mdas, kind="database", name="DB")
    host = server("ora-01")
    instance = DBMSInstance.objects.create(name="ORA1", engine="oracle", device=host)
    database = Database.objects.create(instance=instance, name="MDAS")
    bare = server("app-01")
    for target in ({"device": bare}, {"database": database}):
        Deployment.objects.create(component=component, **target)
    repo = repository(tmp_path / "r", site=site("DC1"))
    weak = policy(instance, repo, name="ORA1", match="ora-01", rpo_minutes=60, copy_site=dc2)
    Snapshot.objects.create(repository=repo, policy=weak, snapshot_id="old",
                            taken_at=timezone.now() - timedelta(hours=3))
    report = coverage.report(InformationSystem.objects.all(), BackupPolicy.objects.all())
    # the database is protected by its instance's policy
    assert [(s.code, str(obj)) for s, obj, _kind in report.unprotected] == [("MDAS", "app-01")]
    problems = " ".join(report.policies[0].problems)
    for expected in ("RPO 60 min is longer", "older than the RPO", "No recent copy at DC2", "No passed restore drill"):
        assert expected in problems
    with django_assert_max_num_queries(30):
        page = admin_client.get(reverse("backups_pages:board"))
    assert page.status_code == 200 and "app-01" in page.content.decode()
    mdas = InformationSystem.objects.get(code="MDAS")
    history = admin_client.get(reverse("backups_pages:history", args=[mdas.pk]))
    assert history.status_code == 200 and "ORA1" in history.content.decode()
    assert admin_client.get(reverse("backups_pages:history", args=[mdas.pk + 999])).status_code == 404
