"""Partitions and regions from botocore's bundled endpoint data (``botocore/data/endpoints.json``).

The file is read as JSON rather than through ``botocore.regions.EndpointResolver``: importing
any botocore module beyond the package itself pulls in its HTTP stack (urllib3, ssl,
http.client), about 130 ms of every command's start, and `validate` makes no AWS call.
The two questions asked here are answered as ``EndpointResolver`` answers them
(``get_partition_for_region`` and ``get_available_endpoints``, which
tests/unit/test_regions.py compares for every region in the data). No network is used.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import botocore


@cache
def _partitions() -> tuple[dict[str, Any], ...]:
    data = json.loads((Path(botocore.__file__).parent / "data" / "endpoints.json").read_bytes())
    return tuple(data["partitions"])


@cache
def partition_for(region: str) -> str:
    """The partition of a region (aws, aws-cn, aws-us-gov, ...): the first whose regions list
    it or whose region pattern matches it."""
    for partition in _partitions():
        if region in partition["regions"] or re.match(partition.get("regionRegex", "$^"), region):
            return str(partition["partition"])
    raise ValueError(f"no AWS partition has the region {region!r}")


@cache
def service_regions(endpoint_prefix: str) -> frozenset[str]:
    """Every region, in every partition, where botocore knows an endpoint of the service
    whose endpoint prefix is given (regional endpoints only)."""
    names: set[str] = set()
    for partition in _partitions():
        endpoints = partition["services"].get(endpoint_prefix, {}).get("endpoints", {})
        names.update(name for name in endpoints if name in partition["regions"])
    return frozenset(names)
