"""The orchestrators: every run is composed here from the stages. ``repository`` loads,
validates and builds a repository's desired state; ``pipeline`` opens a target's sessions
and runs the plan pipeline; ``apply_run`` and ``drift_run`` are composed from it;
``fanout`` runs them for every target of a repository, hubs after their spokes;
``commit`` names the git commit being applied; ``drift_evidence`` finds the cards whose
sources changed since they were filled.

May import every stage (``load`` to ``apply``, ``reports``, ``verify``, ``evidence``),
never ``cli``, ``render``, ``workflows`` or ``iam``.
"""
