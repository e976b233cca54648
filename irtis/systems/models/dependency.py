"""Typed, directed edges between any registered objects: "the source depends on the target"."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from irtis.core.graph import GraphEdge
from irtis.core.models import BaseModel
from irtis.core.registry import register


def node_label(content_type: ContentType | None, object_id: int | None) -> str:
    """An object named by content type and id, or a note that it no longer exists."""
    if content_type is None or object_id is None:
        return "—"
    try:
        return str(content_type.get_object_for_this_type(pk=object_id))
    except (ObjectDoesNotExist, AttributeError):
        return _("%(type)s #%(id)s (deleted)") % {"type": content_type.name, "id": object_id}


@register(
    group="systems",
    columns=("source_type", "source_id", "kind", "effect", "target_type", "target_id", "description"),
    filters=("kind", "effect", "source_type", "source_id", "target_type", "target_id"),
    search=("description",),
    key="id",
    brief=("id", "kind"),
    edges=(GraphEdge(F("kind"), source=("source_type", "source_id"), target=("target_type", "target_id"),
                     hard_if=("effect", "stops")),),
)
class Dependency(BaseModel):
    """The source object depends on the target object.

    Edges implied by foreign keys (a virtual machine runs on its cluster, a database on its DBMS
    instance …) are not stored here: irtis.systems.edges reads them from the real columns.
    """

    class Kind(models.TextChoices):
        RUNS_ON = "runs_on", _("runs on")
        STORES_DATA_IN = "stores_data_in", _("stores data in")
        CONNECTS_THROUGH = "connects_through", _("connects through")
        AUTHENTICATES_VIA = "authenticates_via", _("authenticates via")
        BACKED_UP_BY = "backed_up_by", _("backed up by")
        POWERED_BY = "powered_by", _("powered by")
        REPLICATES_TO = "replicates_to", _("replicates to")
        DEPENDS_ON = "depends_on", _("depends on")

    class Effect(models.TextChoices):
        STOPS = "stops", _("failure stops the source")
        DEGRADES = "degrades", _("failure degrades the source")

    source_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+", verbose_name=_("source type"))
    source_id = models.BigIntegerField(_("source id"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.DEPENDS_ON)
    effect = models.CharField(_("effect"), max_length=10, choices=Effect.choices, default=Effect.STOPS)
    target_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+", verbose_name=_("target type"))
    target_id = models.BigIntegerField(_("target id"))
    # Each end chosen in forms as a kind, then an object of that kind (core.choices).
    source = GenericForeignKey("source_type", "source_id")
    target = GenericForeignKey("target_type", "target_id")
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="dependency_source"),
            models.Index(fields=["target_type", "target_id"], name="dependency_target"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "kind", "target_type", "target_id"], name="dependency_unique",
            ),
        ]

    def __str__(self) -> str:
        source = node_label(self.source_type if self.source_type_id else None, self.source_id)
        target = node_label(self.target_type if self.target_type_id else None, self.target_id)
        return f"{source} → {target}"

    def clean(self) -> None:
        errors = {}
        for side in ("source", "target"):
            type_id, object_id = getattr(self, f"{side}_type_id"), getattr(self, f"{side}_id")
            if type_id is None or object_id is None:
                continue
            model = ContentType.objects.get_for_id(type_id).model_class()
            if model is None or not model._default_manager.filter(pk=object_id).exists():
                errors[f"{side}_id"] = _("No such object.")
        if (self.source_type_id, self.source_id) == (self.target_type_id, self.target_id):
            errors["target_id"] = _("An object cannot depend on itself.")
        if errors:
            raise ValidationError(errors)
