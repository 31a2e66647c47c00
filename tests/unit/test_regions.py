"""The partitions and SageMaker regions read from botocore's endpoint data are botocore's own."""

from __future__ import annotations

import pytest
from botocore.loaders import create_loader
from botocore.regions import EndpointResolver

from reconciler.common.regions import partition_for, service_regions

DATA = create_loader().load_data("endpoints")
RESOLVER = EndpointResolver(DATA)
EVERY_REGION = sorted({region for p in DATA["partitions"] for region in p["regions"]})


@pytest.mark.parametrize("region", [*EVERY_REGION, "us-east-9", "eu-south-7", "cn-west-3"])
def test_a_region_is_in_the_partition_botocore_resolves(region: str) -> None:
    assert partition_for(region) == RESOLVER.get_partition_for_region(region)


def test_a_region_no_partition_claims_is_refused_as_botocore_refuses_it() -> None:
    with pytest.raises(ValueError, match="xx-nowhere-1"):
        partition_for("xx-nowhere-1")
    with pytest.raises(Exception, match="No partition"):
        RESOLVER.get_partition_for_region("xx-nowhere-1")


@pytest.mark.parametrize("service", ["api.sagemaker", "ram", "cloudtrail", "s3"])
def test_the_regions_of_a_service_are_botocore_s_in_every_partition(service: str) -> None:
    expected = {
        region
        for partition in RESOLVER.get_available_partitions()
        for region in RESOLVER.get_available_endpoints(service, partition_name=partition)
    }
    assert service_regions(service) == expected
