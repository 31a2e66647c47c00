"""Validation: each document against its JSON Schema (``schemas`` compiled once per
process, ``schema_check`` turning errors into positioned sentences) and the cross-file,
meaning-level rules (``rules``, one module per subject), all as ``Diagnostic``s. Nothing is
raised for a problem in the user's files, and nothing here calls AWS.

May import: ``common``, ``load.yamlsource`` (documents and positions), ``desired`` (the
rules check built values) and itself.
"""
