"""Background work: evaluating every architecture rule over every system (Administration →
Schedules can start it, e.g. every night)."""

from typing import Any

from django.utils.translation import gettext_lazy

from irtis.tasks.runs import job

from . import rules


@job(label=gettext_lazy("Evaluate the architecture rules"), schedulable=True)
def evaluate_rules(run: Any) -> dict[str, Any]:
    """Every enabled rule over every system; the results replace the previous ones."""
    evaluation = rules.evaluate()
    return {"evaluation": evaluation.pk, "systems": evaluation.systems, "rules": evaluation.rules,
            **evaluation.counts}
