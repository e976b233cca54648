"""Allocation against capacity: figures, overcommit ratios, warnings and bounded queries."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from irtis.virtualization.models import Cluster, ClusterType, VirtualMachine
from tests.support.language import choose

from .factories import cluster, host, server, site, vm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def messages(problems: list) -> str:
    return " ".join(p.message for p in problems)


def test_figures_and_ratios() -> None:
    prod = cluster(storage_tb=Decimal("2"))
    host(prod, "esx-01", cores=16, memory_gb=256)
    host(prod, "esx-02", cores=16, memory_gb=256)
    vm("a.prod", prod, vcpus=8, memory_mb=64 * 1024, disk_gb=500)
    vm(
        "b.prod",
        prod,
        vcpus=16,
        memory_mb=128 * 1024,
        disk_gb=300,
        status=VirtualMachine.Status.PLANNED,
    )
    # Stopped machines hold only their disks.
    vm(
        "c.prod",
        prod,
        vcpus=32,
        memory_mb=512 * 1024,
        disk_gb=248,
        status=VirtualMachine.Status.OFFLINE,
    )
    capacity = Cluster.objects.with_capacity().get(pk=prod.pk).capacity
    assert (capacity.hosts, capacity.cores, capacity.memory_gb) == (2, 32, 512)
    assert (capacity.vms, capacity.vcpus, capacity.memory_mb, capacity.disk_gb) == (
        3,
        24,
        192 * 1024,
        1048,
    )
    assert capacity.vcpu_ratio == pytest.approx(0.75)
    assert capacity.memory_ratio == pytest.approx(0.375)
    assert capacity.memory_ratio_after_failure == pytest.approx(0.75)
    assert capacity.storage_ratio == pytest.approx(1048 / 2048)
    assert capacity.vcpu_headroom == 32 * 4 - 24
    assert capacity.problems() == []


def test_capacity_without_annotation_costs_one_query(django_assert_num_queries: Any) -> None:
    prod = cluster()
    host(prod, "esx-01", cores=8, memory_gb=64)
    vm("a.prod", prod, vcpus=4)
    fresh = Cluster.objects.get(pk=prod.pk)
    with django_assert_num_queries(1):
        assert fresh.capacity.vcpu_ratio == 0.5
        assert fresh.capacity.cores == 8


def test_overcommit_beyond_limits_is_flagged() -> None:
    prod = cluster(vcpu_ratio_limit=Decimal("2"), storage_tb=Decimal("1"))
    host(prod, "esx-01", cores=4, memory_gb=16)
    host(prod, "esx-02", cores=4, memory_gb=16)
    vm("big.prod", prod, vcpus=4, memory_mb=20 * 1024, disk_gb=2000)
    vm("big2.prod", prod, vcpus=4, memory_mb=20 * 1024)
    vm("big3.prod", prod, vcpus=4, memory_mb=1024)
    vm("big4.prod", prod, vcpus=4, memory_mb=1024)
    vm("big5.prod", prod, vcpus=1, memory_mb=1024)
    capacity = Cluster.objects.get(pk=prod.pk).capacity
    assert capacity.vcpu_ratio == pytest.approx(17 / 8)
    text = messages(capacity.problems())
    assert "overcommitted 2.1:1, above the cluster's limit of 2.0:1" in text
    assert "Virtual memory is 1.34 times" in text
    assert "exceed the datastore capacity" in text
    assert "If the largest host fails" in text
    assert [p.level for p in capacity.problems()][:3] == ["danger"] * 3


def test_cluster_without_hosts_has_no_capacity() -> None:
    empty = cluster("CL-EMPTY")
    machine = vm("lonely.prod", empty)
    problems = machine.capacity_problems()
    assert "no hosts recorded" in messages(problems)
    assert machine.cluster.capacity.vcpu_ratio is None


def test_single_host_and_missing_storage_are_warnings() -> None:
    small = cluster("CL-SMALL", storage_tb=None)
    host(small, "esx-01", cores=64, memory_gb=1024)
    vm("a.prod", small)
    problems = Cluster.objects.get(pk=small.pk).capacity.problems()
    assert [p.level for p in problems] == ["warning", "warning"]
    assert "single host" in messages(problems) and "not recorded" in messages(problems)


def test_machine_larger_than_any_host() -> None:
    prod = cluster()
    host(prod, "esx-01", cores=8, memory_gb=64)
    host(prod, "esx-02", cores=8, memory_gb=64)
    huge = vm("huge.prod", prod, vcpus=12, memory_mb=96 * 1024)
    text = messages(huge.capacity_problems())
    assert "vCPUs (12) exceed the physical cores of the largest host of its cluster (8)" in text
    assert "more memory than the largest host" in text


def test_a_server_hosts_one_cluster_at_most() -> None:
    first, second = cluster("CL-A"), cluster("CL-B")
    taken = host(first, "esx-01")
    duplicate = type(taken)(cluster=second, device=taken.device, cpu_cores=8, memory_gb=64)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "device" in error.value.message_dict


def test_host_must_be_at_the_cluster_site() -> None:
    prod = cluster()
    elsewhere = server("esx-dc2-01", site("DC2"))
    wrong = type(host(prod, "esx-01"))(cluster=prod, device=elsewhere, cpu_cores=8, memory_gb=64)
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "device" in error.value.message_dict


# --- pages -----------------------------------------------------------------------------------


def test_cluster_page_shows_ratios_and_warnings(admin_client: Client) -> None:
    prod = cluster(vcpu_ratio_limit=Decimal("1"))
    host(prod, "esx-01", cores=4, memory_gb=64)
    vm("a.prod", prod, vcpus=8)
    page = choose(admin_client, "en").get(prod.get_absolute_url()).content.decode()
    assert "Capacity and allocation" in page
    assert "2.0:1" in page and "overcommitted" in page
    assert "esx-01" in page


def test_vm_page_warns_when_the_cluster_lacks_capacity(admin_client: Client) -> None:
    empty = cluster("CL-EMPTY")
    machine = vm("lonely.prod", empty)
    page = admin_client.get(machine.get_absolute_url()).content.decode()
    assert "alert-danger" in page
    prod = cluster("CL-OK")
    host(prod, "esx-01")
    host(prod, "esx-02")
    fine = vm("fine.prod", prod)
    page = admin_client.get(fine.get_absolute_url()).content.decode()
    assert "alert-danger" not in page and "alert-success" in page


def test_cluster_overview_queries_do_not_grow(
    admin_client: Client, django_assert_max_num_queries: Any
) -> None:
    """The cluster type's page lists its clusters with their ratios in one query."""
    first = cluster("CL-0")
    host(first, "esx-0")
    vm("vm-0", first)
    kind = ClusterType.objects.get()
    with django_assert_max_num_queries(40) as few:
        assert admin_client.get(kind.get_absolute_url()).status_code == 200
    for n in range(1, 8):
        more = cluster(f"CL-{n}")
        host(more, f"esx-{n}")
        vm(f"vm-{n}", more, vcpus=n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(kind.get_absolute_url())
    assert "CL-7" in response.content.decode()


@pytest.mark.parametrize("path", ["clusters", "virtual-machines", "cluster-hosts"])
def test_lists_with_capacity_data_do_not_grow(
    admin_client: Client,
    django_assert_max_num_queries: Any,
    path: str,
) -> None:
    url = f"/virtualization/{path}/?per_page=100"
    first = cluster("CL-0")
    host(first, "esx-0")
    vm("vm-0", first)
    with django_assert_max_num_queries(30) as few:
        assert admin_client.get(url).status_code == 200
    for n in range(1, 10):
        more = cluster(f"CL-{n}")
        host(more, f"esx-{n}")
        vm(f"vm-{n}", more)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get(url).status_code == 200
