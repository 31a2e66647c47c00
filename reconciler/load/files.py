"""Which files of ``cards/``, ``shares/`` and ``registry/`` are read, and from where.

A symlink reads a file from wherever it points, outside the repository too, and a pull
request can add one. So a symlink under one of them (or the folder being
one) is a problem naming it, unless the repository allows symlinks (``files: {symlinks:
allow}`` in reconciler.yaml); then a symlink is read at its target when that is a file
inside the repository, and is a problem otherwise (outside, dangling, a loop, a folder).
Listing reads no file's content; a problem is placed at line 1, column 1 of the link.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from reconciler.common.diagnostics import START, Diagnostic
from reconciler.common.words import printable

SUFFIXES = (".yaml", ".yml")
ALLOW = "allow them with files: {symlinks: allow} in reconciler.yaml"


@dataclass(frozen=True)
class Listing:
    """The files to read as (path to read, name in diagnostics), and the links refused."""

    files: tuple[tuple[Path, str], ...]
    problems: tuple[Diagnostic, ...]


def yaml_files(root: Path, folder: str, *, symlinks: bool) -> Listing:
    """The YAML files of ``root/folder`` in name order, with symlinks as the rule says."""
    base = root / folder
    if base.is_symlink():
        refused = _refused(root, base, folder, symlinks)
        if refused is not None:
            return Listing((), (refused,))
    if not base.is_dir():
        return Listing((), ())
    files: list[tuple[Path, str]] = []
    problems: list[Diagnostic] = []
    for entry in sorted(e for e in base.iterdir() if e.suffix in SUFFIXES):
        found = _entry(root, entry, f"{folder}/{entry.name}", symlinks)
        if isinstance(found, Diagnostic):
            problems.append(found)
        elif found is not None:
            files.append(found)
    return Listing(tuple(files), tuple(problems))


def _entry(
    root: Path, entry: Path, display: str, symlinks: bool
) -> tuple[Path, str] | Diagnostic | None:
    """What to read for one entry: a file, a symlink's target (read there, so the link
    cannot change between this check and the read), a problem, or nothing (a folder)."""
    if not entry.is_symlink():
        return (entry, display) if entry.is_file() else None
    refused = _refused(root, entry, display, symlinks)
    if refused is not None:
        return refused
    if not entry.is_file():
        return _problem(display, f"{display} is a symlink to a folder, not to a file")
    return entry.resolve(), display


def _refused(root: Path, link: Path, display: str, symlinks: bool) -> Diagnostic | None:
    """Why the symlink ``link`` is not read; None when it may be."""
    points = printable(os.readlink(link))
    if not symlinks:
        return _problem(
            display,
            f"{display} is a symlink (to {points}): symlinks under cards/, shares/ and "
            f"registry/ are refused, since they read files from outside review; replace it "
            f"with the file, or {ALLOW}",
        )
    return _unreadable(root, link, display, points)


def _unreadable(root: Path, link: Path, display: str, points: str) -> Diagnostic | None:
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):  # dangling, or a loop
        return _problem(display, f"{display} is a symlink to {points}, which does not exist")
    inside = root.resolve()
    if target != inside and inside not in target.parents:
        return _problem(
            display,
            f"{display} is a symlink to {printable(str(target))}, outside the repository: "
            "only targets inside the repository are read; move the file into it",
        )
    return None


def _problem(display: str, message: str) -> Diagnostic:
    return Diagnostic(file=display, position=START, path="$", message=message, code="symlink")
