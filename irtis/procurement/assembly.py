"""A draft specification's requirements drawn from the technology catalogue and the architecture
work's infrastructure requirements (irtis.governance), besides the requirement templates.

    sources(spec)                                   -> what may be drawn (technologies, categories, proposals)
    assemble(spec, user, technologies=…, category=…, proposal=…, kind=…) -> requirements added

A catalogue entry becomes one requirement naming the technology and the versions or models the
catalogue links to it; the infrastructure requirements are the enabled architecture rules of the
importance category (a proposal's category when a proposal is given), worded as in the governance
DOCX (`irtis.governance.requirements.requirement`). Each requirement remembers what it was drawn
from (`source`), so drawing again adds only what is not there yet. The new requirements are
numbered after the last one and written with `bulk.save_objects` (each an audited creation).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from irtis.core import bulk, permissions
from irtis.governance.models import Lifecycle, Proposal, Rule, Technology
from irtis.governance.requirements import requirement as rule_text
from irtis.systems.models import ImportanceCategory

from .models import Requirement, RequirementKind, Specification
from .specifications import ActionRefused

USABLE = (Lifecycle.APPROVED, Lifecycle.TOLERATED)  # a retiring or forbidden one is not bought


@dataclass
class Drawn:
    added: list[Requirement]
    skipped: int  # already in the specification


def technologies() -> Any:
    """Catalogue entries a specification may ask for."""
    return Technology.objects.filter(status__in=USABLE).order_by("name")


def _technology_requirement(tech: Technology) -> tuple[str, str]:
    covered = ", ".join([*(v.name for v in tech.software_versions.all()),
                         *(h.name for h in tech.hardware_models.all())])
    text = _("The offered solution shall use %(name)s (%(area)s)") % {"name": tech.name,
                                                                     "area": tech.get_area_display()}
    if covered:
        text += " " + _("of one of these versions or models: %(covered)s") % {"covered": covered}
    text += ", " + _("as the technology catalogue lists it (%(status)s).") % {"status": tech.get_status_display()}
    return text, _("The manufacturer's documentation naming the offered product, its version or model.")


def _rules(category: ImportanceCategory | None) -> list[Rule]:
    """The enabled rules of every category and, given one, of that category."""
    rules = Rule.objects.filter(enabled=True).select_related("principle").order_by("code")
    general = [r for r in rules if r.category_id is None]
    return general + ([r for r in rules if r.category_id == category.pk] if category else [])


def assemble(spec: Specification, user: Any, technology_ids: Iterable[int] = (),
             category: ImportanceCategory | None = None, proposal: Proposal | None = None,
             kind: str = RequirementKind.MANDATORY) -> Drawn:
    """Add the requirements drawn from the chosen catalogue entries and infrastructure
    requirements to a draft; those drawn before are left as they are."""
    ids = sorted(set(technology_ids))
    if not ids and category is None and proposal is None:
        raise ActionRefused(_("Choose catalogue entries, an importance category or a proposal."))
    if kind not in RequirementKind.values:
        raise ActionRefused(_("Unknown kind of requirement: %(kind)s.") % {"kind": kind})
    if proposal is not None:
        category = proposal.category or category
    with transaction.atomic():
        if not permissions.restrict(Specification.objects.filter(pk=spec.pk), user, "change").exists():
            raise PermissionDenied
        spec = Specification.objects.select_for_update().get(pk=spec.pk)
        if spec.status != Specification.Status.DRAFT:
            raise ActionRefused(_("An approved specification cannot be edited: make a new version."))
        chosen = list(technologies().filter(pk__in=ids).prefetch_related("software_versions", "hardware_models"))
        if len(chosen) != len(ids):
            raise ActionRefused(_("Only approved or tolerated catalogue entries can be asked for; "
                                  "some of those chosen are not (or no longer) in the catalogue."))
        drawn: list[tuple[str, str, str, str, str]] = []  # source, section, kind, text, proof
        for tech in chosen:
            text, proof = _technology_requirement(tech)
            drawn.append((f"technology:{tech.pk}", _("Technology catalogue"), kind, text, proof))
        if category is not None or proposal is not None:
            rule_proof = _("The description of the offered solution, showing how it meets the requirement.")
            for rule in _rules(category):
                text = rule_text(rule) + " " + _("(Rule %(rule)s, principle %(principle)s.)") % {
                    "rule": rule.code, "principle": rule.principle.code}
                drawn.append((f"rule:{rule.pk}", _("Architecture requirements"), RequirementKind.MANDATORY, text,
                              rule_proof))
        present = set(spec.requirements.exclude(source="").values_list("source", flat=True))
        last = spec.requirements.aggregate(n=Max("number"))["n"] or 0
        added = []
        for source, section, req_kind, text, proof in drawn:
            if source in present:
                continue
            present.add(source)
            last += 1
            req = Requirement(specification=spec, number=last, section=section, kind=req_kind, text=text,
                              proof=proof, source=source)
            req.full_clean()
            added.append(req)
        bulk.save_objects(added)
    return Drawn(added, len(drawn) - len(added))
