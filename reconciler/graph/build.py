"""The sharing graph from git (the desired state) or from live state, read the same way;
and the whole picture the `graph` command draws: that graph with the Model Registry beside
it (``graph.registry``). Plans and drift picture only the sharing part."""

from __future__ import annotations

from collections.abc import Callable

from reconciler.common.arns import GROUP_RESOURCE
from reconciler.desired.model import Config, DesiredState, ShareSpec
from reconciler.diff.shares import resolved_principals, selected_cards, selected_groups
from reconciler.graph.model import Edge, Graph, GraphChange, Kind, Node, compare
from reconciler.graph.registry import registry_from_git, registry_from_live
from reconciler.live.model import LiveShare, LiveState, active_entities, is_managed
from reconciler.validate.rules.shares import is_external


def whole_from_git(state: DesiredState) -> Graph:
    """The sharing graph git declares with its model package groups and versions."""
    sharing = from_git(state)
    nodes, edges = registry_from_git(state)
    return Graph.of([*sharing.nodes.values(), *nodes], [*sharing.edges, *edges])


def whole_from_live(live: LiveState, state: DesiredState) -> Graph:
    """The card account's sharing graph (every share) with the groups and versions git
    declares, as the account has them."""
    sharing = from_live(live, state.config)
    nodes, edges = registry_from_live(live, state)
    return Graph.of([*sharing.nodes.values(), *nodes], [*sharing.edges, *edges])


def from_git(state: DesiredState) -> Graph:
    """Cards with their status in git, the shares that select them (and the model package
    groups they select), and their principals."""
    config = state.config
    nodes = [Node(kind=Kind.CARD, name=c.name, detail=c.status) for c in state.cards.values()]
    edges: list[Edge] = []
    for share in state.shares.values():
        groups = [f"{Kind.GROUP.value}:{g}" for g in selected_groups(state, share)]
        node = Node(kind=Kind.SHARE, name=share.name, detail=_git_permissions(share, groups))
        principals = [principal(config, p) for p in resolved_principals(state, share)]
        cards = [f"{Kind.CARD.value}:{c}" for c in selected_cards(state, share)]
        nodes += [node, *principals]
        edges += [Edge(resource, node.key) for resource in cards + groups]
        edges += [Edge(node.key, p.key) for p in principals]
    return Graph.of(nodes, edges)


def _git_permissions(share: ShareSpec, groups: list[str]) -> str:
    """The share's permission, and its groups' while it holds some (as RAM then applies
    both), named as ``permission_names`` names live ones."""
    names = {share.permission}
    if share.groups and groups:
        names.add(share.groups.permission)
    return ", ".join(sorted(names))


def from_live(
    live: LiveState, config: Config, keep: Callable[[LiveShare], bool] = lambda _: True
) -> Graph:
    """The same graph as AWS has it: every share in the card account, or those ``keep``
    accepts (what a plan or drift compares)."""
    names = {c.arn: f"{Kind.CARD.value}:{c.name}" for c in live.cards.values()}
    names |= {g.arn.lower(): f"{Kind.GROUP.value}:{g.name}" for g in live.groups.values() if g}
    nodes = [Node(kind=Kind.CARD, name=c.name, detail=c.status) for c in live.cards.values()]
    edges: list[Edge] = []
    for share in live.shares.values():
        if keep(share):
            _add_live_share(share, config, names, nodes, edges)
    return Graph.of(nodes, edges)


def _add_live_share(
    share: LiveShare, config: Config, names: dict[str, str], nodes: list[Node], edges: list[Edge]
) -> None:
    """The share, the accounts it reaches and its edges from its cards and groups
    (``names``: node keys by ARN)."""
    node = Node(kind=Kind.SHARE, name=share.name, detail=permission_names(share))
    external = {a.entity for a in share.principals if a.external}
    entities = sorted(active_entities(share.principals))
    principals = [principal(config, p, live=p in external) for p in entities]
    resources = [resource_key(arn, names) for arn in active_entities(share.resources)]
    nodes.extend([node, *principals])
    edges.extend(Edge(key, node.key) for key in resources)
    edges.extend(Edge(node.key, p.key) for p in principals)


def resource_key(arn: str, names: dict[str, str]) -> str:
    """The node of a share's resource: a card or group the account has, by ARN; else a
    model package group or a card named by the ARN's last part (RAM's ARN, untrusted)."""
    known = names.get(arn) or names.get(arn.lower())
    if known:
        return known
    kind = Kind.GROUP if GROUP_RESOURCE in arn else Kind.CARD
    return f"{kind.value}:{arn.rsplit('/', 1)[-1]}"


def permission_names(share: LiveShare) -> str:
    """The permissions RAM applies to the share's cards and to its groups, by name."""
    arns = (*share.permission_arns, *share.group_permission_arns)
    return ", ".join(sorted({a.rsplit("/", 1)[-1] for a in arns})) or "none"


def principal(config: Config, entity: str, live: bool | None = None) -> Node:
    """A principal node: an account ID (named when reconciler.yaml knows it), or an
    Organization or OU ARN. Outside the Organization: as reconciler.yaml has it for git;
    live, when RAM calls the association external (``live``) or reconciler.yaml does."""
    account = config.account_by_id(entity)
    if live is None:
        outside = is_external(config, entity)
    else:
        outside = live or bool(account and account.external)
    return Node(
        kind=Kind.ACCOUNT, name=entity, detail=account.name if account else None, outside=outside
    )


def plan_change(state: DesiredState, live: LiveState, prune: bool) -> GraphChange | None:
    """What a plan changes in the graph, from live to git: the shares git declares, and
    with ``prune`` also the managed shares it deletes. Other shares the plan never touches."""
    return compare(_live_for(state, live, managed_too=prune), from_git(state))


def drift_change(state: DesiredState, live: LiveState) -> GraphChange | None:
    """What changed outside git, from git to live: the shares git declares and the managed
    shares it no longer does (drift reports those too)."""
    return compare(from_git(state), _live_for(state, live, managed_too=True))


def _live_for(state: DesiredState, live: LiveState, managed_too: bool) -> Graph:
    ownership = state.config.ownership

    def keep(share: LiveShare) -> bool:
        in_git = share.name in state.shares
        return in_git or (managed_too and is_managed(share.tags, ownership))

    return from_live(live, state.config, keep)
