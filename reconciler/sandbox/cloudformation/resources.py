"""Resource types and properties moto 5.2.5's CloudFormation engine skips or ignores,
created, updated and deleted as AWS does it, through the same moto backends the IAM and S3
APIs use: OIDC providers and bucket policies (skipped), a bucket's public access block and
ownership controls (ignored), and roles and managed policies (``iam_resources``).
``install`` puts them in moto's registry of resource types (``get_model_map``), and has a
stack created or updated through a change set (as `aws cloudformation deploy` does) get its
outputs, which moto computed only for CreateStack and UpdateStack; it is idempotent and
done when a ``Sandbox`` is made. ``stack_template`` answers a stack's current template.

Sources: the CloudFormation resource reference (registry schemas bundled with cfn-lint
1.58.0) for each type's properties and return values; research notes cloudformation.md for
what moto does with each.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.cloudformation.models import ChangeSet, cloudformation_backends
from moto.core.common_models import CloudFormationModel
from moto.s3.models import FakeBucket, s3_backends
from moto.utilities.utils import get_partition

from reconciler.sandbox.cloudformation import stack_sets
from reconciler.sandbox.cloudformation.iam_resources import Json, ManagedPolicy, Role, as_json
from reconciler.sandbox.cloudformation.iam_resources import iam as _iam


def _s3(account_id: str, region: str) -> Any:
    return s3_backends[account_id][get_partition(region)]


class _Identified:
    """What moto's engine asks of each resource type added here: no name property, and
    ``Ref`` gives ``key`` (its physical ID)."""

    def __init__(self, key: str) -> None:
        self.key = key

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @property
    def physical_resource_id(self) -> str:
        return self.key


class OidcProvider(_Identified, CloudFormationModel):
    """``AWS::IAM::OIDCProvider``, which moto skips: created in the account's IAM, where
    ``AssumeRoleWithWebIdentity`` looks for it. ``Ref`` and ``Arn`` are its ARN."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::IAM::OIDCProvider"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Arn"

    def get_cfn_attribute(self, attribute_name: str) -> str:
        if attribute_name == "Arn":
            return self.key
        raise UnformattedGetAttTemplateException()

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Json,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> OidcProvider:
        properties = cloudformation_json["Properties"]
        provider = _iam(account_id, region_name).create_open_id_connect_provider(
            url=properties["Url"],
            thumbprint_list=list(properties.get("ThumbprintList", [])),
            client_id_list=list(properties.get("ClientIdList", [])),
            tags=list(properties.get("Tags", [])),
        )
        return cls(str(provider.arn))

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Json,
        account_id: str,
        region_name: str,
    ) -> OidcProvider:
        properties = cloudformation_json["Properties"]
        backend = _iam(account_id, region_name)
        provider = backend.get_open_id_connect_provider(original_resource.key)
        provider.client_id_list = list(properties.get("ClientIdList", []))
        provider.thumbprint_list = list(properties.get("ThumbprintList", []))
        return cls(original_resource.key)

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: Json, account_id: str, region_name: str
    ) -> None:
        _iam(account_id, region_name).delete_open_id_connect_provider(resource_name)


class BucketPolicy(_Identified, CloudFormationModel):
    """``AWS::S3::BucketPolicy``, which moto skips: the policy is put on the bucket, as
    ``PutBucketPolicy`` puts it (the bucket must exist). Its physical ID is the bucket's
    name."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::S3::BucketPolicy"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return False

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Json,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> BucketPolicy:
        properties = cloudformation_json["Properties"]
        bucket = str(properties["Bucket"])
        document = as_json(properties["PolicyDocument"]).encode("utf-8")
        _s3(account_id, region_name).put_bucket_policy(bucket, document)
        return cls(bucket)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Json,
        account_id: str,
        region_name: str,
    ) -> BucketPolicy:
        return cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: Json, account_id: str, region_name: str
    ) -> None:
        _s3(account_id, region_name).delete_bucket_policy(resource_name)


class Bucket(FakeBucket):
    """``AWS::S3::Bucket``: moto applies ``BucketEncryption`` and ``Tags``; the public
    access block and the ownership controls are applied here too, on create and update."""

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Json,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        bucket = FakeBucket.create_from_cloudformation_json(
            resource_name, cloudformation_json, account_id, region_name, **kwargs
        )
        _settings(_s3(account_id, region_name), bucket, cloudformation_json)
        return bucket

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Json,
        account_id: str,
        region_name: str,
    ) -> Any:
        bucket = FakeBucket.update_from_cloudformation_json(
            original_resource, new_resource_name, cloudformation_json, account_id, region_name
        )
        _settings(_s3(account_id, region_name), bucket, cloudformation_json)
        return bucket


def _settings(backend: Any, bucket: Any, cloudformation_json: Json) -> None:
    """The bucket's public access block and ownership controls, as the template says."""
    properties = cloudformation_json.get("Properties", {})
    block = properties.get("PublicAccessBlockConfiguration")
    if block:
        backend.put_public_access_block(bucket.name, block)
    else:
        bucket.public_access_block = None
    rules = properties.get("OwnershipControls", {}).get("Rules", [])
    if rules:
        backend.put_bucket_ownership_controls(bucket.name, rules[0]["ObjectOwnership"])
    else:
        backend.delete_bucket_ownership_controls(bucket.name)


MODELS: tuple[type[Any], ...] = (OidcProvider, BucketPolicy, Bucket, Role, ManagedPolicy)


_MOTO_APPLY = ChangeSet.apply


def _apply_with_outputs(change_set: Any) -> None:
    """Execute a change set, then compute the stack's outputs from its new template."""
    _MOTO_APPLY(change_set)
    stack = change_set.stack
    stack.template_dict = change_set.template_dict
    stack.output_map = stack._create_output_map()


def stack_template(account_id: str, region: str, name: str) -> Json | None:
    """The current template of the live stack ``name`` (a name or stack ID), if any."""
    for stack in list(cloudformation_backends[account_id][region].stacks.values()):
        if name in (stack.name, stack.stack_id) and stack.status != "DELETE_COMPLETE":
            return dict(stack.template_dict)
    return None


def install() -> None:
    """Register the sandbox's resource types with moto's CloudFormation engine, give
    stacks created from change sets their outputs, and have StackSet updates reach their
    instances (``stack_sets``)."""
    registry = parsing.get_model_map()
    for model in MODELS:
        registry[model.cloudformation_type()] = model
    ChangeSet.apply = _apply_with_outputs  # type: ignore[method-assign,assignment]
    stack_sets.install()
