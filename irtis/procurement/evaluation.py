"""Totals, ranking and flags of a procurement's offers (ekonomiškai naudingiausias pasiūlymas,
the price-quality ratio), from the scores the evaluators have submitted.

The formula (documented in docs/procurement.md):
- the criteria's weights must sum to 100, with exactly one price criterion;
- price score = lowest price among the compliant offers ÷ the offer's price × price weight;
- a quality criterion's score = mean of the submitted evaluators' points ÷ maximum points ×
  the criterion's weight; an offer's total is the sum (at most 100);
- an offer with a mandatory requirement answered "does not meet" (or not answered) is not
  compliant: it gets no rank;
- a disagreement: one offer's points for one criterion spread (highest − lowest) more than the
  procurement's threshold;
- an abnormally low price: more than `abnormal_percent` % (30 %) below the average price of the
  other offers (with at least two other offers).

Computed in seven queries whatever the number of offers, requirements and evaluators.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import Criterion, Declaration, Offer, OfferAnswer, Procurement, RequirementKind, Score

HUNDRED = Decimal("100")
CENT = Decimal("0.01")


class EvaluationError(Exception):
    """The procurement cannot be evaluated as it stands; the message says why."""


@dataclass
class Line:
    offer: Offer
    price_score: Decimal
    quality_score: Decimal
    total: Decimal
    compliant: bool
    unmet: int
    abnormally_low: bool
    rank: int | None = None


@dataclass
class Disagreement:
    offer: Offer
    criterion: Criterion
    low: Decimal
    high: Decimal


@dataclass
class Result:
    procurement: Procurement
    criteria: list[Criterion]
    ranking: list[Line]
    disagreements: list[Disagreement]
    declarations: list[Declaration]


def check_weights(criteria: list[Criterion]) -> None:
    total = sum((c.weight for c in criteria), Decimal("0"))
    if total != HUNDRED:
        raise EvaluationError(_("The criteria's weights sum to %(total)s; they must sum to 100.") % {"total": total})
    if sum(1 for c in criteria if c.kind == Criterion.Kind.PRICE) != 1:
        raise EvaluationError(_("A procurement needs exactly one price criterion."))


def evaluate(procurement: Procurement) -> Result:
    criteria = list(Criterion.objects.filter(procurement=procurement).order_by("kind", "id"))
    check_weights(criteria)
    price_weight = next(c.weight for c in criteria if c.kind == Criterion.Kind.PRICE)
    quality = [c for c in criteria if c.kind == Criterion.Kind.QUALITY]
    offers = list(Offer.objects.filter(procurement=procurement).select_related("supplier").order_by("price", "id"))
    mandatory = procurement.specification.requirements.filter(kind=RequirementKind.MANDATORY).count()
    met = dict(OfferAnswer.objects.filter(offer__procurement=procurement, requirement__kind=RequirementKind.MANDATORY)
               .values("offer").annotate(n=Count("id", filter=~Q(answer=OfferAnswer.Answer.DOES_NOT)))
               .values_list("offer", "n"))
    declarations = list(Declaration.objects.filter(procurement=procurement).select_related("evaluator")
                        .order_by("declared_at"))
    submitted = [d.evaluator_id for d in declarations if d.submitted_at is not None]
    points: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for offer_id, criterion_id, value in Score.objects.filter(
            offer__procurement=procurement, evaluator_id__in=submitted).values_list("offer", "criterion", "points"):
        points[(offer_id, criterion_id)].append(value)

    compliant = {o.pk for o in offers if met.get(o.pk, 0) >= mandatory}
    lowest = min((o.price for o in offers if o.pk in compliant), default=None)
    total_price, count = sum((o.price for o in offers), Decimal("0")), len(offers)
    lines, disagreements = [], []
    for offer in offers:
        price_score = (lowest / offer.price * price_weight) if lowest is not None and offer.pk in compliant \
            else Decimal("0")
        quality_score = Decimal("0")
        for criterion in quality:
            given = points.get((offer.pk, criterion.pk), [])
            if given:
                quality_score += sum(given, Decimal("0")) / len(given) / procurement.max_points * criterion.weight
                if max(given) - min(given) > procurement.disagreement_threshold:
                    disagreements.append(Disagreement(offer, criterion, min(given), max(given)))
        others = count - 1
        abnormal = others >= 2 and offer.price < (total_price - offer.price) / others * (
            1 - procurement.abnormal_percent / HUNDRED)
        price_score, quality_score = (v.quantize(CENT, ROUND_HALF_UP) for v in (price_score, quality_score))
        lines.append(Line(offer, price_score, quality_score, price_score + quality_score, offer.pk in compliant,
                          mandatory - met.get(offer.pk, 0), abnormal))
    lines.sort(key=lambda line: (not line.compliant, -line.total, line.offer.price, line.offer.pk))
    for rank, line in enumerate((x for x in lines if x.compliant), start=1):
        line.rank = rank
    return Result(procurement, criteria, lines, disagreements, declarations)


def summary(result: Result) -> dict[str, Any]:
    """The result as JSON values (the API's answer)."""
    return {
        "ranking": [{"offer": line.offer.pk, "supplier": str(line.offer.supplier), "price": str(line.offer.price),
                     "price_score": str(line.price_score), "quality_score": str(line.quality_score),
                     "total": str(line.total), "rank": line.rank, "compliant": line.compliant,
                     "unmet_mandatory": line.unmet, "abnormally_low": line.abnormally_low}
                    for line in result.ranking],
        "disagreements": [{"offer": d.offer.pk, "criterion": d.criterion.pk, "low": str(d.low), "high": str(d.high)}
                          for d in result.disagreements],
        "evaluators": [{"evaluator": d.evaluator.get_username(), "declared_at": d.declared_at.isoformat(),
                        "submitted_at": d.submitted_at.isoformat() if d.submitted_at else None}
                       for d in result.declarations],
    }
