"""Where the probe's list comes from: every ``AWS undocumented: <key>`` marker in
``reconciler/`` names an assumption of the list and every assumption has one; every note
in ``reconciler/`` that calls a behaviour undocumented carries a marker, or is one of the
notes docs/probe.md leaves out; and every row of ``../shared/reference/aws-facts.md``
marked [I] or [?] is in docs/probe.md's table, with the assumption that checks it or why
none does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from reconciler.probe.assumptions import ASSUMPTIONS, BY_KEY
from tests.conftest import PROJECT_ROOT

CODE = PROJECT_ROOT / "reconciler"
DOCS = PROJECT_ROOT / "docs" / "probe.md"
FACTS = PROJECT_ROOT.parent / "shared" / "reference" / "aws-facts.md"
MARKER = re.compile(r"AWS undocumented: ([a-z0-9-]+)")
NOTE = re.compile(
    r"[Uu]ndocumented|not documented|does not document|AWS does not say|not stated verbatim"
)
MARKED = re.compile(r"\[I\]|\[\?\]|\[I,")
# How far a note's marker may be from it: the rest of its comment or docstring paragraph.
BEFORE, AFTER = 3, 12
# Notes that call something undocumented without the reconciler relying on it, by file
# and a phrase of the note; docs/probe.md's "Left out" names each file.
LEFT_OUT = {
    "sandbox/sagemaker/training.py": "an unknown model or job",
    "sandbox/sagemaker/registry.py": "an unknown package or group",
    "sandbox/sagemaker/authz.py": "not documented",
    "sandbox/ram/access.py": "exact form is not documented",
}
# The probe itself, whose text is about undocumented behaviour in general.
PROBE_OWN = ("probe/", "reports/probe.py", "cli/probe.py")


def _sources() -> Iterator[tuple[str, list[str]]]:
    for path in sorted(CODE.rglob("*.py")):
        yield path.relative_to(CODE).as_posix(), path.read_text(encoding="utf-8").splitlines()


def test_every_marker_names_an_assumption_and_every_assumption_has_one() -> None:
    found = {
        (name, number + 1, key)
        for name, lines in _sources()
        for number, line in enumerate(lines)
        for key in MARKER.findall(line)
    }
    unknown = sorted(f"{name}:{number}: {key}" for name, number, key in found if key not in BY_KEY)
    assert unknown == []
    marked = {key for *_, key in found}
    assert [a.key for a in ASSUMPTIONS if a.key not in marked] == []


def test_every_undocumented_note_is_marked_or_left_out() -> None:
    unmarked, notes = [], 0
    for name, lines in _sources():
        if name.startswith(PROBE_OWN):
            continue
        for number, line in enumerate(lines):
            if not NOTE.search(line) or MARKER.search(line):
                continue
            notes += 1
            near = lines[max(0, number - BEFORE) : number + AFTER]
            if any(MARKER.search(x) for x in near):
                continue
            if name in LEFT_OUT and LEFT_OUT[name] in line:
                continue
            unmarked.append(f"reconciler/{name}:{number + 1}: {line.strip()}")
    assert unmarked == []
    assert notes > 20  # the scan reads the notes (sandbox/config.py alone holds more)


def test_the_docs_name_each_note_left_out() -> None:
    left_out = DOCS.read_text(encoding="utf-8").split("## Left out, and why", 1)[1]
    assert [n for n in LEFT_OUT if f"`{n}`" not in left_out] == []


def _mapping() -> dict[str, str]:
    """docs/probe.md's table: aws-facts row -> the assumption(s), or why none."""
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("| aws-facts row (marked [I] or [?]) | assumption |", 1)[1]
    rows = {}
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        row, answer = (cell.strip() for cell in line.strip("|").split(" | "))
        rows[row] = answer
    return rows


def _facts() -> Iterator[str]:
    """aws-facts lines with an [I] or [?] marker, beyond the legend."""
    for line in FACTS.read_text(encoding="utf-8").splitlines():
        if MARKED.search(line) and not line.startswith("- **["):
            yield line


def _row_of(line: str, rows: dict[str, str]) -> str | None:
    if line.startswith("|"):
        first = line.strip("|").split(" | ")[0].strip()
        return first if first in rows else None
    text = line.lstrip("#-* ")
    return max((r for r in rows if text.startswith(r)), key=len, default=None)


def test_every_inferred_or_unknown_aws_fact_is_in_the_docs_table() -> None:
    if not FACTS.exists():
        pytest.skip(f"{FACTS} is not beside the repository")
    rows = _mapping()
    found = {line: _row_of(line, rows) for line in _facts()}
    assert len(found) > 25  # the facts' marked rows are read
    assert [line[:80] for line, row in found.items() if row is None] == []
    assert sorted(set(rows) - set(found.values())) == []  # no row the facts lost


def test_each_row_names_assumptions_of_the_list_or_why_none() -> None:
    for row, answer in _mapping().items():
        keys = re.findall(r"`([a-z0-9-]+)`", answer)
        reason = answer.startswith(("not relied on", "not a behaviour"))
        assert keys or reason, row
        assert [k for k in keys if k not in BY_KEY] == [], row
        if keys:
            assert answer.startswith(f"`{keys[0]}`"), row
