"""Whole repositories of random shapes and values: `validate` and `plan` answer with
diagnostics or a plan, never a traceback, and never call AWS for an invalid repository."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.aws.session import AwsSession

Cli = Callable[..., Any]

KEYS = [
    "region",
    "card_account",
    "id",
    "role_arn",
    "accounts",
    "external",
    "permissions",
    "actions",
    "safety",
    "name",
    "status",
    "content",
    "model_overview",
    "model_owner",
    "tags",
    "ignore",
    "principals",
    "cards",
    "names",
    "permission",
    "allow_external_principals",
    "previous_names",
    "kms_key_id",
    "aws",
    "apply",
    "parallelism",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "us-east-1",
            "111111111111",
            "222222222222\n",
            "Draft",
            "Approved",
            "dev",
            "read-only",
            "sagemaker:DescribeModelCard",
            "AWSRAMPermissionSageMakerModelCards",
            "arn:aws:iam::111111111111:role/x",
            "*",
            "",
            "a" * 300,
        ]
    ),
    st.text(max_size=20),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5),
    ),
    max_leaves=20,
)
DOCUMENTS = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6)


def dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    config=DOCUMENTS,
    cards=st.lists(DOCUMENTS, max_size=3),
    shares=st.lists(DOCUMENTS, max_size=2),
)
def test_random_repositories_never_crash_and_never_reach_aws(
    cli: Cli,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    config: dict[str, Any],
    cards: list[dict[str, Any]],
    shares: list[dict[str, Any]],
) -> None:
    def no_aws(*_: Any, **__: Any) -> None:
        raise AssertionError("AWS was called for a repository that is not valid")

    monkeypatch.setattr(AwsSession, "__init__", no_aws)
    repo: Path = tmp_path_factory.mktemp("repo")
    (repo / "cards").mkdir()
    (repo / "shares").mkdir()
    (repo / "reconciler.yaml").write_text(dump(config), encoding="utf-8")
    for i, card in enumerate(cards):
        (repo / "cards" / f"card-{i}.yaml").write_text(dump(card), encoding="utf-8")
    for i, share in enumerate(shares):
        (repo / "shares" / f"share-{i}.yaml").write_text(dump(share), encoding="utf-8")
    checked = cli("validate", "--repo", str(repo), "--format", "json")
    assert checked.exit_code in (0, 1), checked.stderr
    assert "Traceback" not in checked.stderr
    if checked.exit_code == 1:
        planned = cli("plan", "--repo", str(repo))
        assert planned.exit_code == 1
        assert "Traceback" not in planned.stderr
        assert "error: the repository has" in planned.stderr
