"""Regenerate the built-in S&P 500 / VIX daily history shipped as package data.

Source: the ``arch`` package (PyPI), which ships Yahoo Finance daily data:
``arch.data.sp500`` (S&P 500 index open/high/low/close, 1999-01-04 to 2018-12-31) and
``arch.data.vix`` (VIX index close, 2014-01-03 to 2019-01-03). ``arch`` is needed to run this
script only; condorrules never imports it at run time::

    pip install arch
    python scripts/make_history.py            # rewrites src/condorrules/data/<OUTPUT_NAME>
    python scripts/make_history.py --check    # exit 1 if the shipped file differs

What it writes: the inner join of the two series on their dates, restricted to 2014-01-03 ..
2018-12-31. The VIX series carries extra rows (with no value) on exchange holidays when the
S&P 500 has no bar; the join drops them and the script reports how many. Prices are written with
two decimals: the source stores float32-rounded cents (e.g. 1831.9799805), so rounding to two
decimals recovers the published index level exactly. The file is a gzip'd CSV written with a
fixed gzip header (no name, mtime 0), so regenerating it yields a byte-identical file.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
from pathlib import Path

import pandas as pd

OUTPUT_NAME = "sp500_vix_2014_2018.csv.gz"
OUTPUT_PATH = Path(__file__).resolve().parents[1] / "src" / "condorrules" / "data" / OUTPUT_NAME
FIRST_DATE = "2014-01-03"
LAST_DATE = "2018-12-31"
COLUMNS = ("open", "high", "low", "close", "vix")
DECIMALS = 2


def build_frame() -> tuple[pd.DataFrame, int]:
    """The joined history and the number of source rows dropped by the inner join."""
    import arch.data.sp500
    import arch.data.vix

    sp500 = arch.data.sp500.load().loc[FIRST_DATE:LAST_DATE, ["Open", "High", "Low", "Close"]]
    vix = arch.data.vix.load().loc[FIRST_DATE:LAST_DATE, ["vix"]]
    sp500.columns = pd.Index(["open", "high", "low", "close"])
    joined = sp500.join(vix, how="inner").sort_index()
    dropped = len(sp500) + len(vix) - 2 * len(joined)
    joined.index = pd.DatetimeIndex(joined.index).normalize()
    joined.index.name = "date"
    return joined.loc[:, list(COLUMNS)].round(DECIMALS), dropped


def to_csv_gz(frame: pd.DataFrame) -> bytes:
    """Deterministic gzip'd CSV bytes: fixed decimals, ``\\n`` line ends, gzip mtime 0."""
    text = frame.to_csv(
        float_format=f"%.{DECIMALS}f", date_format="%Y-%m-%d", lineterminator="\n", na_rep=""
    )
    buffer = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header free of anything that changes between runs.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        out.write(text.encode("ascii"))
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the package data file; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--output", type=Path, default=OUTPUT_PATH, help="file to write")
    args = parser.parse_args(argv)
    frame, dropped = build_frame()
    payload = to_csv_gz(frame)
    summary = (
        f"{len(frame)} rows, {frame.index[0]:%Y-%m-%d} to {frame.index[-1]:%Y-%m-%d}; "
        f"{dropped} source rows without a partner dropped by the inner join; "
        f"{len(payload)} bytes"
    )
    if args.check:
        same = args.output.is_file() and args.output.read_bytes() == payload
        print(f"{args.output}: {'up to date' if same else 'DIFFERS'} ({summary})")
        return 0 if same else 1
    args.output.write_bytes(payload)
    print(f"wrote {args.output} ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
