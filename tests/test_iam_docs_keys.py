"""Every condition key a printed policy or trust policy uses is in docs/iam.md's tables, so the
page that says what the sandbox evaluates never leaves out a key the reconciler relies on
(the fill role's policy has no condition). The repository under
``fixtures/repos/valid/every-condition`` uses every feature that adds a condition: encrypted
cards (a key of the card account and one of another account), a card naming a model package,
registry files with stages, a share of model package groups, an Organization, exports and
registry sync."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import PROJECT_ROOT, CliResult

REPO = PROJECT_ROOT / "tests" / "fixtures" / "repos" / "valid" / "every-condition"
DOCS = PROJECT_ROOT / "docs" / "iam.md"
GITHUB = "acme/model-cards"
PRINTED = [
    ("--role", "plan"),
    ("--role", "drift"),
    ("--role", "apply"),
    ("--role", "verify"),
    ("--role", "consumer-guard", "--account", "dev"),
    ("--role", "consumer-guard", "--account", "prod"),
    ("--role", "plan", "--trust", "--github", GITHUB),
    ("--role", "drift", "--trust", "--github", GITHUB),
    ("--role", "apply", "--trust", "--github", GITHUB),
]
# A key with a variable part (``aws:ResourceTag/<tag key>``) stands in the table as its
# prefix followed by ``*``.
VARIABLE = re.compile(r"^(?P<prefix>[\w-]+:(ResourceTag|RequestTag|PrincipalTag)/).+$")
# The web identity row names GitHub's claims after the issuer once: ``:sub``, ``:aud`` ...
GITHUB_CLAIM = "token.actions.githubusercontent.com:"


def condition_keys(policy: dict[str, Any]) -> Iterator[str]:
    for statement in policy["Statement"]:
        for operator in statement.get("Condition", {}).values():
            yield from operator


def documented(key: str, text: str) -> bool:
    variable = VARIABLE.match(key)
    if variable:
        return f"`{variable['prefix']}*`" in text
    claim = f"`:{key.removeprefix(GITHUB_CLAIM)}`" if key.startswith(GITHUB_CLAIM) else None
    return f"`{key}`" in text or (claim is not None and claim in text)


@pytest.mark.parametrize("args", PRINTED, ids=" ".join)
def test_every_condition_key_printed_is_in_the_docs_tables(
    cli: Callable[..., CliResult], args: tuple[str, ...]
) -> None:
    result = cli("iam-policy", *args, "--repo", str(REPO))
    assert result.exit_code == 0, result.stderr
    keys = set(condition_keys(json.loads(result.stdout)))
    assert keys, "the repository uses features that add conditions"
    text = DOCS.read_text(encoding="utf-8")
    assert sorted(k for k in keys if not documented(k, text)) == []
