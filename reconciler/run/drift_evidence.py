"""Drift of evidence: the sources a card was filled from (its ``evidence:`` section) read
again, each compared with the version recorded when it was filled. A report object with a
new ETag, a model created again under its name, a newer training job for the model (the
job found from its artifact is another one), a training job or model package changed
since: each is a ``StaleSource``, drift kind ``evidence``. A source that is gone is one
too. Report files of the repository are git's to track, and not read here.

Reads only, one call per source (two for a training job found from its model), several at
a time.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from reconciler.desired.evidence import Source, SourceKind
from reconciler.live import evidence as live
from reconciler.reports.drift import StaleSource
from reconciler.run.pipeline import Target


def stale_sources(target: Target) -> tuple[StaleSource, ...]:
    """Every recorded source of the target's cards that changed since it was read."""
    pairs = [
        (name, source)
        for name, card in sorted(target.state.cards.items())
        for source in card.evidence
        if not source.kind.is_report or source.in_s3
    ]
    if not pairs:
        return ()
    clients = (target.session.client("sagemaker"), target.session.client("s3"))
    workers = max(1, target.session.settings.max_workers)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        changes = list(pool.map(lambda pair: _change(clients, pair[1]), pairs))
    return tuple(
        StaleSource(card=name, source=f"{source.kind.value} {source.location}", change=change)
        for (name, source), change in zip(pairs, changes, strict=True)
        if change
    )


def _change(clients: tuple[Any, Any], source: Source) -> str | None:
    """What changed about ``source`` since it was read, or None."""
    sagemaker, s3 = clients
    try:
        if source.kind.is_report:
            return _object(s3, source)
        if source.kind is SourceKind.MODEL:
            model = live.describe_model(sagemaker, live.name_of(source.location))
            return _moved("the model was created again", source, live.model_version(model))
        if source.kind is SourceKind.MODEL_PACKAGE:
            package = live.describe_package(sagemaker, source.location)
            return _moved("the model package changed", source, live.package_version(package))
        return _job(sagemaker, source)
    except live.SourceGone as gone:
        return f"gone: {gone.message}"
    except live.AmbiguousSource as ambiguous:
        return ambiguous.message


def _job(sagemaker: Any, source: Source) -> str | None:
    if source.found_from is None:
        job = live.describe_training_job(sagemaker, live.name_of(source.location))
        return _moved("the training job changed", source, live.job_version(job))
    model = live.describe_model(sagemaker, live.name_of(source.found_from))
    found, why = live.job_for_model(sagemaker, model)
    if found is None:
        return f"the model leads to no training job now ({why})"
    if found.get("TrainingJobArn") != source.location:
        return f"a newer training job for the model: {found.get('TrainingJobArn')}"
    return _moved("the training job changed", source, live.job_version(found))


def _object(s3: Any, source: Source) -> str | None:
    etag = live.object_etag(s3, source.location)
    if etag is None:
        raise live.SourceGone(f"{source.location} is not there")
    return (
        None if etag == source.version else f"a new report object (ETag {source.version} → {etag})"
    )


def _moved(what: str, source: Source, now: str) -> str | None:
    return None if now == source.version else f"{what} ({source.version} → {now})"
