"""Normalisation, the one stage that makes desired and live state comparable (``state``):
it runs once, after live state is read and before the diff, and the diff never calls back
here. ``values`` removes and carries over content at dotted paths (``ignore:``).

May import: ``common``, ``desired``, ``live.model`` and itself. Pure.
"""
