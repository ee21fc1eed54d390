"""Fixtures for the syntax tests."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_EXAMPLES = Path("/work/shared/spec/examples")


@pytest.fixture
def shared_examples() -> Path:
    """The shared spec examples folder (the tests using it skip where it is absent)."""
    if not SHARED_EXAMPLES.is_dir():
        pytest.skip("the shared spec examples are not on this machine")
    return SHARED_EXAMPLES
