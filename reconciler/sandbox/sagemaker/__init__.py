"""The sandbox's SageMaker model cards; every other SageMaker operation is moto's.

``service`` (``SageMakerService``) is the entry point: which calls it answers, the
operation table and who may touch which card. ``cards`` stores cards and runs their
lifecycle, ``model`` holds the records and their wire shapes, ``search`` answers
``Search(Resource="ModelCard")``, ``tags`` applies AWS's tag rules, ``export`` runs
export jobs, ``pdf`` renders (with fpdf2) the PDF they leave in S3 and ``authz`` says what each
operation asks IAM (identity policies are checked before any operation runs).

May import the shared core at the top of ``reconciler.sandbox`` (``authz``, ``caller``,
``config``, ``errors``, ``paging``, ``validation``) and nothing else of the sandbox: not
``ram`` (RAM is consulted through the ``Authorizer`` protocol), not ``iam`` (asked
through ``authz.IdentityPolicies``) and never ``http``.
"""
