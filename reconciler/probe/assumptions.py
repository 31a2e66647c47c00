"""Every AWS behaviour the reconciler or its sandbox relies on without AWS documenting it,
in the order the probe checks them: what the sandbox assumes (the default of its
``SandboxConfig`` switch), and what follows for the reconciler if an account differs.

Sources of the list: the rows ``../shared/reference/aws-facts.md`` marks [I] or [?] that the
code relies on, and the code's own "Undocumented" notes (``sandbox/config.py``,
``sandbox/ram/authz.py``, ``sandbox/sagemaker/cards.py``, ``sandbox/sagemaker/export.py``,
``sandbox/cloudtrail/lookup.py``, ``live/sagemaker.py``). docs/probe.md lists the few
behaviours left out and why.
"""

from __future__ import annotations

from types import MappingProxyType

from reconciler.common.arns import AWS_MANAGED_PERMISSIONS, GROUP_PERMISSIONS
from reconciler.reports.probe import Assumption, Compare, Mode

READ, WRITE, DELAY = Mode.READ, Mode.WRITE, Compare.DELAY
MANAGED_PERMISSIONS = AWS_MANAGED_PERMISSIONS  # the reconciler's own assumption
RAM_TYPES = (
    "sagemaker:ModelCard",
    "sagemaker:ModelPackageGroup",
    "sagemaker:Pipeline",
    "sagemaker:LineageGroup",
    "sagemaker:FeatureGroup",
    "sagemaker:SagemakerCatalog",
)
_UNUSED_GRANT = "`iam-policy --role apply` grants it anyway; the grant is then unused"


def _a(
    key: str, switch: str, assumed: object, mode: Mode, *text: str, **more: Compare
) -> Assumption:
    summary, consequence = text
    return Assumption(
        key=key,
        switch=switch,
        assumed=assumed,  # type: ignore[arg-type]  # each default is a SwitchValue
        summary=summary,
        consequence=consequence,
        mode=mode,
        **more,
    )


ASSUMPTIONS: tuple[Assumption, ...] = (
    _a(
        "search-sorts-by-name",
        "search_sorts_by_name",
        True,
        READ,
        "Search sorts model cards by name (SortBy=ModelCardName).",
        "plan reads a large account from both ends of the name order at once; if Search "
        "refuses, it reads page after page in Search's own order: slower, still complete.",
    ),
    _a(
        "star-resource-account",
        "iam_star_resource_in_caller_account",
        True,
        READ,
        "aws:ResourceAccount is the caller's account for actions without a resource type "
        "(sagemaker:ListModelCards).",
        "The reconciler's policies use no such condition; a guard or SCP of yours that "
        "tests aws:ResourceAccount on such actions would deny them.",
    ),
    _a(
        "secure-transport",
        "iam_secure_transport_always",
        True,
        READ,
        "aws:SecureTransport is true on every SageMaker call (AWS endpoints take HTTPS only).",
        "A policy that denies calls without TLS never denies the reconciler on AWS.",
    ),
    _a(
        "ram-resource-types",
        "ram_resource_types",
        RAM_TYPES,
        READ,
        "RAM names SageMaker's shareable types as listed (sagemaker:ModelCard for cards).",
        "apply shares cards and creates permissions as sagemaker:ModelCard; if RAM names "
        "cards otherwise, those calls fail. The other names matter only to policies that "
        "test ram:RequestedResourceType.",
    ),
    _a(
        "ram-managed-permissions",
        "ram_managed_permissions",
        MANAGED_PERMISSIONS,
        READ,
        "RAM's AWS managed permissions for model cards have these names and actions.",
        "Shares name them (permission: default or export) and verify compares the actions "
        "in force with them; other names fail those shares, other actions show in verify.",
    ),
    _a(
        "ram-group-permissions",
        "ram_group_permissions",
        GROUP_PERMISSIONS,
        READ,
        "RAM's AWS managed permissions for model package groups have these names and actions "
        "(AWS's guides name them but do not list their actions).",
        "Shares name one for their model_package_groups; another name fails those shares, "
        "and a permission that grants more (sagemaker:UpdateModelPackage) lets the target "
        "accounts change the shared versions: verify and the consumer guard show it.",
    ),
    _a(
        "customer-permissions",
        "ram_customer_permissions_for_model_cards",
        True,
        WRITE,
        "RAM lets an account create customer managed permissions for sagemaker:ModelCard.",
        "Read-only shares (permissions: in reconciler.yaml) cannot be made: apply fails at "
        "create_permission; keep targets read-only with `iam-policy --role consumer-guard`.",
    ),
    _a(
        "lookup-rate",
        "cloudtrail_lookups_per_second",
        2,
        READ,
        "CloudTrail answers 2 LookupEvents at once per account and Region, throttles more.",
        "drift spaces its lookups for 2 a second whatever the account shows; a lower limit "
        "makes them retry after throttling (slower, not wrong).",
    ),
    _a(
        "cross-account-events",
        "cloudtrail_cross_account_events",
        True,
        WRITE,
        "A call on another account's resource (a consumer answering the card account's "
        "invitation) is in the card account's event history too.",
        "drift names who changed a share from the card account's history only; changes "
        "consumer accounts make would show without a name.",
    ),
    _a(
        "invitation-ttl",
        "invitation_ttl_seconds",
        43200.0,
        READ,
        "An invitation to a model card share expires 12 hours after it was sent.",
        "An unanswered invitation expires and the account is disassociated; verify (and "
        "apply, which verifies) accepts invitations, so run it within that window.",
    ),
    _a(
        "list-delay",
        "list_delay_seconds",
        0.0,
        WRITE,
        "ListModelCards lists a card as soon as CreateModelCard returns.",
        "A first apply confirms with ListModelCards that its cards are new; a card not yet "
        "listed is created again, meets ConflictException, and the executor resolves it.",
        compare=DELAY,
    ),
    _a(
        "search-index-delay",
        "search_index_delay_seconds",
        0.0,
        WRITE,
        "Search shows a new card as soon as CreateModelCard returns.",
        "plan confirms cards missing from Search with DescribeModelCard: a slow index costs "
        "calls, not correctness.",
        compare=DELAY,
    ),
    _a(
        "content-as-sent",
        "content_returned_as_sent",
        True,
        WRITE,
        "DescribeModelCard returns Content exactly as it was sent.",
        "The reconciler compares content as parsed JSON, so nothing changes for it; tools "
        "that compare the raw string would see every card as changed.",
    ),
    _a(
        "identical-update-version",
        "identical_update_makes_version",
        False,
        WRITE,
        "UpdateModelCard with the latest version's content makes no new version.",
        "apply sends content only when it differs; otherwise a retried update would add "
        "one version more to a card's history.",
    ),
    _a(
        "export-denial",
        "export_denial_fails_job",
        True,
        WRITE,
        "An export job whose creator may not write to S3 is created and then fails.",
        "apply reports the export as failed either way: as a failed job with the denial as "
        "its reason, or as a refused call.",
    ),
    _a(
        "omitted-external",
        "iam_ram_omitted_external_is_true",
        True,
        WRITE,
        "ram:RequestedAllowsExternalPrincipals is true when CreateResourceShare leaves "
        "allowExternalPrincipals out.",
        "apply always sends allowExternalPrincipals; a Deny of yours on the key would not "
        "catch a create that leaves it out.",
    ),
    _a(
        "ram-needs-put-resource-policy",
        "iam_ram_needs_put_resource_policy",
        True,
        WRITE,
        "Sharing a card needs sagemaker:PutResourcePolicy (RAM writes its resource policy).",
        f"If RAM does not need it, {_UNUSED_GRANT}.",
    ),
    _a(
        "ram-resources-one-by-one",
        "iam_ram_resources_one_by_one",
        True,
        WRITE,
        "RAM evaluates a request naming several resources once per resource ARN.",
        "apply names only cards in one request, so its policy holds either way; a guard of "
        "yours on ram:ResourceArn would judge such a request as a whole.",
    ),
    _a(
        "ram-needs-get-resource-policy",
        "iam_ram_needs_get_resource_policy",
        True,
        WRITE,
        "Sharing a card also needs sagemaker:GetResourcePolicy (RAM reads the policy first).",
        f"If RAM does not need it, {_UNUSED_GRANT}.",
    ),
    _a(
        "concurrent-associations",
        "ram_concurrent_associations",
        True,
        WRITE,
        "RAM takes association calls on one share while another association settles.",
        "apply associates each card with its shares as soon as the card is written, several "
        "calls to one share at once; refused calls fail their steps, the next apply ends them.",
    ),
    _a(
        "association-delay",
        "association_delay_seconds",
        0.2,
        WRITE,
        "A card association settles (ASSOCIATED) within 0.2 seconds.",
        "apply waits for associations within a bound; tests with the account's delay show "
        "whether that bound holds.",
        compare=DELAY,
    ),
    _a(
        "ram-needs-delete-resource-policy",
        "iam_ram_needs_delete_resource_policy",
        True,
        WRITE,
        "Unsharing a card needs sagemaker:DeleteResourcePolicy.",
        f"If RAM does not need it, {_UNUSED_GRANT}.",
    ),
    _a(
        "archived-refuses-content",
        "archived_refuses_content",
        True,
        WRITE,
        "An Archived card refuses new content.",
        "git treats Archived as final and never updates such a card; if AWS accepts edits, "
        "someone else's edit to an archived card would show as drift.",
    ),
    _a(
        "archived-refuses-status",
        "archived_refuses_status",
        True,
        WRITE,
        "An Archived card's status cannot leave Archived.",
        "No transition leaves Archived in git; if AWS allows one, a card archived by mistake "
        "could be restored by hand, and git would show it as drift.",
    ),
    _a(
        "kms-delete-needs-retire-grant",
        "kms_delete_needs_retire_grant",
        True,
        WRITE,
        "Deleting a card with a customer managed key needs kms:RetireGrant.",
        f"If it does not, {_UNUSED_GRANT}.",
    ),
    _a(
        "name-reserved-while-deleting",
        "name_reserved_while_deleting",
        True,
        WRITE,
        "A card's name stays taken (ConflictException) until its deletion completes.",
        "Replacing a card waits for the deletion before it creates the card again; if AWS "
        "frees the name at once, the wait is merely shorter.",
    ),
    _a(
        "deletion-delay",
        "deletion_delay_seconds",
        0.2,
        WRITE,
        "DeleteModelCard completes within 0.2 seconds.",
        "Replacing a card waits for its deletion within a bound; tests with the account's "
        "delay show whether that bound holds.",
        compare=DELAY,
    ),
)
BY_KEY = MappingProxyType({a.key: a for a in ASSUMPTIONS})
