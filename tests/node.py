"""The npm packages the suite drives under node (``tests/js``, installed from its lock file)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests import programs

JS = Path(__file__).parent / "js"


def node_modules() -> Path:
    """Install the npm packages the first time (``npm ci`` from the lock file)."""
    why = "the node-driven tests run socket.io-client, the AsyncAPI parser and Chromium"
    programs.require("node", programs.NODE, why)
    npm = programs.require("npm", "npm", why)
    if not (JS / "node_modules" / ".package-lock.json").is_file():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=JS,
            check=True,
            capture_output=True,
            timeout=300,
        )
    return JS / "node_modules"


def run_node(
    script: str, *args: str, timeout: float = 60, env: dict[str, str] | None = None
) -> Any:
    """Run ``tests/js/<script>`` and return the JSON it prints on its last line."""
    node_modules()
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run(
        [node, str(JS / script), *args],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    if done.returncode != 0:
        pytest.fail(f"node {script} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])
