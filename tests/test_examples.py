"""Every case of every rule's examples files, run with the rule alone, as one generic test."""

import pytest

from workerlint.app import registry
from workerlint.app.testing import check_case, examples_of

CASES = [
    pytest.param(rule, case, id=f"{rule.code}-{case.name}")
    for rule in registry.all_rules()
    for case in examples_of(rule)
]


@pytest.mark.parametrize(("rule", "case"), CASES)
def test_example(rule, case):
    problems = check_case(rule, case)
    assert not problems, "\n".join(problems)
