"""live.audit's reading of the model packages cards name, against botocore's Stubber: what
AWS says of the ARN itself holds back one card; anything else fails the run as before."""

from __future__ import annotations

import json
from pathlib import Path

import botocore.session
import pytest
from botocore.stub import Stubber

from reconciler.common.errors import ReconcilerError
from reconciler.live.audit import read_packages
from reconciler.live.model import LivePackage, UnreadPackage
from tests.unit.stubs import clients

PACKAGE = "arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/1"
SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "card.schema.json"


def _read(code: str, message: str) -> dict[str, LivePackage | UnreadPackage | None]:
    sagemaker, _ = clients()
    with Stubber(sagemaker) as stub:
        stub.add_client_error(
            "describe_model_package",
            service_error_code=code,
            service_message=message,
            expected_params={"ModelPackageName": PACKAGE},
        )
        return read_packages(sagemaker, [PACKAGE])


@pytest.mark.parametrize(
    "code", ["AccessDeniedException", "ValidationException", "ResourceNotFound"]
)
def test_a_refusal_about_the_arn_is_read_as_an_unread_package(code: str) -> None:
    assert _read(code, "not authorized, or not a valid name") == {
        PACKAGE: UnreadPackage(
            arn=PACKAGE, code=code, message="not authorized, or not a valid name"
        )
    }


def test_a_package_that_does_not_exist_is_none() -> None:
    assert _read("ValidationException", f"ModelPackage {PACKAGE} does not exist.") == {
        PACKAGE: None
    }


def test_a_failure_that_is_not_about_the_arn_still_fails_the_run() -> None:
    with pytest.raises(ReconcilerError, match="ThrottlingException"):
        _read("ThrottlingException", "Rate exceeded")


def test_the_schema_holds_botocores_model_package_arn_pattern() -> None:
    shape = botocore.session.get_session().get_service_model("sagemaker")
    pattern = shape.shape_for("ModelPackageArn").metadata["pattern"]
    content = json.loads(SCHEMA.read_text())["properties"]["content"]
    local = content["properties"]["model_package_details"]["properties"]["model_package_arn"]
    assert local["pattern"] == f"^{pattern}$"
