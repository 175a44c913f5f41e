"""Whether Rails defers an ActiveJob enqueue made inside a transaction to the commit.

Rails 7.2 added ``enqueue_after_transaction_commit``: with ``config.load_defaults 7.2`` its value
is ``:default`` (the adapter decides, and Sidekiq's says yes); Rails 8.0 and 8.1 turned it into
a boolean, false unless set; Rails 8.2 makes it true with ``config.load_defaults 8.2``. An
explicit setting wins: ``config.active_job.enqueue_after_transaction_commit = ...`` (or on
``ActiveJob::Base``) for every job and mail delivery, ``self.enqueue_after_transaction_commit =``
in ``ApplicationJob`` for the project's jobs (mail deliveries run ``ActionMailer::MailDeliveryJob``,
which does not inherit it). Nothing is executed: the settings are read as written.
"""

from __future__ import annotations

import re

from workerlint.core.records import record

APPLICATION_JOB = "app/jobs/application_job.rb"
_SETTING = re.compile(
    rb"(?P<owner>active_job\.|ActiveJob::Base\.|self\.)enqueue_after_transaction_commit"
    rb"\s*=\s*(?P<value>[:\w]+)"
)
_LOAD_DEFAULTS = re.compile(
    rb"^[ \t]*config\.load_defaults[ \t(]+[\"']?(?P<version>\d+(?:\.\d+)?)", re.M
)
_ON = frozenset({"true", ":always"})


@record(frozen=True)
class AfterCommitSetting:
    """``enqueue_after_transaction_commit = value`` as written, and where."""

    value: str
    where: str  # "config/application.rb:12"
    jobs_only: bool  # set in ApplicationJob: mail deliveries do not inherit it


@record(frozen=True)
class Deferral:
    """Whether an enqueue in a transaction waits for the commit (None: not known), and why."""

    deferred: bool | None
    why: str


def load_defaults(data: bytes) -> tuple[int, ...] | None:
    """The ``config.load_defaults`` version of ``config/application.rb``."""
    match = _LOAD_DEFAULTS.search(data)
    if match is None:
        return None
    return tuple(int(n) for n in match.group("version").decode().split("."))


def after_commit_settings(relpath: str, data: bytes) -> list[AfterCommitSetting]:
    """The ``enqueue_after_transaction_commit`` assignments of a configuration file (or of
    ``app/jobs/application_job.rb``), in order."""
    if b"enqueue_after_transaction_commit" not in data:
        return []
    found = []
    for match in _SETTING.finditer(data):
        owner = match.group("owner").decode()
        if owner == "self." and relpath != APPLICATION_JOB:
            continue
        line = data.count(b"\n", 0, match.start()) + 1
        found.append(
            AfterCommitSetting(
                match.group("value").decode(), f"{relpath}:{line}", jobs_only=owner == "self."
            )
        )
    return found


def deferral(
    version: tuple[int, ...] | None,
    version_text: str | None,
    defaults: tuple[int, ...] | None,
    settings: tuple[AfterCommitSetting, ...],
    *,
    mail: bool,
) -> Deferral:
    """Whether Rails defers an ActiveJob enqueue (a mail delivery when ``mail``) made inside an
    Active Record transaction to the commit."""
    applying = [s for s in settings if not (mail and s.jobs_only)]
    if applying and (version is None or version >= (7, 2)):  # no such setting before 7.2
        last = applying[-1]
        written = f"`enqueue_after_transaction_commit = {last.value}` ({last.where})"
        if last.value in _ON or (last.value == ":default" and (7, 2) <= (version or (7, 2)) < (8,)):
            return Deferral(True, written)
        return Deferral(False, f"with {written} Rails enqueues at once")
    if version is None:
        return Deferral(None, "the Rails version is unknown")
    rails = f"Rails {version_text}"
    shown = ".".join(str(n) for n in defaults) if defaults else None
    if version < (7, 2):
        return Deferral(False, f"{rails} enqueues at once")
    with_defaults = (
        f"{rails} with `load_defaults {shown}`" if shown else f"{rails} without `load_defaults`"
    )
    if version < (8,):
        on = defaults is not None and defaults >= (7, 2)
        return Deferral(on, with_defaults if on else f"{with_defaults} enqueues at once")
    if version < (8, 2):
        return Deferral(
            False, f"{rails} enqueues at once unless `enqueue_after_transaction_commit` is set"
        )
    on = defaults is not None and defaults >= (8, 2)
    return Deferral(on, with_defaults if on else f"{with_defaults} enqueues at once")
