"""Edges come from the models' declarations (`GraphEdge` in a registration), not from a list in
`irtis.systems`: a declaration added to a model systems never names (a voice gateway) gives
its edges — by foreign key and by many-to-many field, both ways — to the index, the triggers,
`irtis edges check` and the walks."""

from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db.models import F

from irtis.core.graph import GraphEdge
from irtis.core.models import Tag
from irtis.core.registry import entry_for
from irtis.network.models import VoiceGateway
from irtis.systems import branches, edges, graph
from irtis.systems.models import Edge

from .factories import depends, racked, system

pytestmark = pytest.mark.django_db


@pytest.fixture
def declared() -> Iterator[None]:
    """Voice gateways declare edges for the test's duration (the triggers go with its transaction)."""
    entry = entry_for(VoiceGateway)
    before = entry.edges
    entry.edges = (
        GraphEdge("runs_on", "runs on", target="device"),
        GraphEdge("depends_on", "depends on", target="tags", mode="group"),  # each tag: one edge
    )
    edges.install()
    yield
    entry.edges = before
    ContentType.objects.clear_cache()  # the through table's type was made in the rolled-back transaction


def gateway_edges() -> set[tuple[int, int, str, str]]:
    kind = graph.node_of(VoiceGateway(pk=1))[0]
    return set(Edge.objects.filter(source_type=kind).values_list("target_type", "target_id", "kind", "mode"))


def test_a_declaration_gives_its_edges(declared: None) -> None:
    host = racked("voice-1")
    gateway = VoiceGateway.objects.create(name="VG-1", site=host.site, device=host)
    red, blue = Tag.objects.create(name="Red", slug="red"), Tag.objects.create(name="Blue", slug="blue")
    gateway.tags.add(red, blue)
    assert edges.differences() == []
    device_t, tag_t = graph.node_of(host)[0], graph.node_of(red)[0]
    assert gateway_edges() == {(device_t, host.pk, "runs_on", "hard"), (tag_t, red.pk, "depends_on", "group"),
                               (tag_t, blue.pk, "depends_on", "group")}
    top = system("VOICE")
    depends(top, gateway)
    assert graph.node_of(host) in graph.walk([top], "down")  # the walk finds the declared edge
    gateway.tags.remove(red)
    gateway.device = None
    gateway.save()
    assert edges.differences() == []
    assert gateway_edges() == {(tag_t, blue.pk, "depends_on", "group")}
    call_command("edges", "rebuild")
    assert gateway_edges() == {(tag_t, blue.pk, "depends_on", "group")}
    gateway.delete()  # the through rows go with it
    assert edges.differences() == [] and gateway_edges() == set()


def test_many_to_many_members_may_depend_on_the_row(declared: None) -> None:
    entry = entry_for(VoiceGateway)
    entry.edges = (GraphEdge("member_of", "member of", source="tags"),)
    edges.install()
    gateway = VoiceGateway.objects.create(name="VG-2", site=racked("voice-2").site)
    tag = Tag.objects.create(name="Green", slug="green")
    gateway.tags.add(tag)
    assert edges.differences() == []
    assert graph.walk([tag], "down", 1) == {graph.node_of(tag): 0, graph.node_of(gateway): 1}
    assert branches.kind_labels()["member_of"] == "member of"


def test_labels_of_kinds_read_from_a_column() -> None:
    labels = branches.kind_labels()
    assert str(labels["powered_by"]) == "maitinama iš"  # Dependency's kind choices, in Lithuanian
    assert str(labels["runs_on"]) and str(labels["exchanges_via"])


def test_declarations_are_checked() -> None:
    with pytest.raises(ValueError, match="label"):
        GraphEdge("runs_on", target="device")
    with pytest.raises(ValueError, match="mode"):
        GraphEdge("runs_on", "runs on", target="device", mode="maybe")
    with pytest.raises(ImproperlyConfigured):
        branches._branch(VoiceGateway, GraphEdge(F("name"), target="tags"))
