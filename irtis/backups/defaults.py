"""A policy's targets by the importance of its system, for the fields left empty.

The division sets RPO/RTO per system (KSRA makes the entity set them; domain-facts LT-12..16);
where a system has none, its category's row below applies. The figures are defaults of this
installation (inferred), not statute.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import BackupPolicy


@dataclass(frozen=True)
class Targets:
    rpo_minutes: int
    rto_hours: Decimal
    retention_days: int
    copies: int
    drill_every_days: int
    immutable: bool


# By the category's rank: 1 is category I, 2 is II; anything else (or no category) the last row.
BY_RANK = {
    1: Targets(15, Decimal("4"), 365, 3, 90, True),
    2: Targets(60, Decimal("8"), 180, 2, 180, False),
}
OTHER = Targets(24 * 60, Decimal("24"), 90, 2, 365, False)


def targets(rank: int | None) -> Targets:
    return BY_RANK.get(rank or 0, OTHER)


def fill(policy: "BackupPolicy") -> None:
    """Fill the empty targets from the system's own RPO/RTO, then from its category."""
    system = policy.system if policy.system_id else None
    category = system.category if system is not None else None
    row = targets(category.rank if category is not None else None)
    if policy.rpo_minutes is None:
        policy.rpo_minutes = system.rpo_minutes if system and system.rpo_minutes is not None else row.rpo_minutes
    if policy.rto_hours is None:
        policy.rto_hours = system.rto_hours if system and system.rto_hours is not None else row.rto_hours
    if policy.retention_days is None:
        policy.retention_days = row.retention_days
    if policy.copies is None:
        policy.copies = row.copies
    if policy.drill_every_days is None:
        policy.drill_every_days = row.drill_every_days
