"""The root command: version, help and unknown subcommands."""

from __future__ import annotations

import subprocess
import sys

from condorrules import __version__


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "condorrules", *args], capture_output=True, text=True, check=False
    )


def test_version_prints_package_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"condorrules {__version__}"


def test_help_lists_usage() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "Usage" in result.stdout


def test_unknown_subcommand_exits_2_with_message() -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "frobnicate" in result.stderr
