"""Offer evaluation: weights, the price-quality formula, ranks, flags, the evaluators' rules."""

import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from irtis.audit.models import AuditEntry
from irtis.identity.models import User
from irtis.procurement import evaluation, scoring
from irtis.procurement.models import Criterion, OfferAnswer, Score
from irtis.procurement.specifications import ActionRefused

from . import factories as f

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def setup():
    procurement = f.procurement("Serveriai", max_points=10, disagreement_threshold=Decimal("3"))
    price, q1, q2 = f.criteria(procurement)  # 60 / 25 / 15
    offers = [f.offer(procurement, "UAB A", "100000"), f.offer(procurement, "UAB B", "80000"),
              f.offer(procurement, "UAB C", "50000")]
    requirements = list(procurement.specification.requirements.all())
    for offer in offers:
        for requirement in requirements:
            OfferAnswer.objects.create(offer=offer, requirement=requirement, answer="meets", page="5")
    evaluators = [User.objects.create_user(f"vert{n}") for n in range(2)]
    procurement.evaluators.set(evaluators)
    return procurement, (price, q1, q2), offers, evaluators


def _score_all(procurement, user, points):
    scoring.declare(procurement, user)
    scoring.score(procurement, user, points)
    scoring.submit(procurement, user)


def test_weights_must_sum_to_100(setup):
    procurement, (_price, _q1, q2), *_ = setup
    Criterion.objects.filter(pk=q2.pk).update(weight=Decimal("10"))
    with pytest.raises(evaluation.EvaluationError, match=r"sum to 95\.00; they must sum to 100"):
        evaluation.evaluate(procurement)
    extra = Criterion(procurement=procurement, name="Per daug", weight=Decimal("10"))
    with pytest.raises(Exception, match="would sum to 105"):
        extra.full_clean()


def test_totals_ranks_and_flags(setup, admin_client):
    procurement, (_price, q1, q2), (a, b, c), (v1, v2) = setup
    _score_all(procurement, v1, {(a.pk, q1.pk): 10, (a.pk, q2.pk): 8, (b.pk, q1.pk): 6, (b.pk, q2.pk): 6,
                                 (c.pk, q1.pk): 2, (c.pk, q2.pk): 4})
    _score_all(procurement, v2, {(a.pk, q1.pk): 10, (a.pk, q2.pk): 8, (b.pk, q1.pk): 6, (b.pk, q2.pk): 6,
                                 (c.pk, q1.pk): 8, (c.pk, q2.pk): 4})
    result = evaluation.evaluate(procurement)
    lines = {line.offer.supplier.name: line for line in result.ranking}
    # A: price 50000/100000×60 = 30; quality 10/10×25 + 8/10×15 = 37 → 67
    assert (lines["UAB A"].price_score, lines["UAB A"].quality_score, lines["UAB A"].total) == (
        Decimal("30.00"), Decimal("37.00"), Decimal("67.00"))
    # B: 50000/80000×60 = 37.50; 6/10×25 + 6/10×15 = 24 → 61.50
    assert lines["UAB B"].total == Decimal("61.50")
    # C: 60 + (5/10×25 + 4/10×15 = 18.5) = 78.50; C's price 50000 is 44 % below the others' average (90000)
    assert lines["UAB C"].total == Decimal("78.50") and lines["UAB C"].abnormally_low
    assert not lines["UAB A"].abnormally_low and not lines["UAB B"].abnormally_low
    assert [(line.rank, line.offer.supplier.name) for line in result.ranking] == [
        (1, "UAB C"), (2, "UAB A"), (3, "UAB B")]
    assert [(d.offer, d.criterion, d.low, d.high) for d in result.disagreements] == [(c, q1, Decimal("2"),
                                                                                       Decimal("8"))]
    response = admin_client.get(f"/api/procurement/procurements/{procurement.pk}/evaluation/")
    assert response.json()["ranking"][0]["total"] == "78.50"
    report = admin_client.get(f"/procurement/procurements/{procurement.pk}/report/docx/")
    assert report.status_code == 200
    rows = [[cell.text for cell in row.cells] for row in Document(io.BytesIO(report.content)).tables[1].rows]
    assert rows[1][:2] == ["1", "UAB C"] and rows[1][5] == "78.50"
    printed = admin_client.get(f"/procurement/procurements/{procurement.pk}/report/pdf/")
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(printed.content)).pages)
    assert "PASIŪLYMŲ VERTINIMO ATASKAITA" in text and "78.50" in text and "Vertintojų nesutarimai" in text
    entries = AuditEntry.objects.filter(action="document_generated", object_id=procurement.pk).order_by("id")
    assert [e.after["format"] for e in entries] == ["docx", "pdf"]
    assert admin_client.get(f"/procurement/procurements/{procurement.pk}/report/odt/").status_code == 404


def test_a_mandatory_requirement_not_met_takes_the_offer_out_of_the_ranking(setup):
    procurement, _criteria, (_a, b, c), _ = setup
    mandatory = procurement.specification.requirements.filter(kind="mandatory").first()
    OfferAnswer.objects.filter(offer=c, requirement=mandatory).update(answer="does_not")
    lines = {line.offer: line for line in evaluation.evaluate(procurement).ranking}
    assert lines[c].rank is None and not lines[c].compliant and lines[c].unmet == 1
    assert lines[b].price_score == Decimal("60.00")  # the lowest compliant price is now B's


def test_an_answer_to_a_requirement_of_another_specification_is_refused(setup):
    _procurement, _c, (a, *_), _ = setup
    other = f.approved("TS-KITA").requirements.first()
    answer = OfferAnswer(offer=a, requirement=other, answer="meets")
    with pytest.raises(Exception, match="is not in the specification of this procurement"):
        answer.full_clean()


def test_evaluators_rules(setup, client):
    procurement, (price, q1, q2), (a, b, c), (v1, v2) = setup
    with pytest.raises(ActionRefused, match="Declare your impartiality"):
        scoring.score(procurement, v1, {(a.pk, q1.pk): 5})
    scoring.declare(procurement, v1)
    scoring.declare(procurement, v2)
    with pytest.raises(ActionRefused, match="scored by the formula"):
        scoring.score(procurement, v1, {(a.pk, price.pk): 5})
    with pytest.raises(ActionRefused, match="from 0 to 10"):
        scoring.score(procurement, v1, {(a.pk, q1.pk): 11})
    scoring.score(procurement, v2, {(a.pk, q1.pk): 7})
    # v1 sees only their own scores until they submit
    assert list(scoring.visible_scores(procurement, v1)) == []
    with pytest.raises(ActionRefused, match="scores are missing"):
        scoring.submit(procurement, v1)
    scoring.score(procurement, v1, {(o.pk, q.pk): 5 for o in (a, b, c) for q in (q1, q2)})
    scoring.submit(procurement, v1)
    with pytest.raises(ActionRefused, match="submitted and cannot be changed"):
        scoring.score(procurement, v1, {(a.pk, q1.pk): 9})
    assert Score.objects.get(offer=a, criterion=q1, evaluator=v1).points == 5
    # submitted: v1 sees the other evaluators' scores once they have submitted theirs, not before
    assert {s.evaluator for s in scoring.visible_scores(procurement, v1)} == {v1}
    scoring.score(procurement, v2, {(o.pk, q.pk): 6 for o in (a, b, c) for q in (q1, q2)})
    scoring.submit(procurement, v2)
    assert {s.evaluator for s in scoring.visible_scores(procurement, v1)} == {v1, v2}
    # the API says the same
    client.force_login(v1)
    response = client.post(f"/api/procurement/procurements/{procurement.pk}/scores/",
                           json.dumps({"scores": [{"offer": a.pk, "criterion": q1.pk, "points": 1}]}),
                           content_type=JSON)
    assert response.status_code == 409


def test_scoring_after_the_deadline_is_refused(setup, client):
    procurement, (_price, q1, _q2), (a, *_), (v1, _v2) = setup
    scoring.declare(procurement, v1)
    procurement.deadline = timezone.now() - timedelta(minutes=1)
    procurement.save()
    client.force_login(v1)
    response = client.post(f"/api/procurement/procurements/{procurement.pk}/scores/",
                           json.dumps({"scores": [{"offer": a.pk, "criterion": q1.pk, "points": 5}]}),
                           content_type=JSON)
    assert response.status_code == 409 and "Vertinimo terminas" in response.json()["detail"]
    page = client.post(f"/procurement/procurements/{procurement.pk}/scoring/",
                       {"action": "save", f"p-{a.pk}-{q1.pk}": "5"})
    assert page.status_code == 409 and not Score.objects.exists()


def test_evaluation_takes_the_same_queries_whatever_the_size(setup):
    procurement, (_price, q1, q2), offers, (v1, v2) = setup
    for user in (v1, v2):
        _score_all(procurement, user, {(o.pk, q.pk): 5 for o in offers for q in (q1, q2)})
    with CaptureQueriesContext(connection) as small:
        evaluation.evaluate(procurement)
    more = [f.offer(procurement, f"UAB X{n}", str(60000 + n)) for n in range(6)]
    v3 = User.objects.create_user("vert3")
    procurement.evaluators.add(v3)
    _score_all(procurement, v3, {(o.pk, q.pk): 7 for o in offers + more for q in (q1, q2)})
    with CaptureQueriesContext(connection) as large:
        evaluation.evaluate(procurement)
    assert len(large.captured_queries) == len(small.captured_queries) <= 7
