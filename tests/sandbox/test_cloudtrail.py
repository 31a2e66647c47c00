"""CloudTrail in the sandbox: write calls to SageMaker and RAM become management events,
and LookupEvents answers with CloudTrail's shapes, filters, paging, 90 days and IAM."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.conftest import DEV, OWNER, allow, card_arn

DAY = 24 * 3600


def lookup(clients: Any, **params: Any) -> dict[str, Any]:
    """LookupEvents half a second (of sandbox time) after the last one: CloudTrail takes two
    lookups a second per account and Region, and throttles the rest."""
    clients.sandbox.advance(0.5)
    found: dict[str, Any] = clients.cloudtrail.lookup_events(**params)
    return found


def events(clients: Any, **params: Any) -> list[dict[str, Any]]:
    return list(lookup(clients, **params)["Events"])


def by_name(clients: Any, name: str) -> list[dict[str, Any]]:
    attribute = {"AttributeKey": "EventName", "AttributeValue": name}
    return events(clients, LookupAttributes=[attribute])


def code(call: Any, **params: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**params)
    return str(caught.value.response["Error"]["Code"])


def test_a_disassociation_by_another_identity_is_an_event_in_the_owner_account(
    sandbox: Any, account: Any, role: Any
) -> None:
    ram = account(OWNER).ram
    share = ram.create_resource_share(name="s", principals=[DEV])["resourceShare"]
    console = role(allow("ram:*"), name="ConsoleAdmin")
    console.ram.disassociate_resource_share(
        resourceShareArn=share["resourceShareArn"], principals=[DEV]
    )
    [event] = by_name(account(OWNER), "DisassociateResourceShare")
    record = json.loads(event["CloudTrailEvent"])
    assert event["EventSource"] == "ram.amazonaws.com" and event["Username"] == "sandbox"
    assert {
        "ResourceType": "AWS::RAM::ResourceShare",
        "ResourceName": share["resourceShareArn"],
    } in (event["Resources"])
    assert record["userIdentity"]["type"] == "AssumedRole"
    assert (
        record["userIdentity"]["arn"] == f"arn:aws:sts::{OWNER}:assumed-role/ConsoleAdmin/sandbox"
    )
    assert record["recipientAccountId"] == OWNER
    assert record["requestParameters"]["principals"] == [DEV]
    assert record["requestParameters"]["resourceShareArn"] == share["resourceShareArn"]
    assert "errorCode" not in record


def test_reads_are_not_events_and_failed_writes_carry_the_error(account: Any) -> None:
    sm = account(OWNER).sagemaker
    sm.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
    sm.describe_model_card(ModelCardName="c")
    with pytest.raises(ClientError):
        sm.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
    names = [e["EventName"] for e in events(account(OWNER))]
    assert names == ["CreateModelCard", "CreateModelCard"]  # newest first, no Describe
    newest = json.loads(events(account(OWNER))[0]["CloudTrailEvent"])
    assert newest["errorCode"] == "ConflictException"
    assert newest["requestParameters"]["modelCardName"] == "c"


def test_a_call_on_another_account_resource_is_in_both_histories(
    sandbox: Any, account: Any
) -> None:
    from tests.sandbox.test_cross_account import share

    owner = account(OWNER)
    arn = owner.sagemaker.create_model_card(
        ModelCardName="c", Content="{}", ModelCardStatus="Draft"
    )["ModelCardArn"]
    share(sandbox, account, arn)
    account(DEV).sagemaker.update_model_card(ModelCardName=arn, Content='{"a": 1}')
    [mine] = by_name(account(DEV), "UpdateModelCard")
    [theirs] = by_name(owner, "UpdateModelCard")
    one, two = json.loads(mine["CloudTrailEvent"]), json.loads(theirs["CloudTrailEvent"])
    assert one["sharedEventID"] == two["sharedEventID"] and one["eventID"] != two["eventID"]
    assert (one["recipientAccountId"], two["recipientAccountId"]) == (DEV, OWNER)
    assert two["userIdentity"]["accountId"] == DEV
    assert theirs["Resources"] == [
        {"ResourceType": "AWS::SageMaker::ModelCard", "ResourceName": card_arn("c")}
    ]


def test_filters_time_range_and_paging(sandbox: Any, account: Any) -> None:
    sm = account(OWNER).sagemaker
    for name in ("a", "b", "c"):
        sm.create_model_card(ModelCardName=name, Content="{}", ModelCardStatus="Draft")
    sandbox.advance(3600)
    sm.delete_model_card(ModelCardName="a")
    later = datetime.fromtimestamp(sandbox.now() - 60, tz=timezone.utc)
    assert [e["EventName"] for e in events(account(OWNER), StartTime=later)] == ["DeleteModelCard"]
    assert len(events(account(OWNER), EndTime=later)) == 3
    resource = {"AttributeKey": "ResourceName", "AttributeValue": card_arn("b")}
    assert len(events(account(OWNER), LookupAttributes=[resource])) == 1
    owner = account(OWNER)
    first = lookup(owner, MaxResults=3)
    rest = lookup(owner, MaxResults=3, NextToken=first["NextToken"])
    assert len(first["Events"]) == 3 and len(rest["Events"]) == 1 and "NextToken" not in rest
    token = first["NextToken"]
    assert code(lookup, clients=owner, MaxResults=3, NextToken=token, StartTime=later) == (
        "InvalidNextTokenException"
    )
    two = [resource, {"AttributeKey": "EventName", "AttributeValue": "CreateModelCard"}]
    assert code(lookup, clients=owner, LookupAttributes=two) == "InvalidLookupAttributesException"
    assert code(lookup, clients=owner, StartTime=later, EndTime=later - timedelta(days=1)) == (
        "InvalidTimeRangeException"
    )
    assert events(account(DEV)) == []  # another account's history


def test_history_keeps_ninety_days(sandbox: Any, account: Any) -> None:
    account(OWNER).sagemaker.create_model_card(
        ModelCardName="c", Content="{}", ModelCardStatus="Draft"
    )
    sandbox.advance(89 * DAY)
    assert len(events(account(OWNER))) == 1
    sandbox.advance(2 * DAY)
    assert events(account(OWNER)) == []


def test_more_than_two_lookups_a_second_are_throttled(sandbox: Any, account: Any) -> None:
    """ "The rate of lookup requests is limited to two per second, per account, per Region.
    If this limit is exceeded, a throttling error occurs." (LookupEvents API reference)"""
    owner = account(OWNER).cloudtrail
    owner.lookup_events()
    owner.lookup_events()
    with pytest.raises(ClientError) as caught:
        owner.lookup_events()
    assert caught.value.response["Error"] == {
        "Code": "ThrottlingException",
        "Message": "Rate exceeded",
    }
    account(DEV).cloudtrail.lookup_events()  # another account has its own rate
    sandbox.client("cloudtrail", OWNER, region="eu-west-1").lookup_events()  # and Region
    sandbox.advance(1)
    owner.lookup_events()


def test_the_lookup_rate_is_a_switch(sandbox: Any, account: Any) -> None:
    from dataclasses import replace

    sandbox.configure(replace(sandbox.config, cloudtrail_lookups_per_second=0))
    for _ in range(5):
        account(OWNER).cloudtrail.lookup_events()


def test_lookup_needs_cloudtrail_lookup_events(role: Any) -> None:
    denied = role(allow("ram:*"), name="NoTrail")
    assert code(denied.cloudtrail.lookup_events) == "AccessDeniedException"
    allowed = role(allow("cloudtrail:LookupEvents"), name="Trail")
    assert allowed.cloudtrail.lookup_events()["Events"] == []
