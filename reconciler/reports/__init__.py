"""Report records that the orchestrators build and the renderers show, below both:
drift (``drift``; the kind, summary and remedy of each difference in ``drift_kinds``),
who changed a share from CloudTrail (``trail``), what consumer accounts see
(``consumers``), the audit trail's history and export reports (``audit``), the
probe's assumptions and findings (``probe``) and the catalogue of every card
(``catalogue``). Pure.

May import: ``common``, ``desired``, ``plan``, ``live.model``, ``graph.model`` and itself.
"""
