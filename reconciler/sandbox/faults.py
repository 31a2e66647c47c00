"""Fault injection for the services the sandbox owns (SageMaker and RAM).

Faults: added latency, a throttling rate, a 5xx rate, a lost-answer rate (the call takes
effect, then the caller gets a 5xx instead of the answer: a retry must not act twice) and
"fail the next N calls of operation X with code Y". Decisions come from one seeded
``random.Random``, so a single-threaded run is reproducible. Admin calls
(``/_sandbox/``), STS and the other pass-through services are never faulted.

Rates and latencies are keyed by ``Operation``, ``service:Operation``, ``service:*``
or ``*`` (most specific wins). Set them in code (``FaultSettings``), over HTTP
(``PUT /_sandbox/faults``) or from the environment:

- ``SANDBOX_FAULT_SEED``: integer seed (default 0).
- ``SANDBOX_FAULT_LATENCY``: seconds, e.g. ``0.05`` or ``DescribeModelCard=0.2,*=0.01``.
- ``SANDBOX_FAULT_THROTTLE_RATE``: probability 0..1, same syntax.
- ``SANDBOX_FAULT_ERROR_RATE``: probability 0..1 of a 5xx (500 or 503), same syntax.
- ``SANDBOX_FAULT_LOSE_RATE``: probability 0..1 that a call that took effect answers 503.
- ``SANDBOX_FAULT_FAIL_NEXT``: ``Operation:count:Code`` items separated by ``;``,
  e.g. ``UpdateModelCard:2:ThrottlingException;ram:GetResourceShares:1:ServiceUnavailable``.

Throttling is HTTP 400 ``ThrottlingException`` "Rate exceeded" for SageMaker and HTTP
429 ``ThrottlingException`` for RAM; 5xx faults are 500 ``InternalFailure`` / 503
``ServiceUnavailable`` for SageMaker and ``ServerInternalException`` /
``ServiceUnavailableException`` for RAM, as each service's model names them.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.sandbox.errors import AwsError


@dataclass
class FailNext:
    """Fail the next ``count`` calls matching ``operation`` with error ``code``."""

    operation: str
    count: int
    code: str
    status: int | None = None
    message: str = "Injected fault"


@dataclass
class FaultSettings:
    seed: int = 0
    latency: dict[str, float] = field(default_factory=dict)
    throttle_rate: dict[str, float] = field(default_factory=dict)
    error_rate: dict[str, float] = field(default_factory=dict)
    fail_next: list[FailNext] = field(default_factory=list)
    lose_rate: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "latency": dict(self.latency),
            "throttle_rate": dict(self.throttle_rate),
            "error_rate": dict(self.error_rate),
            "fail_next": [vars(f).copy() for f in self.fail_next],
            "lose_rate": dict(self.lose_rate),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> FaultSettings:
        """Settings from JSON; a bare number for a rate or latency means ``*``."""
        unknown = set(raw) - {
            "seed",
            "latency",
            "throttle_rate",
            "error_rate",
            "fail_next",
            "lose_rate",
        }
        if unknown:
            raise ValueError(f"unknown fault settings {sorted(unknown)}")
        return cls(
            seed=int(raw.get("seed", 0)),
            latency=_keyed(raw.get("latency")),
            throttle_rate=_keyed(raw.get("throttle_rate")),
            error_rate=_keyed(raw.get("error_rate")),
            fail_next=[FailNext(**item) for item in raw.get("fail_next", [])],
            lose_rate=_keyed(raw.get("lose_rate")),
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> FaultSettings:
        return cls(
            seed=int(env.get("SANDBOX_FAULT_SEED", "0")),
            latency=_parse_keyed(env.get("SANDBOX_FAULT_LATENCY", "")),
            throttle_rate=_parse_keyed(env.get("SANDBOX_FAULT_THROTTLE_RATE", "")),
            error_rate=_parse_keyed(env.get("SANDBOX_FAULT_ERROR_RATE", "")),
            fail_next=_parse_fail_next(env.get("SANDBOX_FAULT_FAIL_NEXT", "")),
            lose_rate=_parse_keyed(env.get("SANDBOX_FAULT_LOSE_RATE", "")),
        )


def _keyed(raw: Any) -> dict[str, float]:
    if raw is None:
        return {}
    if isinstance(raw, (int, float)):
        return {"*": float(raw)}
    return {str(k): float(v) for k, v in raw.items()}


def _parse_keyed(text: str) -> dict[str, float]:
    result: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.rpartition("=")
        result[key if sep else "*"] = float(value)
    return result


def _parse_fail_next(text: str) -> list[FailNext]:
    result = []
    for item in filter(None, (part.strip() for part in text.split(";"))):
        operation, count, code = item.rsplit(":", 2)
        result.append(FailNext(operation, int(count), code))
    return result


_RAM_CODES = {
    "InternalFailure": "ServerInternalException",
    "ServiceUnavailable": "ServiceUnavailableException",
}
_STATUS = {
    "ThrottlingException": 400,
    "InternalFailure": 500,
    "ServerInternalException": 500,
    "ServiceUnavailable": 503,
    "ServiceUnavailableException": 503,
}


def _error(service: str, code: str, message: str, status: int | None = None) -> AwsError:
    if service == "ram":
        code = _RAM_CODES.get(code, code)
    default = 429 if service == "ram" and code == "ThrottlingException" else _STATUS.get(code, 400)
    return AwsError(code, message, status or default)


@dataclass(frozen=True)
class Fault:
    """What to do to one call: wait ``delay`` seconds, then fail with ``error`` if set."""

    delay: float = 0.0
    error: AwsError | None = None


class FaultInjector:
    """Decides, per call, which fault (if any) applies; thread-safe."""

    def __init__(self, settings: FaultSettings | None = None) -> None:
        self._lock = threading.Lock()
        self.apply(settings or FaultSettings())

    def apply(self, settings: FaultSettings) -> None:
        """Replace all settings and restart the random sequence from the seed."""
        with self._lock:
            self._settings = settings
            self._random = random.Random(settings.seed)

    @property
    def settings(self) -> FaultSettings:
        return self._settings

    def fail_next(self, operation: str, count: int, code: str, status: int | None = None) -> None:
        with self._lock:
            self._settings.fail_next.append(FailNext(operation, count, code, status))

    def decide(self, service: str, operation: str) -> Fault:
        with self._lock:
            keys = (f"{service}:{operation}", operation, f"{service}:*", "*")
            delay = _lookup(self._settings.latency, keys)
            return Fault(delay, self._scheduled(service, keys) or self._random_error(service, keys))

    def lost(self, service: str, operation: str) -> AwsError | None:
        """After a call took effect: the 5xx its caller gets instead of the answer, if any."""
        with self._lock:
            keys = (f"{service}:{operation}", operation, f"{service}:*", "*")
            rate = _lookup(self._settings.lose_rate, keys)
            if rate and self._random.random() < rate:
                message = "We encountered an internal error. Please try again."
                return _error(service, "ServiceUnavailable", message)
            return None

    def _scheduled(self, service: str, keys: tuple[str, ...]) -> AwsError | None:
        for rule in self._settings.fail_next:
            if rule.count > 0 and rule.operation in keys:
                rule.count -= 1
                return _error(service, rule.code, rule.message, rule.status)
        return None

    def _random_error(self, service: str, keys: tuple[str, ...]) -> AwsError | None:
        throttle = _lookup(self._settings.throttle_rate, keys)
        failure = _lookup(self._settings.error_rate, keys)
        if not throttle and not failure:
            return None
        draw = self._random.random()
        if draw < throttle:
            return _error(service, "ThrottlingException", "Rate exceeded")
        if draw < throttle + failure:
            code = "InternalFailure" if self._random.random() < 0.5 else "ServiceUnavailable"
            return _error(service, code, "We encountered an internal error. Please try again.")
        return None


def _lookup(table: Mapping[str, float], keys: tuple[str, ...]) -> float:
    return next((table[k] for k in keys if k in table), 0.0)
