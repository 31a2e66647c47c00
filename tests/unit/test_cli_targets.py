"""cli.targets: a command over several targets prints one report grouped by target and
exits with the worst code; a repository without targets prints its one report as
before; an option that holds one target's plan needs one target selected. The run of
each target (AWS) is replaced by its results."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from reconciler.cli import targets as cli_targets
from reconciler.cli.targets import Output, run_for_targets, run_output, worst
from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import TargetSpec
from reconciler.render.apply import REPORTS
from reconciler.render.apply_report import RunReport
from reconciler.reports.consumers import AccountCheck, VerifyReport
from reconciler.run import fanout
from reconciler.run.fanout import TargetResult
from tests.unit.builders import ROOT, example


@pytest.mark.parametrize(
    ("codes", "code"),
    [
        pytest.param([], 0, id="no-target"),
        pytest.param([0, 0], 0, id="nothing-to-do"),
        pytest.param([0, 2], 2, id="changes"),
        pytest.param([2, 1, 0], 1, id="an-error-over-changes"),
        pytest.param([1, 2], 1, id="an-error-first"),
    ],
)
def test_worst(codes: list[int], code: int) -> None:
    assert worst(codes) == code


def check(*problems: str) -> AccountCheck:
    return AccountCheck(
        account="prod", account_id="444444444444", share="churn-prod", invitation=None,
        problems=problems,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("checks", "code"), [((check(),), 0), ((check("cannot see Churn"),), 1)], ids=["ok", "failed"]
)
def test_a_verify_reports_rendered_body_and_its_code(
    checks: tuple[AccountCheck, ...], code: int
) -> None:
    report = RunReport.of_verify(VerifyReport(checks=checks))
    assert run_output(report, "json") == Output(body=REPORTS.get("json")(report), code=code)


def result(
    name: str, output: Output | None = None, error: str | None = None
) -> TargetResult[Output]:
    return TargetResult(
        name=name,
        account="111111111111",
        region="eu-west-1",
        value=output,
        error=ReconcilerError(error) if error else None,
    )


@pytest.fixture
def results(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What ``results_for_targets`` returns next: whether targets are declared, results."""
    answer: list[Any] = [False, []]
    monkeypatch.setattr(cli_targets, "results_for_targets", lambda *_, **__: tuple(answer))
    return answer


def run(fmt: str = "text") -> int:
    return run_for_targets(ROOT, None, None, fmt, lambda target: Output(body="", code=0))


def test_without_targets_the_one_report_is_printed_as_it_is(
    results: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    results[:] = [False, [result("default", Output(body="No changes.\n", code=2))]]
    assert run() == 2
    assert capsys.readouterr().out == "No changes.\n"


def test_with_targets_one_report_grouped_by_target_with_the_worst_code(
    results: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    results[:] = [
        True,
        [result("eu", Output(body="eu report\n", code=2)), result("us", error="AWS refused")],
    ]
    assert run() == 1
    assert capsys.readouterr().out == (
        "=== target eu (account 111111111111, eu-west-1) ===\neu report\n\n"
        "=== target us (account 111111111111, eu-west-1) ===\nerror: AWS refused\n\n"
        "2 targets; failed: us\n"
    )


TWO = {
    "eu": TargetSpec(name="eu", region="eu-west-1", card_account_id="5", path=("targets", "eu")),
    "us": TargetSpec(name="us", region="us-east-1", card_account_id="1", path=("targets", "us")),
}


def test_an_option_for_one_targets_plan_needs_one_target(monkeypatch: pytest.MonkeyPatch) -> None:
    state = replace(example(), config=replace(example().config, targets=TWO))
    monkeypatch.setattr("reconciler.run.pipeline.load_valid", lambda repo: state)
    with pytest.raises(ReconcilerError) as refused:
        cli_targets.results_for_targets(ROOT, None, None, lambda t: None, one_only="--out")
    assert refused.value.message == "--out holds the plan of one target, and this run has several"
    assert refused.value.hint == "name one with --target"


def test_without_targets_the_one_targets_error_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    failed = ReconcilerError("the credentials are for account 999999999999")
    monkeypatch.setattr(
        fanout,
        "for_each_target",
        lambda *_: [TargetResult(name="default", account="1", region="r", error=failed)],
    )
    with pytest.raises(ReconcilerError) as raised:
        cli_targets.results_for_targets(ROOT, None, None, lambda t: None, one_only="--out")
    assert raised.value is failed


def test_with_targets_a_failed_target_is_named_on_stderr_and_the_others_are_kept(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state = replace(example(), config=replace(example().config, targets=TWO))
    monkeypatch.setattr("reconciler.run.pipeline.load_valid", lambda repo: state)
    found = [
        TargetResult(name="eu", account="5", region="eu-west-1", error=ReconcilerError("refused")),
        TargetResult(name="us", account="1", region="us-east-1", value="ok"),
    ]
    monkeypatch.setattr(fanout, "for_each_target", lambda *_: found)
    declared, results = cli_targets.results_for_targets(ROOT, None, ["eu", "us"], lambda t: None)
    assert (declared, results) == (True, found)
    assert "error: target eu: refused\n" in capsys.readouterr().err
