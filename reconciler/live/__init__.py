"""Reading live state from AWS: SageMaker model cards and RAM shares, read-only."""
