"""The README's first screen: its Python snippet reads the release that `cargo xtask release`
writes, and runs (here against the session's release)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, release_name


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.S | re.M)


def test_readme_snippet_reads_the_current_release(release_dir: Path, tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = python_blocks(readme)
    assert blocks, "README.md has no python block"
    snippet = blocks[0]
    dist = f"dist/{release_name()}/"
    # The snippet names the release `cargo xtask release` writes now (its version included).
    assert dist in snippet, f"the README's snippet does not read {dist}:\n{snippet}"
    snippet = snippet.replace(dist, f"{release_dir.as_posix()}/")
    proc = subprocess.run(
        [sys.executable, "-c", snippet],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "level" in proc.stdout and "quote" in proc.stdout, proc.stdout
