"""SNMP checks against Debian's real `snmpd` on a random loopback UDP port (tests/support/snmpd.py):
sysUpTime, ifOperStatus of the loopback interface, and fixed values (`override`) compared with
warning and critical thresholds; SNMPv2c and SNMPv3 (SHA + AES); credentials kept encrypted and
write-only; validation."""

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from irtis.audit.models import AuditEntry
from irtis.discovery.snmp import Credentials
from irtis.identity import tokens
from irtis.inventory.models import Device
from irtis.monitoring import credentials, runner
from irtis.monitoring.models import Check, CheckSecret, CheckState
from irtis.monitoring.probes import Spec, run_all
from irtis.monitoring.snmp import judge
from tests.support import snmpd
from tests.virtualization.factories import server

pytestmark = pytest.mark.django_db

LOAD = "1.3.6.1.4.1.8072.9999.1.0"  # fixed at 75 by the agent's configuration
TEXT = "1.3.6.1.4.1.8072.9999.2.0"  # fixed at "active"
UPTIME = "1.3.6.1.2.1.1.3.0"
IF_OPER_STATUS_LO = "1.3.6.1.2.1.2.2.1.8.1"  # ifOperStatus of interface 1 (lo): 1, up
V2C = Credentials("2c", community=snmpd.COMMUNITY)
V3 = Credentials("3", user=snmpd.V3_USER, level="authPriv", auth_protocol="SHA", auth_key=snmpd.V3_AUTH,
                 priv_protocol="AES", priv_key=snmpd.V3_PRIV)


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[snmpd.Agent]:
    extra = f"override .{LOAD} integer 75\noverride .{TEXT} octet_str \"active\"\n"
    with snmpd.running(tmp_path_factory.mktemp("snmpd"), extra) as running:
        yield running


def probe(agent: snmpd.Agent, oid: str, compare: str = "ge", warning: str = "", critical: str = "",
          creds: Credentials | None = V2C, timeout: float = 2.0) -> tuple[str, str, float | None]:
    spec = Spec(id=1, kind="snmp", host=agent.host, port=agent.port, oid=oid, compare=compare, warning=warning,
                critical=critical, credentials=creds, timeout=timeout)
    with translation.override("en"):
        result = asyncio.run(run_all([spec]))[1]
    return result.state, result.reason, result.ms


@pytest.mark.parametrize(("compare", "warning", "critical", "state"), [
    ("ge", "70", "90", "degraded"),  # 75 ≥ 70 but not ≥ 90
    ("ge", "60", "75", "down"),
    ("ge", "80", "90", "up"),
    ("lt", "80", "", "degraded"),  # e.g. free space below a limit
    ("gt", "", "74,5", "down"),  # a comma as the decimal mark
])
def test_a_value_against_thresholds(agent: snmpd.Agent, compare: str, warning: str, critical: str,
                                    state: str) -> None:
    found, reason, ms = probe(agent, LOAD, compare, warning, critical)
    assert found == state, reason
    assert "75" in reason and ms is not None and ms > 0


def test_if_oper_status_and_text_are_compared_for_equality(agent: snmpd.Agent) -> None:
    assert probe(agent, IF_OPER_STATUS_LO, "ne", critical="1")[0] == "up"  # down unless up(1)
    assert probe(agent, IF_OPER_STATUS_LO, "eq", critical="2")[0] == "up"  # down when down(2)
    assert probe(agent, IF_OPER_STATUS_LO, "eq", critical="1")[0] == "down"
    assert probe(agent, TEXT, "ne", warning="active")[0] == "up"
    state, reason, _ms = probe(agent, TEXT, "eq", warning="active")
    assert (state, reason) == ("degraded", "value active = active")
    state, reason, _ms = probe(agent, TEXT, "gt", critical="5")
    assert (state, reason) == ("down", "value 'active' is not a number")


def test_sys_up_time_over_v3_with_sha_and_aes(agent: snmpd.Agent) -> None:
    state, reason, ms = probe(agent, UPTIME, "lt", critical="1", creds=V3)  # down only right after a restart
    assert state == "up", reason
    assert int(reason.removeprefix("value ")) > 0 and ms is not None


def test_failures_are_down_with_a_reason_and_no_secret(agent: snmpd.Agent) -> None:
    wrong = Credentials("2c", community="ne-ta-bendruomene")
    state, reason, ms = probe(agent, UPTIME, creds=wrong, timeout=3.0)
    assert state == "down" and "did not answer" in reason and ms is None
    assert "ne-ta-bendruomene" not in reason
    bad_key = Credentials("3", user=snmpd.V3_USER, level="authPriv", auth_key="Neteisingas-1", priv_key=snmpd.V3_PRIV)
    state, reason, _ms = probe(agent, UPTIME, creds=bad_key, timeout=3.0)
    assert state == "down" and "Neteisingas-1" not in reason and snmpd.V3_PRIV not in reason
    assert probe(agent, "1.3.6.1.4.1.8072.9999.7.0")[:2] == (
        "down", f"{agent.host}:{agent.port} has no object 1.3.6.1.4.1.8072.9999.7.0")
    assert probe(agent, UPTIME, creds=None)[:2] == ("down", "no SNMP credentials are set")


def test_one_batch_with_several_communities_and_users(agent: snmpd.Agent) -> None:
    """v2c communities share the batch's engine, each v3 user has its own: none is mixed up."""
    wrong = Credentials("2c", community="kita-bendruomene")
    specs = [Spec(id=n, kind="snmp", host=agent.host, port=agent.port, oid=LOAD, compare="ge", critical="90",
                  credentials=creds, timeout=3.0) for n, creds in enumerate((V2C, wrong, V3, V2C, V3))]
    with translation.override("en"):
        results = asyncio.run(run_all(specs))
    assert [results[n].state for n in range(5)] == ["up", "down", "up", "up", "up"]
    assert "did not answer" in results[1].reason


def test_judge_rules() -> None:
    assert judge("3", "ge", "2", "3") == ("down", "value 3 ≥ 3")
    assert judge("2.5", "le", "3", "1") == ("degraded", "value 2.5 ≤ 3")
    assert judge("01", "eq", "", "1") == ("down", "value 01 = 1")  # numbers compare as numbers
    assert judge("up", "ne", "", "up") == ("up", "value up")


def snmp_check(agent: snmpd.Agent, **values: object) -> Check:
    target = Device.objects.filter(name="snmp-a").first() or server("snmp-a")
    made = Check(kind="snmp", host=agent.host, port=agent.port, interval=10, timeout=2, retries=0,
                 target_type=ContentType.objects.get_for_model(target), target_id=target.pk,
                 **{"name": "snmp", "oid": LOAD, "compare": "ge", "warning": "70", "critical": "90", **values})
    made.full_clean()
    made.save()
    return made


def test_validation_of_snmp_checks(agent: snmpd.Agent) -> None:
    for values, field in (({"oid": "ifOperStatus.1"}, "oid"), ({"oid": "1.3.6.x"}, "oid"), ({"oid": ""}, "oid"),
                          ({"warning": "daug"}, "warning"), ({"critical": "nan"}, "critical")):
        with pytest.raises(ValidationError) as failed:
            snmp_check(agent, **values)
        assert field in failed.value.message_dict, values
    made = snmp_check(agent, compare="ne", warning="", critical="up")  # text is fine for equality
    assert made.pk


def test_a_check_runs_with_stored_credentials_that_never_show(agent: snmpd.Agent, admin_client: Client,
                                                              admin_user: object) -> None:
    check = snmp_check(agent)
    runner.run_zone("default")
    assert CheckState.objects.get(pk=check.pk).reason == "no SNMP credentials are set"

    page = f"/monitoring/checks/{check.pk}/snmp-credentials/"
    refused = admin_client.post(page, {"version": "2c", "community": "", "level": "authPriv",
                                       "auth_protocol": "SHA", "priv_protocol": "AES"})
    assert refused.status_code == 200 and list(refused.context["form"].errors) == ["community"]
    assert not CheckSecret.objects.exists()
    saved = admin_client.post(page, {"version": "2c", "community": snmpd.COMMUNITY, "level": "authPriv",
                                     "auth_protocol": "SHA", "priv_protocol": "AES"})
    assert saved.status_code == 302
    secret = CheckSecret.objects.get(pk=check.pk)
    assert snmpd.COMMUNITY.encode() not in bytes(secret.ciphertext)
    for shown in (admin_client.get(page), admin_client.get(check.get_absolute_url()),
                  admin_client.get(f"/api/monitoring/checks/{check.pk}/")):
        assert shown.status_code == 200 and snmpd.COMMUNITY not in shown.content.decode()
    trail = json.dumps(list(AuditEntry.objects.values("before", "after")))
    assert snmpd.COMMUNITY not in trail and '"snmp_credentials": "set"' in trail

    CheckState.objects.filter(pk=check.pk).update(due_at=check.created)
    runner.run_zone("default")
    state = CheckState.objects.get(pk=check.pk)
    assert (state.state, state.reason) == ("degraded", "value 75 ≥ 70")

    # SNMPv3 through the API; a copied ciphertext does not decrypt on another check
    _token, plain = tokens.issue(admin_user)
    api = Client(headers={"Authorization": f"Bearer {plain}"})
    url = f"/api/monitoring/checks/{check.pk}/snmp-credentials/"
    short = api.put(url, {"version": "3", "user": snmpd.V3_USER, "auth_key": "short", "priv_key": snmpd.V3_PRIV},
                    content_type="application/json")
    assert short.status_code == 400 and "auth_key" in short.content.decode()
    body = {"version": "3", "user": snmpd.V3_USER, "level": "authPriv", "auth_protocol": "SHA",
            "auth_key": snmpd.V3_AUTH, "priv_protocol": "AES", "priv_key": snmpd.V3_PRIV}
    assert api.put(url, body, content_type="application/json").status_code == 204
    assert credentials.read(CheckSecret.objects.get(pk=check.pk)) == V3
    CheckState.objects.filter(pk=check.pk).update(due_at=check.created)
    Check.objects.filter(pk=check.pk).update(critical="75")
    runner.run_zone("default")
    assert CheckState.objects.get(pk=check.pk).state == "down"
    trail = json.dumps(list(AuditEntry.objects.values("before", "after")))
    assert snmpd.V3_AUTH not in trail and snmpd.V3_PRIV not in trail


def test_a_ciphertext_moved_to_another_check_does_not_decrypt(agent: snmpd.Agent, tmp_path: Path) -> None:
    first = snmp_check(agent)
    credentials.set_credentials(first, V2C)
    second = snmp_check(agent, name="snmp 2")
    secret = CheckSecret.objects.get(pk=first.pk)
    CheckSecret.objects.create(check_obj=second, ciphertext=secret.ciphertext, key_id=secret.key_id)
    CheckState.objects.all().delete()
    runner.run_zone("default")
    assert CheckState.objects.get(pk=first.pk).state == "degraded"  # 75 ≥ 70
    assert "do not decrypt" in CheckState.objects.get(pk=second.pk).reason
