"""Workflows beyond planning that the commands run on top of the orchestrators: importing
live resources into YAML (``importer``), pulling live edits back into card files
(``pull``), a card's history and PDF export (``audit``), and writing YAML for people
(``yamlwrite``).

May import every stage and ``run``; never ``cli`` or ``render``.
"""
