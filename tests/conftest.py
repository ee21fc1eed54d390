"""Fixtures shared by several test areas."""

from __future__ import annotations

import copy
import os
from typing import Any

import pytest
from hypothesis import settings

# CI runs every property test with a fixed seed so a red build is reproducible and never a
# coin toss; locally each run explores new examples (and hypothesis keeps the failures it
# finds). A failure found locally becomes an explicit regression test.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

_MINIMAL_STATE: dict[str, Any] = {
    "date": "2018-01-10",
    "spot": 2750,
    "vix": 12,
    "positions": [
        {
            "id": "ic1",
            "opened": "2018-01-02",
            "credit": 6.0,
            "legs": [
                {"right": "put", "strike": 2500, "expiry": "2018-02-16", "qty": 1},
                {"right": "put", "strike": 2550, "expiry": "2018-02-16", "qty": -1},
                {"right": "call", "strike": 2900, "expiry": "2018-02-16", "qty": -1},
                {"right": "call", "strike": 2950, "expiry": "2018-02-16", "qty": 1},
            ],
        }
    ],
    "portfolio": {"equity": 100000},
}


@pytest.fixture
def minimal_state() -> dict[str, Any]:
    """The minimal state document of docs/state.md (one iron condor, ic1), a fresh copy."""
    return copy.deepcopy(_MINIMAL_STATE)
