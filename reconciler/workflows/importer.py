"""`reconciler import`: write live cards, shares and model package groups that git does
not have yet into YAML (``cards/``, ``shares/``, ``registry/``).

Files are built from what AWS says (cards confirmed with DescribeModelCard), in the key
order of the schemas, block style, long text as block scalars. Nothing is written to AWS:
the next apply adopts an imported resource by adding the ownership tags, and the plan after
an import is empty. Existing files are never overwritten, and a file is named after a
live card or share only when its name is a safe file name (``files``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from reconciler.common.arns import AWS_MANAGED_PERMISSIONS, GROUP_PERMISSIONS, Arns
from reconciler.common.errors import ReconcilerError
from reconciler.common.names import REPLICA_OF
from reconciler.common.status import Lifecycle
from reconciler.common.words import count
from reconciler.desired.model import Config, DesiredState
from reconciler.live.model import (
    LiveCard,
    LiveGroup,
    LiveShare,
    LiveVersion,
    active_entities,
    is_replica,
)
from reconciler.normalize.state import user_tags
from reconciler.run.pipeline import PlanRun
from reconciler.validate.schemas import Kind, load_schema, resolve_ref
from reconciler.workflows.files import UnsafeName, new_file, write_new
from reconciler.workflows.yamlwrite import dump, styled


@dataclass(kw_only=True)
class ImportResult:
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "name: why" (nothing to do)
    failed: list[str] = field(default_factory=list)  # "name: why" (named but impossible)
    notes: list[str] = field(default_factory=list)  # what the next plan will do with them


def card_document(card: LiveCard, config: Config) -> dict[str, Any]:
    """A card file's data, in the card schema's key order."""
    doc: dict[str, Any] = {"name": card.name, **_targets(config), "status": card.status.value}
    if card.kms_key_id:
        doc["kms_key_id"] = card.kms_key_id
    tags = user_tags(card.tags, config.ownership)
    if tags:
        doc["tags"] = dict(sorted(tags.items()))
    doc["content"] = schema_ordered(card.content)
    return doc


def _targets(config: Config) -> dict[str, list[str]]:
    """With targets: in reconciler.yaml, an imported file belongs to the target read."""
    return {"targets": [config.target]} if config.declares_targets else {}


def schema_ordered(content: Mapping[str, Any], kind: Kind = Kind.CONTENT) -> Any:
    """Content with keys in the order the content schema lists them (others after, sorted);
    ``Kind.PACKAGE_CONTENT`` for a model version's card."""
    root = load_schema(kind)
    return _order(content, root, root)


def _order(value: Any, node: dict[str, Any], root: dict[str, Any]) -> Any:
    node = resolve_ref(root, node)
    if isinstance(value, Mapping):
        props = node.get("properties", {})
        keys = [k for k in props if k in value] + sorted(k for k in value if k not in props)
        extra = node.get("additionalProperties")
        return {
            k: _order(value[k], props.get(k, extra if isinstance(extra, dict) else {}), root)
            for k in keys
        }
    if isinstance(value, list):
        items = node.get("items", {})
        return [_order(v, items if isinstance(items, dict) else {}, root) for v in value]
    return value


def share_document(
    share: LiveShare, config: Config, arns: Arns, groups: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A share file's data; raises when the share cannot be expressed in the repository.
    ``groups``: the names of git's model package groups by their lower-case form (a
    group's ARN holds its name in lower case); another group keeps the ARN's name."""
    names = {a.id: n for n, a in config.accounts.items()}
    principals = sorted(names.get(p, p) for p in active_entities(share.principals))
    cards, group_names = _resources(share, arns)
    doc: dict[str, Any] = {"name": share.name, **_targets(config), "principals": principals}
    if cards or not group_names:
        doc["cards"] = {"names": cards}
    doc["permission"] = _permission_name(share, config, arns)
    if group_names:
        doc["model_package_groups"] = {
            "names": sorted((groups or {}).get(g, g) for g in group_names),
            "permission": _group_permission_name(share, arns),
        }
    if share.allow_external_principals:
        doc["allow_external_principals"] = True
    tags = user_tags(share.tags, config.ownership)
    if tags:
        doc["tags"] = dict(sorted(tags.items()))
    return doc


def _resources(share: LiveShare, arns: Arns) -> tuple[list[str], list[str]]:
    """The names of the model cards and of the model package groups the share holds, which
    must be this account's in this region."""
    found: dict[str, list[str]] = {arns.card(""): [], arns.group(""): []}
    for arn in active_entities(share.resources):
        prefix = next((p for p in found if arn.startswith(p)), None)
        if prefix is None:
            raise ReconcilerError(
                f"share {share.name} holds resources that are not this account's model "
                "cards or model package groups in this region"
            )
        found[prefix].append(arn.removeprefix(prefix))
    cards, groups = found.values()
    return sorted(cards), sorted(groups)


def _group_permission_name(share: LiveShare, arns: Arns) -> str:
    known = {arns.permission(n): n for n in GROUP_PERMISSIONS}
    attached = share.group_permission_arns
    if len(attached) != 1 or attached[0] not in known:
        raise ReconcilerError(
            f"share {share.name} uses permission {', '.join(attached) or 'none'} for its "
            "model package groups",
            hint="one of AWS's managed permissions for groups: "
            + ", ".join(sorted(GROUP_PERMISSIONS)),
        )
    return known[attached[0]]


def _permission_name(share: LiveShare, config: Config, arns: Arns) -> str:
    known = {arns.permission(n): n for n in (*AWS_MANAGED_PERMISSIONS, *config.permissions)}
    if len(share.permission_arns) != 1 or share.permission_arns[0] not in known:
        raise ReconcilerError(
            f"share {share.name} uses permission {', '.join(share.permission_arns) or 'none'}",
            hint="declare it under permissions: in reconciler.yaml first",
        )
    return known[share.permission_arns[0]]


def import_live(
    run: PlanRun,
    repo: Path,
    names: list[str],
    everything: bool,
    shares: bool,
    groups: tuple[str, ...] = (),
) -> ImportResult:
    """Write files for the selected live cards (and shares, and the named model package
    groups) that git does not declare.

    ``run.live`` must hold the cards as DescribeModelCard reported them (the pipeline
    confirms them), and the named groups read whole; this module only writes the
    repository."""
    result = ImportResult()
    for card in _cards_to_import(run, names, everything, result):
        _import_card(run, repo, card, result)
    if shares:
        _import_shares(run, repo, result)
    for name in sorted(set(groups)):
        import_group(run, repo, name, result)
    return result


def _import_card(run: PlanRun, repo: Path, card: LiveCard, result: ImportResult) -> None:
    try:
        path = new_file(repo, "cards", card.name)
    except UnsafeName as e:
        result.failed.append(str(e))
        return
    header = f"# Imported from {card.arn} (version {card.version}) on {date.today()}.\n"
    if _write(repo, path, dump(styled(card_document(card, run.state.config)), header), result):
        result.notes += _joins(run.state, card)


def _joins(state: DesiredState, card: LiveCard) -> list[str]:
    """The shares in git that will take the imported card in, by its status."""
    joining = sorted(s.name for s in state.shares.values() if s.selects(card.name, card.status))
    if not joining:
        return []
    return [
        f"{card.name} ({card.status}) will join {', '.join(joining)}, which select "
        f"{card.status} cards: the next plan shows the association"
    ]


def _cards_to_import(
    run: PlanRun, names: list[str], everything: bool, result: ImportResult
) -> list[LiveCard]:
    live, state = run.live.cards, run.state
    wanted = sorted(live) if everything else names
    picked = []
    for name in wanted:
        reason = _why_not(name, live, state)
        if reason:
            nothing_to_do = everything or reason.startswith("already declared")
            (result.skipped if nothing_to_do else result.failed).append(f"{name}: {reason}")
        else:
            picked.append(live[name])
    return picked


def _why_not(name: str, live: Mapping[str, LiveCard], state: DesiredState) -> str | None:
    if name in state.cards:
        return f"already declared in {state.cards[name].file}"
    if name not in live:
        return "no such model card in the account"
    pattern = state.config.kept_out_of_git(name)
    if pattern is not None:
        return f"kept out of git by reconciler.yaml (unmanaged.cards: '{pattern}')"
    if live[name].processing_status:
        return f"being deleted ({live[name].processing_status})"
    if is_replica(live[name], state.config.ownership):
        return f"a replica of {live[name].tags[REPLICA_OF]}, kept from its spoke"
    return None


def _import_shares(run: PlanRun, repo: Path, result: ImportResult) -> None:
    arns = Arns.for_config(run.state.config)
    groups = {name.lower(): name for name in run.state.groups}
    for name, share in sorted(run.live.shares.items()):
        if name not in run.state.shares:
            _import_share(run, repo, share, arns, groups, result)


def _import_share(
    run: PlanRun,
    repo: Path,
    share: LiveShare,
    arns: Arns,
    groups: Mapping[str, str],
    result: ImportResult,
) -> None:
    try:
        path = new_file(repo, "shares", share.name)
    except UnsafeName as e:
        result.failed.append(str(e))
        return
    try:
        doc = share_document(share, run.state.config, arns, groups)
    except ReconcilerError as e:
        result.skipped.append(f"share {share.name}: {e}")
        return
    header = f"# Imported from {share.arn} on {date.today().isoformat()}.\n"
    if _write(repo, path, dump(styled(doc), header), result):
        result.notes.extend(_undeclared(share.name, doc, run.state))


def _undeclared(share: str, doc: Mapping[str, Any], state: DesiredState) -> list[str]:
    """A note for each model package group the share holds that registry/ lacks."""
    selected = (doc.get("model_package_groups") or {}).get("names", [])
    return [
        f"share {share} holds model package group {name}, which registry/ does not declare: "
        f"`reconciler import --group {name}` writes it"
        for name in selected
        if name not in state.groups
    ]


def _write(repo: Path, path: Path, text: str, result: ImportResult) -> bool:
    """Write a new file (never over anything, symlinks included); whether it was written."""
    shown = f"{path.parent.name}/{path.name}"  # relative to the repository
    if not write_new(repo, path, text):  # e.g. another target's card of the same name
        result.skipped.append(f"{path.name}: file exists; not overwritten")
        return False
    result.written.append(shown)
    return True


def group_document(group: LiveGroup, config: Config) -> dict[str, Any]:
    """A registry file's data, in the registry schema's key order: every live version
    with its approval, stage and card; the group's tags (``{}`` when it has none, so that
    tags added later are drift)."""
    doc: dict[str, Any] = {"name": group.name, **_targets(config)}
    if group.description:
        doc["description"] = group.description
    doc["tags"] = dict(sorted(user_tags(group.tags, config.ownership).items()))
    doc["versions"] = [version_document(v) for _, v in sorted(group.versions.items())]
    return doc


def version_document(version: LiveVersion) -> dict[str, Any]:
    """One version of a registry file, as the live version has it."""
    doc: dict[str, Any] = {"version": version.number}
    if version.approval:
        doc["approval"] = version.approval
    if version.approval_description:
        doc["approval_description"] = version.approval_description
    if version.stage is not None:
        doc["stage"] = stage_document(version.stage)
    if version.content is not None and version.card_status:
        content = schema_ordered(version.content, Kind.PACKAGE_CONTENT)
        doc["card"] = {"status": version.card_status, "content": content}
    return doc


def stage_document(stage: Lifecycle) -> dict[str, str]:
    doc = {"name": stage.stage, "status": stage.status}
    return {**doc, "description": stage.description} if stage.description else doc


def import_group(run: PlanRun, repo: Path, name: str, result: ImportResult) -> None:
    """Write ``registry/<name>.yaml`` from the live group (read whole by the pipeline)."""
    try:
        path = new_file(repo, "registry", name)
    except UnsafeName as e:
        result.failed.append(str(e))
        return
    if name in run.state.groups:
        result.skipped.append(f"{name}: already declared in {run.state.groups[name].file}")
        return
    group = run.live.groups.get(name)
    if group is None:
        result.failed.append(f"{name}: no such model package group in the account")
        return
    config = run.state.config
    header = (
        f"# Imported from model package group {name} of account {config.card_account_id} "
        f"({count(len(group.versions), 'version')}) on {date.today().isoformat()}.\n"
    )
    _write(repo, path, dump(styled(group_document(group, config)), header), result)
