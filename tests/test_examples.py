"""Every Valid/Invalid example of every rule, as one generic test."""

import pytest

from workerlint.app import registry
from workerlint.app.testing import check_example

CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{kind}-{i}")
    for rule in registry.all_rules()
    for kind, examples in (("valid", rule.VALID), ("invalid", rule.INVALID))
    for i, example in enumerate(examples)
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example(rule, example):
    problems = check_example(rule, example)
    assert not problems, "\n".join(problems)
