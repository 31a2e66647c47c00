"""The package layout follows the pipeline, and each package imports only what its
docstring allows: the core never imports the sandbox, the diff does no I/O, renderers never
call AWS. A new import that crosses a boundary fails here with the module and the name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reconciler"

# What each part of the package may import from the reconciler (besides itself).
ALLOWED: dict[str, frozenset[str]] = {
    "errors": frozenset(),
    "words": frozenset(),
    "diagnostics": frozenset(),
    "load": frozenset({"errors", "diagnostics", "words"}),
    "plan": frozenset({"diagnostics", "errors"}),
    "aws": frozenset({"errors"}),
    "arns": frozenset({"load.desired"}),
    "live": frozenset({"aws", "arns", "normalize", "load.desired", "errors"}),
    "normalize": frozenset({"live.model", "load.desired"}),
    "diff": frozenset(
        {
            "plan",
            "normalize",
            "live.model",
            "load.desired",
            "load.yamlsource",
            "load.rules",
            "diagnostics",
            "arns",
            "words",
        }
    ),
    "apply": frozenset({"plan", "aws", "arns", "normalize", "load.desired", "words", "errors"}),
    "render": frozenset(
        {
            "reconciler",
            "plan",
            "apply.report",
            "commands.consumers",
            "commands.drift",
            "commands.audit_reports",
            "diagnostics",
            "graph",
            "words",
        }
    ),
    "commands.drift": frozenset({"diagnostics", "graph.model", "live.model", "plan.model"}),
    "commands.trail": frozenset(
        {"commands.drift", "live.model", "load.desired", "plan.model", "plan.payloads"}
    ),
    "commands.audit_reports": frozenset({"live.model"}),
    "commands.consumers": frozenset(),
    "graph": frozenset({"load.desired", "load.rules", "live.model", "diff.shares"}),
}
# Third-party imports that mean I/O, forbidden where the stage is pure.
IO_MODULES = ("boto3", "botocore", "pathlib", "urllib", "socket", "subprocess")
PURE = ("diff", "graph", "normalize", "plan.model", "plan.payloads", "plan.actions", "plan.codec")
NO_AWS = (
    "render",
    "graph",
    "load",
    "plan",
    "diff",
    "normalize",
    "commands.drift",
    "commands.trail",
    "commands.consumers",
    "commands.audit_reports",
)
# Only the commands that run the sandbox import it, and only inside a function.
SANDBOX_USERS = frozenset({"cli.local", "commands.demo"})
# Modules the orchestration layers may not import.
NOT_BELOW: dict[str, frozenset[str]] = {
    "pipeline": frozenset({"cli", "render"}),
    "fanout": frozenset({"cli", "render"}),
    "drift_run": frozenset({"cli", "render"}),
    "apply_run": frozenset({"cli", "render"}),
    "commands": frozenset({"cli"}),
}


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).with_suffix("")
        parts = [p for p in relative.parts if p != "__init__"]
        if parts[:1] == ["sandbox"]:
            continue
        yield ".".join(parts) or "reconciler", path


def imports(path: Path) -> Iterator[tuple[str, int, bool]]:
    """(module imported, line, at top level) for every absolute import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "reconciler":
                names = [f"reconciler.{a.name}" for a in node.names if a.name != "__version__"]
                names = names or ["reconciler"]
            for name in names:
                yield name, node.lineno, id(node) in top
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno, id(node) in top


def within(name: str, prefixes: frozenset[str] | tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def rule_for(module: str) -> tuple[str, frozenset[str]] | None:
    """The most specific rule that applies to ``module``."""
    keys = sorted((k for k in ALLOWED if within(module, (k,))), key=len, reverse=True)
    return (keys[0], ALLOWED[keys[0]]) if keys else None


def reconciler_imports(path: Path) -> Iterator[tuple[str, int, bool]]:
    for name, line, top in imports(path):
        if name == "reconciler" or name.startswith("reconciler."):
            yield name.removeprefix("reconciler.") if name != "reconciler" else name, line, top


MODULES = list(modules())


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_each_module_imports_only_what_its_package_allows(module: str, path: Path) -> None:
    rule = rule_for(module)
    problems = []
    for name, line, top in reconciler_imports(path):
        if name.startswith("sandbox"):
            if module not in SANDBOX_USERS or top:
                problems.append(f"line {line}: {name} (the core never imports the sandbox)")
            continue
        if rule is not None:
            owner, allowed = rule
            if not within(name, (owner, *allowed)):
                problems.append(f"line {line}: {name} (not allowed in {owner})")
        for layer, banned in NOT_BELOW.items():
            if within(module, (layer,)) and within(name, tuple(banned)):
                problems.append(f"line {line}: {name} (not allowed in {layer})")
    assert not problems, f"{path.relative_to(PACKAGE.parent)}: " + "; ".join(problems)


@pytest.mark.parametrize(
    ("module", "path"),
    [(m, p) for m, p in MODULES if within(m, PURE) or within(m, NO_AWS)],
    ids=[m for m, _ in MODULES if within(m, PURE) or within(m, NO_AWS)],
)
def test_pure_stages_do_no_io_and_renderers_never_call_aws(module: str, path: Path) -> None:
    banned = IO_MODULES if within(module, PURE) else ("boto3", "botocore")
    exceptions = {
        # Region names come from botocore's bundled endpoint data; no client is made.
        "load.rules.config": ("botocore",),
        # The repository and saved plans are files by definition.
        "load.repo": ("pathlib",),
        "load.yamlsource": ("pathlib",),
        "load.schemas": ("pathlib",),
        "load.rules.cards": ("pathlib",),
        "plan.saved": ("pathlib",),
    }
    found = [
        f"line {line}: {name}"
        for name, line, _ in imports(path)
        if within(name, banned) and not within(name, exceptions.get(module, ()))
    ]
    assert not found, f"{module} is a pure stage but imports {found}"


def test_the_rules_name_real_modules() -> None:
    names = {m for m, _ in MODULES}
    for key, allowed in ALLOWED.items():
        for name in (key, *allowed):
            assert name == "reconciler" or any(within(m, (name,)) for m in names), name
