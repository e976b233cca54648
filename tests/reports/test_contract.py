"""The platform contract for the registered models of management reports."""

import datetime as dt

from irtis.reports.models import Recommendation, ReportSubscription
from tests.support.contract import ModelContract

from . import factories as f


class TestRecommendation(ModelContract):
    model = Recommendation
    change = {"status": "accepted"}

    def make(self, n: int) -> Recommendation:
        return f.recommendation(f"Rekomendacija {n}", owner=f.person(f"savininkas{n}"))

    def new_values(self) -> dict:
        return {"title": "Įdiegti antrą maitinimo šaltinį", "rationale": "Vienas taškas gedimui",
                "owner": f.person("naujas"), "raised_on": dt.date(2026, 2, 1), "due": dt.date(2026, 6, 1),
                "status": "proposed"}


class TestReportSubscription(ModelContract):
    model = ReportSubscription
    change = {"frequency": "quarter"}

    def make(self, n: int) -> ReportSubscription:
        return ReportSubscription.objects.create(recipient=f.person(f"gavejas{n}"), frequency="month")

    def new_values(self) -> dict:
        return {"recipient": f.person("naujas"), "frequency": "month"}
