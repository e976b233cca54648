"""Demo of management reports: recommendations of the last reports (one late, one coming, one
implemented), the head of the division subscribed to the monthly and quarterly reports, and the
schedules that remind of recommendations, record capacity and issue the reports each morning.

Capacity history: the demo estate is new, so its past is made up: the 400 days before today of
every capacity, ending at today's real figure, each object at its own steady pace (some
growing, some flat, a few falling) with a little daily noise, the same at every load.

The owner is the projects demo's head of the division: missing, the load fails."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from irtis.core.demo import ensure
from irtis.tasks.models import Schedule

from . import capacity
from .models import CapacitySample, Frequency, Recommendation, ReportSubscription, Section

HEAD = "v.vadovas"
# title, why, section, raised and due (days from today), status
RECOMMENDATIONS = [
    ("Dubliuoti MDAS duomenų bazės tarnybinę stotį",
     "Vienintelė tarnybinė stotis yra pavienis I kategorijos sistemos gedimo taškas.",
     Section.SPOF, -60, -5, Recommendation.Status.IN_PROGRESS),
    ("Atnaujinti palaikymo nebeturinčias operacines sistemas",
     "Dalis virtualiųjų mašinų naudoja versijas, kurių gamintojo palaikymas baigėsi.",
     Section.SUPPORT, -20, 40, Recommendation.Status.ACCEPTED),
    ("Kas ketvirtį atlikti I kategorijos sistemų atkūrimo pratybas",
     "Ne visos politikos turi sėkmingų atkūrimo pratybų per nustatytą laikotarpį.",
     Section.BACKUPS, -90, -30, Recommendation.Status.DONE),
]


def load() -> None:
    head = get_user_model().objects.get(username=HEAD)
    today = timezone.localdate()
    for title, why, section, raised, due, status in RECOMMENDATIONS:
        ensure(Recommendation, "title", {
            "title": title, "rationale": why, "section": section, "owner": head, "status": status,
            "raised_on": today + dt.timedelta(days=raised), "due": today + dt.timedelta(days=due)})
    for frequency in Frequency.values:
        ensure(ReportSubscription, {"recipient": head, "frequency": frequency}, {})
    ensure(Schedule, "name", {"name": "Priminimai apie rekomendacijas",
                              "task": "irtis.reports.jobs.remind_recommendations", "cron": "30 7 * * *"})
    ensure(Schedule, "name", {"name": "Pajėgumų įrašymas",
                              "task": "irtis.reports.jobs.record_capacity", "cron": "0 5 * * *"})
    ensure(Schedule, "name", {"name": "Valdymo ataskaitos",
                              "task": "irtis.reports.jobs.issue_reports", "cron": "0 6 * * *"})
    history(today)


def history(today: dt.date, days: int = 400) -> None:
    """Daily samples of the `days` before today, ending at each capacity's figure now (today's)."""
    samples = []
    for kind, pk, name, now in capacity.current():
        pace = random.Random(f"{kind}-{pk}").choice([0.0, 0.01, 0.02, 0.04, 0.06, -0.01])  # points a day
        noise = random.Random(f"{kind}-{pk}-noise")
        for ago in range(days, -1, -1):
            share = max(0.0, now - pace * ago + (noise.uniform(-0.3, 0.3) if ago else 0.0))
            samples.append(CapacitySample(day=today - dt.timedelta(days=ago), kind=kind, object_id=pk, name=name[:200],
                                          percent=round(share, 3)))
    CapacitySample.objects.bulk_create(samples, ignore_conflicts=True, batch_size=2000)
