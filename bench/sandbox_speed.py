"""How fast the sandbox starts and answers, against a baseline in the same run.

- start-up: a fresh Python process runs `reconciler sandbox` and waits for its first line
  (what a user sees), next to a process that only starts Python and imports boto3;
- latency: median and p90 of DescribeModelCard over loopback, next to the same boto3 call
  answered in-process by a canned response (boto3's own cost, no server at all).

    .venv/bin/python bench/sandbox_speed.py [--calls 300]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from typing import Any

from botocore.awsrequest import AWSResponse

from reconciler.sandbox.instance import Sandbox


def first_line_seconds(command: list[str]) -> float:
    """Seconds until ``command`` prints its first line (then it is stopped)."""
    started = time.perf_counter()
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stdout is not None
        process.stdout.readline()
        elapsed = time.perf_counter() - started
        process.terminate()
    return elapsed


def startup(repeat: int) -> tuple[float, float]:
    sandbox = [sys.executable, "-m", "reconciler", "sandbox", "--port", "0"]
    python = [sys.executable, "-c", "import boto3; print('ready', flush=True)"]
    ours = statistics.median(first_line_seconds(sandbox) for _ in range(repeat))
    base = statistics.median(first_line_seconds(python) for _ in range(repeat))
    return ours, base


def timings(call: Any, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def canned(client: Any) -> None:
    """Answer DescribeModelCard in-process, before anything is sent."""
    body = (
        b'{"ModelCardArn":"arn:aws:sagemaker:us-east-1:111111111111:model-card/c",'
        b'"ModelCardName":"c","ModelCardVersion":1,"Content":"{}",'
        b'"ModelCardStatus":"Draft","CreationTime":0,"CreatedBy":{}}'
    )

    class Raw:
        def stream(self, **_: Any) -> Any:
            yield body

    def answer(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, 200, {}, Raw())

    client.meta.events.register_first("before-send.sagemaker.DescribeModelCard", answer)


def latency(calls: int) -> tuple[list[float], list[float]]:
    with Sandbox() as sandbox:
        live = sandbox.client("sagemaker")
        live.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
        timings(lambda: live.describe_model_card(ModelCardName="c"), 30)  # warm up
        ours = timings(lambda: live.describe_model_card(ModelCardName="c"), calls)
        offline = sandbox.client("sagemaker")
        canned(offline)
        base = timings(lambda: offline.describe_model_card(ModelCardName="c"), calls)
    return ours, base


def ms(samples: list[float], q: int) -> float:
    return 1000 * statistics.quantiles(samples, n=100)[q - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    ours, base = startup(args.repeat)
    print(
        f"start-up to first line (median of {args.repeat}): sandbox {ours:.2f} s, "
        f"python + import boto3 {base:.2f} s, ratio {ours / base:.1f}x"
    )
    served, offline = latency(args.calls)
    print(
        f"DescribeModelCard over loopback ({args.calls} calls): median {ms(served, 50):.2f} ms,"
        f" p90 {ms(served, 90):.2f} ms; boto3 alone (canned answer): median "
        f"{ms(offline, 50):.2f} ms; ratio {ms(served, 50) / ms(offline, 50):.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
