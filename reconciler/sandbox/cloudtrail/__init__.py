"""CloudTrail in the sandbox: management events of the sandbox's own SageMaker and RAM
write calls (``trail``), and ``LookupEvents`` over them (``lookup``).

May import the sandbox's shared modules (caller, authz, errors, paging, clock); never the
reconciler's core.
"""
