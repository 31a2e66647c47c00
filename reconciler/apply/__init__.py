"""Applying a plan: safety checks (``safety``), the ordered executor (``executor``) with one
handler per payload type (``cards``, ``shares``), and the apply report (``report``).

May import: ``common``, ``plan``, ``aws``, ``desired`` and itself. It never reads the
repository nor re-plans: the orchestrator (``run.apply_run``) does.
"""
