"""The plan: the typed contract between the diff and the executor.

``actions`` holds the closed sets (Action, Reason, Guard, Flag) and the actions on each
kind of resource (``by_resource``, for matches mypy checks one kind at a time);
``payloads`` one frozen payload class per action; ``model`` the Change and Plan values;
``codec`` the versioned JSON form and the checksum; ``saved`` reading a saved plan back.

May import: ``common`` and itself. Nothing that performs I/O except
``saved``, which reads the file it is given.
"""
