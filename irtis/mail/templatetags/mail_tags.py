from typing import Any

from django import template

from irtis.mail import health
from irtis.mail.models import AcceptedDomain, DatabaseAvailabilityGroup, DomainCheck

register = template.Library()


@register.simple_tag(takes_context=True)
def dag_databases(context: dict[str, Any], dag: DatabaseAvailabilityGroup) -> list[health.DatabaseState]:
    """The DAG's databases with their copies, for its page."""
    return health.dag_databases(dag, context["request"].user)


@register.simple_tag
def domain_check(domain: AcceptedDomain) -> DomainCheck | None:
    """The domain's last DNS check, or None."""
    return DomainCheck.objects.filter(domain=domain).first()
