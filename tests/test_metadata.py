"""Every rule's metadata and documentation; every shared query; the README's rule table."""

from __future__ import annotations

import re

import pytest
from conftest import REPO

from workerlint.app import registry
from workerlint.app.cli import rules_table
from workerlint.app.testing import examples_of
from workerlint.lang.ruby.parse import query
from workerlint.lang.ruby.queries import ALL as QUERIES

RULES = registry.all_rules()
CODES = {r.code for r in RULES}
ENGINE = {"WL001", "WL002"}
BUILTIN_PREDICATES = {
    "eq?",
    "not-eq?",
    "match?",
    "not-match?",
    "any-of?",
    "not-any-of?",
    "any-eq?",
    "any-not-eq?",
    "any-match?",
    "any-not-match?",
    "is?",
    "is-not?",
    "set!",
}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_metadata(rule):
    assert re.fullmatch(r"WL\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
    assert rule.summary.endswith(".") and rule.summary[0].isupper()
    assert rule.summary.count(". ") == 0, "the summary is one sentence"
    assert rule.fix_availability in ("always", "sometimes", "none")
    assert rule.precision in ("high", "medium", "low")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_security_metadata(rule):
    # GitHub uses security-severity only for rules tagged "security" that name their weaknesses.
    assert bool(rule.cwe) == (rule.security_severity is not None) == ("security" in rule.tags)
    assert all(isinstance(n, int) and n > 0 for n in rule.cwe)
    assert len(set(rule.cwe)) == len(rule.cwe)
    if rule.security_severity is not None:
        assert 0.1 <= rule.security_severity <= 10.0


def required_sections(rule: type) -> list[str]:
    """The headings a rule's documentation has, in this order (ARCHITECTURE.md, "A rule")."""
    required = ["## What it does", "## Why is this bad?", "## Example"]
    if rule.fix_availability != "none":
        required.append("## Fix safety")
    if rule.option_defaults:
        required.append("## Options")
    return required


def section_problems(doc: str, required: list[str]) -> list[str]:
    """What is missing or out of order among the required headings and `Use instead:`."""
    lines = doc.splitlines()
    headings = [line for line in lines if line.startswith("## ")]
    problems = [f"lacks {heading}" for heading in required if heading not in headings]
    present = [heading for heading in headings if heading in required]
    if not problems and present != required:
        problems.append(f"headings out of order: {present} (expected {required})")
    if "Use instead:" not in lines:
        problems.append("lacks `Use instead:`")
    elif "## Example" in lines:
        example = lines.index("## Example")
        after = next(
            (i for i in range(example + 1, len(lines)) if lines[i].startswith("## ")), None
        )
        if not example < lines.index("Use instead:") < (after or len(lines)):
            problems.append("`Use instead:` belongs in the `## Example` section")
    return problems


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documentation_sections(rule):
    doc = rule.documentation()
    assert section_problems(doc, required_sections(rule)) == []
    for option in rule.option_defaults:
        assert f"`{option}`" in doc.split("## Options", 1)[1]


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        (
            "## Why is this bad?\nx\n## What it does\nx\n## Example\nx\nUse instead:\ny",
            "headings out of order",
        ),
        ("## What it does\n## Why is this bad?\nUse instead:\n", "lacks ## Example"),
        ("## What it does\n## Why is this bad?\n## Example\nx\n", "lacks `Use instead:`"),
        (
            "## What it does\n## Why is this bad?\nUse instead:\n## Example\nx\n",
            "`Use instead:` belongs in the `## Example` section",
        ),
    ],
)
def test_the_section_check_can_fail(doc, problem):
    required = ["## What it does", "## Why is this bad?", "## Example"]
    assert any(p.startswith(problem) for p in section_problems(doc, required))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_examples(rule):
    cases = examples_of(rule)
    valid = [c for c in cases if c.valid]
    invalid = [c for c in cases if not c.valid]
    if rule.code not in ENGINE:
        assert len(valid) >= 8, f"{rule.code} has {len(valid)} valid cases"
        assert len(invalid) >= 8, f"{rule.code} has {len(invalid)} invalid cases"
    else:
        assert valid and invalid
    # A fixable rule shows a fix that changes the file (a `# fixed:` block equal to the file
    # under test is an assertion that no edit is made, e.g. WL302's ordered chain).
    if rule.fix_availability != "none":
        assert any(c.fixed is not None and c.fixed != c.text for c in invalid), (
            f"{rule.code} is fixable: show a fix (`# fixed:`)"
        )
    assert all(needed in CODES for needed in rule.needs)


def test_codes_and_names_are_unique():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_compiles_with_builtin_predicates_only(name):
    source = QUERIES[name]
    query(source)  # raises on a syntax error or an unknown node type / field
    predicates = set(re.findall(r"\(#([\w-]+[?!])", source))
    assert predicates <= BUILTIN_PREDICATES, predicates - BUILTIN_PREDICATES
    for match in re.finditer(r'#(?:not-)?match\? @\w+ "((?:[^"\\]|\\.)*)"', source):
        assert match.group(1).startswith("^") and match.group(1).endswith("$"), "anchor #match?"
    assert not re.search(r"#not-any-of\? @\w+ \"[^\"]*\" \"", source), "use #not-match? instead"


def test_readme_rule_table_is_current():
    readme = (REPO / "README.md").read_text()
    start = readme.index("<!-- rules-table:start -->\n") + len("<!-- rules-table:start -->\n")
    end = readme.index("<!-- rules-table:end -->")
    assert readme[start:end] == rules_table(RULES), (
        "README's rule table is stale: run `workerlint rules --output-format markdown`"
    )


def test_pre_commit_hooks_are_well_formed():
    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["workerlint", "workerlint-fix"]
    for hook in hooks:
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "python"
        assert hook["entry"].startswith("workerlint check --force-exclude")
        pattern = re.compile(hook["files"])
        for path in (
            "app/workers/a.rb",
            "config/sidekiq.yml",
            "config/sidekiq.yml.erb",
            "Procfile",
            "Procfile.dev",
            "Procfile.dev.sample",
            "Gemfile.lock",
        ):
            assert pattern.search(path), path
        assert not pattern.search("README.md")


def test_readme_settings_example_is_valid():
    import tomllib

    from workerlint.core.settings import from_table

    readme = (REPO / "README.md").read_text()
    blocks = [part.split("```", 1)[0] for part in readme.split("```toml\n")[1:]]
    parsed = [tomllib.loads(block) for block in blocks]
    tables = [doc["tool"]["workerlint"] if "tool" in doc else doc for doc in parsed]
    every = [from_table(table, "README", registry) for table in tables]  # each one is valid
    [settings] = [s for s, table in zip(every, tables, strict=True) if "max-file-size" in table]
    assert settings.rule_options("WL201") == {"timeout-seconds": 5}
    assert settings.max_file_size == 5 * 1024 * 1024
    [python] = [s for s, table in zip(every, tables, strict=True) if "celery-version" in table]
    assert python.celery_version == "5.4.0"


def test_every_package_is_shipped():
    """pyproject.toml lists every package (one folder per rule makes forgetting one easy)."""
    import tomllib

    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(REPO).parts)
        for p in (REPO / "workerlint").rglob("__init__.py")
    }
    found |= {
        "workerlint." + ".".join(p.parent.relative_to(REPO).parts)
        for p in (REPO / "rules").rglob("__init__.py")
    }
    assert listed == found


def test_every_rule_folder_is_in_the_catalogue():
    """A rule folder whose class the catalogue (rules/__init__.py) does not list never runs."""
    folders = {
        p.parent.relative_to(REPO / "rules").as_posix()
        for p in (REPO / "rules").glob("*/*/__init__.py")
    }
    listed = {r.__module__.removeprefix("workerlint.rules.").replace(".", "/") for r in RULES}
    assert listed == folders
