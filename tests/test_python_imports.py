"""The import a fix adds (lang/python/imports.py): where it goes and what it writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from workerlint.core.diagnostics import Applicability, Edit, Fix
from workerlint.core.fixes import apply
from workerlint.lang.python import parse as python_parse
from workerlint.lang.python.imports import add_import
from workerlint.lang.python.parse import parse


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
        (  # one name per line: the new name gets its own line, the last one keeps its comment
            "from aiohttp import (\n    ClientError,  # retried\n    ClientSession,  # pooled\n)\n",
            "from aiohttp import (\n    ClientError,  # retried\n    ClientSession,  # pooled\n"
            "    ClientTimeout,\n)\n",
        ),
        (  # one name on its own line, with its trailing comma
            "from aiohttp import (\n    ClientSession,\n)\n",
            "from aiohttp import (\n    ClientSession,\n    ClientTimeout,\n)\n",
        ),
        (  # a one-line parenthesised list with a trailing comma
            "from aiohttp import (ClientSession,)\n",
            "from aiohttp import (ClientSession, ClientTimeout,)\n",
        ),
        (  # an alias, and the module written with spaces
            "from aiohttp . web import json_response as j\nfrom aiohttp  import Session as S\n",
            "from aiohttp . web import json_response as j\n"
            "from aiohttp  import Session as S, ClientTimeout\n",
        ),
        (  # a star import cannot take the name
            "from aiohttp import *\nX = 1\n",
            "from aiohttp import *\nfrom aiohttp import ClientTimeout\nX = 1\n",
        ),
        (  # a decorated definition first: above its decorator
            "@cache\ndef rates():\n    pass\n",
            "from aiohttp import ClientTimeout\n\n@cache\ndef rates():\n    pass\n",
        ),
        (  # a line of statements joined by `;` counts as its first, and ends with its last
            "import os; LIMIT = (\n    10)\nX = 1\n",
            "import os; LIMIT = (\n    10)\nfrom aiohttp import ClientTimeout\nX = 1\n",
        ),
        (  # an f-string first is not a docstring
            'f"{x}"\nimport os\n',
            'from aiohttp import ClientTimeout\n\nf"{x}"\nimport os\n',
        ),
        (  # the module's own line ends
            "import os\r\nX = 1\r\n",
            "import os\r\nfrom aiohttp import ClientTimeout\r\nX = 1\r\n",
        ),
        (
            "from aiohttp import (\r\n    ClientSession,\r\n)\r\n",
            "from aiohttp import (\r\n    ClientSession,\r\n    ClientTimeout,\r\n)\r\n",
        ),
        (  # leading imports end at the first compound statement
            "import os\ntry:\n    import ujson\nexcept ImportError:\n    ujson = None\n",
            "import os\nfrom aiohttp import ClientTimeout\ntry:\n    import ujson\n"
            "except ImportError:\n    ujson = None\n",
        ),
    ],
)
def test_add_import(before: str, after: str) -> None:
    assert _added(before) == after


def test_a_module_that_does_not_parse_gets_no_edit() -> None:
    assert add_import(b"def f(:\n", "aiohttp", "ClientTimeout") is None
    assert add_import(b"\xff\xfe", "aiohttp", "ClientTimeout") is None


def test_the_edit_rewrites_the_import_statement_alone() -> None:
    data = b"from aiohttp import ClientSession; import os\n"
    assert add_import(data, "aiohttp", "ClientTimeout") == Edit(
        0, 33, "from aiohttp import ClientSession, ClientTimeout"
    )


def test_the_given_tree_is_read_and_the_module_not_parsed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = b"import os\n\nX = 1\n"
    tree = parse(data)

    def refuse(_: bytes) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(python_parse, "parse", refuse)
    assert add_import(data, "aiohttp", "ClientTimeout", tree) == Edit(
        10, 10, "from aiohttp import ClientTimeout\n"
    )


def _imports(tree_root: object, module: str, name: str) -> bool:
    """Whether a module's top level has ``from <module> import ... <name> ...``."""
    for child in tree_root.children:  # type: ignore[attr-defined]
        if child.type != "import_from_statement":
            continue
        written = child.child_by_field_name("module_name")
        if written is None or "".join(written.text.decode().split()) != module:
            continue
        if any(n.text.decode() == name for n in child.children_by_field_name("name")):
            return True
    return False


_REPO = Path(__file__).parent.parent
# The hand-written modules: the fixture projects' and the rules' examples.
FIXTURE_MODULES = sorted(
    [*_REPO.joinpath("fixtures").rglob("*.py"), *_REPO.joinpath("rules").rglob("examples.py")]
)


@pytest.mark.parametrize("module", ["django.db", "aiohttp"])
def test_every_fixture_module_still_parses_and_imports_the_name(module: str) -> None:
    """The edit on every hand-written module gives a module that parses and imports the name
    at its top level (the same held on the 8,141 modules of five real projects)."""
    edited = 0
    for path in FIXTURE_MODULES:
        data = path.read_bytes()
        tree = parse(data)
        edit = add_import(data, module, "Added", tree)
        if edit is None:
            assert tree.root_node.has_error or not _is_utf8(data), path
            continue
        after = parse(apply(data, [Fix(Applicability.UNSAFE, "import", (edit,))]))
        assert not after.root_node.has_error, path
        assert _imports(after.root_node, module, "Added"), path
        edited += 1
    assert edited >= 50


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
