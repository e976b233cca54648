"""The platform contract of the backup models, and the policy's defaults from its system."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from irtis.backups.models import BackupPolicy, BackupRepository, RestoreDrill, Snapshot, Tool
from irtis.inventory.models import Site
from irtis.systems.models import InformationSystem
from tests.support.contract import ModelContract

from .factories import system


def _site(code: str) -> Site:
    return Site.objects.get_or_create(code=code, defaults={"name": f"Vieta {code}", "kind": "datacentre"})[0]


def _repo(name: str = "DC1-restic") -> BackupRepository:
    return BackupRepository.objects.get_or_create(name=name, defaults={"tool": Tool.RESTIC,
                                                                       "location": f"/srv/{name}"})[0]


def _policy(name: str) -> BackupPolicy:
    target = system(f"S{name}")
    made = BackupPolicy(name=name, object_type=ContentType.objects.get_for_model(InformationSystem),
                        object_id=target.pk, repository=_repo())
    made.full_clean()
    made.save()
    return made


class TestBackupRepository(ModelContract):
    model = BackupRepository
    change = {"location": "/srv/restic/kita"}

    def make(self, n: int) -> BackupRepository:
        return BackupRepository.objects.create(name=f"R{n}", tool=Tool.RESTIC, location=f"/srv/r{n}")

    def new_values(self) -> dict:
        return {"name": "DC2-borg", "tool": Tool.BORG, "location": "ssh://backup@dc2/./borg", "site": _site("DC2"),
                "immutable": True, "offline": False, "queue": "default", "description": "Antroji kopija"}


class TestBackupPolicy(ModelContract):
    model = BackupPolicy
    change = {"rpo_minutes": 30}

    def make(self, n: int) -> BackupPolicy:
        return _policy(f"P{n}")

    def new_values(self) -> dict:
        target = system("NTKS", rpo_minutes=5, rto_hours=Decimal("2"))
        return {"name": "NTKS duomenų bazė", "object_type": ContentType.objects.get_for_model(InformationSystem),
                "object_id": target.pk, "system": target, "repository": _repo(), "match": "ntks-db",
                "rpo_minutes": 5, "rto_hours": Decimal("2.00"), "retention_days": 365, "copies": 3,
                "copy_site": _site("DC2"), "offline": True, "immutable": True, "tape": False, "encrypted": True,
                "drill_every_days": 90, "drill_budget_seconds": 1800, "description": "Kasdienė kopija"}

    def differ(self, name: str, first: BackupPolicy, second: BackupPolicy) -> str:
        """The protected object is a type and an id together: point the first at a site."""
        if name not in ("object_type", "object_id"):
            return super().differ(name, first, second)
        other = _site("DX")
        if other.pk == second.object_id:  # ids of different tables may coincide
            other = _site("DY")
        first.object_type, first.object_id = ContentType.objects.get_for_model(Site), other.pk
        first.full_clean()
        first.save()
        return str(first.object_type_id if name == "object_type" else first.object_id)


class TestSnapshot(ModelContract):
    model = Snapshot
    change = {"status": "failed"}

    def make(self, n: int) -> Snapshot:
        return Snapshot.objects.create(repository=_repo(), snapshot_id=f"abc{n:04}",
                                       taken_at=datetime(2026, 12, 1, n % 24, tzinfo=UTC), hostname=f"h{n}")

    def new_values(self) -> dict:
        return {"repository": _repo(), "snapshot_id": "veeam-2026-12-03", "taken_at": datetime(2026, 12, 3, tzinfo=UTC),
                "hostname": "ora-dc1-01", "paths": "/u01", "tags": "mdas", "size_bytes": 10**9, "files": 1000,
                "status": "partial"}


class TestRestoreDrill(ModelContract):
    model = RestoreDrill
    change = {"description": "Patikrinta ranka"}

    def make(self, n: int) -> RestoreDrill:
        return RestoreDrill.objects.create(policy=_policy(f"D{n}"), description=f"Pratybos {n}")

    def new_values(self) -> dict:
        return {"policy": _policy("NEW"), "description": "Atkūrimo pratybos užrašytos ranka"}


pytestmark = pytest.mark.django_db


def test_an_empty_policy_takes_its_system_targets_then_its_category_defaults() -> None:
    ntks = system("NTKS", rpo_minutes=5, rto_hours=Decimal("2"))
    made = BackupPolicy(name="NTKS", object_type=ContentType.objects.get_for_model(InformationSystem),
                        object_id=ntks.pk)
    made.full_clean()
    assert made.system == ntks
    assert (made.rpo_minutes, made.rto_hours, made.copies, made.drill_every_days) == (5, Decimal("2"), 3, 90)
    lesser = system("MAKIS", rank=2)
    other = BackupPolicy(name="MAKIS", object_type=ContentType.objects.get_for_model(InformationSystem),
                         object_id=lesser.pk, rpo_minutes=120)
    other.full_clean()
    assert (other.rpo_minutes, other.rto_hours, other.copies, other.drill_every_days) == (120, Decimal("8"), 2, 180)


def test_a_policy_of_no_object_is_refused() -> None:
    made = BackupPolicy(name="X", object_type=ContentType.objects.get_for_model(InformationSystem), object_id=999)
    with pytest.raises(ValidationError) as error:
        made.full_clean()
    assert list(error.value.message_dict) == ["object_id"]
