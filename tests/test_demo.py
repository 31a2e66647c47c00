"""The README's main job: `reconciler demo` walks the whole lifecycle and exits 0."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def test_demo_walks_every_step_and_succeeds(cli: Callable[..., Any], project_root: Path) -> None:
    card = project_root / "cards" / "Customer-Churn-Model-Card.yaml"
    before = card.read_text()
    result = cli("demo", "--repo", str(project_root))
    assert card.read_text() == before  # the demo works on a copy
    assert result.exit_code == 0, result.stderr
    steps = [line for line in result.stdout.splitlines() if line.startswith("━━ Step ")]
    assert len(steps) == 8
    assert "exported to S3 and the registry's model package is approved" in steps[6]
    assert "The model package is Approved: Model card Customer-Churn-Model-Card" in result.stdout
    assert (
        '~ $.content.model_overview.model_owner: "churn-data-science" → "model-owner"'
        in result.stdout
    )
    assert "prod tries to update it and AWS answers AccessDeniedException" in result.stdout
    assert "━━ Hub and spoke:" in result.stdout
    assert "# card.eu-Credit-Risk will be updated (replicate card)" in result.stdout
    assert "reconciler-replica-version=2" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("✓ Demo complete in ")
