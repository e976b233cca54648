"""The migration that makes names unique case-insensitively (virtualization 0003_unique_names, as
every app's `00NN_unique_names`): names stored before it are normalised; names that become one
stop it, naming the rows, and nothing is merged or lost."""

import pytest

from tests.support.databases import historical_apps, migrate

pytestmark = pytest.mark.usefixtures("empty_database")
BEFORE = [("virtualization", "0002_ordering_indexes")]
AFTER = [("virtualization", "0003_unique_names")]


def _cluster_types(target: list[tuple[str, str | None]]):  # type: ignore[no-untyped-def]  # a historical model
    return historical_apps(target).get_model("virtualization", "ClusterType")


def test_colliding_names_stop_the_migration_naming_them_and_nothing_is_lost() -> None:
    migrate(BEFORE)
    types = _cluster_types(BEFORE)
    kept = types.objects.create(name="Proxmox  VE\u200b")  # normalised by the migration
    first = types.objects.create(name="VMware vSphere")
    second = types.objects.create(name="VMWARE vSphere")
    third = types.objects.create(name="ＶＭware vSphere")
    with pytest.raises(RuntimeError) as stopped:
        migrate(AFTER)
    message = str(stopped.value)
    for row in (first, second, third):
        assert f"(id {row.pk})" in message
    assert "“VMware vSphere”" in message and f"id {kept.pk}" not in message
    assert sorted(types.objects.values_list("name", flat=True)) == sorted(
        ["Proxmox  VE\u200b", "VMware vSphere", "VMWARE vSphere", "ＶＭware vSphere"])  # as they were
    types.objects.filter(pk=second.pk).update(name="VMware vSphere 7")
    types.objects.filter(pk=third.pk).update(name="VMware vSphere 8")
    migrate(AFTER)
    after = _cluster_types(AFTER)
    assert dict(after.objects.values_list("pk", "name")) == {
        kept.pk: "Proxmox VE", first.pk: "VMware vSphere", second.pk: "VMware vSphere 7",
        third.pk: "VMware vSphere 8"}
