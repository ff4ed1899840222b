"""Shared fixtures: the real data (from the mirror) and the synthetic sample, loaded once."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def real_bundle():
    """The public data sets through the project's loaders (mirror: ../shared/data or REDNOTE_DATA_MIRROR)."""
    from analysis.io.datasets import real_bundle as load

    return load()


@pytest.fixture(scope="session")
def sample_bundle():
    """The built-in synthetic sample (illustrative only)."""
    from analysis.io.sample import sample_bundle as make

    return make()
