"""With an option chain, strikes, expiries, marks and fills come from its quotes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from condorrules.chain import load_sample_chain
from condorrules.history import load_builtin, slice_dates
from condorrules.replay import simulate

D = dt.date


def test_fills_are_at_the_chain_mid_plus_a_share_of_the_spread(
    script: Any, make_action: Any
) -> None:
    chain = load_sample_chain()
    args = {"dte": 45.0, "short_delta": 0.16, "wing": 50.0, "qty": 1.0}
    plan = {
        D(2018, 2, 1): [make_action("a", "open", "iron_condor", **args)],
        D(2018, 2, 6): [make_action("b", "close", position="p1")],
    }
    maker = script(plan)
    history = slice_dates(load_builtin(), "2018-02-01", "2018-02-07")
    result = simulate(maker, history, {"capital": 100_000.0}, chain=chain)
    trades = result.trades
    # 45 days from 2018-02-01: the chain lists 2018-02-16 and 2018-03-16 (43 days).
    assert set(trades["expiry"]) == {dt.datetime(2018, 3, 16)}
    for row in trades.itertuples():
        quote = chain.quote(row.date.date(), row.expiry.date(), row.strike, row.right)
        assert quote is not None, row
        expected = quote.mid + 0.25 * quote.spread * (1 if row.qty > 0 else -1)
        assert row.price == pytest.approx(expected, abs=1e-12)
        assert row.strike % 25 == 0  # the chain's strike grid
    opened = trades[trades["action"] == "open"].set_index("leg")
    short_put = opened.loc["short_put"]
    deltas = chain.deltas(D(2018, 2, 1), D(2018, 3, 16), "put", rate=0.0194, div_yield=0.0209)
    strikes = chain.strikes(D(2018, 2, 1), D(2018, 3, 16), "put")
    best = min(zip(strikes, deltas, strict=True), key=lambda sd: abs(abs(sd[1]) - 0.16))
    assert short_put["strike"] == best[0]
    # The state shows the chain's marks (the engine cannot derive them from the model).
    state = next(s for s in maker.states if s.date == D(2018, 2, 2))
    leg = state.positions[0].leg("short_put")
    quote = chain.quote(D(2018, 2, 2), D(2018, 3, 16), leg.strike, "put")
    assert leg.mark == pytest.approx(quote.mid)
