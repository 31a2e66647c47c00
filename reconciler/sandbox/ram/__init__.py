"""The sandbox's AWS RAM, as AWS behaves for ``sagemaker:ModelCard`` shares.

Owns all of RAM (moto's RAM is not used). ``service`` (``RamService``) is the entry
point: the operation table, ``clientToken`` idempotency and the two hooks SageMaker
calls. One module per group of operations (``shares``, ``associations``,
``share_permissions``, ``invitations``, ``permissions``) applies AWS's rules with the
help of ``membership``, ``principals``, ``access`` and ``policy``; ``model`` holds the
records, ``state`` their store and shared look-ups, ``params`` reads requests,
``render`` writes responses, ``errors`` names RAM's error codes and ``authz`` says what
each operation asks IAM (identity policies are checked before any operation runs).

May import the shared core at the top of ``reconciler.sandbox`` (``authz``, ``caller``,
``config``, ``errors``, ``paging``) and nothing else of the sandbox: not ``sagemaker``
(cards are seen through the ``ResourceDirectory`` protocol), not ``iam`` (asked through
``authz.IdentityPolicies``) and never ``http``.
"""
