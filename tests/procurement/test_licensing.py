"""Licence compliance against the inventory: per core (Oracle), per device, per instance, per user."""

from decimal import Decimal

import pytest

from irtis.databases.models import DBMSInstance
from irtis.inventory.models import Installation, SoftwareVersion
from irtis.procurement import licensing
from irtis.procurement.models import Licence
from tests.virtualization.factories import cluster, host, server, vm

from . import factories as f

pytestmark = pytest.mark.django_db


def test_oracle_processor_licences_count_every_host_a_database_can_run_on(admin_client):
    oracle = f.product()
    version = SoftwareVersion.objects.create(product=oracle, number="19c")
    prod = cluster("CL-ORA")
    host(prod, "esx-1", cores=32)
    host(prod, "esx-2", cores=32)
    machine = vm("ora-vm", prod)
    DBMSInstance.objects.create(name="ORA1", engine="oracle", software_version=version, virtual_machine=machine)
    DBMSInstance.objects.create(name="ORA2", engine="oracle", software_version=version,
                                virtual_machine=vm("ora-vm2", prod))  # same cluster: the hosts counted once
    bare = server("ora-fizinis")
    DBMSInstance.objects.create(name="ORA3", engine="oracle", software_version=version, device=bare)  # cores unknown
    Licence.objects.create(name="Oracle EE", product=oracle, metric="core", quantity=20, core_factor=Decimal("0.5"))
    [position] = licensing.compliance()
    # (32 + 32) × 0.5 = 32 needed, 20 held
    assert (position.needed, position.held, position.status, position.unknown) == (32, 20, "under", 1)
    page = admin_client.get("/procurement/licence-compliance/").content.decode()
    assert "Oracle Database" in page and "table-danger" in page
    api = admin_client.get("/api/procurement/licence-compliance/").json()
    assert api[0]["needed"] == 32 and api[0]["status"] == "under"


def test_device_instance_and_user_metrics():
    product = f.product("Antivirusas", kind="application")
    version = SoftwareVersion.objects.create(product=product, number="1")
    servers = [server(f"srv-{n}") for n in range(3)]
    for device in servers:
        Installation.objects.create(software_version=version, device=device)
    retired = server("srv-old")
    retired.status = "retired"
    retired.save()
    Installation.objects.create(software_version=version, device=retired)
    Licence.objects.create(name="AV įrenginiams", product=product, metric="device", quantity=5)
    Licence.objects.create(name="AV egzemplioriams", product=product, metric="instance", quantity=3)
    Licence.objects.create(name="AV naudotojams", product=product, metric="user", quantity=10, users=12)
    Licence.objects.create(name="Pasibaigusi", product=product, metric="device", quantity=100, kind="subscription",
                           expiry="2020-01-01")
    found = {p.metric: p for p in licensing.compliance()}
    assert (found["device"].needed, found["device"].held, found["device"].status) == (3, 5, "over")
    assert (found["instance"].needed, found["instance"].status) == (3, "ok")
    assert (found["user"].needed, found["user"].status) == (12, "under")


def test_compliance_queries_do_not_grow_with_the_estate(django_assert_max_num_queries):
    product = f.product()
    version = SoftwareVersion.objects.create(product=product, number="19c")
    Licence.objects.create(name="Oracle EE", product=product, metric="core", quantity=20)
    prod = cluster("CL-Q")
    for n in range(5):
        host(prod, f"esx-q{n}")
        DBMSInstance.objects.create(name=f"Q{n}", engine="oracle", software_version=version,
                                    virtual_machine=vm(f"q{n}", prod))
    with django_assert_max_num_queries(6):
        licensing.compliance()
