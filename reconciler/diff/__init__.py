"""The diff: desired against live state, both already normalised, as plan changes. Pure:
no I/O, no AWS, no files.

``cards``, ``shares`` and ``permissions`` diff one kind of resource each; ``ownership``
holds adoption and tag changes; ``fields`` turns value differences into plan fields;
``compose`` puts them together into a plan.

May import: ``common``, ``plan``, ``normalize``, ``live.model``, ``desired``,
``load.yamlsource`` (positions), ``validate.rules`` (pure predicates on the config) and
itself.
"""
