"""Diff the audit trail: PDF exports of cards and the approval of the model packages
cards document. Pure; runs after the card diff, whose changes it reads.

Exports: a managed card whose git status is one of ``exports.statuses`` needs a PDF of
its current version in that status. When the plan makes a new version (create, replace,
content), the export follows that write, of the version it makes; otherwise the live
export of the current version in git's status decides (none, or its PDF gone from S3:
export again, under a new job name), also when only the status changes, since a status
change keeps the version. A job under a name apply would use that someone else made (its
card, version or output path differ) is a plan error on the card's status line, which
holds the card back. Packages: a card naming a model package that does not exist, is
outside the card account and region (never described: the plan role may not), or that
AWS would not describe (AccessDenied, ValidationException) gets a plan error on that line,
which holds back that card only; with ``registry.sync_approval`` the package's approval
follows the card's status through ``registry.mapping``, else a mismatch is a warning.
"""

from __future__ import annotations

from collections.abc import Iterable

from reconciler.common.arns import account_and_region
from reconciler.common.content import package_arn_of
from reconciler.common.diagnostics import Diagnostic, json_path
from reconciler.desired.model import CardSpec, Config
from reconciler.live.model import LiveCard, LiveExport, LivePackage, UnreadPackage, is_managed
from reconciler.normalize.state import Normalised
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change, FieldChange, Guard, PlanPart, Reason
from reconciler.plan.payloads import ExportCard, UpdatePackageApproval

# Actions after which the card has a new version (a status change keeps the version).
NEW_VERSION = frozenset({Action.CREATE_CARD, Action.REPLACE_CARD, Action.UPDATE_CONTENT})
PACKAGE_PATH = ("content", "model_package_details", "model_package_arn")
MESSAGE_LIMIT = 300  # characters of AWS's message quoted in a plan error


def diff_audit(
    n: Normalised, card_changes: Iterable[Change], adopted: Iterable[Address]
) -> PlanPart:
    """Export and package-approval changes, errors and warnings for every card in git.
    ``adopted``: addresses of cards the plan adopts (they count as managed)."""
    out = PlanPart()
    changes = list(card_changes)
    writing = {c.address for c in changes if c.action in NEW_VERSION}
    ours = {c.address for c in changes} | set(adopted)
    for card in sorted(n.state.cards.values(), key=lambda c: c.name):
        address = Address.card(card.name)
        live = n.live.cards.get(card.name)
        if _unmanaged(n, live) and address not in ours:
            continue  # not ours: reported as unmanaged, never touched
        _package(n, card, out)
        taken = _job_taken(n, card, address in writing)
        export = None if taken else _export(n, card, live, address in writing)
        out.errors += [taken] if taken else []
        out.changes += [export] if export else []
    return out


def _unmanaged(n: Normalised, live: LiveCard | None) -> bool:
    return live is not None and not is_managed(live.tags, n.state.config.ownership)


def _export(n: Normalised, card: CardSpec, live: LiveCard | None, writes: bool) -> Change | None:
    exports = n.state.config.exports
    if exports is None or card.status not in exports.statuses:
        return None
    found = n.live.exports.get(card.name)
    if not writes and live is not None and found is not None:
        return _export_missing(card, live, found, exports.output_path)
    if not writes and live is not None and live.status == card.status:
        return None  # no export read for it: nothing is known to be missing
    payload = ExportCard(
        name=card.name, version=None, status=card.status, output_path=exports.output_path
    )
    return _export_change(
        payload, f"export the version this apply writes to {exports.output_path}/"
    )


def _job_taken(n: Normalised, card: CardSpec, writes: bool) -> Diagnostic | None:
    """A plan error when a job under a name apply would use for the live version was made
    by someone else: apply would wait for it, and report its PDF as this card's."""
    found = n.live.exports.get(card.name)
    if writes or found is None or found.foreign is None:
        return None
    return Diagnostic(
        file=card.file,
        position=n.state.documents[card.file].locate(("status",)),
        path="$.status",
        message=f"{found.foreign}; apply would wait for it and take its PDF as this card's "
        f"export as {card.status}, so the card is held back. Export jobs cannot be deleted: "
        "find who made it in CloudTrail (CreateModelCardExportJob), then change the card's "
        "content, which makes a new version exported under a new name",
        code="foreign-export-job",
    )


def _export_missing(card: CardSpec, live: LiveCard, found: LiveExport, path: str) -> Change | None:
    """An export of the live version as git's status, unless one exists or is running."""
    if found.uri or found.running:
        return None
    payload = ExportCard(
        name=card.name,
        version=live.version,
        status=card.status,
        output_path=path,
        attempt=found.jobs + 1,
    )
    gone = " (its earlier PDF is gone from S3)" if found.jobs else ""
    return _export_change(
        payload, f"version {live.version} has no PDF export as {card.status}{gone}"
    )


def _export_change(payload: ExportCard, detail: str) -> Change:
    return Change(
        address=Address.card(payload.name),
        action=Action.EXPORT_CARD,
        reason=Reason.EXPORT_MISSING,
        detail=detail,
        payload=payload,
    )


def _package(n: Normalised, card: CardSpec, out: PlanPart) -> None:
    arn = package_arn_of(card.content)
    if arn is None:
        return
    package = n.live.packages.get(arn)
    problem = _package_problem(n, arn, package)
    if problem is not None:
        out.errors.append(_package_error(n, card, *problem))
        return
    if not isinstance(package, LivePackage):
        return  # not read
    registry = n.state.config.registry
    wanted = registry.approval_for(card.status)
    if wanted is None or package.approval == wanted:
        return
    if registry.sync_approval:
        out.changes.append(_approval_change(card, arn, package.approval, wanted))
    else:
        out.warnings.append(_approval_differs(card, arn, package.approval, wanted))


def _approval_differs(card: CardSpec, arn: str, approval: str, wanted: str) -> str:
    return (
        f"card '{card.name}' is {card.status} but its model package {arn} is "
        f"{approval or 'without approval status'} (expected {wanted}): set "
        "registry.sync_approval in reconciler.yaml to keep them in step, or approve "
        "the package in the Model Registry"
    )


def _approval_change(card: CardSpec, arn: str, approval: str, wanted: str) -> Change:
    return Change(
        address=Address.card(card.name),
        action=Action.UPDATE_PACKAGE_APPROVAL,
        reason=Reason.APPROVAL_DIFFERS,
        detail=f"model package approval {approval} → {wanted} (card {card.status})",
        fields=(FieldChange("$.ModelApprovalStatus", approval, wanted),),
        payload=UpdatePackageApproval(
            package_arn=arn, card_name=card.name, approval=wanted, from_approval=approval
        ),
        guards=(Guard.UNAPPROVES_PACKAGE,) if approval == "Approved" else (),
    )


def _package_problem(
    n: Normalised, arn: str, package: LivePackage | UnreadPackage | None
) -> tuple[str, str] | None:
    """Why the card's package holds the card back, and the diagnostic's code; None if not."""
    foreign = _foreign(n.state.config, arn)
    if foreign is not None:
        return foreign, "foreign-package"
    if isinstance(package, UnreadPackage):
        return (
            f"model package {arn} cannot be described: {package.code}: "
            f"{package.message[:MESSAGE_LIMIT]}: correct the ARN, or check that the plan role "
            "may sagemaker:DescribeModelPackage it (reconciler iam-policy --role plan)",
            "unreadable-package",
        )
    if package is None and arn in n.live.packages:
        return (
            f"model package {arn} does not exist (DescribeModelPackage): register the model "
            "in the Model Registry first, or correct the ARN",
            "missing-package",
        )
    return None


def _foreign(config: Config, arn: str) -> str | None:
    """Why a package outside the card account and region is not read; None inside."""
    account, region = account_and_region(arn)
    if (account, region) == (config.card_account_id, config.region):
        return None
    return (
        f"model package {arn} is in account {account or '?'}, region {region or '?'}, "
        f"not in the card account {config.card_account_id} in {config.region}: the "
        "reconciler reads and approves the card account's packages only; register the "
        "model there, or correct the ARN"
    )


def _package_error(n: Normalised, card: CardSpec, message: str, code: str) -> Diagnostic:
    """A plan error at the card's model_package_arn line."""
    doc = n.state.documents[card.file]
    return Diagnostic(
        file=card.file,
        position=doc.locate(PACKAGE_PATH),
        path=json_path(PACKAGE_PATH),
        message=message,
        code=code,
    )
