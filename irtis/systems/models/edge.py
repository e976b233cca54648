"""The edge index: every edge of the dependency graph, derived from the records (see `edges.py`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Edge(models.Model):
    """One edge: the source depends on the target. Written only by `irtis.systems.edges`
    (rebuild and database triggers), never edited: the records it is derived from are the truth.

    `origin` is the row that records the edge (a dependency, a virtual machine's cluster column,
    a cluster host …); types are content type ids, kept as plain integers (no joins, no cascades).
    The table also has two generated columns the model does not declare, `source_key` and
    `target_key` (`type << 40 | id`, migration 0004), each leading a covering index: a walk's
    step reads the index only (see `sql.py`).
    """

    origin_type = models.IntegerField(_("origin type"))
    origin_id = models.BigIntegerField(_("origin id"))
    source_type = models.IntegerField(_("source type"))
    source_id = models.BigIntegerField(_("source id"))
    target_type = models.IntegerField(_("target type"))
    target_id = models.BigIntegerField(_("target id"))
    kind = models.CharField(_("kind"), max_length=30)
    mode = models.CharField(_("mode"), max_length=5)  # hard, soft or group

    class Meta:
        verbose_name = _("dependency graph edge")
        verbose_name_plural = _("dependency graph edges")
        # The walks read the indexes on the generated keys (migration 0004); this one finds the
        # edges a changed record owns.
        indexes = [models.Index(fields=["origin_type", "origin_id"], name="edge_origin")]

    def __str__(self) -> str:
        return f"{self.source_type}-{self.source_id} → {self.target_type}-{self.target_id} ({self.kind})"
