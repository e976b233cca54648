from django import template

from irtis.monitoring.credentials import has_credentials
from irtis.monitoring.models import Check

register = template.Library()


@register.simple_tag
def snmp_credentials_set(check: Check) -> bool:
    """Whether the SNMP check has credentials (never what they are)."""
    return has_credentials(check)
