"""Start-up: a serial run (the default) loads no process-pool machinery."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import HTTP_WORKER

PROBE = """
import sys
from pathlib import Path
from workerlint.app.linter import Options
from workerlint.app.runner import run
result = run([Path(sys.argv[1])], Options(use_cache=False))
assert result.diagnostics, "the probe must lint something"
print(sorted(m for m in ("multiprocessing", "concurrent.futures.process") if m in sys.modules))
"""


def test_a_serial_run_does_not_import_multiprocessing(project) -> None:
    root: Path = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(root / "app/workers/ping_worker.rb")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"
