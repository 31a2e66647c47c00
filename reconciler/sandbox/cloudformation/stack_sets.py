"""UpdateStackSet as CloudFormation documents it, which moto 5.2.5 does not do: moto keeps
the new template on the StackSet but updates no instance's stack, and instances created
later still get the old template.

What botocore's ``UpdateStackSet`` documents and this follows: the update reaches every
stack instance, or, when ``Accounts`` and ``Regions`` are given (both or neither), the
instances in those; "Subsequent CreateStackInstances calls on the specified StackSet use
the updated StackSet"; the call returns an ``OperationId`` (one the caller sends, or a new
one), and an ID already used is ``OperationIdAlreadyExistsException``; a named instance
that does not exist is ``StackInstanceNotFoundException``. The operation is listed by
``ListStackSetOperations`` and described by ``DescribeStackSetOperation`` (Action
``UPDATE``). ``templates`` has checked the template first, against the StackSet's current
one (no replacement) and for its capabilities.

Chosen here, since the sandbox runs every operation at once: the operation is
``SUCCEEDED`` when the call returns (on AWS it is ``QUEUED`` or ``RUNNING`` first, and a
caller waits for it with ``DescribeStackSetOperation``); reusing an operation ID is refused
even for the same request (AWS calls it an idempotency token without saying what a retry
with it answers).
"""

from __future__ import annotations

import uuid
from typing import Any

from moto.cloudformation.exceptions import (
    CloudFormationError,
    StackInstanceNotFound,
    ValidationError,
)
from moto.cloudformation.models import StackSet, cloudformation_backends

from reconciler.sandbox.cloudformation.templates import parse


class OperationIdAlreadyExists(CloudFormationError):
    code = "OperationIdAlreadyExistsException"

    def __init__(self, operation_id: str) -> None:
        super().__init__(f"Operation {operation_id} already exists.")


def stack_set_template(account_id: str, region: str, name: str) -> dict[str, Any] | None:
    """The current template of the StackSet ``name`` (a name or ID), parsed; None if none."""
    for stack_set in cloudformation_backends[account_id][region].stacksets.values():
        if name in (stack_set.name, stack_set.id) and stack_set.status == "ACTIVE":
            return parse(stack_set.template)
    return None


def _update(
    self: StackSet,
    template: str,
    description: str,
    parameters: dict[str, str],
    tags: dict[str, str],
    admin_role: str,
    execution_role: str,
    accounts: list[str],
    regions: list[str],
    operation_id: str,
) -> dict[str, Any]:
    """StackSet.update: the StackSet's new settings, applied to the instances it names."""
    operation_id = operation_id or str(uuid.uuid4())
    if any(o["OperationId"] == operation_id for o in self.operations):
        raise OperationIdAlreadyExists(operation_id)
    targets = _targets(self, accounts, regions)
    self.template = template or self.template
    self.instances.template = self.template  # later CreateStackInstances use it
    self.description = description if description is not None else self.description
    self.parameters = parameters or self.parameters
    self.tags = tags or self.tags
    self.administration_role_arn = admin_role or self.administration_role_arn
    self.execution_role_name = execution_role or self.execution_role_name
    for instance in targets:
        _apply(self, instance)
    operation = self._create_operation(
        operation_id=operation_id, action="UPDATE", status="SUCCEEDED"
    )
    operation["Instances"] = [{i.account_id: i.region_name} for i in targets]
    return operation


def _targets(stack_set: StackSet, accounts: list[str], regions: list[str]) -> list[Any]:
    """The instances an update reaches: all, or those of ``accounts`` in ``regions``."""
    if bool(accounts) != bool(regions):
        raise ValidationError(
            message="Accounts and Regions are given together, or neither (every instance)."
        )
    if not accounts:
        return list(stack_set.stack_instances)
    found = []
    for account in accounts:
        for region in regions:
            instance = stack_set.instances.get_instance(account, region)
            if instance is None:
                raise StackInstanceNotFound()
            found.append(instance)
    return found


def _apply(stack_set: StackSet, instance: Any) -> None:
    """The StackSet's template and parameters (with the instance's overrides) on the
    instance's stack, updated as UpdateStack updates a stack."""
    overrides = instance.parameters
    if isinstance(overrides, list):
        overrides = {p["ParameterKey"]: p["ParameterValue"] for p in overrides}
    parameters = {**(stack_set.parameters or {}), **(overrides or {})}
    instance.template = stack_set.template
    instance.stack.update(stack_set.template, parameters=parameters)


def install() -> None:
    """Have moto's StackSets update their instances (idempotent)."""
    StackSet.update = _update  # type: ignore[method-assign]
