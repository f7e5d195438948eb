"""Shared fixtures: the public reference data kept beside the repository, and Hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Slow generation is judged by the benchmark and by the downstream test (an app's module
# with Hypothesis' defaults on a busy machine), not by every test of this suite, whose
# workers share the machine with each other.
settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

_ROOT = Path(__file__).resolve().parent.parent


def _reference() -> Path:
    configured = os.environ.get("CITYCOOP_REFERENCE_DATA")
    return Path(configured) if configured else _ROOT.parent / "shared"


@pytest.fixture(scope="session")
def reference() -> Path:
    """The folder with data/fx, data/regions and data/cities (public data, not shipped)."""
    path = _reference()
    if not (path / "data").is_dir():
        pytest.skip(f"reference data not found at {path}; set CITYCOOP_REFERENCE_DATA")
    return path


@pytest.fixture(scope="session")
def fx(reference: Path) -> Path:
    return reference / "data" / "fx"


@pytest.fixture(scope="session")
def ecb(fx: Path):
    from citycoop import RateTable

    return RateTable.from_ecb_csv(fx / "ecb_eurofxref-hist.csv")


@pytest.fixture(scope="session")
def wdi(fx: Path):
    from citycoop import RateTable

    return RateTable.from_world_bank_csv(fx / "wdi_API_PA.NUS.FCRF_DS2_en_csv_v2_58.csv")


@pytest.fixture(scope="session")
def price_files(reference: Path) -> Path:
    return reference / "data" / "prices"


@pytest.fixture(scope="session")
def gdp_deflator(price_files: Path):
    from citycoop import PriceIndex

    return PriceIndex.from_file(price_files / "API_NY.GDP.DEFL.ZS_DS2_en_csv_v2_10405103.csv")


@pytest.fixture(scope="session")
def cpi(price_files: Path):
    from citycoop import PriceIndex

    return PriceIndex.from_file(price_files / "API_FP.CPI.TOTL_DS2_en_csv_v2_129887.csv")


@pytest.fixture(scope="session")
def dac(price_files: Path):
    from citycoop import PriceIndex

    return PriceIndex.from_file(price_files / "dac_deflators.csv")
