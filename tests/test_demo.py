"""The README's main job: `reconciler demo` walks the whole lifecycle and exits 0.

It runs in its own process, as users run it: the demo starts its own sandbox, and moto's
resources (the IAM roles the demo creates) live per process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_demo_walks_every_step_and_succeeds(project_root: Path, tmp_path: Path) -> None:
    card = project_root / "cards" / "Customer-Churn-Model-Card.yaml"
    before = card.read_text()
    site = tmp_path / "site"
    command = [sys.executable, "-m", "reconciler", "demo", "--repo", str(project_root)]
    command += ["--site", str(site)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert card.read_text() == before  # the demo works on a copy
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    steps = [line for line in result.stdout.splitlines() if line.startswith("━━ Step ")]
    assert len(steps) == 9
    assert "only apply --prune deletes it" in steps[7]
    assert "exported to S3 and the registry's model package is approved" in steps[6]
    assert "The model package is Approved: Model card Customer-Churn-Model-Card" in result.stdout
    assert (
        '~ $.content.model_overview.model_owner: "churn-data-science" → "model-owner"'
        in result.stdout
    )
    assert "prod tries to update it and AWS answers AccessDeniedException" in result.stdout
    registry = [line for line in result.stdout.splitlines() if line.startswith("━━ Registry ")]
    assert len(registry) == 5
    assert "test describes version 2: PendingManualApproval, card PendingReview" in result.stdout
    assert "prod describes version 2: Approved, stage Production, card Approved" in result.stdout
    assert "prod tries to reject it and AWS answers AccessDeniedException" in result.stdout
    assert "━━ Hub and spoke:" in result.stdout
    assert "# card.eu-Credit-Risk will be updated (replicate card)" in result.stdout
    assert "reconciler-replica-version=2" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("✓ Demo complete in ")
    assert f"Open {(site / 'index.html').resolve().as_uri()}" in result.stdout
    page = (site / "cards" / "default" / "Customer-Churn-Model-Card.html").read_text()
    assert '<span class="badge status-Approved">Approved</span>' in page
    assert list((site / "pdf" / "default").glob("Customer-Churn-Model-Card-v*.pdf"))
