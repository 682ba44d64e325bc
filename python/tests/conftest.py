"""Shared fixtures: the embedded dataset, and the `corridor` binary whose JSON the package must match.

The binary is `$CORRIDOR_BIN`, else the workspace's `target/{debug,release}/corridor` (scripts/test-python.sh
builds it); the repository root is two folders up from here.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import corridor

ROOT = Path(__file__).resolve().parents[2]


def _binary() -> str:
    if os.environ.get("CORRIDOR_BIN"):
        return os.environ["CORRIDOR_BIN"]
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for profile in ("debug", "release"):
        path = target / profile / "corridor"
        if path.is_file():
            return str(path)
    found = shutil.which("corridor")
    if found:
        return found
    pytest.fail("no corridor binary: build it with `cargo build -p corridor-cli` or set CORRIDOR_BIN")


class Cli:
    def __init__(self, binary: str) -> None:
        self.binary = binary

    def run(self, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "CORRIDOR_NO_PROGRESS": "1", "NO_COLOR": "1"}
        return subprocess.run([self.binary, *args], capture_output=True, text=True, env=env, cwd=ROOT)

    def json(self, *args: str) -> dict:
        out = self.run(*args, "--format", "json")
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)


@pytest.fixture(scope="session")
def cli() -> Cli:
    return Cli(_binary())


@pytest.fixture(scope="session")
def ds() -> corridor.Dataset:
    return corridor.Dataset.embedded("caspian")


@pytest.fixture
def records():
    """Tables as lists of dicts, whatever is installed."""
    corridor.use_pandas = False
    yield
    corridor.use_pandas = None
