"""`reconciler pull`: bring live content edits of managed cards back into their YAML files,
so an edit made in a shared account becomes a reviewed pull request.

Only the changed values are rewritten; comments, key order and everything else in the file
stay as they were. Paths under the card's ``ignore:`` stay as they are in git: live values
there are never pulled, and a value git sets there (a seed) is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reconciler.common.words import count
from reconciler.live.model import is_managed
from reconciler.normalize.values import with_live_values, without_paths
from reconciler.plan.model import Action
from reconciler.run.pipeline import PlanRun
from reconciler.workflows.files import inside, rewrite
from reconciler.workflows.yamlwrite import dump, load_roundtrip, update

UP_TO_DATE = "live content already matches git"


@dataclass(kw_only=True)
class PullResult:
    written: list[str] = field(default_factory=list)  # "cards/X.yaml: N fields"
    skipped: list[str] = field(default_factory=list)  # "name: why" (nothing to do)
    failed: list[str] = field(default_factory=list)  # "name: why" (named but impossible)
    notes: list[str] = field(default_factory=list)  # none (import notes what the next plan does)


def pull_live(run: PlanRun, repo: Path, names: list[str], everything: bool) -> PullResult:
    """Rewrite the content of each selected card whose live content differs from git.

    ``run`` must come from a plan with default options (no prune, no adopt)."""
    result = PullResult()
    drifted = {
        c.address.name: len(c.fields)
        for c in run.found.changes
        if c.action is Action.UPDATE_CONTENT
    }
    for name in sorted(run.state.cards) if everything else names:
        reason = _why_not(run, name, drifted)
        if reason:
            done = reason == UP_TO_DATE or everything
            (result.skipped if done else result.failed).append(f"{name}: {reason}")
        else:
            result.written.append(_pull(run, repo, name, drifted[name]))
    return result


def _pull(run: PlanRun, repo: Path, name: str, fields: int) -> str:
    """Rewrite one card's content with its live values; what was written, for people."""
    card = run.state.cards[name]
    live = without_paths(run.live.cards[name].content, card.ignore)
    _rewrite(repo, card.file, with_live_values(live, card.content, card.ignore))
    return f"{card.file}: {count(fields, 'field')} from live version {run.live.cards[name].version}"


def _why_not(run: PlanRun, name: str, drifted: dict[str, int]) -> str | None:
    if name not in run.state.cards:
        return "not declared in git (use `reconciler import` for new cards)"
    live = run.live.cards.get(name)
    if live is None:
        return "not in the account"
    if not is_managed(live.tags, run.state.config.ownership):
        return "not managed by the reconciler"
    if name not in drifted:
        return UP_TO_DATE
    return None


def _rewrite(repo: Path, file: str, content: dict[str, object]) -> None:
    """Write ``content`` into the card file ``file`` (a path in ``repo``, never outside)."""
    path = inside(repo, repo / file)
    doc = load_roundtrip(path.read_text(encoding="utf-8"))
    doc["content"] = update(doc["content"], content)
    rewrite(repo, path, dump(doc, keep_lines=True))
