"""The SNMP probe: read one OID with SNMPv2c or SNMPv3 and compare the value with the check's
warning and critical values.

It runs in the batch's event loop beside the other probes (pysnmp's asyncio API, as
`irtis.discovery.snmp` reads agents): per batch, one `SnmpEngine` for all SNMPv2c communities
and one per SNMPv3 user and keys, made before the probes start and closed when the batch ends
(`engines()`). Messages never contain the
community or keys (the discovery module's errors name only the target and the user).
"""

import contextvars
import operator
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from pyasn1.type.univ import Integer, ObjectIdentifier
from pysnmp.error import PySnmpError
from pysnmp.hlapi.v3arch.asyncio import SnmpEngine
from pysnmp.proto.rfc1902 import IpAddress

from irtis.discovery.snmp import Credentials, SnmpError, _Session, _target

from .models import Check, number

_engines: contextvars.ContextVar[dict[Any, SnmpEngine] | None] = contextvars.ContextVar(
    "snmp_engines", default=None)


def _engine_key(credentials: Credentials) -> Any:
    """SNMPv2c communities share one engine (its configuration keys them by community); each
    SNMPv3 user and keys get their own (the engine keys users by name alone)."""
    return "v2c" if credentials.version == "2c" else credentials

OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    Check.Compare.GT: operator.gt, Check.Compare.GE: operator.ge, Check.Compare.LT: operator.lt,
    Check.Compare.LE: operator.le, Check.Compare.EQ: operator.eq, Check.Compare.NE: operator.ne,
}


@contextmanager
def engines(wanted: Iterable[Credentials | None]) -> Iterator[None]:
    """SNMP engines for these credentials, made before the probes start (making one takes a
    good part of a second, which must not eat into a probe's timeout) and shared by the probes
    started inside the block (their tasks copy the context); closed at its end."""
    found = {key: SnmpEngine() for key in {_engine_key(c) for c in wanted if c is not None}}
    token = _engines.set(found)
    try:
        yield
    finally:
        _engines.reset(token)
        for engine in found.values():
            engine.close_dispatcher()


async def read(host: str, port: int, oid: str, credentials: Credentials, timeout: float) -> Any:
    """The value of `oid` at the agent; SnmpError with a message for the user otherwise."""
    engine = (_engines.get() or {}).get(_engine_key(credentials))
    own = engine is None
    if engine is None:
        engine = SnmpEngine()
    try:
        target = await _target(host, port, timeout, 0)
        found = await _Session(engine, credentials, target, f"{host}:{port}", timeout).get([oid.lstrip(".")])
    except PySnmpError as error:
        raise SnmpError(f"SNMP error: {error}", timeout=True) from None  # no answer came
    finally:
        if own:
            engine.close_dispatcher()
    if not found:
        raise SnmpError(f"{host}:{port} has no object {oid}")
    return next(iter(found.values()))


def plain(value: Any) -> str:
    """The value as text: numbers as numbers, OIDs dotted, addresses dotted, text decoded."""
    if isinstance(value, Integer):  # Integer32, Counter32/64, Gauge32, TimeTicks, enumerations
        return str(int(value))
    if isinstance(value, ObjectIdentifier):
        return str(value)
    if isinstance(value, IpAddress):
        return ".".join(str(b) for b in bytes(value.asOctets()))
    if hasattr(value, "asOctets"):
        return bytes(value.asOctets()).decode("utf-8", "replace").strip().strip("\x00")
    return str(value)


def judge(value: str, compare: str, warning: str, critical: str) -> tuple[str, str]:
    """(state, reason) of a value: down when `value <compare> critical`, degraded when
    `value <compare> warning`, up otherwise. `=`/`≠` compare text (numbers as numbers when
    both are numbers); the others numbers, and a value that is not one is down."""
    test = OPERATORS[compare]
    symbol = Check.Compare(compare).label
    numeric = compare not in (Check.Compare.EQ, Check.Compare.NE)
    have = number(value)
    if numeric and have is None:
        return "down", f"value {value[:100]!r} is not a number"
    for state, limit in (("down", critical), ("degraded", warning)):
        if not limit:
            continue
        want = number(limit)
        if have is not None and want is not None:
            hit = test(have, want)
        else:
            hit = test(value, limit.strip())
        if hit:
            return state, f"value {value[:100]} {symbol} {limit}"
    return "up", f"value {value[:200]}"


async def probe(host: str, port: int | None, oid: str, credentials: Credentials | None, missing: str,
                compare: str, warning: str, critical: str, timeout: float) -> tuple[str, str, bool]:
    """(state, reason, whether the agent answered)."""
    if credentials is None:
        return "down", missing, False
    try:
        # its own time-out comes first (pysnmp counts in ticks), so that the reason says what to check
        value = await read(host, port or 161, oid, credentials, max(timeout - 1.0, timeout * 0.5))
    except SnmpError as error:
        return "down", error.message[:300], not error.timeout
    return (*judge(plain(value), compare, warning, critical), True)
