from typing import Any

from django import template
from django.db.models import Count

from irtis.discovery import credentials
from irtis.discovery.models import Finding, Sweep

register = template.Library()


@register.simple_tag
def sweep_status(sweep: Sweep) -> dict[str, Any]:
    """Whether the sweep has credentials, when it last read, and its findings by outcome and review."""
    counts = {(o, r): n for o, r, n in Finding.objects.filter(sweep=sweep).values_list("outcome", "review")
              .annotate(n=Count("pk")).values_list("outcome", "review", "n")}
    last = Finding.objects.filter(sweep=sweep).order_by("-read_at").values_list("read_at", flat=True).first()
    outcomes = [(label, sum(n for (o, _r), n in counts.items() if o == value),
                 counts.get((value, Finding.Review.PENDING), 0)) for value, label in Finding.Outcome.choices]
    return {"has_credentials": credentials.has_credentials(sweep), "last": last, "outcomes": outcomes}
