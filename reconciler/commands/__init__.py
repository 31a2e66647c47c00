"""Workflows on top of the pipeline: drift, import, pull, verify, the demo and the IAM
policies. Each is what one command does beyond planning.

``drift`` and ``consumers`` are pure report records (renderers import them); ``verify``
checks consumer accounts through their roles; ``importer`` and ``pull`` write files;
``iam_policy`` derives policies from the configuration.

May import anything except ``cli``. Only ``demo`` imports the sandbox, lazily.
"""
