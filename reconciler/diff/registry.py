"""Diff the Model Registry: each model version git declares against the card account.
Pure.

A version's embedded card is compared field by field (under its ``ignore`` paths), its
card status against the allowed lifecycle transitions, its approval and its stage; what
differs becomes one ``update_version`` change. A group whose file declares ``tags`` gets
an ``update_tags`` change when its live tags differ (AWS system tags aside); without
``tags`` in the file, the group's tags are left alone. Versions are registered by training
pipelines: a group or version of git that does not exist live is a plan error on its
line, and live versions git does not list are unmanaged (``unmanaged_versions``), never
changed. SageMaker has no call that changes a group's description, so a different one is
a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from reconciler.common.diagnostics import Diagnostic, json_path
from reconciler.common.status import ApprovalStatus, CardStatus, Lifecycle
from reconciler.desired.registry import GroupSpec, VersionSpec
from reconciler.diff.fields import content_fields
from reconciler.diff.ownership import tag_delta
from reconciler.live.model import LiveGroup, LiveVersion
from reconciler.load.yamlsource import PathKey
from reconciler.normalize.state import Normalised
from reconciler.plan.address import Address
from reconciler.plan.model import MISSING, Action, Change, FieldChange, Guard, PlanPart, Reason
from reconciler.plan.payloads import UpdateTags, UpdateVersion
from reconciler.validate.rules.gates import unmet, unmet_message


def diff_registry(n: Normalised) -> PlanPart:
    """The changes, errors and warnings of every group git declares."""
    out = PlanPart()
    for name, group in sorted(n.state.groups.items()):
        live = n.live.groups.get(name)
        if live is None:
            message = (
                f"model package group {name} does not exist in the card account: groups and "
                "versions are registered by training pipelines; register it, or correct the name"
            )
            out.errors.append(_error(n, group, ("name",), message, "missing-group"))
            continue
        if group.description is not None and group.description != live.description:
            out.warnings.append(
                f"model package group {name}: its description differs from git, and "
                "SageMaker has no call that changes it"
            )
        tags = _tag_change(n, name, live)
        if tags is not None:
            out.changes.append(tags)
        for version in group.versions:
            _version(n, group, version, live, out)
    return out


def _tag_change(n: Normalised, name: str, live: LiveGroup) -> Change | None:
    if name not in n.group_tags:
        return None
    delta = tag_delta(*n.group_tags[name])
    if not delta:
        return None
    return Change(
        address=Address.group(name),
        action=Action.UPDATE_TAGS,
        reason=Reason.TAGS_DIFFER,
        detail="the model package group's tags differ from git",
        fields=delta.fields,
        payload=UpdateTags(arn=live.arn, add=delta.add, remove=delta.remove),
    )


def _version(
    n: Normalised, group: GroupSpec, version: VersionSpec, live: LiveGroup, out: PlanPart
) -> None:
    current = live.versions.get(version.number)
    if current is None:
        message = (
            f"version {version.number} of model package group {group.name} does not exist: "
            "versions are registered by training pipelines, not by the reconciler"
        )
        out.errors.append(_error(n, group, (*version.path, "version"), message, "missing-version"))
        return
    errors = list(_problems(n, group, version, current))
    if errors:
        out.errors.extend(errors)
        return
    change = _change(n, group, version, current)
    gates = _unmet_gates(n, group, version)
    if gates and change is not None:
        out.errors.extend(_error(n, group, path, message, "gate") for path, message in gates)
    elif gates:
        out.warnings.extend(f"{group.file}: {message}" for _, message in gates)
    elif change is not None:
        out.changes.append(change)


def _unmet_gates(
    n: Normalised, group: GroupSpec, version: VersionSpec
) -> list[tuple[PathKey, str]]:
    """What the version's card status requires that its card does not hold, each with where
    to say so: a card written in the file, on its status line; one mirrored from cards/,
    as that card holds them (on ``card_from``). A version that changes while its card does
    not hold them is held back, whatever the flags, as a card of cards/ is."""
    card = version.card
    if card is None:
        return []
    config = n.state.config
    if card.mirrors:
        source = n.state.cards.get(card.mirrors)
        missing = unmet(config, source) if source is not None else []
        where: PathKey = (*version.path, "card_from")
    else:
        missing = unmet(config, card)
        where = (*version.path, "card", "status")
    return [(where, unmet_message(card.status, o)) for o in missing]


def _problems(
    n: Normalised, group: GroupSpec, version: VersionSpec, live: LiveVersion
) -> Iterator[Diagnostic]:
    card = version.card
    if card is None:
        return
    source = ("card_from",) if card.mirrors else ("card", "content")
    archived = live.card_status == CardStatus.ARCHIVED
    if archived and _content_fields(n, group, version):
        message = "the version's card is Archived and SageMaker refuses content changes to it"
        yield _error(n, group, (*version.path, *source), message, "archived-content")
    before = _card_status(live)
    if card.status != before and card.status not in n.state.config.transitions.get(before, ()):
        who = f" (last changed by {live.last_modified_by})" if live.last_modified_by else ""
        message = (
            f"the version's card is {before}: {before} → {card.status} is not an allowed "
            f"transition; change the status one step at a time{who}"
        )
        status = ("card_from",) if card.mirrors else ("card", "status")
        yield _error(n, group, (*version.path, *status), message, "illegal-transition")


def _card_status(live: LiveVersion) -> CardStatus:
    """The live card's status; a version without a card gets one in Draft."""
    return CardStatus.read(live.card_status or CardStatus.DRAFT, f"model version {live.arn}")


def _content_fields(
    n: Normalised, group: GroupSpec, version: VersionSpec
) -> tuple[FieldChange, ...]:
    compared = n.version_cards.get((group.name, version.number))
    if compared is None:
        return ()
    if compared.live is not None and compared.live == compared.desired:
        return ()
    return content_fields(compared.live or {}, compared.desired)


def _change(
    n: Normalised, group: GroupSpec, version: VersionSpec, live: LiveVersion
) -> Change | None:
    fields = list(_content_fields(n, group, version))
    content = n.version_cards[(group.name, version.number)].write if fields else None
    status = _status(version, live, fields)
    stage = _stage(version.stage, live.stage, fields)
    approval = _approval(version, live, fields)
    if not fields:
        return None
    before = ApprovalStatus.read(live.approval, f"model version {live.arn}")
    return Change(
        address=Address.version(group.name, version.number),
        action=Action.UPDATE_VERSION,
        reason=Reason.VERSION_DIFFERS,
        detail=_detail(version, live),
        fields=tuple(fields),
        payload=UpdateVersion(
            package_arn=live.arn,
            content=content,
            card_status=status,
            from_card_status=_card_status(live) if status else None,
            stage=stage,
            approval=approval,
            approval_description=version.approval_description if approval else None,
            from_approval=before if approval else None,
        ),
        guards=_guards(live, status, approval),
    )


def _status(
    version: VersionSpec, live: LiveVersion, fields: list[FieldChange]
) -> CardStatus | None:
    if version.card is None or version.card.status == _card_status(live):
        return None
    fields.append(FieldChange("$.card.status", live.card_status or MISSING, version.card.status))
    return version.card.status


def _stage(
    wanted: Lifecycle | None, live: Lifecycle | None, fields: list[FieldChange]
) -> Lifecycle | None:
    if wanted is None:
        return None
    if live == wanted:
        return None
    before = _shown_stage(live) if live else MISSING
    fields.append(FieldChange("$.stage", before, _shown_stage(wanted)))
    return wanted


def _shown_stage(stage: Lifecycle) -> str:
    """``stage/status``, and the description when there is one: a change of the
    description alone shows what it writes, not two equal stages."""
    shown = f"{stage.stage}/{stage.status}"
    return f"{shown} ({stage.description})" if stage.description else shown


def _approval(
    version: VersionSpec, live: LiveVersion, fields: list[FieldChange]
) -> ApprovalStatus | None:
    if version.approval is None or version.approval.value == live.approval:
        return None
    fields.append(FieldChange("$.approval", live.approval or MISSING, version.approval.value))
    return version.approval


def _guards(
    live: LiveVersion, status: CardStatus | None, approval: ApprovalStatus | None
) -> tuple[Guard, ...]:
    guards = []
    if status == CardStatus.ARCHIVED and live.card_status == CardStatus.APPROVED:
        guards.append(Guard.ARCHIVES_APPROVED)
    if approval is not None and live.approval == ApprovalStatus.APPROVED:
        guards.append(Guard.UNAPPROVES_PACKAGE)
    return tuple(guards)


def _detail(version: VersionSpec, live: LiveVersion) -> str:
    who = f", last modified by {live.last_modified_by}" if live.last_modified_by else ""
    when = f" at {live.last_modified_time}" if live.last_modified_time else ""
    text = f"model version differs from git{who}{when}"
    card = version.card
    if card is not None and card.mirrors:
        text += f"; its card mirrors card {card.mirrors}"
        if card.left_out:
            text += f", without what a model version's card lacks: {', '.join(card.left_out)}"
    return text


def unmanaged_versions(n: Normalised) -> Iterator[tuple[str, str]]:
    """(``<group>/<version>``, ARN) of each live version of a git group git does not list."""
    for name, group in sorted(n.state.groups.items()):
        live = n.live.groups.get(name)
        listed = {v.number for v in group.versions}
        for number, version in sorted((live.versions if live else {}).items()):
            if number not in listed:
                yield f"{name}/{number}", version.arn


def _error(n: Normalised, group: GroupSpec, path: PathKey, message: str, code: str) -> Diagnostic:
    doc = n.state.documents[group.file]
    return Diagnostic(
        file=group.file, position=doc.locate(path), path=json_path(path), message=message, code=code
    )
