"""The GitHub Actions workflows: linted, pinned, least-privileged, calling only what the CLI has.

jactionlint (actionlint's checks plus its security and policy rules) must report nothing.
The structural checks read the workflow YAML: third-party actions pinned to a commit SHA
with a version comment, explicit token permissions granting write only to the jobs whose
actions need it, OIDC roles instead of stored AWS keys, and the apply workflow's
serialisation and approval gate. Every ``reconciler`` call in a ``run:`` step is checked
against the commands and options that the CLI registers, so the workflows and the CLI
cannot drift apart.
"""

from __future__ import annotations

import enum
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from reconciler.cli import app

WORKFLOWS_DIR = Path(__file__).resolve().parent.parent / ".github" / "workflows"
WORKFLOWS = sorted(WORKFLOWS_DIR.glob("*.yml"))

PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
PIN_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<comment>.*)$", re.MULTILINE)
VERSION_COMMENT = re.compile(r"^\s+# v\d+\.\d+\.\d+$")
STORED_KEYS = re.compile(
    r"secrets\.\w*AWS|aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|"
    r"AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN",
    re.IGNORECASE,
)

AWS_CREDENTIALS = "aws-actions/configure-aws-credentials"
# A write scope is granted to a job only when one of its steps uses an action that needs it.
PAGES = "actions/deploy-pages"
WRITE_SCOPES = {
    "id-token": {AWS_CREDENTIALS, PAGES},
    "pages": {PAGES},
    "pull-requests": {"marocchino/sticky-pull-request-comment"},
    "issues": {"peter-evans/create-issue-from-file", "actions/github-script"},
    "statuses": {"actions/github-script"},
}
# The one workflow file that may assume each role: the file its trust policy pins.
ROLE_VARIABLE = {
    "plan-run.yml": "RECONCILER_PLAN_ROLE_ARN",
    "drift.yml": "RECONCILER_DRIFT_ROLE_ARN",
    "apply.yml": "RECONCILER_APPLY_ROLE_ARN",
    "acceptance.yml": "RECONCILER_ACCEPTANCE_ROLE_ARN",
}
# The workflows that run the reconciler on the repository's targets, one job per target.
TARGET_WORKFLOWS = ("plan-run.yml", "drift.yml", "apply.yml")
# Events whose workflow file GitHub takes from a branch anyone with push access (or a fork)
# controls: a pull request's branch, or any branch pushed to.
BRANCH_EVENTS = {"pull_request", "pull_request_target", "pull_request_review", "merge_group"}
SHELL_SEPARATORS = {"|", "||", "&", "&&", ";", ";;", "(", ")", "!", "then", "do", "else"}


def _load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict), f"{path.name}: not a mapping"
    return document


def _jobs(path: Path) -> dict[str, dict[str, Any]]:
    jobs = _load(path)["jobs"]
    assert isinstance(jobs, dict) and jobs, f"{path.name}: no jobs"
    return jobs


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def _action(step: dict[str, Any]) -> str:
    """``owner/repo`` of a step's action, or '' for a run step or a local action."""
    uses = str(step.get("uses", ""))
    if not uses or uses.startswith(("./", "docker://")):
        return ""
    owner, repo = uses.split("@", 1)[0].split("/")[:2]
    return f"{owner}/{repo}"


def test_every_workflow_is_here() -> None:
    assert {p.name for p in WORKFLOWS} >= {
        "ci.yml",
        "plan.yml",
        "plan-run.yml",
        "apply.yml",
        "drift.yml",
        "acceptance.yml",
    }


def _linter() -> str:
    beside_python = Path(sys.executable).parent / "jactionlint"
    found = str(beside_python) if beside_python.exists() else shutil.which("jactionlint")
    assert found, "jactionlint is missing: pip install -e '.[dev]'"
    return found


def test_jactionlint_reports_nothing() -> None:
    result = subprocess.run(
        [_linter(), "--oneline", "--no-color", "--strict-exit", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and not result.stdout.strip(), (
        f"jactionlint findings:\n{result.stdout}{result.stderr}"
    )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_ignored_lint_finding_says_why(path: Path) -> None:
    """An ignore comment for jactionlint stands under a comment that explains it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "jactionlint ignore=" in line:
            above = lines[number - 1].strip() if number else ""
            assert above.startswith("#") and len(above) > 20, f"{path.name}:{number + 1}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_third_party_actions_are_pinned_with_a_version_comment(path: Path) -> None:
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = PIN_LINE.search(line)
        if not match or match["ref"].startswith(("./", "docker://")):
            continue
        if not PIN.match(match["ref"]) or not VERSION_COMMENT.match(match["comment"]):
            problems.append(f"{path.name}:{number}: {line.strip()}")
    assert not problems, "not pinned as 'owner/repo@<40-hex sha> # vX.Y.Z':\n" + "\n".join(problems)


def test_one_sha_and_version_per_action_across_workflows() -> None:
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for match in PIN_LINE.finditer(path.read_text(encoding="utf-8")):
            action, _, sha = match["ref"].partition("@")
            pins.setdefault(action, set()).add(f"{sha}{match['comment']}")
    assert {a: p for a, p in pins.items() if len(p) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_token_permissions_are_explicit_and_least(path: Path) -> None:
    top = _load(path).get("permissions")
    assert top == {}, f"{path.name}: the workflow grants nothing; each job asks for its own"
    for name, job in _jobs(path).items():
        permissions = job.get("permissions")
        assert isinstance(permissions, dict), f"{path.name}: job {name} has no permissions:"
        actions = {_action(step) for step in _steps(job)}
        for scope, level in permissions.items():
            if level == "write":
                assert actions & WRITE_SCOPES.get(scope, set()), (
                    f"{path.name}: job {name} has {scope}: write but no step that needs it"
                )
        if AWS_CREDENTIALS in actions:
            assert permissions.get("id-token") == "write", f"{path.name}: {name} needs OIDC"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_aws_access_is_oidc_only(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not STORED_KEYS.search(text), f"{path.name}: stored AWS keys"
    for job in _jobs(path).values():
        for step in _steps(job):
            if _action(step) == AWS_CREDENTIALS:
                inputs = step.get("with", {})
                assert set(inputs) <= {"role-to-assume", "aws-region", "role-session-name"}
                variable = ROLE_VARIABLE[path.name]
                assert inputs["role-to-assume"] == f"${{{{ vars.{variable} }}}}"
                assert inputs["aws-region"] == "${{ vars.AWS_REGION }}"


def test_apply_runs_one_at_a_time_behind_the_production_environment() -> None:
    """One run at a time; each target's apply in its own concurrency group, never
    cancelled; every job that can write to AWS held by the production environment; hubs
    after the other targets."""
    path = WORKFLOWS_DIR / "apply.yml"
    assert _load(path)["concurrency"] == {"group": "reconciler-apply", "cancel-in-progress": False}
    jobs = _jobs(path)
    for name, job in jobs.items():
        if job["permissions"].get("id-token") != "write":
            continue
        environment = job.get("environment")
        if isinstance(environment, dict):
            environment = environment.get("name")
        assert environment == "production", f"apply.yml: job {name} is not gated"
        assert job["concurrency"] == {
            "group": "reconciler-apply-${{ matrix.target }}",
            "cancel-in-progress": False,
        }, name
    assert "apply" in jobs["apply-hubs"]["needs"]


def test_jobs_with_aws_credentials_fan_out_over_the_targets_matrix() -> None:
    """Each job that holds AWS credentials runs one target of `reconciler targets --format
    json`, and every reconciler call in it names that target."""
    for path in (WORKFLOWS_DIR / n for n in TARGET_WORKFLOWS):
        jobs = _jobs(path)
        producer = "\n".join(s.get("run", "") for s in _steps(jobs["targets"]))
        assert "reconciler targets" in producer and "--format json" in producer, path.name
        for name, job in jobs.items():
            if AWS_CREDENTIALS not in {_action(step) for step in _steps(job)}:
                continue
            matrix = job["strategy"]["matrix"]
            assert matrix.startswith("${{ fromJSON(needs.targets.outputs."), (path.name, name)
            for step in _steps(job):
                for words in _invocations(step.get("run", "")):
                    if words and words[0] != "validate":
                        assert "--target" in words, (path.name, name, words)
                        assert words[words.index("--target") + 1] == "$TARGET", words
                        assert step["env"]["TARGET"] == "${{ matrix.target }}", (path.name, name)


def _run_scripts() -> Iterator[tuple[str, str]]:
    for path in WORKFLOWS:
        for name, job in _jobs(path).items():
            for step in _steps(job):
                if "run" in step:
                    yield f"{path.name}:{name}:{step.get('name', step['run'][:30])}", step["run"]


def _invocations(script: str) -> Iterator[list[str]]:
    """The words of each ``reconciler ...`` command in a shell script, up to its operator."""
    lexer = shlex.shlex(script.replace("\\\n", " "), posix=True, punctuation_chars=True)
    lexer.whitespace = " \t"
    lexer.wordchars += "-=./${}:"
    words = list(lexer)
    for index, word in enumerate(words):
        if word != "reconciler" or (index and words[index - 1] not in {*SHELL_SEPARATORS, "\n"}):
            continue
        command: list[str] = []
        for following in words[index + 1 :]:
            if following == "\n" or set(following) <= set("|&;<>()"):
                break
            command.append(following)
        yield command


def _check_options(command: Any, args: list[str]) -> list[str]:
    """Problems with ``args`` against a click command's registered parameters."""
    params = {opt: p for p in command.params for opt in [*p.opts, *p.secondary_opts]}
    positional = [p for p in command.params if p.param_type_name == "argument"]
    problems, rest = [], list(args)
    while rest:
        word = rest.pop(0)
        name, has_value, value = word.partition("=")
        if not name.startswith("-"):
            if not positional:
                problems.append(f"unexpected argument {word!r}")
            continue
        param = params.get(name)
        if param is None:
            problems.append(f"unknown option {name}")
            continue
        if getattr(param, "is_flag", False):
            continue
        value = value if has_value else (rest.pop(0) if rest else "")
        choices = _choices(param)
        if choices and value not in choices:
            problems.append(f"{name} {value!r} is not one of {sorted(choices)}")
    return problems


def _choices(param: Any) -> set[str]:
    """The values an enumerated option accepts (click's Choice, or typer's Enum annotation)."""
    choices = getattr(getattr(param, "type", None), "choices", None)
    if choices is None:
        annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
        enumerated = isinstance(annotation, type) and issubclass(annotation, enum.Enum)
        choices = list(annotation) if enumerated and annotation is not None else []
    return {str(getattr(choice, "value", choice)) for choice in choices}


def test_run_steps_call_only_registered_commands_and_options() -> None:
    root = typer.main.get_command(app)
    assert hasattr(root, "commands"), "the CLI is a command group"
    calls, problems = 0, []
    for where, script in _run_scripts():
        for words in _invocations(script):
            calls += 1
            while words and words[0].startswith("-"):
                problems += [f"{where}: {e}" for e in _check_options(root, [words.pop(0)])]
            command = root.commands.get(words[0]) if words else None
            if command is None:
                problems.append(
                    f"{where}: 'reconciler {' '.join(words)}' is not a command "
                    f"(registered: {', '.join(sorted(root.commands))})"
                )
                continue
            problems += [
                f"{where}: reconciler {words[0]}: {e}" for e in _check_options(command, words[1:])
            ]
    assert calls >= 5, "the workflows should call the reconciler"
    assert not problems, "\n".join(problems)


def _triggers(path: Path) -> dict[str, Any]:
    # PyYAML reads the key `on` as the boolean True (YAML 1.1)
    document = _load(path)
    on = document.get("on", document.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), path.name
    return on


def _runs_only_from_the_default_branch(path: Path) -> bool:
    """Whether every event that starts ``path`` takes the workflow file from the default
    branch: a workflow_run or schedule, a manual run (whose ref the jobs pin), or a push
    to main only."""
    for event, settings in _triggers(path).items():
        if event in {"workflow_run", "schedule", "workflow_dispatch"}:
            continue
        if event == "push" and (settings or {}).get("branches") == ["main"]:
            continue
        return False
    return True


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_only_the_workflow_a_role_trusts_asks_for_an_oidc_token(path: Path) -> None:
    """A job can obtain AWS credentials only with an OIDC token (``id-token: write``), and
    only the files the roles' trust policies pin ask for one. A workflow that a pull
    request's branch runs asks for none (were it rewritten to, its token names the branch's
    file, which no role trusts: tests/test_trust_policies.py)."""
    holding = [n for n, j in _jobs(path).items() if j["permissions"].get("id-token") == "write"]
    if path.name not in ROLE_VARIABLE:
        assert not holding, f"{path.name}: {holding} ask for an OIDC token"
        return
    assert holding, f"{path.name} assumes a role but no job asks for a token"
    assert _runs_only_from_the_default_branch(path), f"{path.name}: {_triggers(path)}"
    assert not set(_triggers(path)) & BRANCH_EVENTS, path.name


def test_pull_requests_are_planned_by_the_default_branchs_workflow_run() -> None:
    """plan.yml (the pull request's own, which its author may rewrite) holds nothing; the
    plan is made by plan-run.yml, which GitHub runs from the default branch when plan.yml
    completes, for pull request runs only."""
    assert set(_triggers(WORKFLOWS_DIR / "plan.yml")) == {"pull_request"}
    run = _triggers(WORKFLOWS_DIR / "plan-run.yml")
    assert run == {"workflow_run": {"workflows": ["plan"], "types": ["completed"]}}
    for name, job in _jobs(WORKFLOWS_DIR / "plan-run.yml").items():
        assert "github.event.workflow_run.event == 'pull_request'" in job["if"], name


def test_no_job_holding_aws_credentials_runs_the_pull_requests_code() -> None:
    """plan-run.yml: every job that runs the reconciler installs and runs the default
    branch's reconciler, and from the pull request's head commit copies data files only,
    refusing symbolic links; nothing from the triggering run (its artifacts) is read. The
    comment job holds write tokens, no AWS credentials, and checks nothing out."""
    jobs = _jobs(WORKFLOWS_DIR / "plan-run.yml")
    holding = {n for n, j in jobs.items() if j["permissions"].get("id-token") == "write"}
    assert holding == {"plan"}
    for name, job in jobs.items():
        steps = _steps(job)
        writes = {k for k, v in job["permissions"].items() if v == "write"} - {"id-token"}
        if writes:
            assert name not in holding, name
            assert not [s for s in steps if _action(s) == "actions/checkout"], name
            assert not [s for s in steps if "run" in s], f"{name} runs commands"
            assert not [
                s for s in steps if _action(s) == "actions/download-artifact" and "run-id" in s
            ], f"{name} reads the triggering run's artifacts"
            continue
        checkouts = {
            s["with"]["path"]: s["with"] for s in steps if _action(s) == "actions/checkout"
        }
        assert checkouts["trusted"] == {"path": "trusted", "persist-credentials": False}
        assert checkouts["proposed"] == {
            "repository": "${{ github.event.workflow_run.head_repository.full_name }}",
            "ref": "${{ github.event.workflow_run.head_sha }}",
            "path": "proposed",
            "persist-credentials": False,
        }
        assert not [s for s in steps if _action(s) == "actions/download-artifact"], name
        for step in steps:
            script = step.get("run", "")
            if "proposed/" in script:
                assert "find repo -type l" in script, f"{name}: symbolic links are not refused"
            for line in (part.strip() for part in script.splitlines()):
                if "pip install" in line:
                    assert "proposed" not in line, line
                    assert "--require-hashes" in line or "--no-deps ./trusted" in line, line
                if "proposed/" in line:
                    expected = "cp -R proposed/cards proposed/shares proposed/reconciler.yaml repo/"
                    assert line == expected, line
                for words in _invocations(line):
                    assert words[words.index("--repo") + 1] == "repo", line


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_install_is_from_the_hash_locked_dependencies(path: Path) -> None:
    for job in _jobs(path).values():
        for step in _steps(job):
            for line in step.get("run", "").splitlines():
                if "pip install" in line:
                    assert "--require-hashes -r" in line or "--no-deps" in line, (path.name, line)


def test_acceptance_runs_by_hand_on_aws_with_the_suites_variables() -> None:
    """acceptance.yml starts only by hand, runs `make acceptance` with
    RECONCILER_ACCEPTANCE=1, and passes exactly the variables the suite reads (its roles
    from repository variables, never from secrets)."""
    from tests.acceptance import settings

    path = WORKFLOWS_DIR / "acceptance.yml"
    assert _triggers(path) == {"workflow_dispatch": None}
    (job,) = _jobs(path).values()
    (step,) = [s for s in _steps(job) if "run" in s]
    assert step["run"].strip() == "make acceptance"
    env = step["env"]
    assert env.pop(settings.ENABLE) == "1"
    for variable in (*settings.ROLE_VARIABLES.values(), settings.INVITED, settings.BUCKET):
        assert env.pop(variable) == f"${{{{ vars.{variable} }}}}"
    assert env.pop(settings.REGION) == "${{ vars.AWS_REGION }}"
    assert env == {}
    makefile = (WORKFLOWS_DIR.parent.parent / "Makefile").read_text(encoding="utf-8")
    assert "\nacceptance: $(STAMP)\n\t$(BIN)/pytest -v tests/acceptance\n" in makefile


def test_the_catalogue_is_published_by_a_job_holding_only_pages_rights() -> None:
    """drift.yml's pages job deploys what the site job (no rights at all) assembled, and
    holds nothing but ``pages: write`` and ``id-token: write``: no AWS role, no checkout."""
    jobs = _jobs(WORKFLOWS_DIR / "drift.yml")
    assert jobs["site"]["permissions"] == {}
    pages = jobs["pages"]
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert [_action(step) for step in _steps(pages)] == [PAGES]
    assert "actions/upload-pages-artifact" in {_action(step) for step in _steps(jobs["site"])}


def test_ci_keeps_the_screenshots_the_browser_tests_take() -> None:
    """The catalogue's screenshots go where ci.yml uploads them from, whatever the outcome."""
    from tests.site.chromium import ARTIFACTS

    steps = _steps(_jobs(WORKFLOWS_DIR / "ci.yml")["test"])
    (upload,) = [s for s in steps if _action(s) == "actions/upload-artifact"]
    assert upload["if"] == "always()"
    assert Path(upload["with"]["path"].rstrip("/")) == ARTIFACTS
