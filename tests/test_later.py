"""Work done for the next run (core/later.py): at once in a run of its own process; after the
answer in a served run (app/server.py), in the order given, a failure losing only itself."""

from __future__ import annotations

import os

import pytest

from workerlint.core import later


@pytest.fixture(autouse=True)
def _nothing_held():
    yield
    later.run_held()  # a failed test leaves no held work for the next


def test_without_a_hold_the_work_is_done_at_once():
    done: list[str] = []
    later.after_answer(lambda: done.append("manifest"))
    assert done == ["manifest"]


def test_held_work_waits_for_run_held_and_keeps_its_order():
    done: list[str] = []
    later.hold()
    later.after_answer(lambda: done.append("index"))
    later.after_answer(lambda: done.append("results"))
    assert done == []
    assert later.run_held() == 0
    assert done == ["index", "results"]
    later.after_answer(lambda: done.append("after"))  # held no more: at once
    assert done == ["index", "results", "after"]


def test_a_failing_work_loses_only_itself():
    done: list[str] = []

    def broken() -> None:
        raise OSError(28, "No space left on device")

    later.hold()
    later.after_answer(broken)
    later.after_answer(lambda: done.append("manifest"))
    assert later.run_held() == 1
    assert done == ["manifest"]


def test_another_process_than_the_holder_does_its_work_at_once(monkeypatch):
    """A worker forked from a served run (a parallel run's pool) inherits the hold: its work
    would never be done there, so it is done at once."""
    done: list[str] = []
    later.hold()
    worker = os.getpid() + 1
    monkeypatch.setattr(later.os, "getpid", lambda: worker)
    later.after_answer(lambda: done.append("worker"))
    assert done == ["worker"]
