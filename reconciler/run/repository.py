"""Load a repository (reconciler.yaml, cards/, shares/, registry/) into the desired state.

Every file is read and checked, and every problem is collected: symlinks (refused unless
reconciler.yaml's ``files.symlinks`` allows them), YAML, then schema, then the cross-file
rules. The desired state is returned only when there is no error, so no
caller can reach AWS with an invalid repository.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from reconciler.common.diagnostics import START, Diagnostic, has_errors
from reconciler.common.errors import ReconcilerError
from reconciler.common.status import CardStatus
from reconciler.common.words import count
from reconciler.desired.build import card_from, config_from, share_from
from reconciler.desired.gates import Requirement
from reconciler.desired.model import CardSpec, Config, DesiredState, ShareSpec
from reconciler.desired.registry import GroupSpec, group_from, resolve
from reconciler.load.files import yaml_files
from reconciler.load.parallel import load_files
from reconciler.load.yamlsource import LoadResult, SourceDocument, load_file
from reconciler.validate.rules import RuleInput, run_rules
from reconciler.validate.schema_check import check
from reconciler.validate.schemas import Kind

CONFIG_FILE = "reconciler.yaml"
CARDS_DIR = "cards"
SHARES_DIR = "shares"
REGISTRY_DIR = "registry"

T = TypeVar("T")


@dataclass(frozen=True)
class RepoLoad:
    """The outcome of loading: the state (None when there are errors) and all diagnostics."""

    state: DesiredState | None
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.state is not None


class _Collector:
    """Accumulates documents and diagnostics while files are loaded."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.documents: dict[str, SourceDocument] = {}
        self.diagnostics: list[Diagnostic] = []
        self.files: list[str] = []

    def load(self, display: str, kind: Kind, result: LoadResult) -> SourceDocument | None:
        """Schema-check one loaded file; the document when it is schema-valid."""
        self.files.append(display)
        self.diagnostics.extend(result.diagnostics)
        doc = result.document
        if doc is None:
            return None
        self.documents[display] = doc
        problems = check(doc, kind)
        self.diagnostics.extend(problems)
        return None if problems else doc


def load_repository(root: Path) -> RepoLoad:
    """Load and validate the whole repository at ``root``."""
    collector = _Collector(root)
    config, config_doc = _load_config(collector)
    symlinks = config is not None and config.symlinks_allowed
    cards = _load_all(collector, CARDS_DIR, Kind.CARD, card_from, symlinks)
    shares = _load_all(collector, SHARES_DIR, Kind.SHARE, share_from, symlinks)
    groups = _load_all(collector, REGISTRY_DIR, Kind.REGISTRY, group_from, symlinks)
    rule_input = RuleInput(
        config=config,
        config_doc=config_doc,
        cards=tuple(cards),
        shares=tuple(shares),
        groups=tuple(groups),
        documents=collector.documents,
        all_card_names=_all_card_names(collector),
    )
    collector.diagnostics.extend(run_rules(rule_input))
    diagnostics = tuple(sorted(set(collector.diagnostics)))
    state = None
    if config is not None and not has_errors(diagnostics):
        state = _desired(config, cards, shares, groups, collector.documents)
    return RepoLoad(state, diagnostics, tuple(collector.files))


def _desired(
    config: Config,
    cards: list[CardSpec],
    shares: list[ShareSpec],
    groups: list[GroupSpec],
    documents: Mapping[str, SourceDocument],
) -> DesiredState:
    by_name = {c.name: c for c in cards}
    return DesiredState(
        config=config,
        cards=by_name,
        shares={s.name: s for s in shares},
        documents=dict(documents),
        groups=resolve({g.name: g for g in groups}, by_name),
    )


def _load_config(collector: _Collector) -> tuple[Config | None, SourceDocument | None]:
    root = collector.root
    problem = _missing_repo(root) or _missing_config(root)
    if problem is not None:
        collector.diagnostics.append(problem)
        return None, None
    doc = collector.load(CONFIG_FILE, Kind.CONFIG, load_file(root / CONFIG_FILE, CONFIG_FILE))
    return (config_from(doc.data), doc) if doc else (None, None)


def _missing_repo(root: Path) -> Diagnostic | None:
    if root.is_dir():
        return None
    what = "is not a folder" if root.exists() else "does not exist"
    return Diagnostic(
        file=str(root),
        position=START,
        path="$",
        message=f"the repository folder {root} {what}: "
        "pass the folder that holds reconciler.yaml with --repo",
        code="missing-repo",
    )


def _missing_config(root: Path) -> Diagnostic | None:
    if (root / CONFIG_FILE).is_file():
        return None
    return Diagnostic(
        file=CONFIG_FILE,
        position=START,
        path="$",
        message=f"{CONFIG_FILE} not found in {root}: create it "
        "(see the README for its format), or pass the folder that holds it with --repo",
        code="missing-config",
    )


def _load_all(
    collector: _Collector, folder: str, kind: Kind, build: Callable[[Any, str], T], symlinks: bool
) -> list[T]:
    """Every file of ``folder`` built into a spec; symlinks as reconciler.yaml allows."""
    listing = yaml_files(collector.root, folder, symlinks=symlinks)
    collector.files.extend(p.file for p in listing.problems)
    collector.diagnostics.extend(listing.problems)
    items: list[T] = []
    loaded = load_files(listing.files)
    for (_, display), result in zip(listing.files, loaded, strict=True):
        doc = collector.load(display, kind, result)
        if doc is not None:
            items.append(build(doc.data, doc.file))
    return items


def _all_card_names(collector: _Collector) -> frozenset[str]:
    """Names of every card file that parsed, valid or not, so shares don't report them twice."""
    names = set()
    for file, doc in collector.documents.items():
        if file.startswith(CARDS_DIR + "/") and isinstance(doc.data, dict):
            name = doc.data.get("name")
            names.add(name if isinstance(name, str) else Path(file).stem)
    return frozenset(names)


__all__ = ["CardSpec", "RepoLoad", "ShareSpec", "load_repository"]


class InvalidRepository(ReconcilerError):
    """The repository has errors; nothing was read from or written to AWS."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...], files: tuple[str, ...]) -> None:
        errors = sum(1 for d in diagnostics if d.severity.value == "error")
        super().__init__(
            f"the repository has {count(errors, 'error')}",
            hint="fix what is listed above (`reconciler validate` lists it too), then try again",
        )
        self.diagnostics, self.files = diagnostics, files


def base_gates(path: Path) -> Mapping[CardStatus, tuple[Requirement, ...]]:
    """The promotion gates of another reconciler.yaml (the base branch's), to compare a
    change to them with; an error naming file, line and column when it is not valid."""
    loaded = load_file(path, str(path))
    problems = list(loaded.diagnostics)
    if loaded.document is not None:
        problems += check(loaded.document, Kind.CONFIG)
    if problems or loaded.document is None:
        listed = "".join(f"\n  {p.file}:{p.line}:{p.column}: {p.message}" for p in problems)
        raise ReconcilerError(
            f"the base reconciler.yaml is not valid:{listed}",
            hint="pass the reconciler.yaml of the branch the change is made against",
        )
    return config_from(loaded.document.data).requirements
