"""The demonstration `make demo` runs: synthetic returns for all 33 boroughs, all valid."""

from pathlib import Path

from validator.cli import main


def test_demo_returns_for_every_borough_validate(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["generate", str(out), "--periods", "2024-25", "2025-26", "--rows", "120"]) == 0
    files = sorted(out.glob("*.csv"))
    assert len(files) == 33 * 2 * 2
    capsys.readouterr()
    assert main(["validate", *map(str, files), "--summary"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(files)
    assert all(": VALID" in line for line in lines)
    boroughs = {Path(line.split(": ")[0]).name.split("_")[1] for line in lines}
    assert len(boroughs) == 33
