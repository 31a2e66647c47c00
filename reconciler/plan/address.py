"""Addresses: which resource a change or an apply step is about, as a value.

An address is a kind and a name. Its text, ``<kind>.<name>`` (``card.Churn``,
``share.churn-dev``, ``permission.read-only``, ``group.Churn`` for the model package group
``Churn`` and ``version.Churn/2`` for its version 2), is what plans, reports and the JSON
plan show; it is made and read only here. Addresses order as their text does: by kind, then
name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """What an address names. Declared in the order their texts sort."""

    CARD = "card"
    GROUP = "group"
    PERMISSION = "permission"
    SHARE = "share"
    VERSION = "version"


@dataclass(frozen=True, order=True)
class Address:
    kind: Kind
    name: str

    def __str__(self) -> str:
        return f"{self.kind.value}.{self.name}"

    @classmethod
    def card(cls, name: str) -> Address:
        return cls(Kind.CARD, name)

    @classmethod
    def share(cls, name: str) -> Address:
        return cls(Kind.SHARE, name)

    @classmethod
    def group(cls, name: str) -> Address:
        """A model package group."""
        return cls(Kind.GROUP, name)

    @classmethod
    def version(cls, group: str, number: int) -> Address:
        """A model version: ``<group>/<version number>``."""
        return cls(Kind.VERSION, f"{group}/{number}")

    @classmethod
    def permission(cls, name: str) -> Address:
        return cls(Kind.PERMISSION, name)

    @classmethod
    def parse(cls, text: str) -> Address:
        """The address ``text`` shows; ValueError for any other text."""
        kind, dot, name = text.partition(".")
        try:
            return cls(Kind(kind), name) if dot and name else _invalid(text)
        except ValueError:
            return _invalid(text)

    @property
    def is_card(self) -> bool:
        return self.kind is Kind.CARD

    @property
    def is_share(self) -> bool:
        return self.kind is Kind.SHARE


def _invalid(text: str) -> Address:
    raise ValueError(f"not a resource address: {text!r} (expected card.<name>, share.<name>)")
