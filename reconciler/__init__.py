"""GitOps reconciler for Amazon SageMaker Model Cards and their AWS RAM shares."""

__version__ = "0.1.0"
