from __future__ import annotations

from collections.abc import Collection, Sequence

from workerlint import Level, Rule, Span
from workerlint.core import suppress
from workerlint.core.context import FileContext


class UnusedSuppression(Rule):
    """## What it does
    Reports a `workerlint:disable` comment that silenced nothing in this run: the code it
    covered was fixed, moved, or never had the finding. Only rules selected in this run are
    considered, so a suppression of a rule you did not select is never reported. A suppression
    naming no known rule is reported too.

    ## Why is this bad?
    A stale suppression hides the next real finding on that line, and misleads readers into
    thinking the line has a problem.

    ## Example
    ```ruby
    def perform(id)
      # workerlint:disable-next-line WL201
      Order.find(id).touch
    end
    ```

    Use instead:
    ```ruby
    def perform(id)
      Order.find(id).touch
    end
    ```

    ## Fix safety
    The fix removes the comment (or the codes in it that silenced nothing). It is safe: the
    comment has no effect on this run's findings.
    """

    code = "WL002"
    name = "unused-suppression"
    level = Level.NOTE
    summary = "A suppression comment that silenced nothing."
    fix_availability = "always"
    targets = frozenset()
    tags = ("engine",)
    # Its examples judge suppressions of WL201: that rule must run for them to silence anything.
    needs = ("WL201",)

    def suppressions(
        self,
        ctx: FileContext,
        directives: Sequence[suppress.Suppression],
        selected: Collection[str],
    ) -> None:
        for item in directives:
            pairs = list(zip(item.tokens, item.codes, strict=True))
            unknown = [token for token, code in pairs if code is None]
            idle = [t for t, c in pairs if c is not None and c in selected and c not in item.used]
            if not item.tokens and not item.used:
                idle = ["(all rules)"]
            if not idle and not unknown:
                continue
            parts = []
            if idle:
                parts.append(f"suppression of {', '.join(idle)} silenced nothing")
            if unknown:
                parts.append(f"names no known rule: {', '.join(unknown)}")
            kept = [t for t, c in pairs if c is not None and (c in item.used or c not in selected)]
            fix = suppress.removal(item, ctx.source, kept)
            ctx.report(Span(item.start, item.end), "; ".join(parts), fix=fix)
