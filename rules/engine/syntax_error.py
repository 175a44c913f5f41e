from workerlint import Invalid, Level, Rule, Valid


class SyntaxError_(Rule):
    """## What it does
    Reports a Ruby or YAML file that does not parse, a file that is not UTF-8 (or is binary), and
    a file over the size limit (`max-file-size`, default 5 MB).

    For Ruby, the finding points at the deepest error tree-sitter can blame; when it can only
    blame an enclosing construct (a whole class), it points at that construct's first line. For
    YAML it points at the parser's error mark. The file's other rules are not run (a broken file
    would give misleading findings); the rest of the run goes on.

    Valid Ruby that tree-sitter-ruby cannot parse (an endless method whose body is a command call
    without parentheses, `def name = raise "message"`, allowed since Ruby 3.1) is not reported;
    `--verbose` names the line.

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

    VALID = (
        Valid("class A\n  def perform(id)\n  end\nend\n"),
        Valid("x = {a: 1}\n"),
        # Valid Ruby 3.1 that tree-sitter-ruby cannot parse: not reported (--verbose says so).
        Valid(
            """\
class Badge
  def award?(user) = raise "implement in a subclass"
  def name = I18n.t "badges.generic"
end
"""
        ),
    )
    INVALID = (
        # A real error is reported even beside a construct the parser cannot read.
        Invalid(
            """\
class Badge
  def award?(user) = raise "implement in a subclass"
  def total
    [1, 2
    ^^^^^ syntax error near `[1, 2`; the file's other rules were not run
  end
end
"""
        ),
        Invalid(
            """\
def perform(id
              ^ syntax error: missing `)`; the file's other rules were not run
  foo
end
"""
        ),
        Invalid(
            """\
class A
  def x
    [1, 2
    ^^^^^ syntax error near `[1, 2`; the file's other rules were not run
  end
end
"""
        ),
    )
