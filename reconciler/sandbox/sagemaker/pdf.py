"""The PDF an export job leaves in S3: a readable rendering of one card version (fpdf2).

The document opens with the card's name, then its ARN, version and status, then one
heading per top-level content section (``model_overview``, ``intended_uses`` …) with
that section's fields as "path: value" lines; nested objects are flattened with dots
and lists with their index. AWS's own layout is a designed report; auditors and tests
need the same facts in text that a PDF reader extracts, which this keeps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos


@dataclass(frozen=True, kw_only=True)
class CardPage:
    """What the PDF shows of one card version."""

    name: str
    arn: str
    version: int
    status: str
    content: str


def _latin1(text: str) -> str:
    # The core fonts cover Latin-1; other characters print as "?" rather than failing.
    return text.encode("latin-1", "replace").decode("latin-1")


def _lines(value: Any, path: str = "") -> list[str]:
    if isinstance(value, dict):
        return [line for k, v in value.items() for line in _lines(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [line for i, v in enumerate(value) for line in _lines(v, f"{path}[{i}]")]
    shown = value if isinstance(value, str) else json.dumps(value)
    return [f"{path}: {shown}" if path else str(shown)]


def _sections(content: str) -> list[tuple[str, list[str]]]:
    try:
        parsed = json.loads(content)
    except ValueError:
        return [("content", content.splitlines())]
    if not isinstance(parsed, dict):
        return [("content", _lines(parsed))]
    return [(key, _lines(value)) for key, value in parsed.items()]


def _write(doc: FPDF, text: str, *, size: int, bold: bool = False) -> None:
    doc.set_font("Helvetica", "B" if bold else "", size)
    doc.multi_cell(0, size * 0.55, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render(card: CardPage) -> bytes:
    """The PDF of ``card``: a title, its metadata, and each content section."""
    doc = FPDF(format="A4")
    doc.set_title(_latin1(f"Model card {card.name}"))
    doc.add_page()
    _write(doc, f"Model card {card.name}", size=18, bold=True)
    for label, value in (("ARN", card.arn), ("Version", card.version), ("Status", card.status)):
        _write(doc, f"{label}: {value}", size=10)
    for heading, lines in _sections(card.content):
        doc.ln(3)
        _write(doc, heading, size=13, bold=True)
        for line in lines:
            _write(doc, line, size=9)
    return bytes(doc.output())
