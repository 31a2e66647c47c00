"""The sandbox's SageMaker models and training jobs: what ``reconciler fill`` reads, in
botocore's shapes (``DescribeModelOutput``, ``DescribeTrainingJobResponse``, the
``TrainingJob`` of a ``SearchRecord``) where moto's differ: moto completes every training
job at once with one fixed metric, replaces its ``MetricDefinitions``, and cannot search
training jobs by ``ModelArtifacts.S3ModelArtifacts``.

- CreateModel / DescribeModel / DeleteModel: a model is immutable; a name is one model at
  a time (a second CreateModel of it is refused until it is deleted). Its ARN holds the
  name in lower case, as SageMaker's ARNs do.
- CreateTrainingJob starts a job ``InProgress`` whose artifact will be
  ``<S3OutputPath>/<name>/output/model.tar.gz``. The sandbox runs no algorithm, so a job
  ends when the control API says how (``complete``: ``Completed`` or ``Failed``, with the
  final metrics an algorithm would have logged), at the sandbox clock's time.
  ``complete`` may also name the job's artifact (``artifact``): not something SageMaker
  does (its path holds the job's name), but the way to make Search answer several jobs
  for one artifact, which a client finding "the" job of a model must not take for one.
- ``Search(Resource="TrainingJob")``: the jobs of the caller's account and Region created
  at least ``search_index_delay_seconds`` ago (Search indexes asynchronously), with the
  filters and sort of ``search``.

Undocumented, chosen here: an unknown model or job is ``ValidationException`` "Could not
find ..." (what SageMaker answers), and jobs are never deleted.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.errors import validation
from reconciler.sandbox.sagemaker.model import sagemaker_arn
from reconciler.sandbox.sagemaker.search import search
from reconciler.sandbox.sagemaker.tags import parse_tags

Key = tuple[str, str, str]  # (account, region, name)
# CreateModel members DescribeModel returns as sent.
_MODEL_ECHOED = (
    "PrimaryContainer",
    "Containers",
    "InferenceExecutionConfig",
    "ExecutionRoleArn",
    "VpcConfig",
    "EnableNetworkIsolation",
)
# CreateTrainingJob members DescribeTrainingJob returns as sent.
_JOB_ECHOED = (
    "HyperParameters",
    "AlgorithmSpecification",
    "RoleArn",
    "InputDataConfig",
    "OutputDataConfig",
    "ResourceConfig",
    "VpcConfig",
    "StoppingCondition",
    "EnableNetworkIsolation",
    "EnableInterContainerTrafficEncryption",
    "EnableManagedSpotTraining",
    "CheckpointConfig",
    "Environment",
    "RetryStrategy",
    "ExperimentConfig",
)


def model_arn(region: str, account: str, name: str) -> str:
    return sagemaker_arn(region, account, f"model/{name.lower()}")


def job_arn(region: str, account: str, name: str) -> str:
    return sagemaker_arn(region, account, f"training-job/{name.lower()}")


@dataclass(kw_only=True)
class Model:
    arn: str
    name: str
    created: float
    request: dict[str, Any]
    tags: dict[str, str] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        echoed = {k: copy.deepcopy(self.request[k]) for k in _MODEL_ECHOED if k in self.request}
        return {
            "ModelName": self.name,
            "ModelArn": self.arn,
            "CreationTime": self.created,
            **echoed,
        }


@dataclass(kw_only=True)
class TrainingJob:
    arn: str
    name: str
    created: float
    request: dict[str, Any]
    tags: dict[str, str] = field(default_factory=dict)
    status: str = "InProgress"
    ended: float | None = None
    modified: float | None = None
    metrics: list[dict[str, Any]] = field(default_factory=list)
    failure: str | None = None
    written_to: str | None = None  # the control API's artifact, else the usual path

    @property
    def artifact(self) -> str:
        if self.written_to is not None:
            return self.written_to
        output = str(self.request["OutputDataConfig"]["S3OutputPath"]).rstrip("/")
        return f"{output}/{self.name}/output/model.tar.gz"

    def describe(self) -> dict[str, Any]:
        echoed = {k: copy.deepcopy(self.request[k]) for k in _JOB_ECHOED if k in self.request}
        out: dict[str, Any] = {
            "TrainingJobName": self.name,
            "TrainingJobArn": self.arn,
            "ModelArtifacts": {"S3ModelArtifacts": self.artifact},
            "TrainingJobStatus": self.status,
            "SecondaryStatus": {"InProgress": "Training"}.get(self.status, self.status),
            "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
            "CreationTime": self.created,
            "TrainingStartTime": self.created,
            "LastModifiedTime": self.modified or self.created,
            **echoed,
        }
        if self.ended is not None:
            out.update(TrainingEndTime=self.ended, FinalMetricDataList=copy.deepcopy(self.metrics))
        if self.failure:
            out["FailureReason"] = self.failure
        return out

    def record(self) -> dict[str, Any]:
        """The job as a SearchRecord holds it: the description and its tags."""
        tags = [{"Key": k, "Value": v} for k, v in self.tags.items()]
        return {**self.describe(), "Tags": tags}


class Workloads:
    """Models and training jobs of every account."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.models: dict[Key, Model] = {}
        self.jobs: dict[Key, TrainingJob] = {}

    def create_model(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        name = str(params["ModelName"])
        key = (caller.account_id, caller.region, name)
        if key in self.models:
            arn = model_arn(caller.region, caller.account_id, name)
            raise validation(f'Cannot create already existing model "{arn}".')
        arn = model_arn(caller.region, caller.account_id, name)
        tags = parse_tags(params.get("Tags"))
        self.models[key] = Model(
            arn=arn, name=name, created=self._clock(), request=params, tags=tags
        )
        return {"ModelArn": arn}

    def describe_model(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        return self._model(caller, str(params["ModelName"])).describe()

    def delete_model(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        model = self._model(caller, str(params["ModelName"]))
        del self.models[(caller.account_id, caller.region, model.name)]
        return {}

    def _model(self, caller: Caller, name: str) -> Model:
        found = self.models.get((caller.account_id, caller.region, name))
        if found is None:
            arn = model_arn(caller.region, caller.account_id, name)
            raise validation(f'Could not find model "{arn}".')
        return found

    def create_job(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        name = str(params["TrainingJobName"])
        key = (caller.account_id, caller.region, name)
        arn = job_arn(caller.region, caller.account_id, name)
        if key in self.jobs:
            raise validation(
                "Training job names must be unique within an AWS account and region, and a "
                f"training job with this name already exists ({arn})"
            )
        tags = parse_tags(params.get("Tags"))
        self.jobs[key] = TrainingJob(
            arn=arn, name=name, created=self._clock(), request=params, tags=tags
        )
        return {"TrainingJobArn": arn}

    def describe_job(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        return self._job(
            caller.account_id, caller.region, str(params["TrainingJobName"])
        ).describe()

    def _job(self, account: str, region: str, name: str) -> TrainingJob:
        found = self.jobs.get((account, region, name))
        if found is None:
            raise validation(f"Requested resource not found: training job {name} does not exist.")
        return found

    def search_jobs(self, caller: Caller, params: dict[str, Any], delay: float) -> dict[str, Any]:
        """Search(Resource="TrainingJob") over the caller's indexed jobs."""
        as_of = self._clock() - delay
        records = [
            job.record()
            for (account, region, _), job in sorted(self.jobs.items())
            if account == caller.account_id and region == caller.region and job.created <= as_of
        ]
        return search(records, params, resource="TrainingJob", name_key="TrainingJobName")

    def complete(
        self, account: str, region: str, name: str, outcome: Mapping[str, Any]
    ) -> dict[str, Any]:
        """End a job as its algorithm would: ``status`` (Completed or Failed), ``metrics``
        (name → value, the final metrics), ``failure`` (a FailureReason); ``artifact``
        (an S3 URI) names its model artifact instead of the usual path."""
        job = self._job(account, region, name)
        status = str(outcome.get("status", "Completed"))
        if status not in ("Completed", "Failed", "Stopped"):
            raise ValueError(f"a training job ends Completed, Failed or Stopped, not {status}")
        now = self._clock()
        metrics = dict(outcome.get("metrics") or {})
        job.metrics = [
            {"MetricName": str(k), "Value": float(v), "Timestamp": now} for k, v in metrics.items()
        ]
        job.status, job.ended, job.modified = status, now, now
        job.failure = outcome.get("failure")
        if outcome.get("artifact") is not None:
            job.written_to = str(outcome["artifact"])
        return job.describe()

    def tags_of(self, caller: Caller, params: Mapping[str, Any]) -> dict[str, str]:
        """The tags of the model or job a call names (none when it does not exist)."""
        key = (caller.account_id, caller.region)
        model = self.models.get((*key, str(params.get("ModelName"))))
        job = self.jobs.get((*key, str(params.get("TrainingJobName"))))
        found = model or job
        return dict(found.tags) if found is not None else {}


Handler = Callable[[Workloads, Caller, dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {
    "CreateModel": Workloads.create_model,
    "DescribeModel": Workloads.describe_model,
    "DeleteModel": Workloads.delete_model,
    "CreateTrainingJob": Workloads.create_job,
    "DescribeTrainingJob": Workloads.describe_job,
}
