"""Mobile access (statute 2.4): what the MDM says of the officers' devices, and which need attention.

Devices need attention when they are not enrolled, report non-compliance, have not checked in
with the MDM for `IRTIS_MOBILE_STALE_DAYS` days (stale: lost, switched off or wiped without
notice), or run an operating system version whose support has ended (from the software catalogue).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.core import permissions
from irtis.core.registry import ModelEntry, entry_for

from .models import MobileDevice, SoftwareVersion

SHOWN = 50  # rows of each list on the page; the list page filtered the same way has them all
ENDING_DAYS = 90  # support ending within this many days is a warning
TITLES = {
    "not_enrolled": _("Not enrolled in the MDM"),
    "non_compliant": _("Non-compliant"),
    "stale": _("Stale: no check-in with the MDM"),
    "unsupported": _("Unsupported operating system"),
}


@dataclass
class Concern:
    """One kind of device needing attention: its rows (the first SHOWN), how many, and the list that has them."""

    key: str
    rows: list[MobileDevice]
    count: int
    url: str

    @property
    def title(self) -> str:
        return str(TITLES[self.key])


@dataclass
class SystemRow:
    """Devices per operating system version and where that version's support stands."""

    version: SoftwareVersion | None
    devices: int
    state: str  # unsupported, ending, supported, unknown
    url: str


@dataclass
class MobileAccess:
    total: int
    enrolment: Counter = field(default_factory=Counter)
    compliance: Counter = field(default_factory=Counter)
    systems: list[SystemRow] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)
    stale_days: int = 0


def stale_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Enrolled devices last seen at or before this moment are stale."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.IRTIS_MOBILE_STALE_DAYS)


def _state(version: SoftwareVersion | None, today: datetime.date) -> str:
    if version is None:
        return "unknown"
    ends = version.support_ends
    if ends is None:
        return "supported"
    if ends < today:
        return "unsupported"
    return "ending" if ends <= today + datetime.timedelta(days=ENDING_DAYS) else "supported"


def _list_url(**query: Any) -> str:
    return f"{cast(ModelEntry, entry_for(MobileDevice)).list_url}?{urlencode(query, doseq=True)}"


def _concern(key: str, devices: QuerySet[MobileDevice], url: str) -> Concern:
    rows = list(devices.select_related("site", "operating_system")[:SHOWN])
    count = len(rows) if len(rows) < SHOWN else devices.count()
    return Concern(key, rows, count, url)


def _systems(by_system: Counter, today: datetime.date) -> list[SystemRow]:
    """Rows of devices per operating system version (`by_system`: version id → devices), ended first."""
    versions = SoftwareVersion.objects.select_related("product").in_bulk([pk for pk in by_system if pk])
    rows = []
    for pk, n in by_system.items():
        version = versions.get(pk) if pk else None
        url = _list_url(operating_system=pk) if pk else ""  # the list filters by version, not by its absence
        rows.append(SystemRow(version, n, _state(version, today), url))
    order = {"unsupported": 0, "ending": 1, "unknown": 2, "supported": 3}
    return sorted(rows, key=lambda r: (order[r.state], str(r.version or "")))


def operating_systems(user: object) -> list[SystemRow]:
    """The devices `user` may see per operating system version and where its support stands."""
    devices = permissions.restrict(MobileDevice.objects.all(), user)
    return _systems(Counter(devices.order_by().values_list("operating_system", flat=True)), timezone.localdate())


def mobile_access(user: object, now: datetime.datetime | None = None) -> MobileAccess:
    """The mobile access figures of the devices `user` may see."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    devices = permissions.restrict(MobileDevice.objects.all(), user)
    per = Counter(devices.order_by().values_list("mdm_state", "compliance", "operating_system"))
    report = MobileAccess(total=sum(per.values()), stale_days=settings.IRTIS_MOBILE_STALE_DAYS)
    by_system: Counter = Counter()
    for (mdm, compliance, system), n in per.items():
        report.enrolment[mdm] += n
        report.compliance[compliance] += n
        by_system[system] += n
    report.systems = _systems(by_system, today)
    unsupported = [r.version.pk for r in report.systems if r.state == "unsupported" and r.version]
    enrolled = MobileDevice.MDMState.ENROLLED
    stale = stale_before(now)
    report.concerns = [
        _concern("not_enrolled", devices.exclude(mdm_state=enrolled).order_by("mdm_state", "serial"),
                 _list_url(mdm_state=[s for s in MobileDevice.MDMState.values if s != enrolled])),
        _concern("non_compliant", devices.filter(compliance=MobileDevice.Compliance.NON_COMPLIANT).order_by(
            "-last_check_in", "serial"), _list_url(compliance=MobileDevice.Compliance.NON_COMPLIANT)),
        _concern("stale", devices.filter(last_check_in__lte=stale, mdm_state=enrolled).order_by(
            "last_check_in", "serial"),
                 _list_url(mdm_state=enrolled, last_check_in__lte=stale.isoformat(timespec="seconds"))),
        _concern("unsupported", devices.filter(operating_system__in=unsupported).order_by(
            "operating_system__name", "serial"), _list_url(operating_system=unsupported)),
    ]
    return report
