"""render.written: what ``import`` and ``pull`` wrote to the repository, summed over
targets with each target named, and ``iam-policy`` as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from reconciler.render.written import PolicyReport, WrittenReport, policy_json, written_json


@dataclass
class Result:
    """One target's import or pull, as ``workflows`` hands it over."""

    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


EU = Result(
    written=["cards/Risk.yaml"],
    skipped=["Old: already declared in cards/Old.yaml"],
    failed=["Gone: no such model card in the account"],
    notes=["Risk (Approved) will join prod"],
)


def test_a_target_adds_its_files_as_they_are_and_its_reasons_under_its_name() -> None:
    start = WrittenReport(command="import", written=("cards/A.yaml",), skipped=("x: y",))
    found = start.adding("eu: ", EU)
    assert found == WrittenReport(
        command="import",
        written=("cards/A.yaml", "cards/Risk.yaml"),
        skipped=("x: y", "eu: Old: already declared in cards/Old.yaml"),
        failed=("eu: Gone: no such model card in the account",),
        notes=("eu: Risk (Approved) will join prod",),
    )
    assert start.written == ("cards/A.yaml",), "a report is a value: adding makes a new one"


def test_a_single_target_adds_its_lines_unprefixed() -> None:
    found = WrittenReport(command="pull", written=()).adding("", EU)
    assert found.failed == ("Gone: no such model card in the account",)


def test_written_json_lists_everything_and_whether_the_repository_validates() -> None:
    report = WrittenReport(command="pull", written=("cards/A.yaml: 2 fields",), valid=False)
    assert json.loads(written_json(report)) == {
        "format_version": "1",
        "command": "pull",
        "written": ["cards/A.yaml: 2 fields"],
        "skipped": [],
        "failed": [],
        "notes": [],
        "valid": False,
    }


def test_policy_json_carries_the_role_account_and_policy() -> None:
    policy = {"Version": "2012-10-17", "Statement": []}
    text = policy_json(PolicyReport(role="verify", account="prod", policy=policy))
    assert json.loads(text) == {
        "format_version": "1",
        "role": "verify",
        "account": "prod",
        "policy": policy,
    }
    assert text.endswith("}\n") and '\n  "account"' in text, "indented, one key a line"
    assert json.loads(policy_json(PolicyReport(role="plan", account=None)))["policy"] == {}
