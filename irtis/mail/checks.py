"""Checking accepted domains' SPF/DKIM/DMARC and keeping the last result per domain."""

from collections.abc import Callable

import dns.resolver
from django.db import transaction
from django.utils import timezone

from . import records
from .models import AcceptedDomain, DomainCheck


def check(domain: AcceptedDomain, using: dns.resolver.Resolver | None = None) -> DomainCheck:
    """Read the domain's records and store the reading (or the DNS error) as its check."""
    values: dict[str, object]
    try:
        using = using or records.resolver()
        reading = records.read(domain.domain, domain.selectors, using)
        values = {"status": reading.status, "spf": reading.spf, "dmarc": reading.dmarc, "dkim": reading.dkim,
                  "findings": [list(f) for f in reading.findings], "error": ""}
    except records.DnsError as error:
        values = {"status": DomainCheck.Status.ERROR, "spf": [], "dmarc": [], "dkim": {}, "findings": [],
                  "error": str(error)}
    values.update(checked=timezone.now(), resolvers=records.servers(using) if using else "")
    with transaction.atomic():
        result, _created = DomainCheck.objects.update_or_create(domain=domain, defaults=values)
    return result


def check_all(progress: Callable[[int, int], object] | None = None) -> dict[str, int]:
    """Check every accepted domain (one resolver for all); how many came out ok, warning, error."""
    domains = list(AcceptedDomain.objects.order_by("domain"))
    counts = dict.fromkeys(DomainCheck.Status.values, 0)
    try:
        using = records.resolver()
    except records.DnsError:
        using = None
    for n, domain in enumerate(domains):
        counts[check(domain, using).status] += 1
        if progress:
            progress(n + 1, len(domains))
    return counts
