"""`reconciler site --live`: the catalogue with what the card account holds: the live
status, every version with its commit, the drift an edit outside git made (the edit's
hostile text shown as text), who sees the card as RAM has it, and the PDF export copied
into the site and linked from the card's page."""

from __future__ import annotations

import json
from pathlib import Path

from tests.apply.helpers import CARD, Aws, Cli, apply, set_status

PAYLOAD = "<script>window.__pwned = true</script>"


def _site(cli: Cli, repo: Path, out: Path) -> tuple[str, str]:
    """``site --live`` into ``out``: the index and the card's page."""
    result = cli("site", "--repo", str(repo), "--out", str(out), "--live")
    assert result.exit_code == 0, result.stderr
    page = (out / "cards" / "default" / f"{CARD}.html").read_text("utf-8")
    return (out / "index.html").read_text("utf-8"), page


def test_the_live_site_links_the_pdf_of_the_approved_version(
    cli: Cli, exporting: Path, aws: Aws, tmp_path: Path
) -> None:
    set_status(exporting, "Approved")
    code, _, stderr = apply(cli, exporting, "--force")
    assert code == 0, stderr
    version = aws("sagemaker").describe_model_card(ModelCardName=CARD)["ModelCardVersion"]
    index, page = _site(cli, exporting, tmp_path / "site")
    assert "from git and AWS" in index
    assert '<span class="badge status-Approved">Approved</span>' in index
    assert '<td><span class="badge passes">none</span></td>' in index  # no drift
    pdf = f"pdf/default/{CARD}-v{version}.pdf"
    assert f'href="../../{pdf}"' in page
    assert (tmp_path / "site" / pdf).read_bytes().startswith(b"%PDF")
    assert "444444444444" in page  # prod sees the Approved card, as RAM has it
    assert "None: AWS matches git." in page


def test_the_live_site_shows_an_edit_outside_git_as_drift_and_text(
    cli: Cli, exporting: Path, aws: Aws, tmp_path: Path
) -> None:
    set_status(exporting, "Approved")
    code, _, stderr = apply(cli, exporting, "--force")
    assert code == 0, stderr
    sagemaker = aws("sagemaker")
    content = json.loads(sagemaker.describe_model_card(ModelCardName=CARD)["Content"])
    content["model_overview"]["model_description"] = PAYLOAD
    sagemaker.update_model_card(ModelCardName=CARD, Content=json.dumps(content))
    version = sagemaker.describe_model_card(ModelCardName=CARD)["ModelCardVersion"]
    index, page = _site(cli, exporting, tmp_path / "site")
    assert '<span class="badge fails">drifted</span>' in index
    assert PAYLOAD not in page
    assert "&lt;script&gt;window.__pwned = true&lt;/script&gt;" in page  # the live content
    assert f"<td>{version}</td>" in page and "not from git" in page  # the edit's version
    assert "<td>card.Customer-Churn-Model-Card</td><td>content</td>" in page
    assert "assumed-role/SandboxAdmin/sandbox" in page  # who edited it
    assert f"No PDF of version {version} yet" in page
    assert not list((tmp_path / "site").rglob("*.pdf"))
