"""Diff model cards: desired (git) against live (SageMaker), as plan changes. Pure.

Compares what ``normalize`` made comparable: content field by field with deepdiff, the
status against the allowed lifecycle transitions, tags; a name or KMS key change replaces
a card. Plan errors (an illegal transition, an unmanaged card in the way) come back as
diagnostics placed on the line of the card file that causes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from reconciler.common.diagnostics import Diagnostic, json_path
from reconciler.common.status import CardStatus
from reconciler.desired.model import CardSpec
from reconciler.diff.fields import content_fields, new_card_fields
from reconciler.diff.ownership import adoption, ownership_tags, tag_delta
from reconciler.live.model import LiveCard, is_managed, is_replica
from reconciler.load.yamlsource import PathKey
from reconciler.normalize.state import Normalised
from reconciler.plan.address import Address
from reconciler.plan.model import MISSING, Action, Change, FieldChange, Guard, PlanPart, Reason
from reconciler.plan.payloads import (
    CreateCard,
    DeleteCard,
    ReplaceCard,
    Service,
    UpdateContent,
    UpdateStatus,
    UpdateTags,
)

CardArn = Callable[[str], str]


@dataclass(frozen=True, kw_only=True)
class CardDiffOptions:
    adopt: bool = False
    prune: bool = False


def diff_cards(n: Normalised, card_arn: CardArn, options: CardDiffOptions) -> PlanPart:
    """Every change that makes live cards match git. ``card_arn(name)`` builds an ARN."""
    result = PlanPart()
    state, live = n.state, n.live.cards
    renamed = {old for card in state.cards.values() for old in card.previous_names}
    for card in sorted(state.cards.values(), key=lambda c: c.name):
        _diff_one(n, card, card_arn, options, result)
    for name in sorted(set(live) - set(state.cards) - renamed - set(state.replicas)):
        _removed(n, live[name], options, result)
    return result


def _diff_one(
    n: Normalised, card: CardSpec, card_arn: CardArn, options: CardDiffOptions, out: PlanPart
) -> None:
    current = n.live.cards.get(card.name)
    if current is None:
        out.changes.append(_create_or_replace(n, card, card_arn))
        return
    out.changes.extend(_unfinished_rename(n, card))
    managed = is_managed(current.tags, n.state.config.ownership)
    if not managed and not options.adopt and _in_sync(n, card, current):
        out.adoptions.append(_adopt(n, card, current))
        return
    problem = _blocked(n, card, current, options)
    if problem:
        out.errors.append(problem)
    elif current.kms_key_id != card.kms_key_id:
        out.changes.append(_replace_for_key(n, card, current, card_arn))
    else:
        _update(n, card, current, out)


def _update(n: Normalised, card: CardSpec, live: LiveCard, out: PlanPart) -> None:
    if not is_managed(live.tags, n.state.config.ownership):
        out.adoptions.append(_adopt(n, card, live))  # --adopt: ownership tags, then changes
    out.changes.extend(_updates(n, card, live, out))


def _adopt(n: Normalised, card: CardSpec, live: LiveCard) -> Change:
    desired, tags = n.cards[card.name].tags, n.live_cards[card.name].tags
    return adoption(Address.card(card.name), live.arn, Service.SAGEMAKER, desired, tags)


def _delete(live: LiveCard) -> DeleteCard:
    return DeleteCard(name=live.name, arn=live.arn, status=live.status)


def _unfinished_rename(n: Normalised, card: CardSpec) -> Iterator[Change]:
    """A rename whose delete did not happen: the card exists under its new name and a
    managed card is still live under an old one. Deleting it finishes the replacement."""
    for old in card.previous_names:
        leftover = n.live.cards.get(old)
        if leftover is None or not is_managed(leftover.tags, n.state.config.ownership):
            continue
        if leftover.processing_status:
            continue
        yield Change(
            address=Address.card(old),
            action=Action.DELETE_CARD,
            reason=Reason.RENAME_LEFTOVER,
            detail=f"renamed to '{card.name}', which exists: the old card is left over",
            fields=(FieldChange("$.name", old, MISSING),),
            payload=_delete(leftover),
            guards=(Guard.REPLACES_CARD,),
        )


def _blocked(
    n: Normalised, card: CardSpec, live: LiveCard, options: CardDiffOptions
) -> Diagnostic | None:
    """Why the live card cannot be changed to match git, if it cannot."""
    if not is_managed(live.tags, n.state.config.ownership) and not options.adopt:
        return _error(n, card, ("name",), _unmanaged(card), "unmanaged-card")
    if live.unreadable:
        return _error(n, card, ("content",), _unreadable(card, live), "unreadable-content")
    if live.processing_status:
        message = (
            f"card '{card.name}' is being deleted "
            f"({live.processing_status}): plan again when deletion has finished"
        )
        return _error(n, card, ("name",), message, "card-deleting")
    return None


def _unmanaged(card: CardSpec) -> str:
    return (
        f"card '{card.name}' exists in the account, is "
        "not managed by the reconciler and differs from git: run `reconciler "
        f"import {card.name}` to write the live card to git, or plan with --adopt "
        "to make it match git"
    )


def _unreadable(card: CardSpec, live: LiveCard) -> str:
    return (
        f"the live content of card '{card.name}' is not a JSON object, so it cannot be "
        f"compared with git{_who(live)}: look at the card in the console, or write git's "
        "content over it with UpdateModelCard"
    )


def _create_or_replace(n: Normalised, card: CardSpec, card_arn: CardArn) -> Change:
    old = next((n.live.cards[p] for p in card.previous_names if p in n.live.cards), None)
    if old is not None and is_managed(old.tags, n.state.config.ownership):
        return _renamed(n, card, old, card_arn)
    return Change(
        address=Address.card(card.name),
        action=Action.CREATE_CARD,
        reason=Reason.NOT_IN_ACCOUNT,
        detail="declared in git, not in the account",
        fields=new_card_fields(card.status, card.content),  # ignored paths are seeded too
        payload=replace(_create(n, card, card_arn), content=card.content),
    )


def _renamed(n: Normalised, card: CardSpec, old: LiveCard, card_arn: CardArn) -> Change:
    """The card under its new name, replacing ``old``, whose live values at ignored
    paths it carries."""
    return Change(
        address=Address.card(card.name),
        action=Action.REPLACE_CARD,
        reason=Reason.RENAMED,
        detail=f"renamed from '{old.name}': SageMaker cannot rename a card, so a new card "
        f"is created and '{old.name}' (version history included) is deleted",
        fields=(FieldChange("$.name", old.name, card.name),),
        payload=ReplaceCard(create=_create(n, card, card_arn), delete=_delete(old)),
        guards=(Guard.REPLACES_CARD,),
    )


def _create(n: Normalised, card: CardSpec, card_arn: CardArn) -> CreateCard:
    compared = n.cards[card.name]
    return CreateCard(
        name=card.name,
        arn=card_arn(card.name),
        status=card.status,
        content=n.seed_content.get(card.name, card.content),
        tags=compared.tags.all,
        kms_key_id=card.kms_key_id,
    )


def _in_sync(n: Normalised, card: CardSpec, live: LiveCard) -> bool:
    """True when git declares exactly this live card (as after `reconciler import`)."""
    desired, current = n.cards[card.name], n.live_cards[card.name]
    return (
        desired.content == current.content
        and live.status == card.status
        and live.kms_key_id == card.kms_key_id
        and desired.tags.user == current.tags.user
        and not live.processing_status
    )


def _replace_for_key(n: Normalised, card: CardSpec, live: LiveCard, card_arn: CardArn) -> Change:
    return Change(
        address=Address.card(card.name),
        action=Action.REPLACE_CARD,
        reason=Reason.KMS_KEY_CHANGED,
        detail="the KMS key cannot change after creation: the card is deleted and created "
        "again with the new key, and its version history is lost",
        fields=(
            FieldChange("$.kms_key_id", live.kms_key_id or MISSING, card.kms_key_id or MISSING),
        ),
        payload=ReplaceCard(create=_create(n, card, card_arn), delete=_delete(live)),
        guards=(Guard.REPLACES_CARD,),
    )


def _updates(n: Normalised, card: CardSpec, live: LiveCard, out: PlanPart) -> Iterator[Change]:
    content_change = _content_change(n, card, live)
    if content_change and live.status == CardStatus.ARCHIVED:
        message = (
            f"card '{card.name}' is Archived in "
            "the account and SageMaker refuses content changes to it"
        )
        out.errors.append(_error(n, card, ("content",), message, "archived-content"))
        return
    if content_change:
        yield content_change
    if live.status != card.status:
        yield from _status_change(n, card, live, out)
    tags = _tag_change(n, card, live)
    if tags:
        yield tags


def _content_change(n: Normalised, card: CardSpec, live: LiveCard) -> Change | None:
    live_content, desired = n.live_cards[card.name].content, n.cards[card.name].content
    fields = content_fields(live_content, desired)
    if not fields:
        return None
    who = f", last modified by {live.last_modified_by}" if live.last_modified_by else ""
    when = f" at {live.last_modified_time}" if live.last_modified_time else ""
    return Change(
        address=Address.card(card.name),
        action=Action.UPDATE_CONTENT,
        reason=Reason.CONTENT_DIFFERS,
        detail=f"content differs from git (live version {live.version}{who}{when})",
        fields=fields,
        payload=UpdateContent(name=card.name, arn=live.arn, content=n.write_content[card.name]),
    )


def _status_change(
    n: Normalised, card: CardSpec, live: LiveCard, out: PlanPart
) -> Iterator[Change]:
    allowed = n.state.config.transitions.get(live.status, frozenset())
    if card.status not in allowed:
        out.errors.append(_illegal_transition(n, card, live, allowed))
        return
    archiving = card.status == CardStatus.ARCHIVED and live.status == CardStatus.APPROVED
    yield Change(
        address=Address.card(card.name),
        action=Action.UPDATE_STATUS,
        reason=Reason.STATUS_DIFFERS,
        detail=f"status {live.status} → {card.status}",
        fields=(FieldChange("$.status", live.status, card.status),),
        payload=UpdateStatus(
            name=card.name, arn=live.arn, status=card.status, from_status=live.status
        ),
        guards=(Guard.ARCHIVES_APPROVED,) if archiving else (),
    )


def _illegal_transition(
    n: Normalised, card: CardSpec, live: LiveCard, allowed: frozenset[CardStatus]
) -> Diagnostic:
    options = ", ".join(sorted(allowed)) or "none (it is terminal)"
    message = (
        f"{live.status} → {card.status} is "
        f"not an allowed transition; from {live.status} a card may "
        f"move to: {options}. Change the status one step at a time, "
        "or allow it under lifecycle.transitions in reconciler.yaml" + _who(live)
    )
    return _error(n, card, ("status",), message, "illegal-transition")


def _who(live: LiveCard) -> str:
    """Who last changed the live card, where SageMaker records it."""
    if not live.last_modified_by:
        return ""
    when = f" at {live.last_modified_time}" if live.last_modified_time else ""
    return f" (the card was last changed by {live.last_modified_by}{when})"


def _tag_change(n: Normalised, card: CardSpec, live: LiveCard) -> Change | None:
    desired, current = n.cards[card.name].tags, n.live_cards[card.name].tags
    if not is_managed(live.tags, n.state.config.ownership):
        # --adopt: the adoption planned before this change sets the ownership tags.
        current = replace(current, all={**current.all, **ownership_tags(desired, current)})
    delta = tag_delta(desired, current)
    if not delta:
        return None
    return Change(
        address=Address.card(card.name),
        action=Action.UPDATE_TAGS,
        reason=Reason.TAGS_DIFFER,
        detail="tags differ from git",
        fields=delta.fields,
        payload=UpdateTags(arn=live.arn, add=delta.add, remove=delta.remove),
    )


def _removed(n: Normalised, live: LiveCard, options: CardDiffOptions, out: PlanPart) -> None:
    if not is_managed(live.tags, n.state.config.ownership) or live.processing_status:
        return  # not ours, or already being deleted
    if is_replica(live, n.state.config.ownership):
        return  # a hub's replica: ``replicas`` owns it
    if not options.prune:
        out.warnings.append(
            f"card '{live.name}' is managed but no longer in git: plan with --prune to delete it"
        )
        return
    out.changes.append(card_deletion(live, Reason.NOT_IN_GIT, "no longer in git"))


def card_deletion(live: LiveCard, reason: Reason, why: str) -> Change:
    """Delete a managed live card, guarded as a deletion (and as the deletion of an
    Approved card when it is one)."""
    approved = live.status == CardStatus.APPROVED
    return Change(
        address=Address.card(live.name),
        action=Action.DELETE_CARD,
        reason=reason,
        detail=f"{why} (status {live.status}, version {live.version})",
        fields=(FieldChange("$.name", live.name, MISSING),),
        payload=_delete(live),
        guards=(Guard.DELETES, Guard.DELETES_APPROVED) if approved else (Guard.DELETES,),
    )


def _error(n: Normalised, card: CardSpec, path: PathKey, message: str, code: str) -> Diagnostic:
    doc = n.state.documents[card.file]
    return Diagnostic(
        file=card.file, position=doc.locate(path), path=json_path(path), message=message, code=code
    )
