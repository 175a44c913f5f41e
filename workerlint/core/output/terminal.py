"""Output for a person at a terminal, with rich: rule documentation, the rule table, progress.

Imported only when standard output (or, for progress, standard error) is a terminal, so that a
pre-commit or CI run never pays for importing rich.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.markdown import Markdown
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

_LEVEL_STYLE = {"error": "bold red", "warning": "bold yellow", "note": "bold blue"}


def print_markdown(text: str) -> None:
    Console().print(Markdown(text, code_theme="ansi_dark"))


def print_rules(rules: Sequence[type]) -> None:
    table = Table(show_lines=False, header_style="bold")
    for column in ("Code", "Name", "Level", "Fix", "Summary"):
        table.add_column(column, no_wrap=column != "Summary")
    for rule in rules:
        fix = ""
        if rule.fix_availability != "none":
            fix = "suggestion" if rule.suggestion_only else rule.fix_availability
        label = rule.level.label
        table.add_row(rule.code, rule.name, f"[{_LEVEL_STYLE[label]}]{label}[/]", fix, rule.summary)
    Console().print(table)


@contextmanager
def progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on standard error for ``total`` files; yields ``advance(n)``."""
    bar = Progress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )
    with bar:
        task = bar.add_task("files", total=total)
        yield lambda n: bar.advance(task, n)
