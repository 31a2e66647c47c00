"""The shared low layer every stage may import: operational errors (``errors``),
problems in the user's files as values (``diagnostics``), the ARNs the reconciler predicts
and the AWS managed RAM permissions (``arns``), the card content codec (``content``), the
names the reconciler gives to what it writes in AWS (``names``: tag keys, the version trace,
export job names), the card status and its order (``status``) and word counts for messages
(``words``).

May import: nothing of the reconciler but itself. No I/O: ``arns`` reads botocore's
bundled partition data only.
"""
