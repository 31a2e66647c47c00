"""A minimal, valid PDF writer for model-card exports (text only, Helvetica, A4 pages).

Export jobs must leave a real PDF in S3; this avoids a PDF library dependency. The
output has a correct cross-reference table, so PDF readers and ``pypdf`` open it.
"""

from __future__ import annotations

LINES_PER_PAGE = 60
_WIDTH = 110


def _escape(line: str) -> str:
    text = line.encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _wrap(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        out += [line[i : i + _WIDTH] for i in range(0, max(len(line), 1), _WIDTH)]
    return out


def _page_stream(lines: list[str]) -> bytes:
    body = "".join(f"({_escape(line)}) Tj T*\n" for line in lines)
    return f"BT /F1 9 Tf 11 TL 40 800 Td\n{body}ET".encode("latin-1")


def _objects(pages: list[list[str]]) -> list[bytes]:
    count = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, lines in enumerate(pages):
        stream = _page_stream(lines)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return objects


def render(title: str, lines: list[str]) -> bytes:
    """A PDF document with ``title`` and ``lines`` (wrapped and paginated)."""
    text = _wrap([title, "", *lines])
    pages = [text[i : i + LINES_PER_PAGE] for i in range(0, len(text), LINES_PER_PAGE)]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(_objects(pages), start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        xref,
    )
    return bytes(out)
