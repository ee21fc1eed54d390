"""`condorrules schema` prints the state's JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from condorrules.cli import build_app
from condorrules.state import state_json_schema


def test_schema_prints_json_schema_of_state() -> None:
    result = CliRunner().invoke(build_app(), ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == json.loads(json.dumps(state_json_schema()))
    assert {"date", "spot", "vix", "positions", "portfolio"} <= set(schema["properties"])
    assert schema["required"] == ["date", "spot"]
    leg = schema["$defs"]["Leg"]
    assert leg["additionalProperties"] is False
    assert leg["properties"]["strike"]["exclusiveMinimum"] == 0


def test_schema_output_file(tmp_path: Path) -> None:
    target = tmp_path / "state.schema.json"
    result = CliRunner().invoke(build_app(), ["schema", "--output", str(target)])
    assert result.exit_code == 0
    assert json.loads(target.read_text())["title"] == "condorrules state"
