"""The names the reconciler gives to what it writes in AWS: the tag keys of its audit trail
and of hub replicas, the version-to-commit tag value, and export job names. Every stage
that reads or writes them takes them from here, and tells an export job apply would have
made from one someone else made under its name (``foreign_job``). Pure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from reconciler.common.words import printable

AWS_TAG_PREFIX = "aws:"
COMMIT_TAG = "reconciler-commit"  # the commit of the latest apply that wrote the card
VERSIONS_TAG = "reconciler-versions"  # version numbers → short commits
TRACE_TAG_KEYS = frozenset({COMMIT_TAG, VERSIONS_TAG})


def export_job_name(card: str, version: int, status: str, attempt: int = 1) -> str:
    """The name of the job that exports ``card`` at ``version`` in ``status``: the same
    inputs always give the same name (so a retry finds its job), a re-export of the same
    version and status counts up ``attempt``. Long card names are shortened with a digest
    to fit the 63 characters SageMaker allows."""
    base = f"-v{version}-{status.lower()}"
    room = 63 - len(base) - 4  # the card's part is the same for attempts up to 999
    if len(card) > room:
        digest = hashlib.sha256(card.encode()).hexdigest()[:8]
        card = f"{card[: room - 9].rstrip('-')}-{digest}"
    return card + base + (f"-{attempt}" if attempt > 1 else "")


def is_export_of(job: str, card: str, version: int, status: str) -> bool:
    """Whether ``job`` is one of the names ``export_job_name`` gives these inputs."""
    first = export_job_name(card, version, status)
    return job == first or (job.startswith(f"{first}-") and job[len(first) + 1 :].isdigit())


def foreign_job(job: Mapping[str, Any], *, card: str, version: int, output_path: str) -> str | None:
    """Why the export job ``job`` (as DescribeModelCardExportJob gives it) is not the one
    apply would make for ``card`` at ``version`` into ``output_path``; None when it is.

    The names are predictable, so anyone who may export the card can make the job first,
    pointed at their own bucket. The sentence names the job and what differs, and never
    where that job writes: a report must not carry someone else's URI."""
    name = printable(str(job.get("ModelCardExportJobName", "?")))
    artifact = str(job.get("ExportArtifacts", {}).get("S3ExportArtifacts", ""))
    if job.get("ModelCardName") != card:
        differs = f"it exports another model card, not {card}"
    elif job.get("ModelCardVersion") != version:
        differs = f"it exports version {_number(job.get('ModelCardVersion'))}, not {version}"
    elif _path(job.get("OutputConfig", {}).get("S3OutputPath")) != _path(output_path):
        differs = f"it writes elsewhere than {output_path}/"
    elif artifact and not artifact.startswith(_path(output_path) + "/"):
        differs = f"its PDF is elsewhere than {output_path}/"
    else:
        return None
    return f"export job {name} was not made by the reconciler: {differs}"


def _path(uri: object) -> str:
    return str(uri or "").rstrip("/")


def _number(value: object) -> str:
    return str(value) if isinstance(value, int) else "?"


TAG_VALUE_LIMIT = 256  # characters AWS allows in a tag value


def parse_versions(value: str) -> dict[int, str]:
    """The version → short commit mapping of a ``reconciler-versions`` tag value."""
    out: dict[int, str] = {}
    for entry in value.split():
        numbers, _, commit = entry.partition("=")
        first, _, last = numbers.partition("-")
        if not (first.isdigit() and (last or first).isdigit() and commit):
            continue  # not ours: a hand edit of the tag is ignored, not fatal
        for number in range(int(first), int(last or first) + 1):
            out[number] = commit
    return out


def format_versions(mapping: dict[int, str]) -> str:
    """Runs of consecutive versions with one commit as ``a-b=commit``; the oldest entries
    are dropped until the value fits in a tag."""
    entries: list[str] = []
    runs: list[tuple[int, int, str]] = []
    for number in sorted(mapping):
        if runs and runs[-1][1] == number - 1 and runs[-1][2] == mapping[number]:
            runs[-1] = (runs[-1][0], number, mapping[number])
        else:
            runs.append((number, number, mapping[number]))
    entries = [f"{a}={c}" if a == b else f"{a}-{b}={c}" for a, b, c in runs]
    while len(" ".join(entries)) > TAG_VALUE_LIMIT:
        entries.pop(0)
    return " ".join(entries)


REPLICA_OF = "reconciler-replica-of"  # a hub replica's tag: the source card's ARN
REPLICA_VERSION = "reconciler-replica-version"  # the source card's version the replica holds
