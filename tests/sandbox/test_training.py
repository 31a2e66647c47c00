"""The sandbox's models and training jobs, what `reconciler fill` reads: botocore's shapes
(checked by botocore's own parser, and against the members it requires), a job that ends
only as its algorithm would (the control API), Search by the job's model artifact, and IAM
on each call."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

from tests.sandbox.conftest import OWNER, allow

ROLE = f"arn:aws:iam::{OWNER}:role/SageMakerExecution"
OUTPUT = "s3://ml-artifacts/churn"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/xgboost:1.7"


def start_job(sm: Any, name: str = "churn-xgb-1", **more: Any) -> str:
    arn: str = sm.create_training_job(
        TrainingJobName=name,
        RoleArn=ROLE,
        AlgorithmSpecification={"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        HyperParameters={"max_depth": "5", "eta": "0.2"},
        OutputDataConfig={"S3OutputPath": OUTPUT},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
        **more,
    )["TrainingJobArn"]
    return arn


def artifact(name: str = "churn-xgb-1") -> str:
    return f"{OUTPUT}/{name}/output/model.tar.gz"


def required(shape: str) -> list[str]:
    model = botocore.session.get_session().get_service_model("sagemaker")
    return list(model.shape_for(shape).required_members)


def by_artifact(sm: Any, uri: str) -> list[str]:
    found = sm.search(
        Resource="TrainingJob",
        SearchExpression={
            "Filters": [
                {"Name": "ModelArtifacts.S3ModelArtifacts", "Operator": "Equals", "Value": uri}
            ]
        },
    )
    return [r["TrainingJob"]["TrainingJobName"] for r in found["Results"]]


def test_a_model_is_described_as_created_and_one_name_is_one_model(aws) -> None:
    sm = aws("sagemaker")
    container = {"Image": IMAGE, "ModelDataUrl": artifact()}
    arn = sm.create_model(ModelName="Churn-XGB", PrimaryContainer=container, ExecutionRoleArn=ROLE)
    assert arn["ModelArn"] == f"arn:aws:sagemaker:us-east-1:{OWNER}:model/churn-xgb"
    model = sm.describe_model(ModelName="Churn-XGB")
    assert set(required("DescribeModelOutput")) <= set(model)
    assert (model["ModelName"], model["PrimaryContainer"]) == ("Churn-XGB", container)
    with pytest.raises(ClientError, match="Cannot create already existing model"):
        sm.create_model(ModelName="Churn-XGB", PrimaryContainer=container, ExecutionRoleArn=ROLE)
    sm.delete_model(ModelName="Churn-XGB")
    with pytest.raises(ClientError, match="Could not find model"):
        sm.describe_model(ModelName="Churn-XGB")


def test_a_training_job_runs_until_its_algorithm_ends_it(aws, sandbox) -> None:
    sm = aws("sagemaker")
    start_job(sm)
    running = sm.describe_training_job(TrainingJobName="churn-xgb-1")
    assert set(required("DescribeTrainingJobResponse")) <= set(running)
    assert running["TrainingJobStatus"] == "InProgress" and "FinalMetricDataList" not in running
    assert running["ModelArtifacts"]["S3ModelArtifacts"] == artifact()
    assert running["AlgorithmSpecification"]["TrainingImage"] == IMAGE  # as sent, unlike moto
    sandbox.advance(60)
    sandbox.complete_training_job(OWNER, "churn-xgb-1", {"validation:auc": 0.91})
    done = sm.describe_training_job(TrainingJobName="churn-xgb-1")
    assert done["TrainingJobStatus"] == "Completed"
    assert [(m["MetricName"], m["Value"]) for m in done["FinalMetricDataList"]] == [
        ("validation:auc", 0.91)
    ]
    assert done["TrainingEndTime"] > done["CreationTime"]
    assert done["HyperParameters"] == {"max_depth": "5", "eta": "0.2"}


def test_the_control_api_ends_a_job_too(aws, sandbox) -> None:
    start_job(aws("sagemaker"))
    body = {"account": OWNER, "name": "churn-xgb-1", "status": "Failed", "metrics": {}}
    request = urllib.request.Request(
        f"{sandbox.endpoint}/_sandbox/training-jobs/complete",
        data=json.dumps(body).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:
        assert json.loads(answer.read())["TrainingJobStatus"] == "Failed"


def test_search_finds_the_job_that_wrote_an_artifact(aws) -> None:
    sm = aws("sagemaker")
    start_job(sm, "churn-xgb-1")
    start_job(sm, "churn-xgb-2")
    assert by_artifact(sm, artifact("churn-xgb-2")) == ["churn-xgb-2"]
    assert by_artifact(sm, f"{OUTPUT}/none/output/model.tar.gz") == []
    (record,) = sm.search(
        Resource="TrainingJob",
        SearchExpression={
            "Filters": [{"Name": "TrainingJobName", "Operator": "Equals", "Value": "churn-xgb-1"}]
        },
    )["Results"]
    assert record["TrainingJob"]["TrainingJobArn"].endswith(":training-job/churn-xgb-1")


def test_the_control_api_can_say_two_jobs_wrote_one_artifact(aws, sandbox) -> None:
    """Not what SageMaker does (an artifact's path holds its job's name): what a test of a
    Search answering several jobs for one artifact needs."""
    sm = aws("sagemaker")
    start_job(sm, "churn-xgb-1")
    start_job(sm, "churn-xgb-1b")
    sandbox.complete_training_job(OWNER, "churn-xgb-1")
    body = {"account": OWNER, "name": "churn-xgb-1b", "artifact": artifact("churn-xgb-1")}
    request = urllib.request.Request(
        f"{sandbox.endpoint}/_sandbox/training-jobs/complete",
        data=json.dumps(body).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:
        done = json.loads(answer.read())
    assert done["ModelArtifacts"]["S3ModelArtifacts"] == artifact("churn-xgb-1")
    assert sorted(by_artifact(sm, artifact("churn-xgb-1"))) == ["churn-xgb-1", "churn-xgb-1b"]
    assert by_artifact(sm, artifact("churn-xgb-1b")) == []


def test_each_call_needs_its_iam_action_on_the_resource(aws, role) -> None:
    sm = aws("sagemaker")
    sm.create_model(ModelName="churn", PrimaryContainer={"Image": IMAGE}, ExecutionRoleArn=ROLE)
    start_job(sm)
    model = f"arn:aws:sagemaker:us-east-1:{OWNER}:model/churn"
    reader = role(allow("sagemaker:DescribeModel", model), allow("sagemaker:Search")).sagemaker
    assert reader.describe_model(ModelName="churn")["ModelArn"] == model
    assert by_artifact(reader, artifact()) == ["churn-xgb-1"]
    with pytest.raises(ClientError, match="sagemaker:DescribeTrainingJob"):
        reader.describe_training_job(TrainingJobName="churn-xgb-1")
    with pytest.raises(ClientError, match="sagemaker:CreateModel"):
        reader.create_model(ModelName="x", PrimaryContainer={"Image": IMAGE}, ExecutionRoleArn=ROLE)


def test_creating_a_job_passes_its_role_to_sagemaker(aws, role) -> None:
    job = f"arn:aws:sagemaker:us-east-1:{OWNER}:training-job/*"
    only_create = role(allow("sagemaker:CreateTrainingJob", job), name="NoPass").sagemaker
    with pytest.raises(ClientError, match="iam:PassRole"):
        start_job(only_create)
    passing = {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}
    trainer = role(
        allow("sagemaker:CreateTrainingJob", job),
        allow("iam:PassRole", ROLE, condition=passing),
        name="Trainer",
    ).sagemaker
    assert start_job(trainer).endswith(":training-job/churn-xgb-1")
