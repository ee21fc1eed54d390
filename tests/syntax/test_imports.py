"""Imports: resolved relative to the importing file; missing files and cycles are E103."""

from __future__ import annotations

from pathlib import Path

from condorrules.syntax import ast, load, load_source


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_import_is_resolved_relative_to_the_importing_file(tmp_path: Path) -> None:
    write(tmp_path, "lib/common.condor", 'import "deeper/levels.condor"\nparam wing = 50\n')
    write(tmp_path, "lib/deeper/levels.condor", "let calm = vix < 15\n")
    main = write(
        tmp_path,
        "main.condor",
        'import "lib/common.condor"\nrule r:\n    when calm\n    then close\n',
    )
    program = load(main)
    assert program.diagnostics == ()
    assert program.ok
    files = [Path(module.span.file).name for module in program.imported]
    assert files == ["levels.condor", "common.condor"]  # dependencies first
    assert program.modules[-1] is program.main


def test_a_file_imported_twice_is_loaded_once(tmp_path: Path) -> None:
    write(tmp_path, "shared.condor", "param a = 1\n")
    write(tmp_path, "left.condor", 'import "shared.condor"\n')
    write(tmp_path, "right.condor", 'import "./shared.condor"\n')
    main = write(tmp_path, "main.condor", 'import "left.condor"\nimport "right.condor"\n')
    program = load(main)
    assert program.diagnostics == ()
    assert sorted(Path(m.span.file).name for m in program.imported) == [
        "left.condor",
        "right.condor",
        "shared.condor",
    ]


def test_missing_import_is_e103_at_the_path(tmp_path: Path) -> None:
    main = write(tmp_path, "main.condor", 'param a = 1\nimport "nowhere.condor"\n')
    program = load(main)
    ((code, line, column, message),) = [
        (d.code, d.span.line, d.span.column, d.message) for d in program.diagnostics
    ]
    assert (code, line, column) == ("E103", 2, 8)
    assert message == "cannot import `nowhere.condor`: file not found"
    assert not program.ok
    assert program.imported == ()


def test_import_cycle_is_e103_in_the_file_that_closes_it(tmp_path: Path) -> None:
    write(tmp_path, "b.condor", 'import "main.condor"\nlet y = 1\n')
    main = write(tmp_path, "main.condor", 'import "b.condor"\nlet x = 1\n')
    program = load(main)
    ((diagnostic),) = program.diagnostics
    assert diagnostic.code == "E103"
    assert Path(diagnostic.span.file).name == "b.condor"
    assert diagnostic.message == "import cycle: main.condor → b.condor → main.condor"
    assert [Path(m.span.file).name for m in program.imported] == ["b.condor"]


def test_self_import_is_a_cycle(tmp_path: Path) -> None:
    main = write(tmp_path, "main.condor", 'import "main.condor"\n')
    assert [d.code for d in load(main).diagnostics] == ["E103"]


def test_syntax_errors_in_an_imported_file_carry_its_name(tmp_path: Path) -> None:
    write(tmp_path, "broken.condor", "let x = (\n")
    main = write(tmp_path, "main.condor", 'import "broken.condor"\n')
    program = load(main)
    assert [(d.code, Path(d.span.file).name) for d in program.diagnostics] == [
        ("E100", "broken.condor")
    ]


def test_imported_modules_are_whole_modules(tmp_path: Path) -> None:
    # Rules and scenarios of an imported file parse and are kept in its module; which items
    # count is the checker's business (docs/language.md: only params, inputs, lets, guards).
    write(tmp_path, "other.condor", "ruleset other\nrule r:\n    when vix > 1\n    then close\n")
    main = write(tmp_path, "main.condor", 'import "other.condor"\n')
    (imported,) = load(main).imported
    assert isinstance(imported.items[0], ast.Rule)


def test_load_source_uses_the_reader_and_base_dir(tmp_path: Path) -> None:
    seen: list[Path] = []

    def read(path: Path) -> str:
        seen.append(path)
        return "let unsaved = 1\n"

    program = load_source('import "buffer.condor"\n', str(tmp_path / "main.condor"), read=read)
    assert program.diagnostics == ()
    assert seen == [tmp_path / "buffer.condor"]
    other = load_source('import "x.condor"\n', "<editor>", base_dir=tmp_path, read=read)
    assert other.diagnostics == () and seen[-1] == tmp_path / "x.condor"
