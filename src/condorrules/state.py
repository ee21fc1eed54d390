"""The state the engine reads on one bar: market fields, open positions and the portfolio.

A state is one JSON document (see docs/state.md). The market bar's fields sit at the top level
(``date``, ``spot``, ``vix``, ...) beside ``positions`` and ``portfolio``. Every model forbids
unknown keys, so a misspelt field is an error naming its path, and every field not given takes
the documented default. :func:`parse_state` turns pydantic's errors into a :class:`StateError`
whose lines read ``positions[0].legs[1].strike: -5 is not valid: must be greater than 0``.

Units: prices (strikes, credits, marks) in index points per share; money in dollars; ``iv``,
``rate`` and ``div_yield`` as ratios (0.18 = 18 %); ``vix`` in index points.
"""

from __future__ import annotations

import datetime
import difflib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from condorrules.constants import SPX_MULTIPLIER

Right = Literal["call", "put"]
"""An option's right."""

DEFAULT_MULTIPLIER = SPX_MULTIPLIER
"""Shares per SPX contract: money = price × multiplier × contracts."""

MAX_IV = 5.0
"""Largest accepted ``iv`` (500 %): a bigger number is almost surely a percentage typed as 18."""


def _parse_date(value: object) -> object:
    """Accept a ``date`` or an ISO ``YYYY-MM-DD`` string only (pydantic would take a Unix time)."""
    if isinstance(value, str):  # first: what every JSON document holds
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, datetime.datetime):
        raise ValueError("must be a date without a time, written YYYY-MM-DD")
    elif isinstance(value, datetime.date):
        return value
    raise ValueError("must be a date written YYYY-MM-DD, e.g. 2018-02-16")


IsoDate = Annotated[datetime.date, BeforeValidator(_parse_date)]
Price = Annotated[float, Field(strict=True, allow_inf_nan=False)]
PositivePrice = Annotated[float, Field(strict=True, gt=0, allow_inf_nan=False)]
NonNegativePrice = Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)]
Money = Annotated[float, Field(strict=True, allow_inf_nan=False)]
UnitRatio = Annotated[float, Field(strict=True, ge=-1, le=1, allow_inf_nan=False)]
"""A rate or yield as a ratio in [-1, 1] (0.02 = 2 %); a bigger number is a percentage typo."""
Count = Annotated[int, Field(strict=True, ge=0)]


class _Model(BaseModel):
    """Shared configuration: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Leg(_Model):
    """One option leg of a position; ``qty`` is signed (negative = sold)."""

    right: Right = Field(description="'call' or 'put'.")
    strike: PositivePrice = Field(description="Strike in index points.")
    expiry: IsoDate = Field(description="Expiration date, YYYY-MM-DD.")
    qty: int = Field(strict=True, description="Signed contracts: negative sold, positive bought.")
    mark: NonNegativePrice | None = Field(
        default=None, description="Quoted mid price per share; default: priced by the model."
    )
    iv: Annotated[float, Field(strict=True, gt=0, le=MAX_IV, allow_inf_nan=False)] | None = Field(
        default=None,
        description="Quoted implied volatility as a ratio (0.18 = 18 vol); default: implied "
        "from mark when given, else the volatility model.",
    )
    open_price: NonNegativePrice | None = Field(
        default=None,
        description="Fill price per share when the leg was opened; gives put_side/call_side "
        ".credit. Default: unknown.",
    )

    @field_validator("qty")
    @classmethod
    def _qty_not_zero(cls, qty: int) -> int:
        if qty == 0:
            raise ValueError("must not be 0: a leg holds at least one contract; remove the leg")
        return qty

    @property
    def role(self) -> str:
        """``short_put``, ``long_put``, ``short_call`` or ``long_call``."""
        return f"{'short' if self.qty < 0 else 'long'}_{self.right}"


class Position(_Model):
    """An open structure (iron condor or one of its verticals) and its history."""

    id: str = Field(min_length=1, description="Identifier, unique within the state.")
    legs: list[Leg] = Field(min_length=1, max_length=4, description="One to four legs.")
    opened: IsoDate = Field(description="Date the position was opened, YYYY-MM-DD.")
    credit: Price = Field(
        description="Net credit per share of the current structure (price; negative = debit)."
    )
    realised_pnl: Money = Field(default=0.0, description="Money already realised by rolls.")
    rolls: Count = Field(default=0, description="Times the position has been rolled.")
    multiplier: PositivePrice = Field(
        default=DEFAULT_MULTIPLIER, description="Shares per contract (SPX: 100)."
    )

    @model_validator(mode="after")
    def _one_leg_per_role(self) -> Position:
        # Keyed by (right, sold), which is the role: spelling the role out for every leg of
        # every position costs more than the rest of this check.
        seen: dict[tuple[str, bool], int] = {}
        for index, leg in enumerate(self.legs):
            role = (leg.right, leg.qty < 0)
            if role in seen:
                raise ValueError(
                    f"legs[{index}] is a second {leg.role} (legs[{seen[role]}] is one): a "
                    "position holds at most one short put, long put, short call and long call"
                )
            seen[role] = index
            if leg.expiry < self.opened:
                raise ValueError(
                    f"legs[{index}].expiry {leg.expiry} is before the position was opened "
                    f"({self.opened})"
                )
        return self

    def leg(self, role: str) -> Leg | None:
        """The leg playing ``role`` (e.g. ``short_put``), or None when the position has none."""
        return next((leg for leg in self.legs if leg.role == role), None)

    @classmethod
    def build(
        cls,
        structure: Literal["iron_condor", "put_spread", "call_spread"],
        strikes: Sequence[float],
        expiry: datetime.date,
        credit: float,
        opened: datetime.date,
        *,
        qty: int = 1,
        id: str = "position",
    ) -> Position:
        """A position written as in a scenario (``condor P1/P2/C1/C2``): strikes low to high,
        long put / short put / short call / long call for a condor, long/short for a put spread,
        short/long for a call spread; ``qty`` contracts a leg. Raises ValueError (pydantic's
        ValidationError) for a bad structure."""
        shapes: dict[str, tuple[tuple[Right, int], ...]] = {
            "iron_condor": (("put", 1), ("put", -1), ("call", -1), ("call", 1)),
            "put_spread": (("put", 1), ("put", -1)),
            "call_spread": (("call", -1), ("call", 1)),
        }
        shape = shapes[structure]
        if len(strikes) != len(shape):
            raise ValueError(f"{structure} needs {len(shape)} strikes, got {len(strikes)}")
        legs = [
            Leg(right=right, strike=float(strike), expiry=expiry, qty=sign * qty)
            for (right, sign), strike in zip(shape, strikes, strict=True)
        ]
        return cls(id=id, legs=legs, opened=opened, credit=float(credit))


class HedgeLayer(_Model):
    """One layer of bought VIX call spreads (long the lower strike, short the higher)."""

    long_strike: PositivePrice = Field(description="Bought VIX call strike (VIX points).")
    short_strike: PositivePrice = Field(description="Sold VIX call strike, above long_strike.")
    expiry: IsoDate = Field(description="VIX option expiration date.")
    qty: int = Field(strict=True, gt=0, description="Spreads held.")
    debit: NonNegativePrice = Field(description="Debit paid per share (VIX points).")
    opened: IsoDate = Field(description="Date the layer was bought.")
    multiplier: PositivePrice = Field(default=DEFAULT_MULTIPLIER, description="VIX: 100.")

    @model_validator(mode="after")
    def _strikes_ordered(self) -> HedgeLayer:
        if self.short_strike <= self.long_strike:
            raise ValueError(
                f"short_strike {self.short_strike:g} must be above long_strike "
                f"{self.long_strike:g} in a bought call spread"
            )
        return self


class Portfolio(_Model):
    """The account: equity, cash, peak equity for drawdown, and the VIX hedge layers."""

    equity: Annotated[float, Field(strict=True, gt=0, allow_inf_nan=False)] = Field(
        description="Account equity (money)."
    )
    cash: Money | None = Field(default=None, description="Cash balance (money); default unknown.")
    peak_equity: Annotated[float, Field(strict=True, gt=0, allow_inf_nan=False)] | None = Field(
        default=None, description="Highest equity so far (money), for drawdown; default unknown."
    )
    hedges: list[HedgeLayer] = Field(default_factory=list, description="VIX hedge layers held.")


class Bar(_Model):
    """The market fields of one bar (a day in daily replay)."""

    date: IsoDate = Field(description="The bar's date, YYYY-MM-DD.")
    spot: PositivePrice = Field(description="Last price of the underlying (index points).")
    open: PositivePrice | None = Field(default=None, description="Bar open; default unknown.")
    high: PositivePrice | None = Field(default=None, description="Bar high; default unknown.")
    low: PositivePrice | None = Field(default=None, description="Bar low; default unknown.")
    vix: PositivePrice | None = Field(default=None, description="VIX (index points).")
    rate: UnitRatio | None = Field(
        default=None, description="Risk-free rate, ratio; default: the market model's rate."
    )
    div_yield: UnitRatio | None = Field(
        default=None, description="Dividend yield, ratio; default: the market model's."
    )
    inputs: dict[str, float | None] = Field(
        default_factory=dict,
        description="Values of declared inputs by name; null or NaN is unknown.",
    )

    @model_validator(mode="after")
    def _low_not_above_high(self) -> Bar:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low:g} is above high {self.high:g}")
        return self


class State(Bar):
    """The whole document the engine reads on one bar: market fields, positions, portfolio."""

    positions: list[Position] = Field(default_factory=list, description="Open positions.")
    portfolio: Portfolio | None = Field(
        default=None, description="The account; default none (portfolio money fields unknown)."
    )

    @model_validator(mode="after")
    def _positions_consistent(self) -> State:
        seen: dict[str, int] = {}
        for index, position in enumerate(self.positions):
            if position.id in seen:
                raise ValueError(
                    f"positions[{index}].id {position.id!r} is also positions[{seen[position.id]}]"
                    ".id: position ids must be unique"
                )
            seen[position.id] = index
            if position.opened > self.date:
                raise ValueError(
                    f"positions[{index}].opened {position.opened} is after the state's date "
                    f"{self.date}"
                )
        return self


@dataclass(frozen=True, slots=True)
class StateIssue:
    """One validation problem: the field path, the offending value, what is wrong, a fix."""

    path: str
    value: str | None
    message: str
    help: str | None = None

    def __str__(self) -> str:
        head = f"{self.path}: {self.value} is not valid: " if self.value is not None else ""
        text = f"{head}{self.message}" if head else f"{self.path}: {self.message}"
        return f"{text}\n  help: {self.help}" if self.help else text


class StateError(ValueError):
    """A state document that is not valid; ``issues`` lists every problem with its path."""

    def __init__(self, issues: Sequence[StateIssue]) -> None:
        self.issues = tuple(issues)
        count = len(self.issues)
        lines = "\n".join(str(issue) for issue in self.issues)
        super().__init__(f"invalid state ({count} problem{'s' if count != 1 else ''}):\n{lines}")


def parse_state(data: State | Mapping[str, Any] | str | bytes) -> State:
    """Validate a state (a dict or JSON text); raise :class:`StateError` listing every problem.

    A :class:`State` passes through unchanged.
    """
    if isinstance(data, State):
        return data
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            issue = StateIssue(
                "<document>",
                None,
                f"is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}",
            )
            raise StateError([issue]) from None
    if not isinstance(data, Mapping):
        kind = type(data).__name__
        raise StateError([StateIssue("<document>", None, f"must be a JSON object, not {kind}")])
    try:
        return State.model_validate(data)
    except ValidationError as error:
        raise StateError([_issue(item) for item in error.errors()]) from None


def state_json_schema() -> dict[str, Any]:
    """The JSON Schema of a state document (what ``condorrules schema`` prints)."""
    schema = State.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "condorrules state"
    return schema


def format_path(loc: Sequence[int | str]) -> str:
    """``('positions', 0, 'legs', 1, 'strike')`` → ``positions[0].legs[1].strike``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "<document>"


_MESSAGES = {
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "finite_number": "must be a finite number",
}


def _issue(error: Any) -> StateIssue:
    """Turn one pydantic error into a :class:`StateIssue` with a trader-readable message."""
    loc: tuple[int | str, ...] = tuple(error["loc"])
    kind: str = error["type"]
    if kind == "extra_forbidden":
        return _unknown_field(loc)
    if kind == "missing":
        name = str(loc[-1])
        description = _description(loc)
        help_text = f"{name} is {description[0].lower()}{description[1:]}" if description else None
        return StateIssue(format_path(loc), None, "is required but missing", help_text)
    value = _show(error.get("input"))
    context = error.get("ctx") or {}
    if kind in _MESSAGES:
        message = _MESSAGES[kind]
    elif kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        message = error["msg"].replace("Input should be", "must be")
    elif kind == "literal_error":
        message = f"must be {context.get('expected', '')}"
    elif kind in {"too_short", "too_long"}:
        message = _length_message(loc, error)
    elif kind == "value_error":
        message = str(context.get("error", error["msg"]))
        # Cross-field checks already name the offending field; show them without the value.
        if loc == () or not message.startswith("must"):
            return StateIssue(format_path(loc), None, message)
    else:
        message = error["msg"].replace("Input should be", "must be")
    return StateIssue(format_path(loc), value, message, _hint(loc, error.get("input")))


def _length_message(loc: tuple[int | str, ...], error: Any) -> str:
    context = error.get("ctx") or {}
    if loc and loc[-1] == "legs":
        return "a position has one to four legs"
    low, high = context.get("min_length"), context.get("max_length")
    return f"length must be between {low} and {high}" if high is not None else "must not be empty"


def _hint(loc: tuple[int | str, ...], value: object) -> str | None:
    """A fix for the mistakes people make: percentages typed as 18, numbers typed as strings."""
    name = loc[-1] if loc else ""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if (
        name in {"iv", "rate", "div_yield"}
        and isinstance(value, int | float)
        and is_number
        and value > 1
    ):
        example = "18 vol is 0.18" if name == "iv" else "2% is 0.02"
        return f"{name} is a ratio: {example}"
    if name == "qty" and isinstance(value, float) and value.is_integer():
        return f"write {int(value)}, without a decimal point"
    if isinstance(value, str) and name not in {"right", "id"}:
        try:
            float(value)
        except ValueError:
            return None
        return f"write the number without quotes: {value}"
    return None


def _unknown_field(loc: tuple[int | str, ...]) -> StateIssue:
    name = str(loc[-1])
    model = _model_at(loc[:-1])
    known = list(model.model_fields) if model else []
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        help_text = f"did you mean `{close[0]}`?"
    elif known:
        help_text = "known fields here: " + ", ".join(known)
    else:
        help_text = None
    if model is State and name == "market":
        help_text = "market fields (spot, vix, ...) go at the top level of the state"
    return StateIssue(format_path(loc), None, "is not a known field", help_text)


def _model_at(loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The model class that validates the object at ``loc`` (list indices skipped)."""
    model: type[BaseModel] | None = State
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _model_of(field.annotation)
    return model


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_of(argument)
        if found is not None:
            return found
    return None


def _description(loc: tuple[int | str, ...]) -> str | None:
    model = _model_at(loc[:-1])
    field = model.model_fields.get(str(loc[-1])) if model else None
    return field.description if field else None


def _show(value: object) -> str:
    """The offending value as it would be written in JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    try:
        return json.dumps(value, default=str)
    except (TypeError, ValueError):
        return repr(value)


__all__ = [
    "DEFAULT_MULTIPLIER",
    "Bar",
    "HedgeLayer",
    "Leg",
    "Portfolio",
    "Position",
    "Right",
    "State",
    "StateError",
    "StateIssue",
    "format_path",
    "parse_state",
    "state_json_schema",
]
