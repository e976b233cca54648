"""Evaluators' work: declare impartiality, score, submit; and what each may see.

    declare(procurement, user)           the declaration of impartiality, needed before scoring
    score(procurement, user, points)     save the user's points {(offer id, criterion id): points};
                                         refused after the deadline, after submitting, without a
                                         declaration, for a price criterion or points out of range
    submit(procurement, user)            the user's scores become final: every quality criterion
                                         of every offer must have points
    visible_scores(procurement, user)    the user's own scores, and the others' only once the
                                         user has submitted

Only the procurement's evaluators score. Refusals are `ActionRefused` (409 in the API).
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from irtis.core import bulk, permissions

from .models import Criterion, Declaration, Offer, Procurement, Score
from .specifications import ActionRefused

DECLARATION = gettext_noop(
    "I declare that I have no conflict of interest with any supplier of this procurement, that I will "
    "evaluate the offers impartially and keep their contents confidential.")


def reachable(user: Any) -> QuerySet[Procurement]:
    """The procurements `user` may open: those they may view, and those they evaluate (being named
    an evaluator by whoever may change the procurement is the grant)."""
    if not getattr(user, "is_authenticated", False):
        return Procurement.objects.none()
    return Procurement.objects.filter(
        Q(pk__in=permissions.restrict(Procurement.objects.all(), user, "view").values("pk"))
        | Q(pk__in=Procurement.evaluators.through.objects.filter(user=user).values("procurement")))


def _procurement(procurement: Procurement, user: Any) -> Procurement:
    if not reachable(user).filter(pk=procurement.pk).exists():
        raise PermissionDenied
    procurement = Procurement.objects.get(pk=procurement.pk)
    if not procurement.evaluators.filter(pk=user.pk).exists():
        raise ActionRefused(_("You are not an evaluator of this procurement."))
    return procurement


def _open(procurement: Procurement) -> None:
    if timezone.now() > procurement.deadline:
        raise ActionRefused(_("The scoring deadline (%(deadline)s) has passed.")
                            % {"deadline": timezone.localtime(procurement.deadline).strftime("%Y-%m-%d %H:%M")})


def declaration(procurement: Procurement, user: Any) -> Declaration | None:
    return Declaration.objects.filter(procurement=procurement, evaluator=user).first()


def declare(procurement: Procurement, user: Any) -> Declaration:
    with transaction.atomic():
        procurement = _procurement(procurement, user)
        _open(procurement)
        existing = declaration(procurement, user)
        if existing is not None:
            return existing
        made = Declaration(procurement=procurement, evaluator=user, text=_(DECLARATION))
        made.save()
        return made


def score(procurement: Procurement, user: Any, points: dict[tuple[int, int], Any]) -> int:
    """Save the user's points; how many were written."""
    with transaction.atomic():
        procurement = _procurement(procurement, user)
        _open(procurement)
        made = Declaration.objects.select_for_update().filter(procurement=procurement, evaluator=user).first()
        if made is None:
            raise ActionRefused(_("Declare your impartiality before scoring."))
        if made.submitted_at is not None:
            raise ActionRefused(_("Your scores are submitted and cannot be changed."))
        offers = set(Offer.objects.filter(procurement=procurement).values_list("pk", flat=True))
        criteria = dict(Criterion.objects.filter(procurement=procurement).values_list("pk", "kind"))
        existing = {(s.offer_id, s.criterion_id): s for s in Score.objects.filter(
            offer__procurement=procurement, evaluator=user)}
        changed = []
        for (offer, criterion), raw in points.items():
            if offer not in offers:
                raise ActionRefused(_("Offer %(id)s is not in this procurement.") % {"id": offer})
            if criterion not in criteria:
                raise ActionRefused(_("Criterion %(id)s is not in this procurement.") % {"id": criterion})
            if criteria[criterion] != Criterion.Kind.QUALITY:
                raise ActionRefused(_("The price criterion is scored by the formula, not by evaluators."))
            try:
                value = Decimal(str(raw)).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                raise ActionRefused(_("“%(value)s” is not a number.") % {"value": raw}) from None
            if not 0 <= value <= procurement.max_points:
                raise ActionRefused(_("Points must be from 0 to %(max)s.") % {"max": procurement.max_points})
            row = existing.get((offer, criterion))
            if row is None:
                changed.append(Score(offer_id=offer, criterion_id=criterion, evaluator=user, points=value))
            elif row.points != value:
                row.points = value
                changed.append(row)
        for group in ([s for s in changed if s._state.adding], [s for s in changed if not s._state.adding]):
            bulk.save_objects(group)
        return len(changed)


def submit(procurement: Procurement, user: Any) -> Declaration:
    with transaction.atomic():
        procurement = _procurement(procurement, user)
        _open(procurement)
        made = Declaration.objects.select_for_update().filter(procurement=procurement, evaluator=user).first()
        if made is None:
            raise ActionRefused(_("Declare your impartiality before scoring."))
        if made.submitted_at is not None:
            raise ActionRefused(_("Your scores are already submitted."))
        wanted = Offer.objects.filter(procurement=procurement).count() * Criterion.objects.filter(
            procurement=procurement, kind=Criterion.Kind.QUALITY).count()
        have = Score.objects.filter(offer__procurement=procurement, evaluator=user).count()
        if have < wanted:
            raise ActionRefused(_("Score every quality criterion of every offer before submitting: "
                                  "%(missing)s scores are missing.") % {"missing": wanted - have})
        made.submitted_at = timezone.now()
        made.save()
        return made


def visible_scores(procurement: Procurement, user: Any) -> QuerySet[Score]:
    """The scores `user` may see: their own; everyone's once they have submitted (or if they are not
    an evaluator but may change the procurement, e.g. its secretary: only submitted scores)."""
    scores = Score.objects.filter(offer__procurement=procurement)
    made = declaration(procurement, user)
    if made is not None and made.submitted_at is not None:
        submitted = Declaration.objects.filter(procurement=procurement, submitted_at__isnull=False)
        return scores.filter(evaluator__in=submitted.values("evaluator"))
    if made is not None or procurement.evaluators.filter(pk=user.pk).exists():
        return scores.filter(evaluator=user)
    if permissions.restrict(Procurement.objects.filter(pk=procurement.pk), user, "change").exists():
        submitted = Declaration.objects.filter(procurement=procurement, submitted_at__isnull=False)
        return scores.filter(evaluator__in=submitted.values("evaluator"))
    return scores.none()
