"""Raw response times are kept IRTIS_MONITORING_RAW_HOURS hours (48); each complete hour is
rolled up into one row per check (answers, failures, min / average / max), then the raw
samples older than the retention are deleted.

Rolling up is idempotent: an hour already rolled up is computed again from the same samples and
written over (its key is the check and the hour), so a run killed half way loses nothing.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Avg, Count, Max, Min, Q
from django.db.models.functions import TruncHour

from .models import Rollup, Sample


def roll_up(now: datetime) -> dict[str, int]:
    """Roll up every complete hour that still has raw samples; delete the expired ones."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    done = Rollup.objects.order_by("-hour").values_list("hour", flat=True).first()
    samples = Sample.objects.filter(at__lt=hour)
    if done is not None:
        samples = samples.filter(at__gte=done)  # the last rolled-up hour again: it may have grown
    rows = (samples.annotate(h=TruncHour("at")).values("check_obj_id", "h")
            .annotate(n=Count("id"), failed=Count("id", filter=Q(ms__isnull=True)),
                      low=Min("ms"), mean=Avg("ms"), high=Max("ms")))
    rollups = [Rollup(check_obj_id=r["check_obj_id"], hour=r["h"], count=r["n"], failures=r["failed"],
                      min_ms=r["low"], avg_ms=r["mean"], max_ms=r["high"]) for r in rows]
    Rollup.objects.bulk_create(rollups, update_conflicts=True, unique_fields=["check_obj", "hour"],
                               update_fields=["count", "failures", "min_ms", "avg_ms", "max_ms"])
    keep = min(hour, now - timedelta(hours=settings.IRTIS_MONITORING_RAW_HOURS))
    deleted, _ = Sample.objects.filter(at__lt=keep).delete()
    return {"hours": len(rollups), "deleted": deleted}
