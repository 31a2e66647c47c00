"""live.history: a card's versions, newest first, from stubbed SageMaker: those after the
newest one that matches git (read only as far back as that one), and every version with
the commit that wrote it, from the ``reconciler-versions`` tag. And what drift reads from
one version listing: whether Search's record is current, the versions after the last one
an apply wrote, and their authors, described only when no record names them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import pytest

from reconciler.common.content import content_json
from reconciler.common.errors import ReconcilerError
from reconciler.common.status import CardStatus
from reconciler.live import history
from reconciler.live.history import (
    card_versions,
    confirmed_by_versions,
    edits_after_apply,
    history_since,
    traced_from,
)
from reconciler.live.model import LiveCard, TracedVersion, Version
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


def list_refused(error: str) -> Call:
    """ListModelCardVersions answered with ``error``."""
    return Call(
        service="sagemaker", method="list_model_card_versions", params=listed().params, error=error
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
    with (
        stubbed_client("sagemaker", list_refused("AccessDeniedException")) as client,
        pytest.raises(ReconcilerError) as failed,
    ):
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


# -- what drift reads from a version listing -----------------------------------------------

CAROL = "arn:aws:sts::111111111111:assumed-role/Reconciler/apply"


def searched(version: int = 3, tag: str | None = f"1={COMMIT[:12]}", **more: Any) -> LiveCard:
    """The card as Search shows it: its newest version, who wrote it and who created it."""
    return LiveCard(
        name=CARD,
        arn=ARN,
        status=CardStatus.DRAFT,
        version=version,
        content=EDITED,
        tags={"reconciler-versions": tag, "reconciler-commit": COMMIT} if tag else {},
        last_modified_time=WHEN[version].isoformat(),
        last_modified_by=BOB,
        created_by=CAROL,
        **more,
    )


def test_a_listing_whose_newest_version_is_searchs_confirms_the_card() -> None:
    with stubbed_client("sagemaker", listed(3, 2, 1)) as client:
        confirmed = confirmed_by_versions(client, searched())
    assert confirmed is not None and confirmed.confirmed
    assert [v.number for v in confirmed.versions or ()] == [3, 2, 1]


def test_a_listing_ahead_of_search_or_of_a_card_gone_confirms_nothing() -> None:
    with stubbed_client(
        "sagemaker", listed(4, 3, 2, 1), list_refused("ResourceNotFound")
    ) as client:
        assert confirmed_by_versions(client, searched()) is None  # Search is behind
        assert confirmed_by_versions(client, searched()) is None


def listed_card(client: Any, **more: Any) -> LiveCard:
    confirmed = confirmed_by_versions(client, searched(**more))
    assert confirmed is not None
    return confirmed


def test_the_versions_after_the_last_applied_one_are_the_edits() -> None:
    """Version 1 was applied (the tag); 3 is Search's, by bob; only 2 is described."""
    calls = [listed(3, 2, 1), version(2, {}, ANA, IncludedData="MetadataOnly")]
    with stubbed_client("sagemaker", *calls) as client:
        found = edits_after_apply(client, listed_card(client))
    assert found is not None
    newer, base = found
    assert base == 1
    assert [(v.number, v.modified_by, v.modified_at) for v in newer] == [
        (3, BOB, WHEN[3].isoformat()),
        (2, ANA, WHEN[2].isoformat()),
    ]


@pytest.mark.parametrize(
    "tag",
    [
        pytest.param(f"1-3={COMMIT[:12]}", id="an-apply-wrote-the-newest-version"),
        pytest.param(None, id="no-version-from-git"),
    ],
)
def test_without_an_applied_version_before_the_newest_only_content_can_tell(
    tag: str | None,
) -> None:
    with stubbed_client("sagemaker", listed(3, 2, 1)) as client:
        assert edits_after_apply(client, listed_card(client, tag=tag)) is None


def test_a_listed_card_is_traced_without_describing_its_newest_or_first_version() -> None:
    calls = [listed(3, 2, 1), version(2, {}, ANA, IncludedData="MetadataOnly")]
    with stubbed_client("sagemaker", *calls) as client:
        found = traced_from(client, listed_card(client))
    assert [(v.number, v.modified_by, v.commit) for v in found] == [
        (3, BOB, None),
        (2, ANA, None),
        (1, CAROL, COMMIT),
    ]
