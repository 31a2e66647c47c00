"""The start-up seam check fails loudly, naming what moved."""

from __future__ import annotations

import pytest

from reconciler.sandbox import selftest


def test_current_moto_passes() -> None:
    selftest.check.cache_clear()
    selftest.check()


def test_a_moved_seam_is_named(monkeypatch) -> None:
    monkeypatch.setattr(
        selftest, "SEAMS", (*selftest.SEAMS, ("moto.sts.models", "STSBackend.gone_method", "x"))
    )
    selftest.check.cache_clear()
    with pytest.raises(selftest.SeamMissing, match=r"STSBackend\.gone_method"):
        selftest.check()
    selftest.check.cache_clear()
