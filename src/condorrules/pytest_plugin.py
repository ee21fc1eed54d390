"""A pytest plugin: the scenarios of ``.condor`` files become pytest test items.

Installed with condorrules (entry point ``pytest11``), it does nothing until a project turns
it on, so no test suite collects rule files by surprise:

* on the command line: ``pytest --condor-scenarios``;
* or for good, in the project's configuration: ``condor_scenarios = true`` under
  ``[tool.pytest.ini_options]`` (or ``[pytest]`` in pytest.ini).

Then every ``*.condor`` file pytest walks past is collected: one item per scenario, named by
its title, failing with the same report as ``condorrules test``; a rule file with errors (a
scenario that does not parse included) is one failing item showing the diagnostics. As with
``condorrules test``, a file found in a folder with no scenario written is not loaded, so a
folder of deliberately broken examples stays quiet; a file named on the command line always
is. ``-k`` selects scenarios by title as usual.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the engine is imported only once a rule file is collected
    from condorrules.api import Ruleset
    from condorrules.scenarios import ScenarioResult
    from condorrules.syntax import ast

OPTION = "--condor-scenarios"
INI = "condor_scenarios"


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--condor-scenarios`` and the ``condor_scenarios`` ini setting."""
    group = parser.getgroup("condorrules")
    group.addoption(
        OPTION,
        action="store_true",
        default=False,
        help="collect the scenarios of *.condor files as test items",
    )
    parser.addini(INI, "collect the scenarios of *.condor files as test items", type="bool")


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption(OPTION) or config.getini(INI))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect a ``.condor`` file when the plugin is turned on."""
    if file_path.suffix != ".condor" or not _enabled(parent.config):
        return None
    collector: pytest.Collector = RuleFile.from_parent(parent, path=file_path)
    return collector


def _named(config: pytest.Config, path: Path) -> bool:
    """Whether ``path`` was named on the command line (not just found in a folder)."""
    here = config.invocation_params.dir
    return any((here / arg.split("::")[0]).resolve() == path.resolve() for arg in config.args)


class RuleFile(pytest.File):
    """A rule file: one item per scenario (none for a file without scenarios), or one failing
    item when it has errors."""

    def collect(self) -> Iterator[pytest.Item]:
        from condorrules.api import RulesetError, load
        from condorrules.scenarios import has_scenarios, scenarios_of

        try:
            text = self.path.read_text(encoding="utf-8")
            if not has_scenarios(text) and not _named(self.config, self.path):
                return
            ruleset = load(self.path)
        except RulesetError as error:
            yield BrokenRuleFile.from_parent(self, name="load", report=error.report)
            return
        except (OSError, UnicodeDecodeError) as problem:
            report = f"cannot read {self.path}: {problem}"
            yield BrokenRuleFile.from_parent(self, name="load", report=report)
            return
        for scenario in scenarios_of(ruleset):
            yield ScenarioItem.from_parent(
                self, name=scenario.title.value, ruleset=ruleset, scenario=scenario
            )


class ScenarioFailed(Exception):
    """Raised by a scenario item whose expectations did not hold."""

    def __init__(self, result: ScenarioResult) -> None:
        super().__init__(result.title)
        self.result = result


class RuleFileBroken(Exception):
    """Raised by the item of a rule file that does not load."""


def _report(result: ScenarioResult) -> str:
    from condorrules.cli.test import report_lines
    from condorrules.scenarios import FileRun

    return "\n".join(report_lines([FileRun(result.file, (result,))]))


class ScenarioItem(pytest.Item):
    """One scenario of a rule file."""

    def __init__(self, *, ruleset: Ruleset, scenario: ast.Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # No fixtures; some plugins' runtest wrappers (pytest-lsp) expect the attribute.
        self.funcargs: dict[str, Any] = {}
        self.ruleset = ruleset
        self.scenario = scenario

    def runtest(self) -> None:
        from condorrules.scenarios import run_scenario

        result = run_scenario(self.ruleset, self.scenario)
        if not result.passed:
            raise ScenarioFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if not isinstance(excinfo.value, ScenarioFailed):
            return super().repr_failure(excinfo)
        return _report(excinfo.value.result)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.scenario.span.line - 1, f"scenario: {self.name}"


class BrokenRuleFile(pytest.Item):
    """A rule file that does not load: fails showing the diagnostics."""

    def __init__(self, *, report: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.funcargs: dict[str, Any] = {}
        self.report = report

    def runtest(self) -> None:
        raise RuleFileBroken(self.report)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        return self.report

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"{self.path.name}: the ruleset does not load"
