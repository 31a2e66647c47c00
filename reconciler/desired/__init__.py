"""The desired state: what the repository declares, as frozen typed values (``model``),
built from schema-valid documents (``build``), and one target's part of it (``targets``:
its cards, shares, region and card account, and the run order with hubs last). A card's
promotion gates (``gates``, with the content path syntax) and the provenance of its filled
values (``evidence``) are declared here too.

May import: ``common``, ``load.yamlsource`` (documents) and itself. Never AWS.
"""
