"""The Model Registry beside the cards: each model package group git declares, with the
versions it manages, from git or as the card account has them. Pure.

A version's card mirrors a card of ``cards/`` only by git's word (``card_from``): AWS
records no such link, so the live picture draws it where git declares it and the card
exists live. A card describes a version when its ``model_package_arn`` names that version
of a declared group in the card account and region (SageMaker writes the group's name in
lower case in the ARN, so the name is compared without case); git and live state are
matched the same way. Versions git does not list are not drawn: they are the pipeline's,
not the repository's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.common.content import package_arn_of
from reconciler.common.regions import partition_for
from reconciler.common.status import Lifecycle
from reconciler.desired.model import Config, DesiredState
from reconciler.desired.registry import GroupSpec, VersionSpec
from reconciler.graph.model import Edge, Kind, Node, VersionFacts
from reconciler.live.model import LiveGroup, LiveState, LiveVersion

# A model version's ARN: arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<n>
VERSION_RESOURCE = "model-package/"


@dataclass(frozen=True, kw_only=True)
class VersionRef:
    """Where an ARN points: a version of a group (its name in lower case) in an account,
    region and partition."""

    partition: str
    region: str
    account: str
    group: str
    number: int


def version_ref(arn: object) -> VersionRef | None:
    """The model version an ARN names; None for anything else (another resource, a
    package without a group, text that is no ARN)."""
    if not isinstance(arn, str):
        return None
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "sagemaker":
        return None
    path = parts[5].removeprefix(VERSION_RESOURCE)
    group, _, number = path.partition("/")
    if path == parts[5] or not group or not (number.isascii() and number.isdigit()):
        return None
    return VersionRef(
        partition=parts[1],
        region=parts[3],
        account=parts[4],
        group=group.lower(),
        number=int(number),
    )


def version_key(group: str, number: int) -> str:
    return f"{Kind.VERSION.value}:{group}/{number}"


def card_key(name: str) -> str:
    return f"{Kind.CARD.value}:{name}"


Part = tuple[list[Node], list[Edge]]


def registry_from_git(state: DesiredState) -> Part:
    """Each group of registry/ with its description, and the versions it lists with the
    approval, stage and card status git gives them; edges to the cards they mirror and
    from the cards that describe them."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    for group in state.groups.values():
        nodes.append(Node(kind=Kind.GROUP, name=group.name, detail=group.description))
        for spec in group.versions:
            node = _git_version(group, spec)
            nodes.append(node)
            edges.append(Edge(f"{Kind.GROUP.value}:{group.name}", node.key))
            if spec.card_from:
                edges.append(Edge(node.key, card_key(spec.card_from)))
    known = _refs(
        state.config, {(g.name, v.number) for g in state.groups.values() for v in g.versions}
    )
    edges += _described(((c.name, c.content) for c in state.cards.values()), known)
    return nodes, edges


def _git_version(group: GroupSpec, spec: VersionSpec) -> Node:
    card = spec.card
    return _version_node(
        group.name,
        spec.number,
        approval=spec.approval.value if spec.approval else None,
        stage=spec.stage,
        card_status=card.status.value if card else None,
    )


def _version_node(
    group: str,
    number: int,
    *,
    approval: str | None,
    stage: Lifecycle | None,
    card_status: str | None,
) -> Node:
    facts = VersionFacts(
        group=group, number=number, approval=approval, stage=stage, card_status=card_status
    )
    return Node(kind=Kind.VERSION, name=f"{group}/{number}", version=facts)


def _refs(config: Config, versions: Iterable[tuple[str, int]]) -> dict[VersionRef, str]:
    """The ARN reference of each (group, number) in the card account and region, to the
    version's node key."""
    region, account = config.region, config.card_account_id
    where = {"partition": partition_for(region), "region": region, "account": account}
    return {
        VersionRef(**where, group=group.lower(), number=number): version_key(group, number)
        for group, number in versions
    }


def _described(
    cards: Iterable[tuple[str, Mapping[str, Any]]], known: Mapping[VersionRef, str]
) -> list[Edge]:
    """card → version for each card whose content names a version in ``known``."""
    edges = []
    for name, content in cards:
        ref = version_ref(package_arn_of(content))
        if ref is not None and ref in known:
            edges.append(Edge(card_key(name), known[ref]))
    return edges


def registry_from_live(live: LiveState, state: DesiredState) -> Part:
    """The groups git declares as the card account has them (a group that does not exist
    is left out), with the versions git lists as SageMaker describes them."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    refs: dict[VersionRef, str] = {}
    for name, group in live.groups.items():
        spec = state.groups.get(name)
        if group is None or spec is None:
            continue
        nodes.append(Node(kind=Kind.GROUP, name=name, detail=group.description))
        for version in _managed(group, spec):
            node = _live_version(name, version)
            nodes.append(node)
            edges.append(Edge(f"{Kind.GROUP.value}:{name}", node.key))
            edges += _mirror(spec.version(version.number), node, live)
            ref = version_ref(version.arn)
            if ref is not None:
                refs[ref] = node.key
    edges += _described(((c.name, c.content) for c in live.cards.values()), refs)
    return nodes, edges


def _managed(group: LiveGroup, spec: GroupSpec) -> list[LiveVersion]:
    listed = {v.number for v in spec.versions}
    return [v for n, v in sorted(group.versions.items()) if n in listed]


def _live_version(group: str, version: LiveVersion) -> Node:
    return _version_node(
        group,
        version.number,
        approval=version.approval or None,
        stage=version.stage,
        card_status=version.card_status,
    )


def _mirror(spec: VersionSpec | None, node: Node, live: LiveState) -> list[Edge]:
    """version → card where git says the version's card mirrors a card the account has."""
    if spec is None or not spec.card_from or spec.card_from not in live.cards:
        return []
    return [Edge(node.key, card_key(spec.card_from))]
