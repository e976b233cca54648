"""Wiring into the platform, done once at start-up from SystemsConfig.ready() (the pages of
`urls.py` are mounted at /systems/ by the platform's `app_urlpatterns`).

`show_maps_on_object_pages()` adds a dependency-map panel (drawn by the browser from the API,
so it adds no query to the page) to the detail pages of the objects systems depend on.
"""

from irtis.core import registry

MAP_PANEL = "systems/object_map_panel.html"
MAPPED = (
    "inventory.site", "inventory.rack", "inventory.device", "virtualization.cluster",
    "virtualization.virtualmachine", "databases.dbmsinstance", "databases.database", "network.circuit",
    "systems.component", "systems.deployment", "systems.interconnection", "systems.eusystem",
)


def show_maps_on_object_pages() -> None:
    for label in MAPPED:
        entry = registry.by_label(label)
        if entry is not None:
            entry.add_panel(MAP_PANEL)
