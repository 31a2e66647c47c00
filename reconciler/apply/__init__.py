"""Applying a plan: safety checks (``safety``), the ordered executor (``executor``) with one
handler per payload type (``cards``, ``shares``, ``audit``) and what each step is handed
(``context``), the order and parallelism of the steps (``schedule``, with ``gate`` for
the share steps that associate cards as they are written), and the apply report
(``report``).

May import: ``common``, ``plan``, ``aws``, ``desired`` and itself. It never reads the
repository nor re-plans: the orchestrator (``run.apply_run``) does.
"""
