"""Command-line front end: ``check`` (with --fix/--diff/--unsafe-fixes), ``explain``, ``rules``."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import sys
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from workerlint import __version__

if TYPE_CHECKING:
    from workerlint.core.fs import FileSystem

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _csv(values: list[str] | None, flag: str = "") -> tuple[str, ...] | None:
    """Comma-separated or repeated values; an empty one (`--select ""`) is a usage error."""
    if values is None:
        return None
    tokens = tuple(t.strip() for v in values for t in v.split(","))
    if any(not t for t in tokens):
        raise ValueError(f"{flag}: an empty rule selector (give codes, names or prefixes)")
    return tokens


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line, like every other error of workerlint, and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"workerlint: error: {message} (see `{self.prog} --help`)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workerlint",
        description="Static analysis for Sidekiq workers and their configuration.",
    )
    parser.add_argument("--version", action="version", version=f"workerlint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="check files and folders (default: .)")
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path(".")],
        metavar="PATH",
        help="files or folders (default: .); `-` reads one file from standard input",
    )
    check.add_argument(
        "--stdin-filename",
        type=Path,
        metavar="PATH",
        help="with `-`: the path the buffer has in its project (for rules, settings and the root)",
    )
    _add_report_arguments(check)
    check.add_argument(
        "--select",
        action="append",
        metavar="RULES",
        help="only these rules (codes, names or prefixes such as WL2)",
    )
    check.add_argument("--ignore", action="append", metavar="RULES")
    check.add_argument("--extend-select", action="append", metavar="RULES")
    check.add_argument(
        "--fail-level",
        choices=("error", "warning", "note"),
        help="lowest level that makes the run fail (default: warning)",
    )
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    check.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="say which files and checks were skipped and why",
    )
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply unsafe fixes"
    )
    check.add_argument(
        "--diff", action="store_true", help="print the diff --fix would apply, change nothing"
    )
    check.add_argument("--config", type=Path, help="settings file (default: found upward)")
    check.add_argument("--sidekiq-version", help="override the version from Gemfile.lock")
    check.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for ERB in YAML (repeatable)",
    )
    check.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply excludes to files named on the command line too",
    )
    check.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    baseline = check.add_mutually_exclusive_group()
    baseline.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="do not report the findings recorded in this baseline file",
    )
    baseline.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="record every current finding in FILE as accepted, and exit 0",
    )
    check.add_argument(
        "--jobs",
        type=_positive,
        help="worker processes (default: 1; see the README for when more pay off)",
    )

    check.add_argument(
        "--server",
        action="store_true",
        help="run in the resident server (started in the background when none runs); "
        "also WORKERLINT_SERVER=1",
    )
    check.add_argument("--no-server", action="store_true", help="never use the server")

    server = sub.add_parser("server", help="start, stop or ask about the resident server")
    server.add_argument("action", choices=("start", "stop", "status"))

    explain = sub.add_parser("explain", help="print a rule's documentation")
    explain.add_argument(
        "rule", nargs="?", metavar="RULE", help="code or name (WL201), or a family prefix (WL2)"
    )
    explain.add_argument("--all", action="store_true", help="every rule's documentation")
    explain.add_argument("--output-format", choices=("text", "json"), default="text")

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--output-format", choices=("text", "json", "markdown"), default="text")
    rules.add_argument(
        "--select", action="append", metavar="RULES", help="only these (codes, names, prefixes)"
    )
    return parser


def _add_report_arguments(check: argparse.ArgumentParser) -> None:
    """The flags that shape the report: its format, where it goes, and how much it says."""
    check.add_argument(
        "--output-format",
        choices=("text", "concise", "json", "sarif", "github", "gitlab"),
        default="text",
    )
    check.add_argument(
        "--output-file", type=Path, metavar="FILE", help="write the report to FILE, not stdout"
    )
    check.add_argument(
        "--statistics",
        action="store_true",
        help="print counts per rule and level instead of the findings",
    )
    check.add_argument(
        "--quiet", "-q", action="store_true", help="print the findings only, no summary line"
    )
    check.add_argument(
        "--sarif-category",
        metavar="CATEGORY",
        help="with --output-format sarif: the run's category in GitHub code scanning",
    )


def _report_usage_error(args: argparse.Namespace) -> str | None:
    if args.sarif_category is not None and args.output_format != "sarif":
        return "--sarif-category needs --output-format sarif"
    return None


def _error(message: str) -> int:
    print(f"workerlint: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def main(argv: Sequence[str] | None = None, *, checked: Collection[str] = ()) -> int:
    """The command line; ``checked``: run manifests the console command already found out of
    date (app/entry.py), not checked again."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "explain":
            return _explain(args.rule, args.all, args.output_format)
        if args.command == "rules":
            return _rules(args.output_format, args.select)
        if args.command == "server":
            return _server(args.action)
        if _usage_problem(args) or _report_usage_error(args) or not _replayable(args):
            return _check(args)
        from workerlint.app import manifest

        given = list(sys.argv[1:] if argv is None else argv)
        return manifest.run(args, given, lambda fs, linted: _check(args, fs, linted), checked)
    except BrokenPipeError:
        return EXIT_CLEAN


def _server(action: str) -> int:
    """``workerlint server start|stop|status`` (app/server.py)."""
    from workerlint.app import client

    if not client.supported():
        return _error("the server needs Unix sockets and fork (not available here)")
    if action == "start":
        status = client.start()
        if status is None:
            return _error(f"the server did not start (its folder: {client.folder()})")
        print(f"workerlint: server running (pid {status['pid']}, socket {status['socket']})")
        return EXIT_CLEAN
    if action == "stop":
        stopped = client.stop()
        print("workerlint: server stopped" if stopped else "workerlint: no server running")
        return EXIT_CLEAN
    status = client.ask("status")
    if status is None:
        print("workerlint: no server running")
        return EXIT_FINDINGS
    print(
        f"workerlint: server running (pid {status['pid']}, {status['runs']} runs, "
        f"socket {status['socket']})"
    )
    return EXIT_CLEAN


def _rule_record(rule: type) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "level": rule.level.label,
        "summary": rule.summary,
        "fix": rule.fix_availability,
        "suggestion_only": rule.suggestion_only,
        "tags": list(rule.tags),
        "precision": rule.precision,
        "options": dict(rule.option_defaults),
    }


def _explain(token: str | None, every: bool, output_format: str) -> int:
    from workerlint.app import registry

    if every == (token is not None):
        return _error("explain takes one RULE, or --all")
    if every:
        rules: list[type] = list(registry.all_rules())
    else:
        assert token is not None
        rule = registry.lookup(token)
        if rule is None:
            try:
                family = registry.select([token]).rules
            except registry.SelectionError:
                family = ()
            if not family:
                return _error(registry.unknown_message(token).replace("rule selector", "rule"))
            if output_format == "text":
                count = len(family)
                print(f"`{token}` selects {count} rule{'s' * (count != 1)}; explain one:\n")
            return _rules(output_format, [token])
        rules = [rule]
    if output_format == "json":
        records = [{**_rule_record(r), "documentation": r.documentation()} for r in rules]
        print(json.dumps(records if every else records[0], indent=2))
        return EXIT_CLEAN
    pages = [_explanation(rule) for rule in rules]
    if _terminal():
        from workerlint.core.output import terminal

        terminal.print_markdown("\n\n---\n\n".join(pages))
    else:
        print("\n\n".join(pages))
    return EXIT_CLEAN


def _explanation(rule: type) -> str:
    """A rule's documentation as Markdown, headed by its name, level and fix."""
    fix = {"always": "always", "sometimes": "sometimes", "none": "no"}[rule.fix_availability]
    if rule.suggestion_only and rule.fix_availability != "none":
        fix += " (a display-only suggestion, never applied)"
    return (
        f"# {rule.name} ({rule.code})\n\n"
        f"Level: {rule.level.label}. Fix: {fix}. {rule.summary}\n\n"
        f"{rule.documentation()}"
    )


def _terminal() -> bool:
    """Whether standard output is a terminal a person reads (rich output pays off there)."""
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _rules(output_format: str, select: list[str] | None = None) -> int:
    from workerlint.app import registry

    rules = registry.all_rules()
    if select is not None:
        try:
            tokens = _csv(select, "--select")
            rules = registry.select(tokens).rules
        except (ValueError, registry.SelectionError) as error:
            return _error(str(error))
    if output_format == "json":
        print(json.dumps([_rule_record(r) for r in rules], indent=2))
        return EXIT_CLEAN
    if output_format == "markdown":
        print(rules_table(rules), end="")
        return EXIT_CLEAN
    if _terminal():
        from workerlint.core.output import terminal

        terminal.print_rules(rules)
        return EXIT_CLEAN
    width = max(len(r.name) for r in rules)
    for rule in rules:
        level = f"{rule.level.label:<7}"
        print(f"{rule.code}  {rule.name:<{width}}  {level}  {_fix_mark(rule)}  {rule.summary}")
    return EXIT_CLEAN


def _fix_mark(rule: type) -> str:
    """`fix`, `sug` (a display-only suggestion) or blank, as `workerlint rules` shows it."""
    if rule.fix_availability == "none":
        return "   "
    return "sug" if rule.suggestion_only else "fix"


def rules_table(rules: Sequence[type]) -> str:
    """The README's table of rules (tests/test_metadata.py checks that it is current)."""
    fixes = {"always": "yes", "sometimes": "sometimes", "none": ""}
    lines = ["| Code | Name | Level | Fix | Summary |", "|---|---|---|---|---|"]
    for rule in rules:
        fix = fixes[rule.fix_availability]
        if fix and rule.suggestion_only:
            fix = "suggestion" if rule.fix_availability == "always" else "sometimes a suggestion"
        lines.append(
            f"| {rule.code} | `{rule.name}` | {rule.level.label} | {fix} | {rule.summary} |"
        )
    return "\n".join(lines) + "\n"


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    from workerlint.core.diagnostics import Level
    from workerlint.core.settings import version

    env = []
    for item in args.env:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ValueError(f"--env expects NAME=VALUE, got `{item}`")
        env.append((name, value))
    sidekiq = args.sidekiq_version
    return {
        "select": _csv(args.select, "--select"),
        "ignore": _csv(args.ignore, "--ignore"),
        "extend_select": _csv(args.extend_select, "--extend-select"),
        "fail_level": Level.parse(args.fail_level) if args.fail_level else None,
        "sidekiq_version": version("--sidekiq-version", sidekiq) if sidekiq else None,
        "env": tuple(env) if env else None,
    }


def _usage_problem(args: argparse.Namespace) -> str | None:
    """A combination of flags that cannot work, as one line; None when the flags are fine."""
    stdin = [p for p in args.paths if str(p) == "-"]
    if args.unsafe_fixes and not (args.fix or args.diff):
        return "--unsafe-fixes needs --fix or --diff"
    if stdin and (len(args.paths) > 1 or args.stdin_filename is None):
        return "`-` reads one file from standard input: give it alone, with --stdin-filename PATH"
    if args.stdin_filename is not None and not stdin:
        return "--stdin-filename names the file read from standard input: give `-` as the path"
    if stdin and args.write_baseline:
        return "--write-baseline needs files, not standard input"
    if args.config is not None and not args.config.is_file():
        return f"--config: no such settings file: {args.config}"
    missing = [str(p) for p in args.paths if str(p) != "-" and not p.exists()]
    if missing:
        return f"no such file or folder: {', '.join(missing)}"
    return None


class _ProgressBar:
    """A progress bar on standard error for a project of many files (rich, imported then)."""

    MIN_FILES = 200

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._advance: Any = None

    def start(self, total: int) -> None:
        self._stack.close()
        self._advance = None
        if total >= self.MIN_FILES:
            from workerlint.core.output import terminal

            self._advance = self._stack.enter_context(terminal.progress(total))

    def advance(self, count: int) -> None:
        if self._advance is not None:
            self._advance(count)

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()


def _replayable(args: argparse.Namespace) -> bool:
    """Whether the whole-run manifest may answer for this run (app/manifest.py)."""
    from workerlint.app import manifest

    return manifest.eligible(args)


def _check(
    args: argparse.Namespace, fs: FileSystem | None = None, linted: list[Path] | None = None
) -> int:
    """The check command; reading through ``fs``, and telling ``linted`` the files checked."""
    from collections import Counter

    from workerlint.app import registry
    from workerlint.app.linter import Options
    from workerlint.app.runner import run
    from workerlint.core.settings import SettingsError

    if args.baseline or args.write_baseline:  # hashlib and difflib: only for a baseline
        from workerlint.core import baseline

    problem = _report_usage_error(args) or _usage_problem(args)
    if problem:
        return _error(problem)
    stdin = None
    if args.stdin_filename is not None:
        stdin = (args.stdin_filename, sys.stdin.buffer.read())
    accepted: Counter[baseline.Key] | None = None
    try:
        if args.baseline:
            accepted = baseline.read(args.baseline)
        overrides = _overrides(args)
        options = Options(
            fix=args.fix,
            unsafe_fixes=args.unsafe_fixes,
            diff=args.diff,
            force_exclude=args.force_exclude,
            use_cache=not args.no_cache,
            jobs=args.jobs,
            notes=bool(args.verbose),
        )
        with _ProgressBar() as bar:
            result = run(
                [] if stdin else args.paths,
                options,
                config=args.config,
                overrides=overrides,
                stdin=stdin,
                progress=bar if sys.stderr.isatty() else None,
                **({"fs": fs} if fs is not None else {}),
            )
        if linted is not None:
            linted.extend(o.file.path for o in result.outcomes)
    except (SettingsError, registry.SelectionError, ValueError) as error:  # BaselineError too
        return _error(str(error))
    for warning in result.warnings:
        print(f"workerlint: warning: {warning}", file=sys.stderr)
    if not any(not o.context for o in result.outcomes):
        given = "standard input" if stdin else ", ".join(str(p) for p in args.paths)
        print(
            f"workerlint: warning: no file to check in {given} (excluded, or not a kind of file "
            "workerlint reads; --verbose says which)",
            file=sys.stderr,
        )
    if args.baseline:
        originals = {o.file.path: o.original for o in result.outcomes if o.original is not None}
        result.diagnostics, count, moved = baseline.filter_accepted(
            args.baseline, result.diagnostics, result.sources, originals, accepted
        )
        result.notes.append(f"the baseline {args.baseline} accepted {count} finding(s)")
        if moved and args.fix and not args.diff and not stdin:
            baseline.move(args.baseline, moved)
            print(
                f"workerlint: updated {len(moved)} accepted finding(s) in {args.baseline} whose "
                "line a fix edited",
                file=sys.stderr,
            )
    if args.verbose:
        for note in result.notes:
            print(f"workerlint: {note}", file=sys.stderr)
    if args.write_baseline:
        count = baseline.write(args.write_baseline, result.diagnostics, result.sources)
        print(f"Wrote a baseline of {count} finding{'s' * (count != 1)} to {args.write_baseline}.")
        return EXIT_ERROR if result.internal_errors else EXIT_CLEAN
    if args.diff:
        return _print_diff(result)
    if stdin and args.fix:
        # As formatters do: the fixed buffer on standard output, the findings on standard error.
        buffer = next((o.data for o in result.outcomes if not o.context), None)
        sys.stdout.buffer.write(buffer if buffer is not None else stdin[1])
        sys.stdout.flush()
        with contextlib.redirect_stdout(sys.stderr):
            reported = _report(result, args)
    else:
        reported = _report(result, args)
    if not reported:
        return EXIT_ERROR
    if result.internal_errors:
        return EXIT_ERROR
    fail_level = _fail_level(result, overrides)
    failing = [d for d in result.diagnostics if d.level >= fail_level]
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_CLEAN


def _fail_level(result: Any, overrides: dict[str, Any]) -> Any:
    from workerlint.core.diagnostics import Level

    if overrides.get("fail_level") is not None:
        return overrides["fail_level"]
    return min((s.fail_level for s in getattr(result, "settings", [])), default=Level.WARNING)


def _report(result: Any, args: argparse.Namespace) -> bool:
    """Render the report, write it where asked, and do what the format adds on the side."""
    to_file = args.output_file is not None
    if args.statistics:
        from workerlint.core.output import counts

        report = counts.render(result, as_json=args.output_format == "json", quiet=args.quiet)
    else:
        report = _render(result, args, colour=not to_file and _colour())
    if to_file:
        try:
            args.output_file.parent.mkdir(parents=True, exist_ok=True)
            args.output_file.write_text(report, encoding="utf-8")
        except OSError as error:
            _error(f"cannot write the report to {args.output_file}: {error.strerror or error}")
            return False
    else:
        sys.stdout.write(report)
    if args.output_format == "sarif" and not args.statistics:
        from workerlint.core.output import sarif

        dropped = sarif.overflow(result)
        if dropped:
            print(
                f"workerlint: warning: the SARIF report leaves out {dropped} results: GitHub code "
                f"scanning accepts at most {sarif.MAX_RESULTS} per run",
                file=sys.stderr,
            )
    if args.output_format == "github" and not args.statistics:
        _github_extras(result, quiet=args.quiet)
    return True


def _colour() -> bool:
    from workerlint.core.output import text

    return text.use_colour(sys.stdout)


def _render(result: Any, args: argparse.Namespace, *, colour: bool) -> str:
    output_format = args.output_format
    if output_format == "json":
        from workerlint.core.output import json as renderer

        return renderer.render(result)
    if output_format == "sarif":
        from workerlint.core.output import sarif

        return sarif.render(result, category=args.sarif_category)
    if output_format == "github":
        from workerlint.core.output import github

        return github.render(result)
    if output_format == "gitlab":
        from workerlint.core.output import gitlab

        return gitlab.render(result)
    if output_format == "concise":
        from workerlint.core.output import concise

        return concise.render(result, show_fixes=args.unsafe_fixes, quiet=args.quiet)
    from workerlint.core.output import text

    return text.render(result, colour=colour, show_fixes=args.unsafe_fixes, quiet=args.quiet)


def _github_extras(result: Any, *, quiet: bool) -> None:
    """With ``--output-format github``: a summary line on stderr, and the step summary."""
    import os

    from workerlint.core.output import github
    from workerlint.core.output.text import summary_line

    if not quiet:
        print(f"workerlint: {summary_line(result)}", file=sys.stderr)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return
    server, repository, sha = (
        os.environ.get(name) for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")
    )
    link_base = f"{server}/{repository}/blob/{sha}/" if server and repository and sha else None
    try:
        with open(summary_file, "a", encoding="utf-8") as stream:
            stream.write(github.step_summary(result, link_base=link_base))
    except OSError as error:
        print(
            f"workerlint: warning: cannot append to $GITHUB_STEP_SUMMARY ({summary_file}): "
            f"{error.strerror or error}",
            file=sys.stderr,
        )


def _print_diff(result: Any) -> int:
    from workerlint.core.output import display_path

    changed = 0
    for outcome in result.outcomes:
        if outcome.original is None or outcome.data is None:
            continue
        changed += 1
        name = display_path(outcome.file.path)
        old = outcome.original.decode("utf-8").splitlines(keepends=True)
        new = outcome.data.decode("utf-8").splitlines(keepends=True)
        sys.stdout.writelines(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))
    fixed = sum(o.fixed for o in result.outcomes)
    print(
        f"Would fix {fixed} problem{'s' * (fixed != 1)} in {changed} file{'s' * (changed != 1)}.",
        file=sys.stderr,
    )
    return EXIT_FINDINGS if changed else EXIT_CLEAN
