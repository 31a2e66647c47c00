"""Reading live state from AWS: SageMaker model cards, their history and RAM shares,
read-only. ``model`` holds the frozen live values.

May import: ``aws``, ``arns``, ``normalize`` (the content's wire form), ``load.desired``,
``errors`` and itself.
"""
