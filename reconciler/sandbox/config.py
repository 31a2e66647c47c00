"""What a sandbox run is configured with: accounts, the Organization, timings.

Loaded from the ``--accounts`` YAML file or built in code by tests. By default no
Organization exists, so every cross-account share needs an invitation, as in AWS. Every
field is also a key of the YAML file (``iam_enforcement: false`` turns identity-policy
enforcement off). The roles and OIDC providers the sandbox starts with are ``declared``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from reconciler.sandbox.declared import (
    DEFAULT_ROLES,
    GITHUB_ISSUER,
    DeclaredRole,
    OidcProvider,
    provider_from,
    role_from,
)

DEFAULT_ACCOUNT = "111111111111"
DEFAULT_REGION = "us-east-1"
# The SageMaker resource types RAM names (``ram/resource_types`` maps ARNs onto them).
DEFAULT_RAM_TYPES = (
    "sagemaker:ModelCard",
    "sagemaker:ModelPackageGroup",
    "sagemaker:Pipeline",
    "sagemaker:LineageGroup",
    "sagemaker:FeatureGroup",
    "sagemaker:SagemakerCatalog",
)
_CARD_READS = (
    "sagemaker:DescribeModelCard",
    "sagemaker:ListModelCardVersions",
    "sagemaker:UpdateModelCard",
)
DEFAULT_MANAGED_PERMISSIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "AWSRAMPermissionSageMakerModelCards": _CARD_READS,
        "AWSRAMPermissionSageMakerModelCardsAllowExport": (
            *_CARD_READS,
            "sagemaker:CreateModelCardExportJob",
            "sagemaker:DescribeModelCardExportJob",
        ),
    }
)

_GROUP_READS = (
    "sagemaker:DescribeModelPackage",
    "sagemaker:DescribeModelPackageGroup",
    "sagemaker:ListModelPackages",
)
# Undocumented: the actions of the AWS managed permissions for model package groups
# (AWS's samples attach them by name; `ram get-permission` lists them). The read set is
# that of the resource policy the Developer Guide's "Set up discoverability" writes.
# AWS undocumented: ram-group-permissions
DEFAULT_GROUP_PERMISSIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "AWSRAMPermissionSageMakerModelPackageGroup": _GROUP_READS,
        "AWSRAMPermissionSageMakerModelPackageGroupAllowDeploy": _GROUP_READS,
        "AWSRAMPermissionSageMakerModelPackageGroupAllowRegister": (
            "sagemaker:CreateModelPackage",
            *_GROUP_READS,
        ),
    }
)


@dataclass(frozen=True)
class Organization:
    """An AWS Organization: its id, management account, member accounts and RAM setting."""

    management_account: str
    members: frozenset[str]
    ram_sharing_enabled: bool = True
    org_id: str = "o-sandbox0001"
    root_id: str = "r-sb01"
    # OU id -> member accounts directly or indirectly under it
    units: dict[str, frozenset[str]] = field(default_factory=dict)
    # Service control policies by what they are attached to: the root id, an OU id or an
    # account id -> policy documents (``iam.source``; a level without any is FullAWSAccess).
    scps: dict[str, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)

    def scp_levels(self, account: str) -> list[str]:
        """The root, the OUs holding ``account`` and the account: where SCPs that limit its
        principals can be attached (none for the management account, which SCPs spare)."""
        if account == self.management_account or account not in self.members:
            return []
        units = [ou for ou, members in self.units.items() if account in members]
        return [self.root_id, *units, account]

    @property
    def arn(self) -> str:
        return f"arn:aws:organizations::{self.management_account}:organization/{self.org_id}"

    def ou_arn(self, ou_id: str) -> str:
        return f"arn:aws:organizations::{self.management_account}:ou/{self.org_id}/{ou_id}"

    def contains(self, account: str) -> bool:
        return account == self.management_account or account in self.members

    def path_of(self, account: str) -> str | None:
        """``o-…/r-…/ou-…/…/`` for a member account (``aws:PrincipalOrgPaths``). ``units``
        lists each OU's accounts, not how OUs nest; the OUs holding an account nest inside
        each other, so the larger comes first. None when two of them hold the same accounts
        (their order is unknown)."""
        holding = [(len(members), ou) for ou, members in self.units.items() if account in members]
        sizes = [size for size, _ in holding]
        if len(set(sizes)) != len(sizes):
            return None
        chain = "".join(f"{ou}/" for _, ou in sorted(holding, reverse=True))
        return f"{self.org_id}/{self.root_id}/{chain}"


@dataclass(frozen=True)
class SandboxConfig:
    """Settings of one sandbox instance; immutable, replaced as a whole on reconfigure."""

    default_account: str = DEFAULT_ACCOUNT
    region: str = DEFAULT_REGION
    organization: Organization | None = None
    # AWS undocumented: association-delay
    association_delay_seconds: float = 0.2
    # AWS undocumented: invitation-ttl
    invitation_ttl_seconds: float = 12 * 3600.0
    # AWS undocumented: search-index-delay
    search_index_delay_seconds: float = 0.0
    # AWS undocumented: deletion-delay
    deletion_delay_seconds: float = 0.2
    export_delay_seconds: float = 0.2
    # Identity policies (reconciler.sandbox.iam): a role with at least one policy is
    # held to IAM's evaluation logic; False restores allow-all for every caller.
    iam_enforcement: bool = True
    # Undocumented by AWS: whether RAM also needs sagemaker:GetResourcePolicy wherever it
    # needs sagemaker:PutResourcePolicy or DeleteResourcePolicy (it reads the card's
    # resource policy before it rewrites it). True is the stricter choice.
    # AWS undocumented: ram-needs-get-resource-policy
    iam_ram_needs_get_resource_policy: bool = True
    # Undocumented by AWS: how RAM evaluates a request naming several resources. True
    # evaluates each resource ARN on its own (ram:ResourceArn, ram:RequestedResourceType
    # single-valued), so one resource of another type denies the request; False makes one
    # evaluation with both keys multivalued.
    # AWS undocumented: ram-resources-one-by-one
    iam_ram_resources_one_by_one: bool = True
    # Documented by CloudTrail for KMS keys, not for SageMaker or RAM: a call that names a
    # resource of another account is recorded in both accounts' event history
    # (``reconciler.sandbox.cloudtrail.trail``). False keeps it in the caller's only.
    # AWS undocumented: cross-account-events
    cloudtrail_cross_account_events: bool = True
    # Undocumented for model cards: which properties Search may sort them by. AWS says only
    # that SortBy names "the resource property used to sort"; the sandbox sorts by any
    # property of the ModelCard record. False refuses SortBy=ModelCardName with a
    # ValidationException, as a service that sorts only by time would.
    # AWS undocumented: search-sorts-by-name
    search_sorts_by_name: bool = True
    # The roles that exist from the start (``declared``); SandboxAdmin, all-powerful, in
    # every account unless the accounts file lists others. Any other role must be created.
    roles: tuple[DeclaredRole, ...] = DEFAULT_ROLES
    # IAM OIDC identity providers that exist from the start (besides those created in IAM).
    oidc_providers: tuple[OidcProvider, ...] = ()
    # Issuers whose tokens the sandbox signs (``Sandbox.oidc_token``) and verifies with its
    # own key, standing in for the issuer's published keys.
    oidc_issuers: tuple[str, ...] = (GITHUB_ISSUER,)
    # aws:SecureTransport: AWS's SageMaker, RAM, STS, KMS and CloudTrail endpoints take
    # HTTPS only, so True reports every call as TLS. False reports the transport the
    # sandbox itself was reached by (plain HTTP: false), to test a policy that denies it.
    # AWS undocumented: secure-transport
    iam_secure_transport_always: bool = True
    # Undocumented: aws:ResourceAccount for an action with no resource type (evaluated
    # against "*", e.g. ListModelCards). True: the caller's account, whose resources the
    # call reads; False: the key is absent.
    # AWS undocumented: star-resource-account
    iam_star_resource_in_caller_account: bool = True
    # Undocumented for SageMaker: deleting a card with a customer-managed key retires the
    # grant SageMaker created for it with the caller's credentials, so the caller's
    # identity policies must allow kms:RetireGrant (CloudFormation's AWS::SageMaker::
    # ModelCard delete handler lists it). False: deleting needs no KMS permission.
    # AWS undocumented: kms-delete-needs-retire-grant
    kms_delete_needs_retire_grant: bool = True
    # CloudTrail LookupEvents: "limited to two per second, per account, per Region"; the
    # sandbox counts lookups in any one-second window (its reading of the rate) and answers
    # ThrottlingException beyond it. 0 turns the limit off.
    # AWS undocumented: lookup-rate
    cloudtrail_lookups_per_second: int = 2
    # The switches below were added for `reconciler probe`, which checks each of them on a
    # real account (docs/probe.md); every default is the behaviour the sandbox had before.
    # Undocumented: how soon ListModelCards lists a card just created (the card store, not
    # the Search index). 0: at once.
    # AWS undocumented: list-delay
    list_delay_seconds: float = 0.0
    # Undocumented: whether UpdateModelCard with content equal to the latest version's
    # (compared as parsed JSON) makes a new version. False: it changes nothing.
    # AWS undocumented: identical-update-version
    identical_update_makes_version: bool = False
    # Undocumented: whether DescribeModelCard returns Content exactly as it was sent. False
    # returns it re-serialised (sorted keys, no spaces), as a service that stores parsed
    # JSON would.
    # AWS undocumented: content-as-sent
    content_returned_as_sent: bool = True
    # Documented for model-package cards only ("Model Card is in Archived state"): whether
    # an Archived card refuses new content, and whether its status can leave Archived.
    # AWS undocumented: archived-refuses-content
    archived_refuses_content: bool = True
    # AWS undocumented: archived-refuses-status
    archived_refuses_status: bool = True
    # Undocumented: whether a card's name stays taken while its deletion runs (a create
    # meets ConflictException). False: a create during deletion finishes the deletion first.
    # AWS undocumented: name-reserved-while-deleting
    name_reserved_while_deleting: bool = True
    # RAM's names of SageMaker resource types (ListResourceTypes, ram:RequestedResourceType).
    # Only sagemaker:ModelCard is stated verbatim (SageMaker's cross-account guide); the
    # others follow RAM's naming. A type left out is unknown to the sandbox's RAM.
    # AWS undocumented: ram-resource-types
    ram_resource_types: tuple[str, ...] = DEFAULT_RAM_TYPES
    # The AWS managed RAM permissions for model cards, by name, with the actions each grants
    # (the SageMaker cross-account guide lists them; RAM's GetPermission is the authority).
    # AWS undocumented: ram-managed-permissions
    ram_managed_permissions: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_MANAGED_PERMISSIONS)
    )
    # The AWS managed RAM permissions for model package groups, by name, with the actions
    # each grants (undocumented: ``DEFAULT_GROUP_PERMISSIONS`` says what is chosen).
    # AWS undocumented: ram-group-permissions
    ram_group_permissions: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_GROUP_PERMISSIONS)
    )
    # Undocumented for model cards: whether RAM lets an account create customer managed
    # permissions for sagemaker:ModelCard ("Not all resource types support customer managed
    # permissions"). False: CreatePermission for it is an InvalidParameterException.
    # AWS undocumented: customer-permissions
    ram_customer_permissions_for_model_cards: bool = True
    # Inferred from the SAR (aws-facts section 7): putting a model card into a share needs
    # sagemaker:PutResourcePolicy, taking one out needs sagemaker:DeleteResourcePolicy.
    # AWS undocumented: ram-needs-put-resource-policy
    iam_ram_needs_put_resource_policy: bool = True
    # AWS undocumented: ram-needs-delete-resource-policy
    iam_ram_needs_delete_resource_policy: bool = True
    # Undocumented: ram:RequestedAllowsExternalPrincipals when CreateResourceShare leaves
    # allowExternalPrincipals out. True: the key carries the API's default, true; False:
    # the key is absent.
    # AWS undocumented: omitted-external
    iam_ram_omitted_external_is_true: bool = True
    # Undocumented: whether RAM takes a second association call on a share while another
    # association of it is still ASSOCIATING. False: InvalidStateTransitionException.
    # AWS undocumented: concurrent-associations
    ram_concurrent_associations: bool = True
    # Undocumented: when SageMaker checks that an export job's creator may write the PDF to
    # S3. True: the job is created and fails; False: CreateModelCardExportJob is refused.
    # AWS undocumented: export-denial
    export_denial_fails_job: bool = True
    # The switches below cover the registry and the rest of aws-facts' inferred rows; each
    # default is again the behaviour the sandbox had before.
    # AWS undocumented: group-permission-first. Whether RAM attaches a permission for
    # model package groups to a share that holds no group yet (the plan sets it before it
    # associates the groups). False: InvalidParameterException.
    ram_group_permission_before_groups: bool = True
    # AWS undocumented: group-customer-permissions. AWS describes customer managed
    # permissions for model package groups only as promoted from a group's resource policy;
    # False refuses CreatePermission for sagemaker:ModelPackageGroup.
    ram_customer_permissions_for_groups: bool = False
    # AWS undocumented: group-default-permission. Which AWS managed permission RAM attaches
    # to a share's groups when the request names none (isResourceTypeDefault).
    ram_group_default_permission: str = "AWSRAMPermissionSageMakerModelPackageGroup"
    # AWS undocumented: group-policy-absent. The error code GetModelPackageGroupPolicy
    # answers for a group without a resource policy ("" answers no policy instead).
    group_policy_absent_error: str = "ValidationException"
    # AWS undocumented: trail-package-update-fields. CloudTrail records UpdateModelPackage's
    # parameters under the API's member names, lower camel case, the sensitive card
    # content (modelCard.modelCardContent) included. False leaves modelCardContent out.
    cloudtrail_package_card_content: bool = True
    # AWS undocumented: package-card-schema. Whether SageMaker holds a model version's card
    # content to the model package card schema (False: any JSON is taken).
    package_card_schema_enforced: bool = True
    # AWS undocumented: package-card-content-and-status. Whether one UpdateModelPackage may
    # set the card's content and its status (False: ValidationException, as UpdateModelCard
    # documents for standalone cards).
    package_card_content_and_status_together: bool = True
    # AWS undocumented: package-archived-refuses-status. Whether a model version's Archived
    # card keeps its status (documented for the content only).
    package_card_archived_refuses_status: bool = True
    # AWS undocumented: archived-deletable. Whether DeleteModelCard deletes an Archived card
    # (prune relies on it). False: ValidationException.
    archived_cards_deletable: bool = True
    # AWS undocumented: share-names-repeat. Whether RAM refuses a second share with the name
    # of a share the account holds in the Region. False: names may repeat.
    ram_share_names_unique: bool = False


def declared_role(config: SandboxConfig, account: str, name: str) -> DeclaredRole | None:
    """The role ``name`` the configuration declares in ``account``, if any."""
    return next((r for r in config.roles if r.name == name and r.exists_in(account)), None)


def load_config(path: Path) -> SandboxConfig:
    """Read an accounts file (YAML) into a SandboxConfig; unknown keys are an error.

    Raises ValueError with a sentence that names the problem."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ValueError("the file must be a YAML mapping of settings")
    known = {f for f in SandboxConfig.__dataclass_fields__}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}; allowed: {sorted(known)}")
    raw["organization"] = _organization(raw.pop("organization", None))
    raw["roles"] = tuple(role_from(r) for r in raw.pop("roles", [])) or DEFAULT_ROLES
    raw["oidc_providers"] = tuple(provider_from(p) for p in raw.pop("oidc_providers", []))
    if "oidc_issuers" in raw:
        raw["oidc_issuers"] = tuple(str(i) for i in raw["oidc_issuers"])
    return SandboxConfig(**_switches(raw))


def _switches(raw: dict[str, Any]) -> dict[str, Any]:
    """The YAML lists of the switches that hold tuples, as tuples."""
    if "ram_resource_types" in raw:
        raw["ram_resource_types"] = tuple(str(t) for t in raw["ram_resource_types"])
    for key in ("ram_managed_permissions", "ram_group_permissions"):
        if key in raw:
            found = raw[key] or {}
            raw[key] = {str(k): tuple(map(str, v)) for k, v in found.items()}
    return raw


def with_switches(config: SandboxConfig, path: Path) -> SandboxConfig:
    """``config`` with the settings an accounts file (such as one `reconciler probe
    --sandbox-config` wrote) sets; the accounts, roles and Organization stay ``config``'s.

    Raises ValueError with a sentence that names the problem."""
    loaded = load_config(path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    kept = ("default_account", "region", "organization", "roles", "oidc_providers")
    return replace(config, **{k: getattr(loaded, k) for k in raw if k not in kept})


def _organization(org_raw: Any) -> Organization | None:
    org = None
    if org_raw:
        if "management_account" not in org_raw:
            raise ValueError("organization needs management_account (a 12-digit account ID)")
        org = Organization(
            management_account=str(org_raw["management_account"]),
            members=frozenset(str(a) for a in org_raw.get("members", [])),
            ram_sharing_enabled=bool(org_raw.get("ram_sharing_enabled", True)),
            units={k: frozenset(str(a) for a in v) for k, v in org_raw.get("units", {}).items()},
            scps={str(k): tuple(v) for k, v in (org_raw.get("scps") or {}).items()},
        )
    return org
