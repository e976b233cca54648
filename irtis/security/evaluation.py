"""Automatic controls: code that computes a control's evidence from irtis's own data.

Any app registers an evaluator with `@evaluator(...)` in a module its `ready()` imports; the
security app stores each run's `Outcome` with the data behind it and a timestamp. An evaluator
that cannot reach what it reads (a directory, a server) returns `Status.UNKNOWN` with the
reason: a control is never "passed" for want of an answer.

Reasons are English message ids (mark them with `gettext_noop`) with their parameters, so that
a stored result is shown in the reader's language.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    UNKNOWN = "unknown"  # the evidence could not be read: never taken for a pass
    NOT_APPLICABLE = "not_applicable"  # nothing the control speaks of exists


@dataclass(frozen=True)
class Deviation:
    """One object that does not conform, and why."""

    object: str  # "app_label.model:pk", or a directory's distinguished name
    label: str  # what a reader recognises it by, e.g. the device's name
    reason: str  # an English message id, e.g. gettext_noop("Support ended on %(date)s")
    params: Mapping[str, Any] = field(default_factory=dict)
    systems: tuple[int, ...] = ()  # ids of the information systems it concerns


@dataclass(frozen=True)
class Outcome:
    status: Status
    checked: int = 0  # how many objects were examined
    deviations: tuple[Deviation, ...] = ()
    reason: str = ""  # for UNKNOWN (or a whole-control failure): an English message id
    params: Mapping[str, Any] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)  # further JSON-serialisable evidence

    @classmethod
    def of(cls, checked: int, deviations: list[Deviation], **data: Any) -> "Outcome":
        """Passed when nothing deviates, failed otherwise; not applicable when nothing was checked."""
        if not checked:
            return cls(Status.NOT_APPLICABLE, data=data)
        return cls(Status.FAILED if deviations else Status.PASSED, checked, tuple(deviations), data=data)


@dataclass(frozen=True)
class Evaluator:
    code: str  # stable, e.g. "os_in_support"
    label: str | Promise
    description: str | Promise
    requirements: tuple[str, ...]  # requirement codes it gives evidence for, e.g. ("LT-26", "A.8.8")
    function: Callable[[], Outcome]


EVALUATORS: dict[str, Evaluator] = {}


def evaluator(
    code: str, label: str | Promise, description: str | Promise, requirements: tuple[str, ...] = ()
) -> Callable[[Callable[[], Outcome]], Callable[[], Outcome]]:
    """Register `function` as the automatic control `code`."""

    def register(function: Callable[[], Outcome]) -> Callable[[], Outcome]:
        if code in EVALUATORS:
            raise ValueError(f"evaluator {code!r} is registered twice")
        EVALUATORS[code] = Evaluator(code, label, description, requirements, function)
        return function

    return register
