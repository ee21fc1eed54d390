"""The built-in S&P 500/VIX history: shape, well-known closes, and its regeneration script."""

from __future__ import annotations

import gzip
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from condorrules.history import BUILTIN_FILE, load_builtin
from condorrules.resources import data_path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_history.py"
HAS_ARCH = importlib.util.find_spec("arch") is not None
needs_arch = pytest.mark.skipif(
    not HAS_ARCH, reason="the `arch` package (the data's source) is not installed"
)


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_history", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_history", module)
    spec.loader.exec_module(module)
    return module


def test_builtin_has_documented_shape_and_dates() -> None:
    frame = load_builtin()
    assert list(frame.columns) == ["open", "high", "low", "close", "vix"]
    assert (frame.dtypes == np.float64).all()
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert frame.index.name == "date"
    assert frame.index[0] == pd.Timestamp("2014-01-03")
    assert frame.index[-1] == pd.Timestamp("2018-12-31")
    assert len(frame) == 1257
    assert frame.index.is_monotonic_increasing and frame.index.is_unique
    assert not frame.isna().any().any()


def test_builtin_bars_are_consistent() -> None:
    frame = load_builtin()
    assert (frame["low"] <= frame[["open", "close"]].min(axis=1)).all()
    assert (frame["high"] >= frame[["open", "close"]].max(axis=1)).all()
    # No weekend bars and no bar on an NYSE holiday such as Christmas.
    assert (pd.DatetimeIndex(frame.index).day_of_week < 5).all()
    assert not any((d.month, d.day) == (12, 25) for d in frame.index)


@pytest.mark.parametrize(
    ("date", "close", "vix"),
    [
        ("2018-02-05", 2648.94, 37.32),  # "Volmageddon": the VIX more than doubled
        ("2015-08-24", 1893.21, 40.74),  # the August 2015 flash crash Monday
        ("2016-06-24", 2037.41, 25.76),  # the day after the Brexit referendum
        ("2017-11-03", 2587.84, 9.14),  # the VIX's record closing low
        ("2018-12-24", 2351.10, 36.07),  # the Christmas Eve 2018 low
        ("2018-12-31", 2506.85, 25.42),
    ],
)
def test_builtin_has_well_known_closes(date: str, close: float, vix: float) -> None:
    row = load_builtin().loc[date]
    assert row["close"] == close
    assert row["vix"] == vix


def test_builtin_vix_record_low_is_the_minimum() -> None:
    frame = load_builtin()
    assert frame["vix"].idxmin() == pd.Timestamp("2017-11-03")


def test_builtin_returns_a_fresh_frame_each_call() -> None:
    first = load_builtin()
    first.iloc[0, 0] = -1.0
    assert load_builtin().iloc[0, 0] == 1833.21


def test_builtin_file_is_small_and_deterministically_gzipped() -> None:
    payload = data_path(BUILTIN_FILE).read_bytes()
    assert len(payload) < 100_000
    assert payload[4:8] == b"\x00\x00\x00\x00"  # gzip MTIME field
    assert gzip.decompress(payload).startswith(b"date,open,high,low,close,vix\n")


@needs_arch
def test_builtin_matches_arch_source_to_the_cent() -> None:
    import arch.data.sp500
    import arch.data.vix

    frame = load_builtin()
    sp500 = arch.data.sp500.load().loc["2014-01-03":"2018-12-31"]
    vix = arch.data.vix.load()["vix"].dropna().loc["2014-01-03":"2018-12-31"]
    assert frame.index.equals(pd.DatetimeIndex(sp500.index).as_unit("ns"))
    for ours, theirs in [("open", "Open"), ("high", "High"), ("low", "Low"), ("close", "Close")]:
        np.testing.assert_allclose(frame[ours], sp500[theirs], rtol=0, atol=0.005)
    np.testing.assert_allclose(frame["vix"], vix.loc[frame.index], rtol=0, atol=0.005)


@needs_arch
def test_regeneration_is_byte_identical() -> None:
    script = _script()
    frame, dropped = script.build_frame()
    assert dropped == 45  # VIX rows (all empty) on exchange holidays
    payload = script.to_csv_gz(frame)
    assert payload == script.to_csv_gz(script.build_frame()[0])
    assert payload == data_path(BUILTIN_FILE).read_bytes()


def test_script_documents_that_arch_is_needed_only_to_regenerate() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert "pip install arch" in text
    pyproject = (SCRIPT.parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    runtime = pyproject.split("[project.optional-dependencies]")[0]
    dependencies = runtime.split("dependencies = [")[1].split("]")[0]
    assert '"arch' not in dependencies
