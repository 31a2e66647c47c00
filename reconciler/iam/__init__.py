"""Least-privilege IAM policies for the identities the reconciler runs as, built from the
repository with no AWS call (``policy``), with the audit trail's statements (``audit``).

May import: ``common``, ``desired``, ``diff.shares`` (the principals a share resolves to)
and itself.
"""
