"""Reading live state from AWS: SageMaker model cards, their history and RAM shares,
read-only, and the sources cards are filled from (``evidence``: models, training jobs,
model packages, report objects). ``model`` holds the frozen live values.

May import: ``common`` (the content's wire form, the reconciler's tag names), ``aws``,
``desired``, ``evidence`` (what a model's API answer names) and itself.
"""
