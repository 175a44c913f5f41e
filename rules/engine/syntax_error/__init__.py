from __future__ import annotations

from workerlint import Level, Rule
from workerlint.core.context import FileContext
from workerlint.core.problems import ProblemKind, SourceProblem


class SyntaxError_(Rule):
    """## What it does
    Reports a Ruby, Python or YAML file that does not parse, a file that is not UTF-8 (or is
    binary), and a file over the size limit (`max-file-size`, default 5 MB).

    A `.py` file that does not parse and holds Jinja template tags (`{% for %}`,
    `{{ name }}`) is a code generator's template, not code; one whose `#!` line runs another
    interpreter (a Ruby binstub named `bin/report.py`) is another language's script. Neither is
    reported (there is nothing to fix in it) and neither is checked; `--verbose` names each.

    For Ruby and Python, the finding points at the deepest error tree-sitter can blame; when it can only
    blame an enclosing construct (a whole class), it points at that construct's first line. For
    YAML it points at the parser's error mark. The file's other rules are not run (a broken file
    would give misleading findings); the rest of the run goes on.

    tree-sitter-ruby 0.23.1 rejects some valid Ruby. An error that is one of these known gaps of
    the grammar is a **note** naming the construct, at the deepest error node, and the file's
    other rules still run:

    - an endless method whose body is a command call (`def x = raise "y"`, Ruby 3.1+);
    - a command call passing an anonymous block (`div class: "x", &` in a method declaring `&`);
    - an index assignment with a space before the bracket (`opts [:a] = 1`, or `opts [:a] += 1`,
      on a local, instance, class or global variable);
    - a heredoc started inside an interpolation of another heredoc (`#{ f(<<~INNER) }` with its
      body on the next lines; read as an empty string literal).

    Before calling an error a gap, workerlint rewrites the construct into a form the grammar
    accepts (`def x =raise("y")`, `div(class: "x",&)`, `opts[:a]  = 1`) and parses the file again:
    only when that leaves no error on the construct's lines is it a gap. Code Ruby itself rejects
    (`private def x = raise "y"`, `&` in a method without an anonymous block parameter,
    `opts [:a] = 1` when `opts` is a method call) stays an error. When a file has a gap and a real
    error, both are reported and the other rules are not run.

    A Sidekiq YAML file whose ERB control tags (`<% if %>`) make the rendered text unparseable is
    not reported: its values are unknown, and `--verbose` says so.

    ## Why is this bad?
    Code that does not parse cannot be checked, and will not load in production either.

    ## Example
    ```ruby
    class ReportWorker
      include Sidekiq::Job
      def perform(id
      end
    end
    ```

    Use instead:
    ```ruby
    class ReportWorker
      include Sidekiq::Job
      def perform(id)
      end
    end
    ```
    """

    code = "WL001"
    name = "syntax-error"
    level = Level.ERROR
    summary = "A file that does not parse, is not UTF-8, or is too large to check."
    targets = frozenset()
    tags = ("engine",)

    def source_problem(self, ctx: FileContext, problem: SourceProblem) -> None:
        kind = problem.kind
        level = None
        if kind is ProblemKind.BINARY:
            message = "binary file (NUL byte): not checked"
        elif kind is ProblemKind.ENCODING:
            message = f"file is not valid UTF-8 (byte {problem.detail}): not checked"
        elif kind is ProblemKind.TOO_LARGE:
            message = (
                f"file is {problem.size:,} bytes, over the max-file-size limit of "
                f"{problem.limit:,} bytes: not checked"
            )
        elif kind is ProblemKind.DATA_LIMIT:
            message = f"YAML not checked: {problem.detail}"
        elif kind is ProblemKind.DATA_SYNTAX:
            message = f"YAML syntax error: {problem.detail}"
        elif kind in (ProblemKind.TEMPLATE, ProblemKind.FOREIGN_SCRIPT):
            # Not Python at all: nothing to fix in it, so nothing is reported (--verbose says it)
            line = ctx.source.position(problem.span.start).line
            what = (
                f"a template (`{problem.detail}`)"
                if kind is ProblemKind.TEMPLATE
                else f"a `{problem.detail}` script (its `#!` line)"
            )
            ctx.skip(f"{ctx.relpath}:{line}: not checked: {what} named as Python source")
            return
        elif kind is ProblemKind.GRAMMAR_GAP:
            level = Level.NOTE
            rest = (
                "the rest of the file was checked"
                if problem.error_line is None
                else "the file's other rules were not run "
                f"(syntax error on line {problem.error_line})"
            )
            message = f"tree-sitter-ruby cannot parse valid Ruby here: {problem.detail}; {rest}"
        else:
            if problem.missing is not None:
                message = f"syntax error: missing `{problem.missing}`"
            elif problem.detail:
                message = f"syntax error near `{problem.detail}`"
            else:
                message = "syntax error"
            message += "; the file's other rules were not run"
        ctx.report(problem.span, message, level=level)
