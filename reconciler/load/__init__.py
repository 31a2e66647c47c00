"""Loading: the repository's YAML files read with every value's position, checked against
the schemas and the cross-file rules, and turned into the desired state (``desired``).
``yamlwrite`` writes card and share files back (import, pull).

May import: ``errors``, ``diagnostics``, ``words`` and itself. Never AWS: no
``reconciler.aws`` or ``reconciler.live``; ``rules.config`` reads botocore's bundled region
list only.
"""
