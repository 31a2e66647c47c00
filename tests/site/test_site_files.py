"""`reconciler site` from git, read as files: no AWS call, every page under a Content
Security Policy that allows only the site's own hashed style and script, nothing loaded
from elsewhere, hostile text escaped, page names that cannot leave the site, and the last
commit of each card from git history."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from reconciler.aws.session import AwsSession
from reconciler.render.site.assets import POLICY, SCRIPT, STYLE, digest
from reconciler.workflows.files import UnsafeName, card_page, write_site
from tests.site.cards import CREDIT, EXAMPLE, FRAUD, HOSTILE, IMAGE, LINK, PAYLOAD

Cli = Callable[..., Any]


class Page(HTMLParser):
    """What a page holds that the policy is about: its scripts, styles, policies, links."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.policies: list[str] = []
        self.urls: list[str] = []
        self.tags: set[str] = set()
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.add(tag)
        self._in = tag if tag in ("script", "style") else None
        if tag == "meta" and found.get("http-equiv") == "Content-Security-Policy":
            self.policies.append(found.get("content") or "")
        self.urls += [v or "" for k, v in attrs if k in ("href", "src", "action", "srcset")]
        assert not [k for k, _ in attrs if k.startswith("on") or k == "style"], (tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text("utf-8") for p in sorted(site.rglob("*.html"))}


def test_the_site_from_git_makes_no_aws_call(
    cli: Cli, catalogue_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_aws(*_: Any, **__: Any) -> None:
        raise AssertionError("the site from git called AWS")

    monkeypatch.setattr(AwsSession, "__init__", no_aws)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    result = cli("site", "--repo", str(catalogue_repo), "--out", str(tmp_path / "site"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == (tmp_path / "site" / "index.html").resolve().as_uri()
    assert sorted(pages(tmp_path / "site")) == [
        *(f"cards/default/{n}.html" for n in sorted((CREDIT, EXAMPLE, FRAUD, HOSTILE))),
        "index.html",
        "sharing.html",
    ]


def test_every_page_allows_only_its_own_hashed_style_and_script(built_site: Path) -> None:
    assert "default-src 'none'" in POLICY and "img-src 'self' data:" in POLICY
    for name, text in pages(built_site).items():
        page = Page(text)
        assert page.policies == [POLICY], name
        assert page.styles == [STYLE], name
        assert page.scripts in ([], [SCRIPT]), name
        assert f"script-src {digest(SCRIPT)}" in POLICY and f"style-src {digest(STYLE)}" in POLICY
        outside = [u for u in page.urls if re.match(r"[a-z][a-z0-9+.-]*:|//", u, re.I)]
        assert outside == [], f"{name} links outside the site: {outside}"
        assert not page.tags & {"img", "iframe", "object", "embed", "link", "base"}, name


def test_a_hostile_card_is_text_in_every_page(built_site: Path) -> None:
    everything = "".join(pages(built_site).values())
    for raw in (PAYLOAD, IMAGE, f'href="{LINK}'):
        assert raw not in everything
    hostile = (built_site / "cards" / "default" / f"{HOSTILE}.html").read_text("utf-8")
    assert "&lt;script&gt;window.__pwned = true&lt;/script&gt;" in hostile
    assert "&lt;img src=&quot;x&quot; onerror=&quot;window.__pwned = true&quot;&gt;" in hostile
    assert "A" * 99_000 in hostile  # the long line is there, whole, as text
    index = (built_site / "index.html").read_text("utf-8")
    assert 'data-owner="owner &lt;script&gt;' in index


def test_page_names_never_leave_the_site(tmp_path: Path) -> None:
    assert card_page("eu", "Churn") == "cards/eu/Churn.html"
    for target, card in (("..", "x"), ("eu", "../../etc/passwd"), ("eu/x", "y"), ("eu", ".x")):
        with pytest.raises(UnsafeName):
            card_page(target, card)
    with pytest.raises(UnsafeName):
        write_site(tmp_path / "out", {"../escape.html": b"x"})
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "cards").mkdir(parents=True)
    (tmp_path / "out" / "cards" / "eu").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(Exception, match="outside"):
        write_site(tmp_path / "out", {"cards/eu/Churn.html": b"x"})
    assert not list((tmp_path / "elsewhere").iterdir())


def test_an_invalid_repository_writes_no_site(cli: Cli, example_repo: Path, tmp_path: Path) -> None:
    card = example_repo / "cards" / f"{EXAMPLE}.yaml"
    card.write_text(card.read_text("utf-8").replace("status: Draft", "status: Done"), "utf-8")
    result = cli("site", "--repo", str(example_repo), "--out", str(tmp_path / "site"))
    assert result.exit_code == 1
    assert f"cards/{EXAMPLE}.yaml:3:9: error: $.status: 'Done' is not allowed" in result.stderr
    assert not (tmp_path / "site").exists()


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "user.name=Risk Officer",
            "-c",
            "user.email=r@example.com",
            *args,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_the_index_names_the_commit_that_last_changed_each_card(
    cli: Cli, example_repo: Path, tmp_path: Path
) -> None:
    _git(example_repo, "init", "-q")
    _git(example_repo, "add", ".")
    _git(example_repo, "commit", "-q", "-m", "First cards <b>bold</b>")
    first = _git(example_repo, "rev-parse", "HEAD")
    result = cli("site", "--repo", str(example_repo), "--out", str(tmp_path / "site"))
    assert result.exit_code == 0, result.stderr
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert f"{first[:12]} First cards &lt;b&gt;bold&lt;/b&gt;" in index
    card = (tmp_path / "site" / "cards" / "default" / f"{EXAMPLE}.html").read_text("utf-8")
    assert "Last changed in git by Risk Officer" in card and first in card


def test_every_target_has_its_pages_and_target_picks_them(cli: Cli, tmp_path: Path) -> None:
    from tests.test_targets import write_repo

    repo = write_repo(tmp_path / "repo")
    result = cli("site", "--repo", str(repo), "--out", str(tmp_path / "all"))
    assert result.exit_code == 0, result.stderr
    assert sorted(p for p in pages(tmp_path / "all") if p.startswith("cards/")) == [
        "cards/eu/Both-Card.html",
        "cards/eu/Eu-Card.html",
        "cards/us/Both-Card.html",
        "cards/us/Us-Card.html",
    ]
    sharing = (tmp_path / "all" / "sharing.html").read_text("utf-8")
    assert "Target eu: card account 111111111111, eu-west-1" in sharing
    assert "Target us: card account 555555555555, us-east-1" in sharing
    result = cli("site", "--repo", str(repo), "--out", str(tmp_path / "us"), "--target", "us")
    assert result.exit_code == 0, result.stderr
    assert sorted(p for p in pages(tmp_path / "us") if p.startswith("cards/")) == [
        "cards/us/Both-Card.html",
        "cards/us/Us-Card.html",
    ]
