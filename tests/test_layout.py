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

# What each part of the package may import from the reconciler (besides itself), lowest
# stage first. ``common`` is the shared low layer every stage may import.
ALLOWED: dict[str, frozenset[str]] = {
    "common": frozenset(),
    "load": frozenset({"common"}),
    "desired": frozenset({"common", "load.yamlsource"}),
    "validate": frozenset({"common", "load.yamlsource", "desired"}),
    "evidence": frozenset({"common", "desired"}),
    "plan": frozenset({"common"}),
    "aws": frozenset({"common"}),
    "live": frozenset({"common", "aws", "desired", "evidence"}),
    "normalize": frozenset({"common", "desired", "live.model"}),
    "diff": frozenset(
        {
            "common",
            "plan",
            "normalize",
            "live.model",
            "desired",
            "load.yamlsource",
            "validate.rules",
        }
    ),
    "graph": frozenset({"common", "desired", "validate.rules", "live.model", "diff.shares"}),
    "reports": frozenset({"common", "desired", "graph.model", "live.model", "plan"}),
    "apply": frozenset({"common", "plan", "aws", "desired"}),
    "verify": frozenset({"common", "aws", "desired", "live", "diff.shares", "reports.consumers"}),
    "iam": frozenset({"common", "desired", "diff.shares"}),
    "bootstrap": frozenset({"common", "desired", "iam"}),
    "probe": frozenset({"common", "aws", "desired", "reports.probe"}),
    "run": frozenset(
        {
            "common",
            "load",
            "desired",
            "validate",
            "aws",
            "live",
            "normalize",
            "diff",
            "plan",
            "graph",
            "apply",
            "reports",
            "verify",
            "evidence",
        }
    ),
    "workflows": frozenset(
        {
            "common",
            "load",
            "desired",
            "validate",
            "evidence",
            "aws",
            "live",
            "normalize",
            "plan",
            "apply",
            "graph",
            "reports",
            "run",
        }
    ),
    "render": frozenset(
        {"reconciler", "common", "plan", "apply.report", "reports", "graph", "desired.model"}
    ),
    "__main__": frozenset({"load.early", "cli"}),
}
# Packages that may import anything of the core (never the sandbox at the top level).
TOP = ("cli",)
# Third-party imports that mean I/O, forbidden where the stage is pure.
IO_MODULES = ("boto3", "botocore", "pathlib", "urllib", "socket", "subprocess")
PURE = (
    "evidence",
    "desired.evidence",
    "common.content",
    "common.names",
    "common.diagnostics",
    "diff",
    "graph",
    "normalize",
    "reports",
    "plan.model",
    "plan.payloads",
    "plan.actions",
    "plan.codec",
    "plan.address",
    "bootstrap",
)
NO_AWS = (
    "render",
    "graph",
    "load",
    "validate",
    "desired",
    "evidence",
    "plan",
    "diff",
    "normalize",
    "reports",
)
# Only the commands that run the sandbox (the `sandbox` command, the demo package) import it,
# and only inside a function.
SANDBOX_USERS = frozenset({"cli.local", "cli.demo"})

# The sandbox's own layers (reconciler/sandbox/__init__.py): its shared core at the top of
# the package, the services, the HTTP front, then the assembly that may import any layer.
SANDBOX_CORE = frozenset(
    {
        "authz",
        "config",
        "caller",
        "clock",
        "declared",
        "errors",
        "faults",
        "identity",
        "paging",
        "validation",
    }
)
SANDBOX_SERVICES = frozenset({"ram", "sagemaker", "iam", "cloudtrail", "cloudformation"})
SANDBOX_ASSEMBLY = frozenset({"instance", "server", "selftest", "clients", "pytest_plugin"})


def modules(sandbox: bool = False) -> Iterator[tuple[str, Path]]:
    """The core's modules (or the sandbox's, named from inside it)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).with_suffix("")
        parts = [p for p in relative.parts if p != "__init__"]
        if (parts[:1] == ["sandbox"]) != sandbox:
            continue
        if sandbox:
            yield ".".join(parts[1:]) or "sandbox", path
        else:
            yield ".".join(parts) or "reconciler", path


def imports(path: Path) -> Iterator[tuple[str, int, bool]]:
    """(module imported, line, at top level) for every absolute import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from package import module` imports the module
            modules_named = [f"{node.module}.{a.name}" for a in node.names]
            names = [m for m in modules_named if is_module(m)] or [node.module]
            for name in names:
                yield name, node.lineno, id(node) in top
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno, id(node) in top


def is_module(dotted: str) -> bool:
    """Whether ``dotted`` names a module or package of the reconciler."""
    if not dotted.startswith("reconciler."):
        return False
    path = PACKAGE.joinpath(*dotted.split(".")[1:])
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


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
            if not within(module, SANDBOX_USERS) or top:
                problems.append(f"line {line}: {name} (the core never imports the sandbox)")
            continue
        if within(module, TOP):
            continue
        assert rule is not None, f"{module} belongs to no package of ALLOWED: add its rule"
        owner, allowed = rule
        if not within(name, (owner, *allowed)):
            problems.append(f"line {line}: {name} (not allowed in {owner})")
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
        "validate.rules.config": ("botocore",),
        # The repository and saved plans are files by definition.
        "load.yamlsource": ("pathlib",),
        "validate.schemas": ("pathlib",),
        "validate.rules.cards": ("pathlib",),
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


SANDBOX_MODULES = list(modules(sandbox=True))


def sandbox_layer(module: str) -> tuple[int, str]:
    """(layer, part) of a sandbox module: 1 core, 2 a service, 3 http, 4 assembly."""
    part = module.split(".")[0]
    if part in SANDBOX_CORE:
        return 1, part
    if part in SANDBOX_SERVICES:
        return 2, part
    if part == "http":
        return 3, part
    assert part in SANDBOX_ASSEMBLY or module == "sandbox", f"sandbox.{module}: no layer"
    return 4, part


@pytest.mark.parametrize(("module", "path"), SANDBOX_MODULES, ids=[m for m, _ in SANDBOX_MODULES])
def test_the_sandbox_keeps_its_layers(module: str, path: Path) -> None:
    """A sandbox module imports only its own layer's core and those below it; the services
    never import each other nor the HTTP front; nothing in the sandbox imports the core."""
    layer, part = sandbox_layer(module)
    problems = []
    for name, line, _ in reconciler_imports(path):
        if not within(name, ("sandbox",)):
            problems.append(f"line {line}: {name} (the sandbox never imports the core)")
            continue
        inner = name.removeprefix("sandbox").lstrip(".")
        if not inner:
            problems.append(f"line {line}: the sandbox package itself") if layer < 4 else None
            continue
        their_layer, their_part = sandbox_layer(inner)
        if their_layer > layer or (layer == their_layer == 2 and their_part != part):
            problems.append(f"line {line}: {name} (layer {their_layer} from layer {layer})")
    assert not problems, f"{path.relative_to(PACKAGE.parent)}: " + "; ".join(problems)


def records(path: Path) -> Iterator[tuple[str, int, bool]]:
    """(class name, number of fields, keyword-only) of every dataclass in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ClassDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            name = call.func if call else decorator
            if not (isinstance(name, ast.Name) and name.id == "dataclass"):
                continue
            keywords = {k.arg: k.value for k in call.keywords} if call else {}
            kw_only = keywords.get("kw_only")
            fields = [
                s
                for s in node.body
                if isinstance(s, ast.AnnAssign) and "ClassVar" not in ast.unparse(s.annotation)
            ]
            yield node.name, len(fields), isinstance(kw_only, ast.Constant) and kw_only.value


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_records_of_more_than_three_fields_are_built_by_keyword(module: str, path: Path) -> None:
    positional = [f"{name} ({n} fields)" for name, n, kw in records(path) if n > 3 and not kw]
    assert not positional, f"{module}: make these kw_only: {positional}"
