"""Least-privilege IAM policies for the identities the reconciler runs as, built from the
repository with no AWS call: each role's policy (``policy``, which also records every
scoping decision) composed from statement families (``reads``, ``writes``, ``audit``
for the audit trail and ``registry`` for model versions), on the ARN patterns and
conditions of one card account (``scope``); the consumer guard for target accounts
(``guard``); the trust policies of the roles the GitHub workflows assume and of the reader
roles (``trust``); and the exports bucket's policy (``bucket``).

May import: ``common``, ``desired``, ``diff.shares`` (the principals a share resolves to)
and itself.
"""
