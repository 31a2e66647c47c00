"""Every AWS behaviour the reconciler or its sandbox relies on without AWS documenting it,
in the order the probe checks them: what the sandbox assumes (the default of its
``SandboxConfig`` switch), and what follows for the reconciler if an account differs.

Sources of the list: the rows ``../shared/reference/aws-facts.md`` marks [I] or [?] that the
code relies on (docs/probe.md maps each such row to its assumption), and the code's own
notes, each marked ``AWS undocumented: <key>`` where the code relies on the behaviour (a
test holds every marker to a key of this list). docs/probe.md lists the few behaviours
left out and why. An assumption no account can show (``Mode.NONE``) is listed with why.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from reconciler.common.arns import AWS_MANAGED_PERMISSIONS, GROUP_PERMISSIONS
from reconciler.reports.probe import Assumption, Compare, Mode

READ, WRITE, DELAY = Mode.READ, Mode.WRITE, Compare.DELAY
GROUP_DEFAULT = "AWSRAMPermissionSageMakerModelPackageGroup"
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
    key: str, switch: str | None, assumed: object, mode: Mode, *text: str, **more: Any
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
        "group-default-permission",
        "ram_group_default_permission",
        GROUP_DEFAULT,
        READ,
        "RAM attaches AWSRAMPermissionSageMakerModelPackageGroup (read-only) to a share's "
        "model package groups when the request names no permission for them.",
        "apply always names the groups' permission, so only a share made outside git gets "
        "the default: plan and verify then show it as differing from git's.",
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
        "group-customer-permissions",
        "ram_customer_permissions_for_groups",
        False,
        WRITE,
        "RAM refuses CreatePermission for sagemaker:ModelPackageGroup (AWS describes such "
        "permissions only as promoted from a group's resource policy).",
        "Shares name only AWS managed permissions for their groups (validate refuses "
        "others); if RAM takes customer managed ones, that limit is stricter than AWS's.",
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
        "group-permission-first",
        "ram_group_permission_before_groups",
        True,
        WRITE,
        "RAM attaches a permission for model package groups to a share that holds no group.",
        "A plan that puts a share's first groups in it attaches their permission before it "
        "associates them; if RAM refuses, that step fails, the groups get RAM's default "
        "permission, and the next apply sets git's.",
    ),
    _a(
        "share-names-repeat",
        "ram_share_names_unique",
        False,
        WRITE,
        "RAM takes a second share with the name of one the account already holds.",
        "apply tells its shares by the ownership tag, not by name; if RAM refuses repeated "
        "names, creating a share under the name of one made outside git fails until one of "
        "them is renamed.",
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
        "archived-deletable",
        "archived_cards_deletable",
        True,
        WRITE,
        "DeleteModelCard deletes an Archived card.",
        "prune deletes the cards git no longer names, Archived ones too; if AWS refuses, "
        "prune fails for those cards and they stay.",
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
    _a(
        "group-policy-absent",
        "group_policy_absent_error",
        "ValidationException",
        WRITE,
        "GetModelPackageGroupPolicy on a group without a resource policy answers "
        "ValidationException.",
        "The reconciler reads no group policy; tools of yours that tell a group without a "
        "policy from a missing group by the error code depend on it.",
    ),
    _a(
        "package-card-schema",
        "package_card_schema_enforced",
        True,
        WRITE,
        "SageMaker refuses a model version's card content the model package card schema "
        "refuses (ValidationException).",
        "validate holds a version's card to that schema before apply sends it; if AWS takes "
        "any JSON, a card changed outside git may hold what the schema refuses, and drift "
        "shows it as a change git would undo.",
    ),
    _a(
        "package-card-content-and-status",
        "package_card_content_and_status_together",
        True,
        WRITE,
        "One UpdateModelPackage may set a version card's content and its status.",
        "apply sends the content, then the status, in two calls either way; only a tool of "
        "yours that sends both at once depends on it.",
    ),
    _a(
        "package-archived-refuses-status",
        "package_card_archived_refuses_status",
        True,
        WRITE,
        "A model version's Archived card keeps its status (AWS documents only that its "
        "content is locked).",
        "git treats an Archived version card as final; if AWS lets its status change, one "
        "archived by mistake could be restored by hand, and drift would show it.",
    ),
    _a(
        "trail-package-update-fields",
        "cloudtrail_package_card_content",
        True,
        WRITE,
        "CloudTrail records UpdateModelPackage's parameters under the API's member names "
        "in lower camel case (modelPackageArn, modelCard.modelCardContent, "
        "modelCard.modelCardStatus), the sensitive card content included.",
        "drift names who changed a version's card by those members; without them it says "
        "CloudTrail has no event for that part and names DescribeModelPackage's "
        "LastModifiedBy instead.",
    ),
    _a(
        "client-token-window",
        None,
        None,
        Mode.NONE,
        "RAM remembers a clientToken at least as long as one apply runs (the sandbox "
        "remembers every token for its lifetime).",
        "apply reuses a token only to retry within its own run; were the window shorter, a "
        "late retry would be taken as a new request and could repeat a share or an "
        "association.",
        why_not="AWS publishes no window, and a probe could find it only by waiting for "
        "a token to lapse, for an unknown time per try",
    ),
)
BY_KEY = MappingProxyType({a.key: a for a in ASSUMPTIONS})
