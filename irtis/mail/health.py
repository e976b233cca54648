"""The state of a DAG's databases: each one's copies and whether enough of them are healthy."""

from dataclasses import dataclass

from django.db.models import Prefetch

from irtis.core import permissions

from .models import DatabaseAvailabilityGroup, DatabaseCopy, MailboxDatabase
from .models.exchange import MIN_HEALTHY_COPIES


@dataclass
class DatabaseState:
    database: MailboxDatabase
    copies: list[DatabaseCopy]

    @property
    def healthy(self) -> int:
        return sum(1 for copy in self.copies if copy.healthy)

    @property
    def at_risk(self) -> bool:
        """Fewer than MIN_HEALTHY_COPIES healthy copies: losing one server loses the database."""
        return self.healthy < MIN_HEALTHY_COPIES


def dag_databases(dag: DatabaseAvailabilityGroup, user: object) -> list[DatabaseState]:
    """The DAG's databases the user may view, each with its copies in activation order (two queries)."""
    copies = permissions.restrict(DatabaseCopy.objects.select_related("server"), user).order_by(
        "activation_preference")
    databases = permissions.restrict(MailboxDatabase.objects.filter(dag=dag), user).prefetch_related(
        Prefetch("copies", queryset=copies, to_attr="visible_copies"))
    return [DatabaseState(d, d.visible_copies) for d in databases.order_by("name")]
