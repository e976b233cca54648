"""Small objects for the security tests."""

import datetime

from django.utils import timezone

from irtis.security.models import Control, Evidence, Framework, Kind, Requirement
from irtis.systems.models import ImportanceCategory, InformationSystem


def framework(code: str = "FW") -> Framework:
    return Framework.objects.get_or_create(code=code, defaults={"name": f"Framework {code}", "edition": "1"})[0]


def requirement(code: str, fw: Framework | None = None) -> Requirement:
    return Requirement.objects.get_or_create(code=code, defaults={"framework": fw or framework(),
                                                                  "title": f"Requirement {code}"})[0]


def control(code: str, evaluator: str = "", *requirements: Requirement) -> Control:
    made = Control(code=code, title=f"Control {code}", kind=Kind.AUTOMATIC if evaluator else Kind.MANUAL,
                   evaluator=evaluator)
    made.full_clean()
    made.save()
    made.requirements.set(requirements)
    return made


def evidence(target: Control, days: int = 30) -> Evidence:
    made = Evidence(control=target, title=f"Evidence of {target.code}",
                    expires=timezone.localdate() + datetime.timedelta(days=days))
    made.full_clean()
    made.save()
    return made


def category(code: str, rank: int) -> ImportanceCategory:
    return ImportanceCategory.objects.get_or_create(code=code, defaults={"name": code, "rank": rank})[0]


def system(code: str, cat: ImportanceCategory | None = None) -> InformationSystem:
    return InformationSystem.objects.get_or_create(code=code, defaults={"name": code, "category": cat})[0]
