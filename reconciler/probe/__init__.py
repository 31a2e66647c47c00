"""`reconciler probe`: the AWS behaviours the reconciler and its sandbox rely on without AWS
documenting them, checked on the user's card account.

``assumptions`` lists them (what the sandbox assumes, its switch in ``SandboxConfig``, what
follows if an account differs); ``reads`` checks those a read can settle, ``cards`` and
``shares`` (with ``--write``) those that need one scratch card and one scratch share,
which ``scratch`` always deletes; ``context`` holds the sessions, among them the apply role
assumed again with a session policy that leaves one action out; ``run`` composes them into
a ``ProbeReport`` (``reports.probe``, which ``render.probe`` shows and turns into the
sandbox settings the account showed).

May import ``common``, ``aws``, ``desired`` and ``reports.probe``; never the sandbox, whose
defaults ``assumptions`` repeats (a test keeps the two equal).
"""
