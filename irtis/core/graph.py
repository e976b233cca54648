"""How a model takes part in the dependency graph, declared in its registration:

    @register(group="virtualization", columns=(…), edges=(
        GraphEdge("runs_on", _("runs on"), target="cluster"),
    ))
    class VirtualMachine(TaggedModel): ...

Each row of the model records the edges its declarations describe: `source` depends on
`target`. `irtis.systems.edges` reads the declarations of every registered model, keeps the
edge index from them (SQL and database triggers) and walks it; the owning app names only its
own fields, so a new app joins the graph without editing `systems`.
"""

from dataclasses import dataclass, field

from django.db.models import F
from django.utils.functional import Promise

# An end of an edge: "" is the row itself; a field name is a foreign key (the object it points
# at) or a many-to-many field (each member: one edge per row of its through table); a pair
# (content type field, id field) is any object named by type and id.
End = str | tuple[str, str]
MODES = ("hard", "soft", "group")


@dataclass(frozen=True)
class Peers:
    """The target stands for its peers too: the rows of the target's model with the same
    non-empty `same` value, where `field` equals `value` on both (an Oracle RAC database runs
    on any node of its instance's cluster)."""

    same: str
    field: str = ""
    value: str = ""


@dataclass(frozen=True)
class GraphEdge:
    """One kind of edge recorded by each row of the declaring model.

    - `kind`: the edge's kind, e.g. "runs_on", with its `label`; or `F("field")` to read the
      kind from a column (labels from the field's choices).
    - `mode`: "hard" (the target's failure stops the source), "soft" (only degrades it) or
      "group" (the source runs while `need` of its targets run).
    - `hard_if`: (field, value): the mode is read from a column, hard where it holds the value,
      soft elsewhere (a test component's failure does not stop its system).
    - `unless`: no edge where this foreign key is set (a device in a rack is located in the
      rack, not in its site).
    - `need`: for groups, the source's field holding how many targets must run (default one).
    - `peers`: see `Peers`.
    """

    kind: str | F
    label: str | Promise = field(default="", compare=False)
    target: End = ""
    source: End = ""
    mode: str = "hard"
    hard_if: tuple[str, str] | None = None
    unless: str = ""
    need: str = ""
    peers: Peers | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {self.mode!r}")
        if self.source == self.target:
            raise ValueError("an edge needs two different ends")
        if isinstance(self.kind, str) and not self.label:
            raise ValueError(f"the edge kind {self.kind!r} needs a label")
