"""Reading live state from AWS: SageMaker model cards, their history and RAM shares,
read-only. ``model`` holds the frozen live values.

May import: ``common`` (the content's wire form, the reconciler's tag names), ``aws``,
``desired`` and itself.
"""
