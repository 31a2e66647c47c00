"""Consumer-side verification, a stage the orchestrators call after apply and the
`verify` command runs on its own: each share target account's role is assumed, pending
invitations to managed shares accepted, each shared card described by ARN and the
permission in force read (``consumers``).

May import: ``common``, ``aws``, ``desired``, ``live``, ``diff.shares`` (which cards a
share selects), ``reports.consumers`` and itself.
"""
