"""The generated JSON Schemas (schema/) against the authoring files, checked by an independent
validator that reads TOML: check-jsonschema (pinned in requirements.txt).

This proves two things our own validator cannot prove about itself: the schemas that editors
use accept the real data, and they reject a misspelt field.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_dataset

SCHEMA_DIR = ROOT / "schema"
DATASETS = sorted(p for p in (ROOT / "datasets").iterdir() if p.is_dir())
AUTHORING_FILES = sorted(f for d in DATASETS for f in d.glob("*.toml"))


def check_jsonschema(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    """Runs `check-jsonschema --schemafile SCHEMA FILE...` from the test environment."""
    cmd = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema)]
    cmd += [str(f) for f in files]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)


def output(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"


def schema_of(file: Path) -> Path:
    return SCHEMA_DIR / f"{file.stem}.schema.json"


def test_there_are_authoring_files_to_check() -> None:
    assert DATASETS, "no dataset directory under datasets/"
    assert len(AUTHORING_FILES) >= 9, [f.name for f in AUTHORING_FILES]


@pytest.mark.parametrize(
    "file", AUTHORING_FILES, ids=lambda f: f"{f.parent.name}/{f.name}"
)
def test_authoring_file_is_valid_against_its_schema(file: Path) -> None:
    schema = schema_of(file)
    assert schema.is_file(), f"{file.name} has no schema: expected {schema.relative_to(ROOT)}"
    proc = check_jsonschema(schema, file)
    assert proc.returncode == 0, output(proc)
    assert "validation done" in proc.stdout, output(proc)


def test_a_misspelt_field_is_rejected(tmp_path: Path) -> None:
    dataset = copy_dataset(tmp_path / "dataset")
    visits = dataset / "visits.toml"
    text = visits.read_text(encoding="utf-8")
    # Misspell the first visit's `level` only: the rest of the file stays valid.
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("level = "))
    lines[at] = lines[at].replace("level = ", "levl = ", 1)
    visits.write_text("".join(lines), encoding="utf-8")

    proc = check_jsonschema(SCHEMA_DIR / "visits.schema.json", visits)
    assert proc.returncode == 1, output(proc)
    # Only the misspelt record is reported, for the unknown field and the missing one.
    assert "'levl' was unexpected" in proc.stdout, output(proc)
    assert "'level' is a required property" in proc.stdout, output(proc)
    assert proc.stdout.count("$.visits[") == 2, output(proc)


def test_a_wrong_type_is_rejected(tmp_path: Path) -> None:
    dataset = copy_dataset(tmp_path / "dataset")
    visits = dataset / "visits.toml"
    text = visits.read_text(encoding="utf-8")
    assert 'level = "' in text
    visits.write_text(text.replace('level = "', 'level = 1 # "', 1), encoding="utf-8")

    proc = check_jsonschema(SCHEMA_DIR / "visits.schema.json", visits)
    assert proc.returncode == 1, output(proc)
    assert "visits[0]" in proc.stdout, output(proc)
