"""Run one command for several targets of a repository: the fan-out layer above the
pipeline's per-target functions.

The repository is loaded and validated once, by the caller; then each selected target gets its own
sessions (its credentials and wrong-account guard), its own run and its own result.
Targets run concurrently, in two waves: every target that is not a hub, then the hubs, so
that a hub replicates what its spokes hold after they were applied in the same run. A
target that fails (wrong credentials, an AWS error) is reported as failed; the others go on.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import DesiredState
from reconciler.desired.targets import for_target, selected, waves
from reconciler.run.pipeline import RunSettings, Target, open_target

R = TypeVar("R")


@dataclass(frozen=True, kw_only=True)
class TargetResult(Generic[R]):
    """What one target's run gave: its value, or the error that stopped it."""

    name: str
    account: str
    region: str
    value: R | None = None
    error: ReconcilerError | None = None


def for_each_target(
    state: DesiredState,
    settings: RunSettings,
    names: list[str] | None,
    work: Callable[[Target], R],
) -> list[TargetResult[R]]:
    """``work`` for each selected target of the valid ``state`` (every target when
    ``names`` is empty), in run order; hubs after the other targets."""
    order = selected(state.config, names)
    results: dict[str, TargetResult[R]] = {}
    for wave in waves(state.config):
        todo = [name for name in order if name in wave]
        if not todo:
            continue
        with ThreadPoolExecutor(max_workers=len(todo)) as pool:
            futures = {n: pool.submit(_one, state, n, settings, work) for n in todo}
            results.update((n, f.result()) for n, f in futures.items())
    return [results[name] for name in order]


def _one(
    state: DesiredState, name: str, settings: RunSettings, work: Callable[[Target], R]
) -> TargetResult[R]:
    spec = state.config.targets[name]
    result: TargetResult[R] = TargetResult(
        name=name, account=spec.card_account_id, region=spec.region
    )
    try:
        target = open_target(for_target(state, name), replace(settings, target=name))
        return replace(result, value=work(target))
    except ReconcilerError as e:
        return replace(result, error=e)
