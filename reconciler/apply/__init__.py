"""Applying a plan: safety checks (``safety``), the ordered executor (``executor``) with one
handler per payload type (``cards``, ``shares``), and the apply report (``report``).

May import: ``plan``, ``aws``, ``normalize`` (the content's wire form), ``load.desired``,
``words``, ``errors`` and itself. It never reads the repository nor re-plans: the
orchestrator (``pipeline``) does.
"""
