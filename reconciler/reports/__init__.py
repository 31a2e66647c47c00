"""Report records that the orchestrators build and the renderers show, below both:
drift (``drift``, with the kind and summary of each difference), who changed a share from
CloudTrail (``trail``), what consumer accounts see (``consumers``) and the audit trail's
history and export reports (``audit``). Pure.

May import: ``common``, ``desired``, ``plan``, ``live.model``, ``graph.model`` and itself.
"""
