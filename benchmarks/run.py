"""Run every benchmark: ``python benchmarks/run.py [name-filter ...]``.

Discovers ``benchmarks/bench_*.py`` and runs each in its own interpreter (a subprocess), one after
another, so a benchmark that fails is reported and the rest still run. Exits 1 if any failed.
Arguments filter by substring of the file name (``python benchmarks/run.py greeks``).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover(filters: list[str]) -> list[Path]:
    """The benchmark scripts in this folder, sorted, keeping those matching any filter."""
    scripts = sorted(HERE.glob("bench_*.py"))
    if filters:
        scripts = [s for s in scripts if any(f in s.name for f in filters)]
    return scripts


def main(argv: list[str]) -> int:
    failed: list[str] = []
    scripts = discover(argv)
    for script in scripts:
        print(f"=== {script.name} ===", flush=True)
        started = time.perf_counter()
        completed = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False)
        elapsed = time.perf_counter() - started
        status = "ok" if completed.returncode == 0 else f"FAILED (exit {completed.returncode})"
        print(f"=== {script.name}: {status} in {elapsed:.1f} s ===\n", flush=True)
        if completed.returncode != 0:
            failed.append(script.name)
    passed = len(scripts) - len(failed)
    print(f"{passed} of {len(scripts)} benchmarks succeeded; failed: {', '.join(failed) or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
