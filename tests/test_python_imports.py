"""The import a fix adds (lang/python/imports.py): where it goes and what it writes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from workerlint.core.diagnostics import Applicability, Fix
from workerlint.core.fixes import apply
from workerlint.lang.python.imports import add_import


def _added(source: str) -> str:
    data = source.encode()
    edit = add_import(data, "aiohttp", "ClientTimeout")
    assert edit is not None
    return apply(data, [Fix(Applicability.UNSAFE, "import", (edit,))]).decode()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (  # joins the module's own `from aiohttp import ...`
            "from aiohttp import ClientSession\nimport os\n\nX = 1\n",
            "from aiohttp import ClientSession, ClientTimeout\nimport os\n\nX = 1\n",
        ),
        (  # a parenthesised, multi-line one keeps its shape
            "from aiohttp import (\n    ClientError,\n    ClientSession,\n)\n\nX = 1\n",
            "from aiohttp import (\n    ClientError,\n    ClientSession,\n    ClientTimeout,\n)\n\nX = 1\n",
        ),
        (  # after the last leading import
            '"""Doc."""\nfrom __future__ import annotations\n\nimport os\n\nX = 1\n',
            '"""Doc."""\nfrom __future__ import annotations\n\nimport os\n'
            "from aiohttp import ClientTimeout\n\nX = 1\n",
        ),
        (  # after the last import of its own package, not after the project's imports
            "import os\nfrom aiohttp.web import json_response\n\nfrom shop.models import Order\n",
            "import os\nfrom aiohttp.web import json_response\nfrom aiohttp import ClientTimeout\n"
            "\nfrom shop.models import Order\n",
        ),
        (  # a module with a docstring only
            '"""Doc."""\nX = 1\n',
            '"""Doc."""\nfrom aiohttp import ClientTimeout\nX = 1\n',
        ),
        (  # no imports: above the first statement, below the header comments
            "#!/usr/bin/env python3\n# Rates.\nX = 1\n",
            "#!/usr/bin/env python3\n# Rates.\nfrom aiohttp import ClientTimeout\n\nX = 1\n",
        ),
        (  # the last import has no newline of its own
            "import os",
            "import os\nfrom aiohttp import ClientTimeout\n",
        ),
        (  # an empty module
            "",
            "from aiohttp import ClientTimeout\n",
        ),
        (  # two statements on the line: only the import changes
            "from aiohttp import ClientSession; import os\n",
            "from aiohttp import ClientSession, ClientTimeout; import os\n",
        ),
        (  # a relative import of the same name is another module
            "from .aiohttp import ClientSession\n",
            "from .aiohttp import ClientSession\nfrom aiohttp import ClientTimeout\n",
        ),
    ],
)
def test_add_import(before: str, after: str) -> None:
    assert _added(before) == after


def test_a_module_libcst_cannot_read_gets_no_edit() -> None:
    assert add_import(b"def f(:\n", "aiohttp", "ClientTimeout") is None
    assert add_import(b"\xff\xfe", "aiohttp", "ClientTimeout") is None


def test_libcst_is_imported_only_when_a_fix_adds_an_import() -> None:
    code = (
        "import sys, workerlint.lang.python.imports, workerlint.app.cli\n"
        "assert 'libcst' not in sys.modules\n"
        "workerlint.lang.python.imports.add_import(b'', 'a', 'b')\n"
        "assert 'libcst' in sys.modules\n"
    )
    # PYTHONSAFEPATH: the installed workerlint, not the source folder in the current directory
    subprocess.run(
        [sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONSAFEPATH": "1"}
    )
