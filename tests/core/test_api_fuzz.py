"""Requests generated from our own OpenAPI description: whatever they send, never a 500."""

import os
from collections.abc import Iterator

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from irtis.identity.tokens import issue
from irtis.inventory.models import Site
from irtis.wsgi import application

# The coverage phase walks every boundary of every schema: thousands of requests per run.
# Random generation with a bounded number of examples per operation keeps the suite fast.
CONFIG = SchemathesisConfig.from_str("[phases.coverage]\nenabled = false\n[phases.stateful]\nenabled = false\n")
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)
EXAMPLES = int(os.environ.get("IRTIS_FUZZ_EXAMPLES", "6"))
# Every operation of every model gets an example in each run; the platform's own models, whose
# generated code every model shares, get EXAMPLES (and so does every other one with IRTIS_FUZZ_ALL=1).
SAMPLE = r"^/api/(inventory/(sites|locations)|core/tags)/"
OTHER_EXAMPLES = EXAMPLES if os.environ.get("IRTIS_FUZZ_ALL") else 1


@pytest.fixture
def token(db: None) -> Iterator[str]:
    user = get_user_model().objects.create_superuser("fuzz", "fuzz@example.lt", "Fuzz-Sl4ptas!")
    Site.objects.create(code="MED", name="Medininkų PKP", kind=Site.Kind.ROAD_BCP)
    # Requests go straight to the WSGI app, not through Django's test client, so keep the
    # request signals from closing the test's connection (open in its transaction), as the
    # test client does.
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield issue(user)[1]
    for signal in signals:
        signal.connect(close_old_connections)


@schema.include(path_regex=SAMPLE).parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_input_causes_a_server_error(case: schemathesis.Case, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error])


@schema.exclude(path_regex=SAMPLE).parametrize()
@settings(max_examples=OTHER_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_every_operation_takes_an_example(case: schemathesis.Case, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error])
