"""`reconciler pull --group`: bring live changes of registry-managed model versions (the
embedded card's content and status, the approval, the stage) and of a group's tags back
into its registry file, so a change made in Studio becomes a reviewed pull request.

Only what git declares and the live version holds differently is rewritten, with the same
round-trip edit as card files: comments, key order and everything else stay. Paths under
a card's ``ignore:`` stay as git has them. A version whose card mirrors a card of
``cards/`` (``card_from``) gets no card written here: pull that card instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from reconciler.desired.registry import GroupSpec, VersionSpec
from reconciler.live.model import LiveGroup, LiveVersion
from reconciler.normalize.state import user_tags
from reconciler.normalize.values import with_live_values, without_paths
from reconciler.plan.address import Address
from reconciler.plan.model import Action
from reconciler.run.pipeline import PlanRun
from reconciler.workflows.files import inside, rewrite
from reconciler.workflows.importer import stage_document
from reconciler.workflows.pull import UP_TO_DATE, PullResult, pull_live
from reconciler.workflows.yamlwrite import dump, load_roundtrip, update


def pull_all(
    run: PlanRun, repo: Path, names: list[str], everything: bool, groups: tuple[str, ...]
) -> PullResult:
    """Pull the named cards and groups (``everything``: every card and registry file)."""
    result = pull_live(run, repo, names, everything)
    pull_groups(run, repo, sorted(run.state.groups) if everything else sorted(set(groups)), result)
    return result


def pull_groups(run: PlanRun, repo: Path, names: list[str], result: PullResult) -> None:
    """Rewrite each named group's file where its live versions or tags differ from git."""
    drifted = {
        c.address
        for c in run.found.changes
        if c.action in (Action.UPDATE_VERSION, Action.UPDATE_TAGS)
    }
    for name in names:
        reason = _why_not(run, name, drifted)
        if reason:
            (result.skipped if reason == UP_TO_DATE else result.failed).append(f"{name}: {reason}")
            continue
        group, live = run.state.groups[name], run.live.groups[name]
        assert live is not None  # _why_not
        own = run.state.config.ownership
        result.written.append(_pull(repo, group, user_tags(live.tags, own), live, drifted))
        result.notes += [
            f"{group.file}: version {v.number} mirrors card {v.card_from}: pull that card"
            for v in group.versions
            if v.card_from and Address.version(name, v.number) in drifted
        ]


def _why_not(run: PlanRun, name: str, drifted: set[Address]) -> str | None:
    group = run.state.groups.get(name)
    if group is None:
        return "no registry file declares it (use `reconciler import --group` for new groups)"
    if run.live.groups.get(name) is None:
        return "not in the account"
    addresses = {Address.group(name), *(Address.version(name, v.number) for v in group.versions)}
    return None if addresses & drifted else UP_TO_DATE


def _pull(
    repo: Path, group: GroupSpec, tags: Mapping[str, str], live: LiveGroup, drifted: set[Address]
) -> str:
    """Rewrite one registry file (``tags``: the live tags people set); what was written."""
    path = inside(repo, repo / group.file)
    doc = load_roundtrip(path.read_text(encoding="utf-8"))
    pulled = []
    if group.tags is not None and Address.group(group.name) in drifted:
        doc["tags"] = update(doc["tags"], _in_git_order(group.tags, tags))
        pulled.append("tags")
    for spec in group.versions:
        current = live.versions.get(spec.number)
        if current is None or Address.version(group.name, spec.number) not in drifted:
            continue
        parts = list(_pull_version(doc["versions"][spec.index], spec, current))
        pulled += [f"version {spec.number} ({', '.join(parts)})"] if parts else []
    rewrite(repo, path, dump(doc, keep_lines=True))
    return f"{group.file}: {'; '.join(pulled) or 'nothing'}"


def _in_git_order(declared: Mapping[str, str], live: Mapping[str, str]) -> dict[str, str]:
    """The live tags, in git's key order where git has them, new ones after."""
    return {**{k: live[k] for k in declared if k in live}, **dict(sorted(live.items()))}


def _pull_version(node: Any, spec: VersionSpec, live: LiveVersion) -> Iterator[str]:
    """Write the live values of what git declares of ``spec`` into its ``node``."""
    card = spec.card
    if card is not None and spec.card_from is None and live.content is not None:
        ignore = card.ignore
        if without_paths(live.content, ignore) != without_paths(card.content, ignore):
            content = with_live_values(without_paths(live.content, ignore), card.content, ignore)
            node["card"]["content"] = update(node["card"]["content"], content)
            yield "card content"
        if live.card_status and live.card_status != card.status:
            node["card"]["status"] = live.card_status
            yield "card status"
    if spec.approval is not None and live.approval != spec.approval.value:
        node["approval"] = live.approval
        yield "approval"
    if spec.stage is not None and live.stage is not None and live.stage != spec.stage:
        node["stage"] = update(node["stage"], stage_document(live.stage))
        yield "stage"
