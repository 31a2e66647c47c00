"""Diff model cards: desired (git) against live (SageMaker), as plan changes. Pure.

Content is compared field by field with deepdiff after normalisation; the status change is
checked against the allowed lifecycle transitions; name and KMS key changes replace a card.
Plan errors (an illegal transition, an unmanaged card in the way) come back as diagnostics
placed on the line of the card file that causes them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from deepdiff import DeepDiff

from reconciler.diagnostics import Diagnostic, json_path
from reconciler.live.model import LiveCard, is_managed
from reconciler.load.desired import CardSpec, DesiredState, Ownership
from reconciler.load.yamlsource import PathKey
from reconciler.normalize import canonical, with_live_values, without_paths
from reconciler.plan.model import MISSING, Action, Change, FieldChange, PlanPart

REPLACING = "replacing a card deletes it, and its version history, before creating it anew"
_DIFF_KINDS = (
    "values_changed",
    "type_changes",
    "dictionary_item_added",
    "dictionary_item_removed",
    "iterable_item_added",
    "iterable_item_removed",
)


@dataclass(frozen=True)
class CardDiffOptions:
    adopt: bool = False
    prune: bool = False


def card_address(name: str) -> str:
    return f"card.{name}"


def desired_tags(state: DesiredState, card: CardSpec) -> dict[str, str]:
    """The card's tags plus the ownership tags the reconciler keeps on what it manages."""
    own = state.config.ownership
    return {**card.tags, own.tag_key: own.tag_value, own.source_tag_key: card.file}


def diff_cards(
    state: DesiredState, live: Mapping[str, LiveCard], card_arn: Any, options: CardDiffOptions
) -> PlanPart:
    """Every change that makes live cards match git. ``card_arn(name)`` builds an ARN."""
    result = PlanPart()
    renamed = {old for card in state.cards.values() for old in card.previous_names}
    for card in sorted(state.cards.values(), key=lambda c: c.name):
        _diff_one(state, card, live, card_arn, options, result)
    for name in sorted(set(live) - set(state.cards) - renamed):
        _removed(state, live[name], options, result)
    return result


def _diff_one(
    state: DesiredState,
    card: CardSpec,
    live: Mapping[str, LiveCard],
    card_arn: Any,
    options: CardDiffOptions,
    out: PlanPart,
) -> None:
    current = live.get(card.name)
    if current is None:
        out.changes.append(_create_or_replace(state, card, live, card_arn))
        return
    out.changes.extend(_unfinished_rename(state, card, live))
    own = state.config.ownership
    if not is_managed(current.tags, own) and not options.adopt and _in_sync(card, current, own):
        out.adoptions.append(
            adoption(
                card_address(card.name),
                current.arn,
                "sagemaker",
                desired_tags(state, card),
                current.tags,
            )
        )
        return
    problem = _blocked(state, card, current, options)
    if problem:
        out.errors.append(problem)
        return
    if current.kms_key_id != card.kms_key_id:
        out.changes.append(_replace_for_key(state, card, current))
        return
    out.changes.extend(_updates(state, card, current, out))


def _unfinished_rename(
    state: DesiredState, card: CardSpec, live: Mapping[str, LiveCard]
) -> Iterator[Change]:
    """A rename whose delete did not happen: the card exists under its new name and a
    managed card is still live under an old one. Deleting it finishes the replacement."""
    for old in card.previous_names:
        leftover = live.get(old)
        if leftover is None or not is_managed(leftover.tags, state.config.ownership):
            continue
        if leftover.processing_status:
            continue
        yield Change(
            card_address(old),
            Action.DELETE_CARD,
            f"renamed to '{card.name}', which exists: the old card is left over",
            (FieldChange("$.name", old, MISSING),),
            {"name": old, "arn": leftover.arn, "status": leftover.status},
            ("force",),
            REPLACING,
        )


def _blocked(
    state: DesiredState, card: CardSpec, live: LiveCard, options: CardDiffOptions
) -> Diagnostic | None:
    own = state.config.ownership
    if not is_managed(live.tags, own) and not options.adopt:
        return _error(
            state,
            card,
            ("name",),
            f"card '{card.name}' exists in the account, is "
            "not managed by the reconciler and differs from git: run `reconciler "
            f"import {card.name}` to write the live card to git, or plan with --adopt "
            "to make it match git",
            "unmanaged-card",
        )
    if live.processing_status:
        return _error(
            state,
            card,
            ("name",),
            f"card '{card.name}' is being deleted "
            f"({live.processing_status}): plan again when deletion has finished",
            "card-deleting",
        )
    return None


def _create_or_replace(
    state: DesiredState, card: CardSpec, live: Mapping[str, LiveCard], card_arn: Any
) -> Change:
    params = _create_params(state, card)
    old = next((live[n] for n in card.previous_names if n in live), None)
    if old is not None and is_managed(old.tags, state.config.ownership):
        return Change(
            card_address(card.name),
            Action.REPLACE_CARD,
            f"renamed from '{old.name}': SageMaker cannot rename a card, so a new card "
            f"is created and '{old.name}' (version history included) is deleted",
            (FieldChange("$.name", old.name, card.name),),
            {**params, "delete_name": old.name, "delete_arn": old.arn},
            ("force",),
            guard=REPLACING,
        )
    fields = (FieldChange("$.status", after=card.status), *_leaves(card.content, ("content",)))
    return Change(
        card_address(card.name),
        Action.CREATE_CARD,
        "declared in git, not in the account",
        fields,
        {**params, "arn": card_arn(card.name)},
    )


def _create_params(state: DesiredState, card: CardSpec) -> dict[str, Any]:
    return {
        "name": card.name,
        "status": card.status,
        "content": canonical(card.content),
        "tags": canonical(desired_tags(state, card)),
        "kms_key_id": card.kms_key_id,
    }


def user_tags(tags: Mapping[str, str], own: Ownership) -> dict[str, str]:
    """Tags a person set: without the ownership tags and AWS system tags."""
    return {
        k: v
        for k, v in tags.items()
        if k not in (own.tag_key, own.source_tag_key) and not k.startswith("aws:")
    }


def same_content(card: CardSpec, content: Mapping[str, Any]) -> bool:
    """True when ``content`` equals the card's content in git, ignored paths aside."""
    return not content_fields(
        without_paths(content, card.ignore), without_paths(card.content, card.ignore)
    )


def _in_sync(card: CardSpec, live: LiveCard, own: Ownership) -> bool:
    """True when git declares exactly this live card (as after `reconciler import`)."""
    return (
        same_content(card, live.content)
        and live.status == card.status
        and live.kms_key_id == card.kms_key_id
        and user_tags(live.tags, own) == dict(card.tags)
        and not live.processing_status
    )


def adoption(
    address: str, arn: str, service: str, desired: Mapping[str, str], live: Mapping[str, str]
) -> Change:
    """Take over a live resource that matches git: only the ownership tags are added."""
    add = {k: v for k, v in sorted(desired.items()) if live.get(k) != v}
    return Change(
        address,
        Action.ADOPT,
        "matches git but is not managed yet (imported): the "
        "next apply adds the ownership tags and changes nothing else",
        tuple(FieldChange(f"$.tags.{k}", live.get(k, MISSING), v) for k, v in add.items()),
        {"arn": arn, "service": service, "add": add},
    )


def _replace_for_key(state: DesiredState, card: CardSpec, live: LiveCard) -> Change:
    content = with_live_values(card.content, live.content, card.ignore)
    params = {
        **_create_params(state, card),
        "content": content,
        "delete_name": live.name,
        "delete_arn": live.arn,
    }
    return Change(
        card_address(card.name),
        Action.REPLACE_CARD,
        "the KMS key cannot change after creation: the card is deleted and created "
        "again with the new key, and its version history is lost",
        (FieldChange("$.kms_key_id", live.kms_key_id or MISSING, card.kms_key_id or MISSING),),
        params,
        ("force",),
        guard=REPLACING,
    )


def _updates(
    state: DesiredState, card: CardSpec, live: LiveCard, out: PlanPart
) -> Iterator[Change]:
    content_change = _content_change(card, live)
    if content_change and live.status == "Archived":
        out.errors.append(
            _error(
                state,
                card,
                ("content",),
                f"card '{card.name}' is Archived in "
                "the account and SageMaker refuses content changes to it",
                "archived-content",
            )
        )
        return
    if content_change:
        yield content_change
    if live.status != card.status:
        yield from _status_change(state, card, live, out)
    tags = _tag_change(state, card, live)
    if tags:
        yield tags


def _content_change(card: CardSpec, live: LiveCard) -> Change | None:
    before = without_paths(live.content, card.ignore)
    after = without_paths(card.content, card.ignore)
    fields = content_fields(before, after)
    if not fields:
        return None
    who = f", last modified by {live.last_modified_by}" if live.last_modified_by else ""
    when = f" at {live.last_modified_time}" if live.last_modified_time else ""
    reason = f"content differs from git (live version {live.version}{who}{when})"
    params = {
        "name": card.name,
        "arn": live.arn,
        "content": with_live_values(card.content, live.content, card.ignore),
    }
    return Change(card_address(card.name), Action.UPDATE_CONTENT, reason, fields, params)


def content_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """Field-level changes under ``$.content``, sorted by path."""
    diff = DeepDiff(dict(before), dict(after), view="tree", ignore_numeric_type_changes=True)
    found: list[FieldChange] = []
    for kind in _DIFF_KINDS:
        for level in diff.get(kind, []):
            path: PathKey = ("content", *level.path(output_format="list"))
            found.append(FieldChange(json_path(path), _side(level.t1), _side(level.t2)))
    return tuple(sorted(found, key=lambda f: f.path))


def _leaves(value: Any, path: PathKey) -> Iterator[FieldChange]:
    """One added field per scalar or list inside a new card's content."""
    if isinstance(value, Mapping) and value:
        for key in sorted(value):
            yield from _leaves(value[key], (*path, key))
    else:
        yield FieldChange(json_path(path), after=canonical(value))


def _side(value: Any) -> Any:
    return MISSING if type(value).__name__ == "NotPresent" else canonical(value)


def _status_change(
    state: DesiredState, card: CardSpec, live: LiveCard, out: PlanPart
) -> Iterator[Change]:
    allowed = state.config.transitions.get(live.status, frozenset())
    if card.status not in allowed:
        options = ", ".join(sorted(allowed)) or "none (it is terminal)"
        out.errors.append(
            _error(
                state,
                card,
                ("status",),
                f"{live.status} → {card.status} is "
                f"not an allowed transition; from {live.status} a card may "
                f"move to: {options}. Change the status one step at a time, "
                "or allow it under lifecycle.transitions in reconciler.yaml",
                "illegal-transition",
            )
        )
        return
    archiving = card.status == "Archived" and live.status == "Approved"
    needs, guard = (("force",), "it archives an Approved card") if archiving else ((), "")
    yield Change(
        card_address(card.name),
        Action.UPDATE_STATUS,
        f"status {live.status} → {card.status}",
        (FieldChange("$.status", live.status, card.status),),
        {"name": card.name, "arn": live.arn, "status": card.status, "from_status": live.status},
        needs,
        guard,
    )


def _tag_change(state: DesiredState, card: CardSpec, live: LiveCard) -> Change | None:
    return tag_change(card_address(card.name), live.arn, desired_tags(state, card), live.tags)


def tag_change(
    address: str, arn: str, desired: Mapping[str, str], live: Mapping[str, str]
) -> Change | None:
    """Tags to add or overwrite and keys to remove; AWS system tags (aws:) are left alone."""
    add = {k: v for k, v in sorted(desired.items()) if live.get(k) != v}
    remove = sorted(k for k in live if k not in desired and not k.startswith("aws:"))
    if not add and not remove:
        return None
    fields = [FieldChange(f"$.tags.{k}", live.get(k, MISSING), v) for k, v in add.items()]
    fields += [FieldChange(f"$.tags.{k}", live[k], MISSING) for k in remove]
    return Change(
        address,
        Action.UPDATE_TAGS,
        "tags differ from git",
        tuple(sorted(fields, key=lambda f: f.path)),
        {"arn": arn, "add": add, "remove": remove},
    )


def _removed(state: DesiredState, live: LiveCard, options: CardDiffOptions, out: PlanPart) -> None:
    if not is_managed(live.tags, state.config.ownership) or live.processing_status:
        return  # not ours, or already being deleted
    if not options.prune:
        out.warnings.append(
            f"card '{live.name}' is managed but no longer in git: plan with --prune to delete it"
        )
        return
    approved = live.status == "Approved"
    needs = ("prune", "force") if approved else ("prune",)
    out.changes.append(
        Change(
            card_address(live.name),
            Action.DELETE_CARD,
            f"no longer in git (status {live.status}, version {live.version})",
            (FieldChange("$.name", live.name, MISSING),),
            {"name": live.name, "arn": live.arn, "status": live.status},
            needs,
            "it deletes an Approved card" if approved else "",
        )
    )


def _error(
    state: DesiredState, card: CardSpec, path: PathKey, message: str, code: str
) -> Diagnostic:
    doc = state.documents[card.file]
    return Diagnostic(card.file, doc.locate(path), json_path(path), message, code)
