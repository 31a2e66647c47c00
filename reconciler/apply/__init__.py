"""Applying a plan: safety checks, the ordered executor, waits, and the apply report."""
