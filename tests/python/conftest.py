"""Fixtures of the Python reader tests: a release built once per session, and releases of
deliberately broken copies of the dataset.

Run with every other test by `./scripts/test` (which makes .venv from requirements.txt), or
alone from the repository root once .venv exists:

    .venv/bin/python -m pytest -q tests/python

The release is built with `cargo xtask release --out <tmp>`. To test a release that is already
on disk (e.g. a downloaded one), set DIPLOMACY_RELEASE_DIR to its `<name>-<version>` directory;
the tests that build releases of their own (determinism, invalid input) still run cargo.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATASET = ROOT / "datasets" / "japan-eurasia-diplomacy"

# The first release of a session compiles xtask in the release profile: allow for it.
RELEASE_TIMEOUT_SECONDS = 3600


def dataset_meta() -> dict:
    """The dataset's `dataset.toml`."""
    with open(DATASET / "dataset.toml", "rb") as f:
        return tomllib.load(f)


def release_name() -> str:
    """`<name>-<version>`: the directory a release is written to under `--out`."""
    meta = dataset_meta()
    return f"{meta['name']}-{meta['version']}"


def run_release(out: Path, dataset: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Runs `cargo xtask release [DATASET] --out OUT` from the repository root."""
    cmd = ["cargo", "xtask", "release"]
    if dataset is not None:
        cmd.append(str(dataset))
    cmd += ["--out", str(out)]
    return subprocess.run(
        cmd,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=RELEASE_TIMEOUT_SECONDS,
        check=False,
    )


def describe(proc: subprocess.CompletedProcess[str]) -> str:
    return (
        f"`{' '.join(proc.args)}` exited {proc.returncode}\n"
        f"--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}"
    )


def files_under(path: Path) -> list[str]:
    """Every file and directory under `path`, relative, sorted."""
    if not path.exists():
        return []
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*"))


@pytest.fixture(scope="session")
def release_out(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """The `--out` directory of the session's release (None for a release given by
    DIPLOMACY_RELEASE_DIR)."""
    if os.environ.get("DIPLOMACY_RELEASE_DIR"):
        return None
    out = tmp_path_factory.mktemp("release-out")
    proc = run_release(out)
    if proc.returncode != 0:
        pytest.fail(f"the release failed:\n{describe(proc)}", pytrace=False)
    return out


@pytest.fixture(scope="session")
def release_dir(release_out: Path | None) -> Path:
    """The release directory `<out>/<name>-<version>/`, built once per session."""
    given = os.environ.get("DIPLOMACY_RELEASE_DIR")
    path = Path(given) if given else release_out / release_name()
    if not path.is_dir():
        listing = files_under(release_out) if release_out else []
        pytest.fail(
            f"no release directory at {path}; the output directory holds {listing}",
            pytrace=False,
        )
    return path


def copy_dataset(dest: Path) -> Path:
    """A copy of the dataset directory at `dest`."""
    shutil.copytree(DATASET, dest)
    return dest


@dataclass
class Fault:
    """A deliberate fault in one authoring file."""

    name: str
    file: str
    old: str
    new: str


# Each fault replaces the first occurrence of `old` in `file`. The faults are ones the contract
# names: a quote not found in its source, an unknown country code, a malformed file.
FAULTS = [
    Fault(
        "quote-not-in-source",
        "visits.toml",
        'quote = "',
        'quote = "These words are in no archived source: ',
    ),
    Fault("unknown-country-code", "visits.toml", 'guest_country = "JPN"', 'guest_country = "XYZ"'),
    Fault("malformed-toml", "visits.toml", 'summary = "', 'summary = "an unterminated string\n'),
]


@dataclass
class InvalidRelease:
    fault: Fault
    proc: subprocess.CompletedProcess[str]
    out: Path


@pytest.fixture(params=FAULTS, ids=lambda f: f.name)
def invalid_release(request: pytest.FixtureRequest, tmp_path: Path) -> InvalidRelease:
    """Releases a copy of the dataset with one deliberate fault into `--out` (a path that does
    not exist beforehand)."""
    fault: Fault = request.param
    dataset = copy_dataset(tmp_path / DATASET.name)
    path = dataset / fault.file
    text = path.read_text(encoding="utf-8")
    if fault.old not in text:
        pytest.fail(f"cannot plant fault {fault.name}: {fault.old!r} is not in {fault.file}")
    path.write_text(text.replace(fault.old, fault.new, 1), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_release(out, dataset)
    return InvalidRelease(fault, proc, out)
