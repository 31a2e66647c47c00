"""Files the workflows write into the repository, some named after live resources.

A live name is untrusted: anyone who can create a RAM share names it, and a share named
``../../escape/pwned`` must not become a path. A file is named after a card, a share or a
model package group only when the name is valid by the schema's own rule for that kind's
``name`` (so it holds no ``/``, does not start with a dot and fits); anything else is
refused before a file is touched. A new file is created exclusively, never through a
symlink (even a dangling one is "something there"), and a file is only ever written inside
the repository. A site's pages are named the same way, and written only inside the site's
folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from reconciler.common.errors import ReconcilerError
from reconciler.common.words import printable as shown
from reconciler.validate.schemas import Kind, is_safe_name, name_rule

FOLDERS = {"cards": Kind.CARD, "shares": Kind.SHARE, "registry": Kind.REGISTRY}
_NOUN = {Kind.CARD: "card", Kind.SHARE: "share", Kind.REGISTRY: "model package group"}


class UnsafeName(ReconcilerError):
    """A live name that cannot name a file in the repository; nothing was written."""


def new_file(repo: Path, folder: str, name: str) -> Path:
    """``repo/folder/name.yaml``; UnsafeName when ``name`` is not a safe file name."""
    kind = FOLDERS[folder]
    if not is_safe_name(kind, name):
        raise UnsafeName(
            f"{_NOUN[kind]} {shown(name)}: its name is not a safe file name; nothing written",
            hint=f"the name of a file under {folder}/ must match {name_rule(kind)} "
            f"(schema/{kind.value}): rename it in AWS, or leave it out of git",
        )
    return repo / folder / f"{name}.yaml"


def write_new(repo: Path, path: Path, text: str) -> bool:
    """Create ``path`` inside ``repo`` holding ``text``; False when anything is there
    already (a file, a folder or a symlink, dangling or not)."""
    folder = inside(repo, path.parent)
    folder.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(folder / path.name, flags, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    return True


def rewrite(repo: Path, path: Path, text: str) -> None:
    """Replace the text of ``path``, which must be a file inside ``repo``."""
    target = inside(repo, path)
    target.write_text(text, encoding="utf-8")


def inside(repo: Path, path: Path) -> Path:
    """``path`` with every symlink resolved, when that is inside ``repo``; else an error."""
    root, target = repo.resolve(), path.resolve()
    if target != root and root not in target.parents:
        raise ReconcilerError(
            f"{path} leads to {target}, outside the repository {root}: nothing written",
            hint="remove the symlink that leads out of the repository",
        )
    return target


def pdf_name(card: str, version: int) -> Path:
    """The default file of a card version's PDF, in the current folder."""
    if not is_safe_name(Kind.CARD, card):
        raise UnsafeName(f"card {shown(card)}: its name is not a safe file name")
    return Path(f"{card}-v{version}.pdf")


_TARGET_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")  # reconciler.schema.json's $defs/name


def card_page(target: str, card: str) -> str:
    """The page of ``card`` of ``target`` in a site, relative to its root; UnsafeName when
    either name is not a safe file name (a card git declares always is)."""
    return f"cards/{_site_folder(target, card)}.html"


def card_pdf(target: str, card: str, version: int) -> str:
    """Where the PDF of a card version is in a site, relative to its root."""
    return f"pdf/{_site_folder(target, card)}-v{int(version)}.pdf"


def _site_folder(target: str, card: str) -> str:
    if not _TARGET_NAME.fullmatch(target):
        raise UnsafeName(f"target {shown(target)}: its name is not a safe file name")
    if not is_safe_name(Kind.CARD, card):
        raise UnsafeName(f"card {shown(card)}: its name is not a safe file name")
    return f"{target}/{card}"


def write_site(out: Path, files: dict[str, bytes]) -> None:
    """Write each file of a site (by path relative to ``out``) inside ``out``, replacing
    what is there; a path that leads out of ``out`` (through ``..`` or a symlink) is
    refused before anything is written."""
    out.mkdir(parents=True, exist_ok=True)
    targets = {relative: _site_path(out, relative) for relative in files}
    for relative, target in sorted(targets.items()):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[relative])


def _site_path(out: Path, relative: str) -> Path:
    path = out / relative
    if Path(relative).is_absolute() or ".." in Path(relative).parts:
        raise UnsafeName(f"{shown(relative)} is not a path inside the site; nothing written")
    inside(out, path.parent)
    if path.is_symlink():
        raise ReconcilerError(
            f"{path} is a symlink: nothing written", hint="remove it, or choose another --out"
        )
    return path
