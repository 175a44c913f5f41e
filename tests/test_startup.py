"""Start-up: a serial run (the default) loads no process-pool machinery."""

from __future__ import annotations

import os
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
    # PYTHONSAFEPATH: import the installed workerlint, not the source folder in the current
    # directory (there `workerlint.rules` is only found through the installed package mapping)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(root / "app/workers/ping_worker.rb")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONSAFEPATH": "1"},
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_run_that_does_not_fix_keeps_no_parsed_file(project) -> None:
    """Memory: each file's tree and semantic model are released once it is linted."""
    from workerlint.app.linter import Options
    from workerlint.app.runner import run

    root: Path = project(
        {
            "app/workers/ping_worker.rb": HTTP_WORKER,
            "app/workers/pong_worker.rb": HTTP_WORKER.replace("PingWorker", "PongWorker"),
            "tasks.py": "import requests\n\ndef f():\n    requests.get('u')\n",
        }
    )
    result = run([root], Options(use_cache=False))
    assert len(result.outcomes) >= 3 and result.diagnostics
    assert all(outcome.unit is None for outcome in result.outcomes)
    fixing = run([root], Options(use_cache=False, diff=True))
    assert any(outcome.unit is not None for outcome in fixing.outcomes)
