"""The sharing topology: which cards (with their status) are in which shares (with their
permission), and which accounts those shares reach (marked when outside the Organization),
built from git or from live state, and the part of it a plan or drift changes; beside it,
for the `graph` command, the model package groups of registry/ with the versions they
manage and their links to cards (``registry``). Pure: no I/O, no AWS, no files. The
`graph` command, the catalogue and the Markdown plan and drift renderers use it.

May import: ``common``, ``desired``, ``validate.rules`` (pure predicates on the config),
``live.model``, ``diff.shares`` (which cards and principals a share selects) and itself.
"""
