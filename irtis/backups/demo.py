"""Demo backups tied to the demo estate: a real restic repository in the data directory (so a
drill can be run from the demo at once), a Veeam export file, policies of MDAS, NTKS and GVS
objects, the snapshots read from both, and the schedules that read and drill."""

import os
import secrets
import subprocess
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from irtis.core.demo import ensure
from irtis.databases.models import Database
from irtis.inventory.models import Site
from irtis.systems.models import InformationSystem
from irtis.tasks.models import Schedule
from irtis.virtualization.models import VirtualMachine

from . import ingest, passwords
from .models import BackupPolicy, BackupRepository, Tool

FILES = {  # the demo's "server data" backed up into the restic repository
    "etc/mdas/mdas.conf": "db.host=ORAPRDA1\ndb.service=MDAS\n",
    "var/lib/mdas/eksportas-2026-12.csv": "deklaracija;data\n"
    + "".join(f"26LT{i:08};2026-12-01\n" for i in range(2000)),
}
HOSTS = ("mdas-db", "mdas-app-01.prod")


def home() -> Path:
    return Path(settings.DATA_DIR) / "demo-backups"


def restic_repository() -> Path:
    """A tiny restic repository with one snapshot per demo host, created once."""
    repo = home() / "restic"
    password_file = home() / "restic.password"
    if (repo / "config").exists():
        return repo
    home().mkdir(parents=True, exist_ok=True)
    password_file.write_text(secrets.token_urlsafe(24))
    os.chmod(password_file, 0o600)
    env = {**os.environ, "RESTIC_REPOSITORY": str(repo), "RESTIC_PASSWORD_FILE": str(password_file),
           "RESTIC_CACHE_DIR": str(home() / "cache")}
    subprocess.run(["restic", "init", "-q"], env=env, check=True, capture_output=True)
    source = home() / "source"
    for name, text in FILES.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    for host in HOSTS:
        subprocess.run(["restic", "backup", "-q", "--host", host, "--tag", "demo", "."], env=env, check=True,
                       capture_output=True, cwd=source)
    return repo


def veeam_export() -> Path:
    """A Veeam job report in the documented export format, written once."""
    path = home() / "veeam-dc2.csv"
    if path.exists():
        return path
    home().mkdir(parents=True, exist_ok=True)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows = ["snapshot_id;taken_at;hostname;paths;tags;size_bytes;files;status"]
    for day in range(7):
        at = now - timedelta(days=day)
        rows.append(f"ntks-{at:%Y%m%d};{at.isoformat()};ntks-db;/u01/oradata/NTKS;ntks;{2_600 * 10**9};1450;"
                    f"{'partial' if day == 3 else 'success'}")
        rows.append(f"gvs-{at:%Y%m%d};{(at - timedelta(hours=26)).isoformat()};gvs;;gvs;{300 * 10**9};800;success")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _object(obj: models.Model) -> dict:
    return {"object_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk}


def load() -> None:
    dc1, dc2 = Site.objects.get(code="DC1"), Site.objects.get(code="DC2")
    restic = ensure(BackupRepository, "name", {
        "name": "DC1-restic", "tool": Tool.RESTIC, "location": str(restic_repository()), "site": dc1,
        "description": "Failų ir duomenų bazių eksporto kopijos (restic)"})
    if not passwords.has_password(restic):
        passwords.set_password(restic, (home() / "restic.password").read_text())
    veeam = ensure(BackupRepository, "name", {
        "name": "DC2-Veeam", "tool": Tool.FILE, "location": str(veeam_export()), "site": dc2, "immutable": True,
        "description": "Veeam ataskaitos eksportas (nekeičiamos kopijos rezerviniame DC)"})
    mdas_db = Database.objects.get(instance__name="ORAPRDA1", name="MDAS")
    ntks_db = Database.objects.get(instance__name="ORAPRDA1", name="NTKS")
    mdas_app = VirtualMachine.objects.get(name="mdas-app-01.prod")
    gvs = InformationSystem.objects.get(code="GVS")
    mdas = InformationSystem.objects.get(code="MDAS")
    ensure(BackupPolicy, "name", {"name": "MDAS duomenų bazė", **_object(mdas_db), "system": mdas,
                                  "repository": restic, "match": "mdas-db", "copy_site": dc2, "immutable": True,
                                  "drill_budget_seconds": 600})
    ensure(BackupPolicy, "name", {"name": "MDAS taikomųjų programų stotis", **_object(mdas_app), "system": mdas,
                                  "repository": restic, "match": "mdas-app-01.prod", "drill_budget_seconds": 600})
    ensure(BackupPolicy, "name", {"name": "NTKS duomenų bazė", **_object(ntks_db),
                                  "system": InformationSystem.objects.get(code="NTKS"), "repository": veeam,
                                  "match": "ntks-db", "copy_site": dc2, "tape": True})
    ensure(BackupPolicy, "name", {"name": "GVS", **_object(gvs), "system": gvs, "repository": veeam, "match": "gvs",
                                  "rpo_minutes": 24 * 60})
    for repository in (restic, veeam):
        ingest.ingest(repository)
    ensure(Schedule, "name", {"name": "Atsarginių kopijų saugyklų nuskaitymas",
                              "task": "irtis.backups.jobs.ingest_all", "cron": "15 * * * *"})
    ensure(Schedule, "name", {"name": "Atkūrimo pratybos pagal politikas",
                              "task": "irtis.backups.jobs.run_due_drills", "cron": "0 2 * * *"})
