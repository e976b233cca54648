"""Disaster-recovery failover paths (statute 1.1): a system, or one of its components, moves to
a standby deployment in another site within its RTO. Impact analysis reads them
(`graph.impact`): what a failure stops but a tested failover path restores is "stopped until
failover (RTO …)", not "stopped"; the single-points-of-failure report leaves out what a tested
path covers."""

import datetime
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.core.models import TaggedModel
from irtis.core.registry import register
from irtis.inventory.models import Site

from .catalogue import Component, Deployment, InformationSystem

# A failover path counts as tested when its last drill passed within this many days.
DRILL_VALID_DAYS = 365


def tested_since(today: datetime.date | None = None) -> datetime.date:
    """The earliest drill date that still makes a path tested."""
    return (today or timezone.localdate()) - datetime.timedelta(days=DRILL_VALID_DAYS)


@register(
    group="systems",
    columns=("system", "component", "primary_site", "standby_site", "standby", "rto_hours", "method",
             "last_tested", "test_result"),
    filters=("system", "component", "primary_site", "standby_site", "method", "test_result", "last_tested"),
    search=("description",),
    key="id",
    brief=("id", "system"),
    # The standby's name reads its component and target (Deployment.__str__).
    queryset=lambda rows: rows.select_related(
        "system", "component", "primary_site", "standby_site", "standby__component", "standby__virtual_machine",
        "standby__device", "standby__dbms_instance", "standby__database__instance"),
)
class FailoverPath(TaggedModel):
    """A disaster-recovery path (atkūrimo po avarijos kelias): when the system's production
    components (or the one `component`) stop, it is restarted on the `standby` deployment at the
    standby site within `rto_hours`. Tested: the last drill passed within a year."""

    class Method(models.TextChoices):
        MANUAL = "manual", _("manual")
        AUTOMATIC = "automatic", _("automatic")

    class Result(models.TextChoices):
        PASSED = "passed", _("passed")
        FAILED = "failed", _("failed")

    system = models.ForeignKey(
        InformationSystem, models.CASCADE, related_name="failover_paths", verbose_name=_("information system"),
    )
    component = models.ForeignKey(
        Component, models.CASCADE, null=True, blank=True, related_name="failover_paths",
        verbose_name=_("component"),
        help_text=_("The production component that fails over; empty: the whole system "
                    "(all its production components)."),
    )
    primary_site = models.ForeignKey(
        Site, models.PROTECT, related_name="failover_primaries", verbose_name=_("primary site"),
    )
    standby_site = models.ForeignKey(
        Site, models.PROTECT, related_name="failover_standbys", verbose_name=_("standby site"),
    )
    standby = models.ForeignKey(
        Deployment, models.PROTECT, related_name="standby_for_paths", verbose_name=_("standby deployment"),
        help_text=_("A deployment of the system's standby component, at the standby site."),
    )
    rto_hours = models.DecimalField(
        _("RTO (hours)"), max_digits=7, decimal_places=2,
        help_text=_("How long the failover takes until the service runs again."),
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.MANUAL)
    last_tested = models.DateField(_("last tested"), null=True, blank=True,
                                   help_text=_("The date of the last failover drill."))
    test_result = models.CharField(_("test result"), max_length=10, choices=Result.choices, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("failover path")
        verbose_name_plural = _("failover paths")
        ordering = ["system", "id"]

    def __str__(self) -> str:
        return f"{self.system.code}: {self.primary_site.code} → {self.standby_site.code}"

    @property
    def tested(self) -> bool:
        return (self.test_result == self.Result.PASSED and self.last_tested is not None
                and self.last_tested >= tested_since())

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.rto_hours is not None and self.rto_hours <= Decimal("0"):
            errors["rto_hours"] = _("The RTO must be more than zero hours.")
        if self.primary_site_id and self.primary_site_id == self.standby_site_id:
            errors["standby_site"] = _("The standby site must differ from the primary site.")
        if self.last_tested and self.last_tested > timezone.localdate():
            errors["last_tested"] = _("A drill date cannot be in the future.")
        if self.test_result and not self.last_tested:
            errors["last_tested"] = _("Give the date of the drill whose result is recorded.")
        if self.component_id and self.system_id:
            component = cast(Component, self.component)  # component_id is set
            if component.system_id != self.system_id:
                errors["component"] = _("The component must belong to the system that fails over.")
            elif component.standby_for_id is not None or component.environment != "production":
                errors["component"] = _("Only a production component that is not itself a standby fails over.")
        if self.standby_id and self.system_id and "component" not in errors:
            errors.update(self._standby_errors())
        if errors:
            raise ValidationError(errors)

    def _standby_errors(self) -> dict[str, object]:
        standby = Component.objects.get(pk=self.standby.component_id)
        if standby.system_id != self.system_id:
            return {"standby": _("The standby must be a deployment of the same system.")}
        if self.component_id and standby.pk == self.component_id:
            return {"standby": _("The standby cannot be a deployment of the component that fails over: "
                                 "that is redundancy, already counted.")}
        if standby.standby_for_id is None:
            return {"standby": _("The standby must be a deployment of a standby component "
                                 "(a component whose “standby for” is set).")}
        if self.component_id and standby.standby_for_id != self.component_id:
            return {"standby": _("The standby component stands by for another component.")}
        return self._site_errors()

    def _site_errors(self) -> dict[str, object]:
        """The standby must run at the standby site and not at the primary one (it would fail
        with it): the sites among what it needs (hard and group edges down)."""
        from irtis.systems import graph, sql

        site_type = graph.node_of(self.primary_site)[0]
        below = graph.query_rows(sql.standby_closure([(0, graph.node_of(self.standby))]))
        sites = {i for _, t, i in below if t == site_type}
        if self.primary_site_id in sites:
            return {"standby": _("The standby runs at the primary site: it would fail with it.")}
        if self.standby_site_id and self.standby_site_id not in sites:
            return {"standby_site": _("The standby deployment does not run at the standby site.")}
        return {}
