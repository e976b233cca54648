"""DBMS instances and databases: the platform contract, the exactly-one-host rule, roles."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from irtis.databases.models import Database, DBMSInstance, Engine
from tests.support.contract import ModelContract
from tests.virtualization.factories import cluster, server, vm


def instance(name: str, **values: Any) -> DBMSInstance:
    if "virtual_machine" not in values:
        values.setdefault("device", server(f"srv-{name.lower()}"))
    values.setdefault("engine", Engine.POSTGRESQL)
    made = DBMSInstance(name=name, **values)
    made.full_clean()
    made.save()
    return made


class TestDBMSInstance(ModelContract):
    model = DBMSInstance
    change = {"description": "Pagrindinis egzempliorius - atnaujinta"}

    def make(self, n: int) -> DBMSInstance:
        return instance(f"PGPRD{n:02}")

    def new_values(self) -> dict:
        return {
            "name": "ORAPRD1",
            "engine": Engine.ORACLE,
            "device": server("ora-dc1-01"),
            "port": 1521,
            "role": DBMSInstance.Role.RAC_NODE,
            "cluster_name": "RAC-DC1",
            "environment": "production",
            "description": "Oracle RAC mazgas",
        }

    def differ(self, name: str, first: DBMSInstance, second: DBMSInstance) -> str:
        if name != "role":
            return super().differ(name, first, second)
        first.role, first.cluster_name = DBMSInstance.Role.RAC_NODE, "RAC-DC1"
        first.save()
        return first.role


class TestDatabase(ModelContract):
    model = Database
    change = {"size_gb": Decimal("512.50")}

    def make(self, n: int) -> Database:
        owner = DBMSInstance.objects.first() or instance("ORAPRD1", engine=Engine.ORACLE)
        return Database.objects.create(instance=owner, name=f"MDAS{n:02}", size_gb=Decimal(100 + n))

    def new_values(self) -> dict:
        return {
            "instance": instance("MSSQLPRD1", engine=Engine.MSSQL),
            "name": "ANPR",
            "size_gb": Decimal("750"),
            "character_set": "Lithuanian_CI_AS",
            "description": "Numerių atpažinimo sistemos duomenų bazė",
        }


pytestmark = pytest.mark.django_db


def test_an_instance_runs_on_exactly_one_host() -> None:
    machine = vm("pg-01.prod", cluster())
    device = server("ora-01")
    both = DBMSInstance(name="X", engine=Engine.ORACLE, device=device, virtual_machine=machine)
    with pytest.raises(ValidationError) as error:
        both.full_clean()
    assert "virtual_machine" in error.value.message_dict
    neither = DBMSInstance(name="Y", engine=Engine.ORACLE)
    with pytest.raises(ValidationError) as error:
        neither.full_clean()
    assert "device" in error.value.message_dict
    instance("ON-VM", virtual_machine=machine)
    instance("ON-SERVER", device=device)


@pytest.mark.parametrize("hosts", ["both", "neither"])
def test_the_database_refuses_a_wrong_host(hosts: str) -> None:
    """The rule holds below the application too: a check constraint."""
    values = (
        {"device": server("ora-01"), "virtual_machine": vm("pg-01.prod", cluster())}
        if hosts == "both"
        else {}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DBMSInstance.objects.create(name="BAD", engine=Engine.ORACLE, port=1521, **values)


def test_api_refuses_two_hosts(admin_client: Client) -> None:
    payload = {
        "name": "BAD",
        "engine": "oracle",
        "device": server("ora-01").pk,
        "virtual_machine": vm("pg-01.prod", cluster()).pk,
    }
    response = admin_client.post(
        "/api/databases/dbms-instances/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert not DBMSInstance.objects.filter(name="BAD").exists()


def test_role_rules_and_default_port() -> None:
    with pytest.raises(ValidationError) as error:
        instance("PG-STBY", role=DBMSInstance.Role.STANDBY)
    assert "cluster_name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        instance("PG-RAC", role=DBMSInstance.Role.RAC_NODE, cluster_name="RAC")
    assert "role" in error.value.message_dict
    assert instance("MSSQL1", engine=Engine.MSSQL).port == 1433
    assert instance("ORA1", engine=Engine.ORACLE, port=1522).port == 1522


def test_database_names_are_unique_per_instance() -> None:
    first, second = instance("PG1"), instance("PG2")
    Database.objects.create(instance=first, name="bap")
    Database(instance=second, name="bap").full_clean()
    with pytest.raises(ValidationError):
        Database(instance=first, name="bap").full_clean()
