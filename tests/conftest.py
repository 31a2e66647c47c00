"""Shared test configuration: the sandbox fixtures come from the sandbox's pytest plugin."""

pytest_plugins = ["reconciler.sandbox.pytest_plugin"]
