"""The probes against real servers on loopback: TCP, HTTP (status, keyword, chunked, slow,
hanging), TLS (trusted or not, expiring, expired), DNS, and the timeout that bounds a hang."""

import asyncio
import time
from pathlib import Path

import pytest

from irtis.monitoring.probes import Spec, probe, run_all

from .servers import Http, closed_port, servers


def run(spec: Spec):  # type: ignore[no-untyped-def]
    return asyncio.run(probe(spec))


def test_tcp_up_and_refused(tmp_path: Path) -> None:
    with servers(tmp_path) as s:
        assert run(Spec(1, "tcp", host="127.0.0.1", port=s["tcp"])).state == "up"
    down = run(Spec(1, "tcp", host="127.0.0.1", port=closed_port(), timeout=2))
    assert (down.state, down.reason) == ("down", "connection refused")


def test_http_status_keyword_and_slowness(tmp_path: Path) -> None:
    config = Http()
    with servers(tmp_path, config) as s:
        url = f"http://127.0.0.1:{s['http']}/health?x=1"
        ok = run(Spec(1, "http", url=url, keyword="irtis OK"))
        assert ok.state == "up" and ok.ms is not None
        missing = run(Spec(1, "http", url=url, keyword="nope"))
        assert missing.state == "down" and "keyword" in missing.reason
        config.chunked = True
        assert run(Spec(1, "http", url=url, keyword="irtis OK")).state == "up"
        config.status = 503
        wrong = run(Spec(1, "http", url=url))
        assert (wrong.state, wrong.reason) == ("down", "HTTP 503, expected 200")
        config.status, config.delay = 200, 0.05
        slow = run(Spec(1, "http", url=url, slow_ms=10))
        assert slow.state == "degraded" and "over 10 ms" in slow.reason


def test_a_hanging_server_costs_the_timeout_only(tmp_path: Path) -> None:
    with servers(tmp_path, Http(hang=True)) as s:
        url = f"http://127.0.0.1:{s['http']}/"
        specs = [Spec(n, "http", url=url, timeout=1, retries=1) for n in range(50)]
        start = time.monotonic()
        results = asyncio.run(run_all(specs))
        # 50 hanging checks with a retry each: bounded by two timeouts, not fifty.
        assert time.monotonic() - start < 10
    assert {r.reason for r in results.values()} == {"no answer within 1 s"}


def test_https_and_tls_certificates(tmp_path: Path) -> None:
    with servers(tmp_path, cert_days=365) as s:
        untrusted = run(Spec(1, "tls", host="127.0.0.1", port=s["tls"]))
        assert untrusted.state == "down" and "not trusted" in untrusted.reason
        valid = run(Spec(1, "tls", host="127.0.0.1", port=s["tls"], verify_tls=False))
        assert valid.state == "up" and "valid until" in valid.reason
        https = run(Spec(1, "http", url=f"https://127.0.0.1:{s['tls']}/", verify_tls=False, keyword="OK"))
        assert https.state == "up"
    with servers(tmp_path, cert_days=10) as s:
        soon = run(Spec(1, "tls", host="127.0.0.1", port=s["tls"], verify_tls=False, expiry_days=30))
        assert soon.state == "degraded" and "expires" in soon.reason
    with servers(tmp_path, cert_days=-1) as s:
        expired = run(Spec(1, "tls", host="127.0.0.1", port=s["tls"], verify_tls=False))
        assert expired.state == "down" and "expired" in expired.reason


def test_dns() -> None:
    assert run(Spec(1, "dns", host="localhost")).state == "up"
    assert run(Spec(1, "dns", host="localhost", expect_address="127.0.0.1")).state == "up"
    wrong = run(Spec(1, "dns", host="localhost", expect_address="10.9.9.9"))
    assert wrong.state == "down" and "not 10.9.9.9" in wrong.reason
    assert run(Spec(1, "dns", host="no-such-host.invalid", timeout=5)).state == "down"


def test_icmp_echo_on_loopback() -> None:
    result = run(Spec(7, "icmp", host="127.0.0.1", timeout=2))
    if result.reason == "ICMP needs a worker running as root":
        pytest.skip("not root: no raw sockets")
    assert result.state == "up"
