"""What `reconciler probe` prints and writes: the text names, for every assumption, what
the sandbox assumes, what the account showed and what follows if they differ; the JSON
validates against docs/schemas/probe.schema.json; the accounts file loads as the sandbox
loads one, and its settings can be laid over the test suite's sandbox. Without
card_account.role_arn the checks that need a session policy say so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reconciler.probe.assumptions import ASSUMPTIONS
from reconciler.probe.context import NO_ROLE
from reconciler.sandbox.config import SandboxConfig, with_switches
from reconciler.sandbox.declared import DeclaredRole
from tests.probe.conftest import OWNER, Probe
from tests.test_output_schemas import conforms


def test_text_names_assumption_observation_and_consequence(probe: Probe) -> None:
    result = probe.cli("probe", "--repo", str(probe.repo))
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith(f"Probe of account {OWNER} in us-east-1 (read-only)\n")
    for a in ASSUMPTIONS:
        assert f" {a.key}" in text and f"sandbox assumes: {a.summary}" in text
        assert f"if they differ:  {a.consequence}" in text
    assert text.count("account showed:  ") == len(ASSUMPTIONS)
    for a in ASSUMPTIONS:
        if not a.checkable:
            assert f"· {a.key} (not checkable here): unchecked" in text
            assert f"account showed:  not checkable here: {a.why_not}" in text
    assert text.rstrip().endswith("not checked.")


def test_json_follows_its_schema(probe: Probe) -> None:
    result = probe.cli("probe", "--repo", str(probe.repo), "--format", "json")
    body = conforms("probe", result.stdout)
    assert [f["key"] for f in body["findings"]] == [a.key for a in ASSUMPTIONS]


def test_without_a_role_the_session_policy_checks_say_so(probe: Probe) -> None:
    config = probe.repo / "reconciler.yaml"
    lines = config.read_text(encoding="utf-8").splitlines()
    config.write_text("\n".join(x for x in lines if "role/ReconcilerApply" not in x) + "\n")
    code, found = probe("--wait", "2")
    for key in ("star-resource-account", "secure-transport", "ram-needs-get-resource-policy"):
        assert found[key]["outcome"] == "unchecked" and found[key]["shown"] == NO_ROLE, key
    assert found["search-sorts-by-name"]["outcome"] == "matches"
    assert code == 0


def test_the_accounts_file_lays_its_settings_over_a_config(probe: Probe, tmp_path: Path) -> None:
    probe.configure(search_sorts_by_name=False, deletion_delay_seconds=2.0)
    probe("--wait", "4")
    kept = DeclaredRole(name="Tester", accounts=(OWNER,), admin=True)
    base = SandboxConfig(roles=(kept,), region="eu-west-1")
    laid: Any = with_switches(base, probe.settings)
    assert laid.search_sorts_by_name is False and 2.0 <= laid.deletion_delay_seconds <= 3.0
    assert laid.roles == (kept,) and laid.region == "eu-west-1"
