"""Fault injection: latency, throttling, 5xx, fail-next-N, determinism, env and admin control."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.faults import FailNext, FaultInjector, FaultSettings


def error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = exc.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_sagemaker_throttling_is_400_rate_exceeded(sandbox, aws) -> None:
    sandbox.faults.apply(FaultSettings(throttle_rate={"sagemaker:*": 1.0}))
    with pytest.raises(ClientError) as exc:
        aws("sagemaker").list_model_cards()
    assert error(exc) == ("ThrottlingException", 400)
    assert exc.value.response["Error"]["Message"] == "Rate exceeded"


def test_ram_throttling_is_429(sandbox, aws) -> None:
    sandbox.faults.apply(FaultSettings(throttle_rate={"ram:*": 1.0}))
    with pytest.raises(ClientError) as exc:
        aws("ram").get_resource_shares(resourceOwner="SELF")
    assert error(exc) == ("ThrottlingException", 429)


def test_error_rate_gives_500_or_503_per_service(sandbox, aws) -> None:
    sandbox.faults.apply(FaultSettings(seed=3, error_rate={"*": 1.0}))
    seen = set()
    for _ in range(12):
        with pytest.raises(ClientError) as exc:
            aws("sagemaker").list_model_cards()
        seen.add(error(exc))
    assert seen == {("InternalFailure", 500), ("ServiceUnavailable", 503)}
    with pytest.raises(ClientError) as exc:
        aws("ram").get_resource_shares(resourceOwner="SELF")
    assert error(exc)[0] in ("ServerInternalException", "ServiceUnavailableException")


def test_fail_next_n_then_recover(sandbox, aws) -> None:
    sm = aws("sagemaker")
    sandbox.faults.fail_next("ListModelCards", 2, "ThrottlingException")
    for _ in range(2):
        with pytest.raises(ClientError):
            sm.list_model_cards()
    assert sm.list_model_cards()["ModelCardSummaries"] == []
    assert sm.search(Resource="ModelCard")["Results"] == []  # other operations untouched


def test_fail_next_with_a_modeled_code(sandbox, aws) -> None:
    sandbox.faults.fail_next("CreateModelCard", 1, "ResourceLimitExceeded")
    with pytest.raises(ClientError) as exc:
        aws("sagemaker").create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
    assert error(exc) == ("ResourceLimitExceeded", 400)


def test_latency_is_added(sandbox, aws) -> None:
    sm = aws("sagemaker")
    sandbox.faults.apply(FaultSettings(latency={"ListModelCards": 0.15}))
    started = time.perf_counter()
    sm.list_model_cards()
    assert time.perf_counter() - started >= 0.15


def test_same_seed_same_sequence() -> None:
    def run() -> list[bool]:
        injector = FaultInjector(FaultSettings(seed=42, throttle_rate={"*": 0.5}))
        return [injector.decide("sagemaker", "X").error is not None for _ in range(40)]

    assert run() == run() and any(run()) and not all(run())


def test_sts_and_admin_are_never_faulted(sandbox, aws) -> None:
    sandbox.faults.apply(FaultSettings(throttle_rate={"*": 1.0}, error_rate={"*": 1.0}))
    assert aws("sts", "444444444444").get_caller_identity()["Account"] == "444444444444"
    with urllib.request.urlopen(f"{sandbox.endpoint}/_sandbox/health") as response:
        assert json.load(response) == {"ok": True}


def test_env_variables_parse() -> None:
    settings = FaultSettings.from_env(
        {
            "SANDBOX_FAULT_SEED": "7",
            "SANDBOX_FAULT_LATENCY": "0.05",
            "SANDBOX_FAULT_THROTTLE_RATE": "DescribeModelCard=0.5,*=0.1",
            "SANDBOX_FAULT_ERROR_RATE": "ram:*=0.2",
            "SANDBOX_FAULT_FAIL_NEXT": (
                "UpdateModelCard:2:ThrottlingException;ram:GetResourceShares:1:ServiceUnavailable"
            ),
        }
    )
    assert settings.seed == 7 and settings.latency == {"*": 0.05}
    assert settings.throttle_rate == {"DescribeModelCard": 0.5, "*": 0.1}
    assert settings.error_rate == {"ram:*": 0.2}
    assert settings.fail_next == [
        FailNext("UpdateModelCard", 2, "ThrottlingException"),
        FailNext("ram:GetResourceShares", 1, "ServiceUnavailable"),
    ]


def test_env_variables_reach_a_new_sandbox(monkeypatch) -> None:
    from reconciler.sandbox import Sandbox

    monkeypatch.setenv("SANDBOX_FAULT_FAIL_NEXT", "ListModelCards:1:ThrottlingException")
    with Sandbox() as sb:
        sm = sb.client("sagemaker")
        with pytest.raises(ClientError):
            sm.list_model_cards()
        assert sm.list_model_cards()["ModelCardSummaries"] == []


def test_admin_endpoint_sets_and_clears_faults(sandbox, aws) -> None:
    body = json.dumps(
        {"fail_next": [{"operation": "ListModelCards", "count": 1, "code": "ServiceUnavailable"}]}
    ).encode()
    request = urllib.request.Request(f"{sandbox.endpoint}/_sandbox/faults", data=body, method="PUT")
    with urllib.request.urlopen(request) as response:
        assert json.load(response)["fail_next"][0]["count"] == 1
    with pytest.raises(ClientError) as exc:
        aws("sagemaker").list_model_cards()
    assert error(exc) == ("ServiceUnavailable", 503)
    urllib.request.urlopen(
        urllib.request.Request(f"{sandbox.endpoint}/_sandbox/faults", method="DELETE")
    ).close()
    assert sandbox.faults.settings.fail_next == []


def test_reset_clears_runtime_faults(sandbox, aws) -> None:
    sandbox.faults.apply(FaultSettings(throttle_rate={"*": 1.0}))
    sandbox.reset()
    assert aws("sagemaker").list_model_cards()["ModelCardSummaries"] == []


def test_botocore_retries_through_injected_throttling(sandbox) -> None:
    sm = sandbox.client("sagemaker", retries=True)
    sandbox.faults.fail_next("ListModelCards", 2, "ThrottlingException")
    result = sm.list_model_cards()
    assert result["ResponseMetadata"]["RetryAttempts"] == 2
