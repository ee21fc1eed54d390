"""Every action (LANGUAGE.md §6), its arguments, their allowed values, and the guard kinds.

Choices fixed here (documented in docs/language.md):

- `open` needs `dte`, exactly one strike selector and exactly one wing choice; size is
  optional (`qty: 1` when neither `qty` nor `risk` is given).
- `roll` takes at most one strike selector and at most one wing choice; those not given
  keep the position's current selection (`dte: same`, `wing: same`).
- `hedge vix_call_spread` needs all four arguments: a hedge without a budget is not allowed.
- Deltas in actions are magnitudes in (0, 1): `put_delta: 0.16`, never `-0.16`.
"""

from __future__ import annotations

import math

from condorrules.catalogue.model import (
    Action,
    Argument,
    Constraint,
    Group,
    Scope,
    Signature,
    Structure,
    Type,
)

DELTA = Constraint(0.0, 1.0, low_open=True, high_open=True)
POSITIVE = Constraint(0.0, math.inf, low_open=True)
NON_NEGATIVE = Constraint(0.0, math.inf)
SHARE = Constraint(0.0, 1.0, low_open=True)
CONTRACTS = Constraint(1.0, math.inf, integer=True)

_SELECTOR_ARGUMENTS = (
    Argument("short_delta", Type.NUMBER, "delta magnitude of both short strikes", DELTA),
    Argument("put_delta", Type.NUMBER, "delta magnitude of the short put", DELTA),
    Argument("call_delta", Type.NUMBER, "delta magnitude of the short call", DELTA),
    Argument(
        "short_otm", Type.RATIO, "short strikes this far out of the money (ratio of spot)", SHARE
    ),
    Argument("short_em", Type.NUMBER, "short strikes this many expected moves away", POSITIVE),
)
_WING_ARGUMENTS = (
    Argument("wing", Type.PRICE, "wing width in points, both sides", POSITIVE),
    Argument("put_wing", Type.PRICE, "put wing width in points", POSITIVE),
    Argument("call_wing", Type.PRICE, "call wing width in points", POSITIVE),
    Argument("wing_delta", Type.NUMBER, "long strikes at this delta magnitude", DELTA),
)
_SIZE_ARGUMENTS = (
    Argument("qty", Type.NUMBER, "contracts", CONTRACTS),
    Argument("risk", Type.RATIO, "contracts so that max loss is this share of equity", SHARE),
)
_DTE = Argument("dte", Type.DAYS, "days to expiry; the listed expiry nearest it is used", POSITIVE)

_CONDOR_SELECTORS = Group(
    "strike selector",
    (("short_delta",), ("put_delta", "call_delta"), ("short_otm",), ("short_em",)),
    required=True,
)
_CONDOR_WINGS = Group(
    "wing", (("wing",), ("put_wing", "call_wing"), ("wing_delta",)), required=True
)
_SIZE = Group("size", (("qty",), ("risk",)), required=False)


def _spread(side: str) -> Structure:
    own_delta, own_wing = f"{side}_delta", f"{side}_wing"
    names = {"short_delta", own_delta, "short_otm", "short_em", "wing", own_wing, "wing_delta"}
    arguments = tuple(a for a in _SELECTOR_ARGUMENTS + _WING_ARGUMENTS if a.name in names)
    return Structure(
        f"{side}_spread",
        Signature(
            arguments=(_DTE, *arguments, *_SIZE_ARGUMENTS),
            groups=(
                Group(
                    "strike selector",
                    (("short_delta",), (own_delta,), ("short_otm",), ("short_em",)),
                    required=True,
                ),
                Group("wing", (("wing",), (own_wing,), ("wing_delta",)), required=True),
                _SIZE,
            ),
            required=("dte",),
        ),
        f"a short {side} credit spread",
    )


IRON_CONDOR = Structure(
    "iron_condor",
    Signature(
        arguments=(_DTE, *_SELECTOR_ARGUMENTS, *_WING_ARGUMENTS, *_SIZE_ARGUMENTS),
        groups=(_CONDOR_SELECTORS, _CONDOR_WINGS, _SIZE),
        required=("dte",),
    ),
    "a short put spread and a short call spread on one expiry",
)

VIX_CALL_SPREAD = Structure(
    "vix_call_spread",
    Signature(
        arguments=(
            Argument(
                "above", Type.NUMBER, "long strike this many VIX points above VIX", NON_NEGATIVE
            ),
            Argument("width", Type.NUMBER, "strike distance in VIX points", POSITIVE),
            Argument("dte", Type.DAYS, "days to the VIX expiry", POSITIVE),
            Argument("budget", Type.RATIO, "most debit, as a share of the book's margin", SHARE),
        ),
        required=("above", "width", "dte", "budget"),
    ),
    "a long VIX call spread: the hedge layer",
)

ACTION_LIST: tuple[Action, ...] = (
    Action(
        "open",
        Scope.PORTFOLIO,
        "sell a new structure",
        structures=(IRON_CONDOR, _spread("put"), _spread("call")),
    ),
    Action(
        "close",
        Scope.POSITION,
        "buy back the whole position, or one side",
        Signature(
            arguments=(Argument("side", Type.SIDE, "the side to close", symbols=("put", "call")),)
        ),
    ),
    Action(
        "roll",
        Scope.POSITION,
        "close the chosen legs and reopen them by the same selection rules",
        Signature(
            arguments=(
                Argument(
                    "side",
                    Type.SIDE,
                    "which legs",
                    symbols=("both", "put", "call", "tested", "untested"),
                    default="both",
                ),
                Argument("dte", Type.DAYS, "new days to expiry", POSITIVE, ("same",), "same"),
                *_SELECTOR_ARGUMENTS,
                Argument("wing", Type.PRICE, "wing width in points", POSITIVE, ("same",), "same"),
                *_WING_ARGUMENTS[1:],
            ),
            groups=(
                Group("strike selector", _CONDOR_SELECTORS.alternatives, required=False),
                Group("wing", _CONDOR_WINGS.alternatives, required=False),
            ),
        ),
    ),
    Action(
        "resize",
        Scope.POSITION,
        "change the number of contracts to `qty`",
        Signature(
            arguments=(Argument("qty", Type.NUMBER, "the new number of contracts", CONTRACTS),),
            required=("qty",),
        ),
    ),
    Action("hedge", Scope.PORTFOLIO, "buy a hedge layer", structures=(VIX_CALL_SPREAD,)),
    Action(
        "unhedge",
        Scope.PORTFOLIO,
        "sell hedge layers",
        Signature(
            arguments=(
                Argument(
                    "layer",
                    Type.STRING,
                    "which layers",
                    symbols=("oldest", "all"),
                    default="oldest",
                ),
            )
        ),
    ),
    Action(
        "alert",
        None,
        "no trade; the text is reported to the caller",
        Signature(
            arguments=(Argument("text", Type.STRING, "the message"),),
            required=("text",),
            positional=("text",),
        ),
    ),
)

ACTIONS: dict[str, Action] = {a.name: a for a in ACTION_LIST}

# Guards name the actions they veto by these kinds (`forbid open, roll when ...`).
GUARD_KINDS: tuple[str, ...] = tuple(a.name for a in ACTION_LIST)
