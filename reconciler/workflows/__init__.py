"""Workflows beyond planning that the commands run on top of the orchestrators: importing
live resources into YAML (``importer``), pulling live edits back into card files
(``pull``), filling cards from their evidence (``fill``, reading it in ``fill_sources``),
a card's history and PDF export (``audit``), writing YAML for people (``yamlwrite``),
gathering the catalogue of every card (``site``), and the files they write, named after
live resources only when the name is a safe file name, and never outside the repository
(``files``).

May import every stage and ``run``; never ``cli`` or ``render``.
"""
