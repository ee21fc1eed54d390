"""Stored QuantLib values (tests/greeks/data/quantlib_golden.csv, made by
make_quantlib_golden.py), so the independent check runs even where QuantLib is not installed."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from numpy.testing import assert_allclose

from condorrules import greeks as g

GOLDEN = Path(__file__).parent / "data" / "quantlib_golden.csv"


def _load() -> dict[str, np.ndarray]:
    with GOLDEN.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = {name: np.array([row[name] for row in rows]) for name in rows[0]}
    return {
        name: values if name == "right" else values.astype(np.float64)
        for name, values in columns.items()
    }


def test_matches_stored_quantlib_values() -> None:
    golden = _load()
    assert len(golden["right"]) == 400
    ours = g.greeks(
        golden["right"],
        golden["spot"],
        golden["strike"],
        golden["days"] / 365.0,
        golden["vol"],
        golden["rate"],
        golden["div"],
    )
    assert_allclose(ours.price, golden["price"], rtol=1e-9, atol=1e-9)
    assert_allclose(ours.delta, golden["delta"], rtol=1e-9, atol=1e-9)
    for field in ("gamma", "vega", "theta", "rho"):
        assert_allclose(getattr(ours, field), golden[field], rtol=1e-8, atol=1e-10, err_msg=field)
