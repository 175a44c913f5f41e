"""Command-line front end: ``check`` (with --fix/--diff/--unsafe-fixes), ``explain``, ``rules``."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workerlint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _csv(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workerlint",
        description="Static analysis for Sidekiq workers and their configuration.",
    )
    parser.add_argument("--version", action="version", version=f"workerlint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="check files and folders (default: .)")
    check.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH")
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
    check.add_argument("--jobs", type=int, help="worker processes (default: CPU count)")

    explain = sub.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("rule", metavar="RULE", help="code or name, e.g. WL201")
    explain.add_argument("--output-format", choices=("text", "json"), default="text")

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--output-format", choices=("text", "json", "markdown"), default="text")
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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "explain":
            return _explain(args.rule, args.output_format)
        if args.command == "rules":
            return _rules(args.output_format)
        return _check(args)
    except BrokenPipeError:
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


def _explain(token: str, output_format: str) -> int:
    from workerlint import registry

    rule = registry.lookup(token)
    if rule is None:
        return _error(registry.unknown_message(token).replace("rule selector", "rule"))
    if output_format == "json":
        record = {**_rule_record(rule), "documentation": rule.documentation()}
        print(json.dumps(record, indent=2))
        return EXIT_CLEAN
    fix = {"always": "always", "sometimes": "sometimes", "none": "no"}[rule.fix_availability]
    if rule.suggestion_only and rule.fix_availability != "none":
        fix += " (a display-only suggestion, never applied)"
    print(f"# {rule.name} ({rule.code})\n")
    print(f"Level: {rule.level.label}. Fix: {fix}. {rule.summary}\n")
    print(rule.documentation())
    return EXIT_CLEAN


def _rules(output_format: str) -> int:
    from workerlint import registry

    rules = registry.all_rules()
    if output_format == "json":
        print(json.dumps([_rule_record(r) for r in rules], indent=2))
        return EXIT_CLEAN
    if output_format == "markdown":
        print(rules_table(rules), end="")
        return EXIT_CLEAN
    width = max(len(r.name) for r in rules)
    for rule in rules:
        fix = (
            ("sug" if rule.suggestion_only else "fix") if rule.fix_availability != "none" else "   "
        )
        print(f"{rule.code}  {rule.name:<{width}}  {rule.level.label:<7}  {fix}  {rule.summary}")
    return EXIT_CLEAN


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
    from workerlint.diagnostics import Level

    env = []
    for item in args.env:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ValueError(f"--env expects NAME=VALUE, got `{item}`")
        env.append((name, value))
    return {
        "select": _csv(args.select),
        "ignore": _csv(args.ignore),
        "extend_select": _csv(args.extend_select),
        "fail_level": Level.parse(args.fail_level) if args.fail_level else None,
        "sidekiq_version": args.sidekiq_version,
        "env": tuple(env) if env else None,
    }


def _check(args: argparse.Namespace) -> int:
    from workerlint import registry
    from workerlint.engine import Options
    from workerlint.runner import run
    from workerlint.settings import SettingsError

    problem = _report_usage_error(args)
    if problem:
        return _error(problem)
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        return _error(f"no such file or folder: {', '.join(missing)}")
    options = Options(
        fix=args.fix,
        unsafe_fixes=args.unsafe_fixes,
        diff=args.diff,
        force_exclude=args.force_exclude,
        use_cache=not args.no_cache,
        jobs=args.jobs,
    )
    try:
        overrides = _overrides(args)
        result = run(args.paths, options, config=args.config, overrides=overrides)
    except (SettingsError, registry.SelectionError, ValueError) as error:
        return _error(str(error))
    for warning in result.warnings:
        print(f"workerlint: warning: {warning}", file=sys.stderr)
    if args.baseline:
        from workerlint import baseline

        try:
            result.diagnostics, accepted = baseline.filter_accepted(
                args.baseline, result.diagnostics, result.sources
            )
        except baseline.BaselineError as error:
            return _error(str(error))
        result.notes.append(f"the baseline {args.baseline} accepted {accepted} finding(s)")
    if args.verbose:
        for note in result.notes:
            print(f"workerlint: {note}", file=sys.stderr)
    if args.write_baseline:
        from workerlint import baseline

        count = baseline.write(args.write_baseline, result.diagnostics, result.sources)
        print(f"Wrote a baseline of {count} finding{'s' * (count != 1)} to {args.write_baseline}.")
        return EXIT_ERROR if result.internal_errors else EXIT_CLEAN
    if args.diff:
        return _print_diff(result)
    if not _report(result, args):
        return EXIT_ERROR
    if result.internal_errors:
        return EXIT_ERROR
    fail_level = _fail_level(result, overrides)
    failing = [d for d in result.diagnostics if d.level >= fail_level]
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_CLEAN


def _fail_level(result: Any, overrides: dict[str, Any]) -> Any:
    from workerlint.diagnostics import Level

    if overrides.get("fail_level") is not None:
        return overrides["fail_level"]
    return min((s.fail_level for s in getattr(result, "settings", [])), default=Level.WARNING)


def _report(result: Any, args: argparse.Namespace) -> bool:
    """Render the report, write it where asked, and do what the format adds on the side."""
    to_file = args.output_file is not None
    if args.statistics:
        from workerlint.output import counts

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
        from workerlint.output import sarif

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
    from workerlint.output import text

    return text.use_colour(sys.stdout)


def _render(result: Any, args: argparse.Namespace, *, colour: bool) -> str:
    output_format = args.output_format
    if output_format == "json":
        from workerlint.output import json as renderer

        return renderer.render(result)
    if output_format == "sarif":
        from workerlint.output import sarif

        return sarif.render(result, category=args.sarif_category)
    if output_format == "github":
        from workerlint.output import github

        return github.render(result)
    if output_format == "gitlab":
        from workerlint.output import gitlab

        return gitlab.render(result)
    if output_format == "concise":
        from workerlint.output import concise

        return concise.render(result, show_fixes=args.unsafe_fixes, quiet=args.quiet)
    from workerlint.output import text

    return text.render(result, colour=colour, show_fixes=args.unsafe_fixes, quiet=args.quiet)


def _github_extras(result: Any, *, quiet: bool) -> None:
    """With ``--output-format github``: a summary line on stderr, and the step summary."""
    import os

    from workerlint.output import github
    from workerlint.output.text import summary_line

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
    from workerlint.output import display_path

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
