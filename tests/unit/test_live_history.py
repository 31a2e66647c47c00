"""live.history: a card's versions, newest first, from stubbed SageMaker: those after the
newest one that matches git (read only as far back as that one), and every version with
the commit that wrote it, from the ``reconciler-versions`` tag."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import pytest

from reconciler.common.content import content_json
from reconciler.common.errors import ReconcilerError
from reconciler.common.status import CardStatus
from reconciler.live import history
from reconciler.live.history import card_versions, history_since
from reconciler.live.model import TracedVersion, Version
from tests.unit.stubs import Call, card_arn, described, stubbed_client

CARD = "Churn"
ARN = card_arn(CARD)
GIT = {"model_overview": {"model_owner": "ana"}}
WHEN = [datetime(2026, 11, day, tzinfo=timezone.utc) for day in range(1, 10)]
ANA = "arn:aws:iam::111111111111:user/ana"
BOB = "arn:aws:sts::222222222222:assumed-role/Scientist/bob"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def sagemaker(method: str, response: dict[str, Any], **params: Any) -> Call:
    return Call(service="sagemaker", method=method, params=params, response=response)


def summary(number: int, status: str = "Draft") -> dict[str, Any]:
    return {
        "ModelCardName": CARD,
        "ModelCardArn": ARN,
        "ModelCardStatus": status,
        "ModelCardVersion": number,
        "CreationTime": WHEN[0],
        "LastModifiedTime": WHEN[number],
    }


def listed(*numbers: int, token: str | None = None, after: str | None = None) -> Call:
    params: dict[str, Any] = {
        "ModelCardName": CARD,
        "SortBy": "Version",
        "SortOrder": "Descending",
        "MaxResults": 100,
    }
    return sagemaker(
        "list_model_card_versions",
        {
            "ModelCardVersionSummaryList": [summary(n) for n in numbers],
            **({"NextToken": token} if token else {}),
        },
        **params,
        **({"NextToken": after} if after else {}),
    )


def version(number: int, content: Mapping[str, Any] | str, by: str = ANA, **more: Any) -> Call:
    """DescribeModelCard of one version, last modified by ``by`` on day ``number``."""
    raw = content if isinstance(content, str) else content_json(content)
    response = described(
        CARD,
        {},
        Content=raw,
        ModelCardVersion=number,
        LastModifiedTime=WHEN[number],
        LastModifiedBy={"IamIdentity": {"Arn": by}},
    )
    return sagemaker(
        "describe_model_card",
        response,
        ModelCardName=CARD,
        ModelCardVersion=number,
        **more,
    )


def seen(number: int, content: Mapping[str, Any], by: str = ANA) -> Version:
    return Version(
        number=number,
        status=CardStatus.DRAFT,
        modified_by=by,
        modified_at=WHEN[number].isoformat(),
        content=content,
    )


EDITED = {"model_overview": {"model_owner": "bob"}}


def matches_git(content: Mapping[str, Any]) -> bool:
    return content == GIT


def test_versions_are_read_back_to_the_newest_one_that_matches_git() -> None:
    calls = [listed(3, 2, 1), version(3, EDITED, BOB), version(2, GIT)]
    with stubbed_client("sagemaker", *calls) as client:
        newer, matching = history_since(client, CARD, matches_git)
    assert newer == (seen(3, EDITED, BOB),)
    assert matching == seen(2, GIT)  # version 1 is never read


def test_a_card_whose_latest_version_matches_git_has_no_newer_version() -> None:
    with stubbed_client("sagemaker", listed(1), version(1, GIT)) as client:
        assert history_since(client, CARD, matches_git) == ((), seen(1, GIT))


def test_no_version_matches_every_version_is_newer_across_pages() -> None:
    calls = [
        listed(2, token="t"),
        listed(1, after="t"),
        version(2, EDITED),
        version(1, "not json"),  # unreadable content matches nothing
    ]
    with stubbed_client("sagemaker", *calls) as client:
        newer, matching = history_since(client, CARD, matches_git)
    assert newer == (seen(2, EDITED), seen(1, {}))
    assert matching is None


def test_only_the_newest_versions_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "MAX_VERSIONS", 2)
    calls = [listed(3, 2, 1), version(3, EDITED), version(2, EDITED)]
    with stubbed_client("sagemaker", *calls) as client:
        newer, matching = history_since(client, CARD, lambda _: False)
    assert [v.number for v in newer] == [3, 2]
    assert matching is None


def test_a_refused_history_read_says_which_card() -> None:
    refused = Call(
        service="sagemaker",
        method="list_model_card_versions",
        params=listed().params,
        error="AccessDeniedException",
    )
    with stubbed_client("sagemaker", refused) as client, pytest.raises(ReconcilerError) as failed:
        history_since(client, CARD, matches_git)
    assert "reading the version history of model card Churn" in failed.value.message
    assert failed.value.hint is not None and "iam-policy" in failed.value.hint


# -- card_versions -------------------------------------------------------------------------


def traced(versions_tag: str | None, latest: str | None) -> list[Call]:
    tags = {"reconciler-versions": versions_tag, "reconciler-commit": latest, "team": "ml"}
    return [
        sagemaker("describe_model_card", described(CARD, {}), ModelCardName=CARD),
        sagemaker(
            "list_tags",
            {"Tags": [{"Key": k, "Value": v} for k, v in tags.items() if v is not None]},
            ResourceArn=ARN,
        ),
        listed(3, 2, 1),
        *(version(n, {}, IncludedData="MetadataOnly") for n in (3, 2, 1)),
    ]


COMMITS = [
    pytest.param(None, None, [None, None, None], id="no-tag-no-version-from-git"),
    pytest.param(
        f"1-2=aaaaaaaaaaaa 3={COMMIT[:12]}",
        COMMIT,
        [COMMIT, "aaaaaaaaaaaa", "aaaaaaaaaaaa"],
        id="the-latest-applys-commit-in-full",
    ),
    pytest.param(
        "1=aaaaaaaaaaaa 3=bbbbbbbbbbbb",
        COMMIT,
        ["bbbbbbbbbbbb", None, "aaaaaaaaaaaa"],
        id="a-version-written-outside-git-has-none",
    ),
    pytest.param("2=bad junk", None, [None, "bad", None], id="a-hand-edited-tag-keeps-what-reads"),
]


@pytest.mark.parametrize(("versions_tag", "latest", "commits"), COMMITS)
def test_card_versions_name_the_commit_of_each(
    versions_tag: str | None, latest: str | None, commits: list[str | None]
) -> None:
    with stubbed_client("sagemaker", *traced(versions_tag, latest)) as client:
        found = card_versions(client, CARD)
    assert [v.commit for v in found] == commits
    assert found[0] == TracedVersion(
        number=3,
        status=CardStatus.DRAFT,
        modified_at=WHEN[3].isoformat(),
        modified_by=ANA,
        commit=commits[0],
    )
