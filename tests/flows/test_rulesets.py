"""Import of a firewall's rule set: good CSV and JSON files replace the rules and record a
version; a malformed file names its line and field and writes nothing."""

import hashlib
import json

import pytest

from irtis.audit.models import AuditEntry
from irtis.flows import rulesets
from irtis.flows.models import FirewallRule, RuleSetVersion

from .factories import firewall, person

pytestmark = pytest.mark.django_db

CSV = (
    "position,name,action,source,destination,protocol,ports,comment\n"
    "10,Portalai,allow,any,10.10.120.0/24,tcp,443,\n"
    "20,Į taikomąsias,ALLOW,\"10.10.120.0/24, 10.20.120.0/24\",10.10.100.0/24,tcp,\"8443,9000-9010\",Pastaba\n"
    "1000,Visa kita,deny,any,any,any,,\n"
)


def test_a_csv_file_replaces_the_rules_and_records_a_version() -> None:
    fw, user = firewall(), person("ona")
    version = rulesets.replace(fw, CSV.encode("utf-8-sig"), "fw.csv", user)
    rules = list(fw.rules.order_by("position"))
    assert [(r.position, r.action, r.source, r.ports) for r in rules] == [
        (10, "allow", "any", "443"), (20, "allow", "10.10.120.0/24, 10.20.120.0/24", "8443,9000-9010"),
        (1000, "deny", "any", "")]
    assert (version.rules, version.added, version.removed) == (3, 3, 0)
    assert version.sha256 == hashlib.sha256(CSV.encode("utf-8-sig")).hexdigest()
    assert version.uploaded_by == user
    assert AuditEntry.objects.filter(content_type__model="firewallrule").count() == 3

    # the same set with one rule changed and one gone: only the difference is written
    items = [
        {"position": 10, "name": "Portalai", "action": "allow", "source": "any", "destination": "10.10.120.0/24",
         "protocol": "tcp", "ports": "443,8443", "comment": ""},
        {"position": 1000, "name": "Visa kita", "action": "deny", "source": "any", "destination": "any",
         "protocol": "any"},
    ]
    version = rulesets.replace(fw, json.dumps(items).encode(), "fw.json", user)
    assert (version.rules, version.added, version.removed) == (2, 1, 2)
    assert list(fw.rules.order_by("position").values_list("position", "ports")) == [(10, "443,8443"), (1000, "")]
    assert RuleSetVersion.objects.filter(firewall=fw).count() == 2


def test_semicolons_separate_the_columns_of_an_office_csv() -> None:
    fw = firewall()
    text = "position;name;action;source;destination;protocol;ports;comment\n5;DNS;allow;10.0.0.0/8;any;udp;53;\n"
    rulesets.replace(fw, text.encode(), "fw.csv", None)
    assert fw.rules.get().ports == "53"


@pytest.mark.parametrize(("text", "line", "field", "words"), [
    ("position,action,source,destination,protocol\nx,allow,any,any,tcp\n", 2, "position", "whole number"),
    ("position,action,source,destination,protocol\n1,permit,any,any,tcp\n", 2, "action", "allow, deny"),
    ("position,action,source,destination,protocol\n1,allow,10.0.0.1/8,any,tcp\n", 2, "source", "10.0.0.1/8"),
    ("position,action,source,destination,protocol\n1,allow,any,,tcp\n", 2, "destination", "Required"),
    ("position,action,source,destination,protocol,ports\n1,allow,any,any,tcp,70000\n", 2, "ports", "1–65535"),
    ("position,action,source,destination,protocol,ports\n1,allow,any,any,icmp,80\n", 2, "ports", "Only TCP"),
    ("position,action,source,destination,protocol\n1,allow,any,any,tcp\n1,deny,any,any,tcp\n", 3, "position",
     "also on line 2"),
    ("position,action,source,destination\n1,allow,any,any\n", 0, "", "missing: protocol"),
    ("position,action,source,destination,protocol,colour\n1,allow,any,any,tcp,red\n", 0, "", "colour"),
])
def test_a_malformed_csv_names_its_line_and_field_and_writes_nothing(text: str, line: int, field: str,
                                                                     words: str) -> None:
    fw = firewall()
    rulesets.replace(fw, b"position,action,source,destination,protocol\n7,deny,any,any,any\n", "old.csv", None)
    with pytest.raises(rulesets.RuleFileError) as refused:
        rulesets.replace(fw, text.encode(), "fw.csv", None)
    problem = refused.value.problems[0]
    assert (problem.line, problem.field) == (line, field)
    assert words in problem.message
    assert list(fw.rules.values_list("position", flat=True)) == [7]
    assert RuleSetVersion.objects.count() == 1


@pytest.mark.parametrize(("data", "name", "words"), [
    (b"[{\"position\": 1", "fw.json", "not JSON"),
    (b"{\"position\": 1}", "fw.json", "list of rules"),
    (b"[1, 2]", "fw.json", "object"),
    (b"[{\"position\": 1, \"action\": \"allow\", \"source\": \"any\", \"destination\": \"any\", \"protocol\": \"tcp\","
     b" \"zone\": \"x\"}]", "fw.json", "Unknown key"),
    (b"[]", "fw.json", "no rules"),
    (b"", "fw.csv", "empty"),
    (b"position,action\xff", "fw.csv", "not UTF-8"),
    (b"position,action,source,destination,protocol\n", "fw.xlsx", ".csv or .json"),
])
def test_a_malformed_file_is_refused_with_the_reason(data: bytes, name: str, words: str) -> None:
    fw = firewall()
    with pytest.raises(rulesets.RuleFileError) as refused:
        rulesets.replace(fw, data, name, None)
    assert words in str(refused.value)
    assert not FirewallRule.objects.exists() and not RuleSetVersion.objects.exists()


def test_a_json_item_is_named_by_its_number() -> None:
    items = [{"position": 1, "action": "allow", "source": "any", "destination": "any", "protocol": "tcp"},
             {"position": 2, "action": "allow", "source": "any", "destination": "10.1.1.0/33", "protocol": "tcp"}]
    with pytest.raises(rulesets.RuleFileError) as refused:
        rulesets.parse(json.dumps(items).encode(), "rules.json")
    assert [(p.line, p.field) for p in refused.value.problems] == [(2, "destination")]
