"""Objects the backup tests share: a category-I system, a repository with its password, a policy."""

from decimal import Decimal
from pathlib import Path

from django.contrib.contenttypes.models import ContentType

from irtis.backups import passwords
from irtis.backups.models import BackupPolicy, BackupRepository, Tool
from irtis.systems.models import ImportanceCategory, InformationSystem

from .repos import PASSWORD


def system(code: str = "MDAS", rank: int = 1, **values: object) -> InformationSystem:
    category, _ = ImportanceCategory.objects.get_or_create(code=f"K{rank}", defaults={"name": f"Kat {rank}",
                                                                                          "rank": rank})
    found = InformationSystem(code=code, name=f"{code} sistema", category=category, **values)
    found.full_clean()
    found.save()
    return found


def repository(location: Path | str, tool: str = Tool.RESTIC, name: str = "DC1-restic",
               password: str | None = PASSWORD, **values: object) -> BackupRepository:
    made = BackupRepository(name=name, tool=tool, location=str(location), **values)
    made.full_clean()
    made.save()
    if password is not None:
        passwords.set_password(made, password)
    return made


def policy(protected: object, repo: BackupRepository | None = None, match: str = "mdas-db-01",
           name: str = "MDAS DB", **values: object) -> BackupPolicy:
    made = BackupPolicy(name=name, object_type=ContentType.objects.get_for_model(type(protected)),
                        object_id=protected.pk, repository=repo, match=match, **values)  # type: ignore[attr-defined]
    made.full_clean()
    made.save()
    return made


def rto(hours: str) -> Decimal:
    return Decimal(hours)
