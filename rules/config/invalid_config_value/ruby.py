"""WL106's Ruby check: a Sidekiq YAML value or -c/-t flag that Sidekiq rejects or misreads."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workerlint import LanguageCheck, Level, Span
from workerlint.core.records import record
from workerlint.formats.erb import ruby_to_s
from workerlint.formats.values import node_source, unknown_because
from workerlint.formats.yaml import mapping_get
from workerlint.project.frameworks.sidekiq.keys import config_mappings, own_pairs
from workerlint.project.frameworks.sidekiq.report import report_at_source

if TYPE_CHECKING:
    from workerlint.formats.yaml import YNode
    from workerlint.project.context import ProjectContext
    from workerlint.project.frameworks.sidekiq.keys import ConfigMapping


_UNIT = re.compile(r"^\s*(\d+)\s*([A-Za-z]+)\s*$")
_NUMBER = re.compile(r"^\s*[+-]?\d+\s*$")


class SidekiqInvalidValues(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:
        self._flags(ctx)
        self._top_level(ctx)
        for mapping in config_mappings(ctx.setup):
            for name, _, value in own_pairs(mapping):
                if name in ("concurrency", "timeout"):
                    self._number(ctx, mapping, name, value)
                elif name == "queues":
                    self._queues(ctx, mapping, value)
            if (
                mapping.kind == "capsule"
                and ctx.setup.at_least(7)
                and mapping_get(mapping.node, "concurrency") is None
            ):
                self._report(
                    ctx, mapping, mapping.node,
                    f"Capsule `{mapping.name}` has no `concurrency`: a capsule declared in the "
                    "YAML gets nil and Sidekiq fails at boot",
                )  # fmt: skip

    def _flags(self, ctx: ProjectContext) -> None:
        """``-c`` and ``-t`` on the command line: Sidekiq's option parser wants an integer."""
        for command in ctx.setup.commands:
            for flag in (*command.values("concurrency"), *command.values("timeout")):
                text = flag.value
                if text.startswith("$"):
                    continue  # a shell variable: unknown here
                shown = "-c" if flag.option == "concurrency" else "-t"
                if re.fullmatch(r"[+-]?\d+", text):
                    if int(text) > 0:
                        continue
                    message = (
                        f"`{shown} {text}`: Sidekiq rejects a {flag.option} of 0 or less at boot"
                    )
                else:
                    message = f"`{shown} {text}`: the {flag.option} must be a positive integer"
                source = flag.source
                report_at_source(ctx, source, message)

    def _top_level(self, ctx: ProjectContext) -> None:
        """A Sidekiq YAML whose top level is a list or a single value: Sidekiq merges the
        environment's section into it at boot (``opts.merge``) and fails."""
        for yaml_file in ctx.setup.yaml_files:
            root = yaml_file.misshapen
            if root is None:
                continue
            shape = "a list" if root.kind == "sequence" else "a single value"
            node = root.value[0] if root.kind == "sequence" and root.value else root
            source = node_source(yaml_file.relpath, node)
            ctx.report_at(
                source.relpath,
                Span(source.start, source.end),
                f"The top level of a Sidekiq YAML must be a mapping (`:concurrency:`, `:queues:`, "
                f"...), not {shape}: Sidekiq fails at boot when it reads this file",
            )

    def _report(
        self,
        ctx: ProjectContext,
        mapping: ConfigMapping,
        node: YNode,
        message: str,
        level: Level | None = None,
    ) -> None:
        source = node_source(mapping.yaml.relpath, node)
        end = source.end
        if node.kind == "mapping":  # point at the capsule's name, not its whole body
            end = source.start
        ctx.report_at(source.relpath, Span(source.start, end), message, level=level)

    def _number(self, ctx: ProjectContext, mapping: ConfigMapping, name: str, node: YNode) -> None:
        if node.status == "unknown" or node.kind != "scalar":
            if node.kind != "scalar":
                self._report(ctx, mapping, node, f"`{name}` must be a positive integer")
            return
        value = node.value
        quoted = node.style in ("'", '"')
        if isinstance(value, int) and not isinstance(value, bool):
            if value <= 0:
                self._report(
                    ctx, mapping, node,
                    f"`{name}` is {value}: Sidekiq rejects a value of 0 or less at boot "
                    f'("{name}: {value} is not a valid value")',
                )  # fmt: skip
            return
        if isinstance(value, str) and _NUMBER.match(value) and quoted:
            self._report(
                ctx, mapping, node,
                f'`{name}` is the string "{value}", not a number: Sidekiq 6.4 dies at boot with a '
                f"TypeError; write {value.strip()} without quotes",
            )  # fmt: skip
            return
        match = _UNIT.match(value) if isinstance(value, str) else None
        if match:
            self._report(
                ctx, mapping, node,
                f'`{name}` is "{value}": Sidekiq reads a plain number'
                + (" of seconds" if name == "timeout" else "")
                + f" and this is not one; write {match.group(1)}",
            )  # fmt: skip
            return
        shown = "empty" if value is None else repr(value) if isinstance(value, str) else value
        self._report(ctx, mapping, node, f"`{name}` must be a positive integer, not {shown}")

    def _queues(self, ctx: ProjectContext, mapping: ConfigMapping, node: YNode) -> None:
        if node.status == "unknown":
            return
        if node.kind != "sequence":
            self._report(
                ctx, mapping, node,
                "`queues` must be a list of queue names (`- name` or `- [name, weight]`)",
            )  # fmt: skip
            return
        seen: dict[str, YNode] = {}
        for item in node.value:
            entry = _entry(item)
            if entry is None:
                continue
            if entry.weight is not None and not _weight_ok(entry.weight):
                queue = f"queue `{entry.name}`" if entry.name is not None else "this queue"
                self._report(
                    ctx, mapping, entry.weight_node or item,
                    f"The weight of {queue} must be a non-negative integer, not "
                    f"`{ruby_to_s(entry.weight)}`",
                )  # fmt: skip
            if entry.name is None:
                ctx.skip(
                    f"{mapping.yaml.relpath}:{item.line}: queue name unknown "
                    f"({unknown_because(entry.name_node)}): not compared with the other queues"
                )
            elif entry.name in seen:
                self._duplicate(ctx, mapping, item, entry.name, seen[entry.name])
            else:
                seen[entry.name] = item

    def _duplicate(
        self, ctx: ProjectContext, mapping: ConfigMapping, item: YNode, name: str, first: YNode
    ) -> None:
        setup = ctx.setup
        version = setup.effective_version
        raises = (6, 5) <= version < (7,)
        where = f"{mapping.yaml.relpath}:{first.line}"
        if raises:
            message = (
                f"Queue `{name}` is listed twice (first at {where}): {setup.version_label} "
                "raises at boot"
            )
            self._report(ctx, mapping, item, message)
        else:
            message = (
                f"Queue `{name}` is listed twice (first at {where}): {setup.version_label} "
                "does not check, but the repetition changes the queue's share; give it a weight"
            )
            self._report(ctx, mapping, item, message, Level.NOTE)


@record(frozen=True)
class _Entry:
    """One item of `queues`: ``name`` None when it is unknown (ERB that cannot be evaluated,
    or an unset variable with no default)."""

    name: str | None
    name_node: YNode
    weight: object = None  # None: no weight, or an unknown one
    weight_node: YNode | None = None


def _entry(item: YNode) -> _Entry | None:
    """The queue an item of `queues` names, or None when it is not a queue entry."""
    if item.kind == "scalar":
        if item.status == "unknown":
            return _Entry(None, item)
        if item.value is None:
            return None
        name, comma, weight = ruby_to_s(item.value).partition(",")
        if not comma:
            return _Entry(name.strip(), item)
        text = weight.strip()
        return _Entry(name.strip(), item, int(text) if text.isdigit() else text, item)
    if item.kind != "sequence" or not item.value or item.value[0].kind != "scalar":
        return None
    first = item.value[0]
    if first.status != "unknown" and first.value is None:
        return None
    name = None if first.status == "unknown" else ruby_to_s(first.value)
    if len(item.value) < 2 or item.value[1].status == "unknown":
        return _Entry(name, first)
    return _Entry(name, first, item.value[1].value, item.value[1])


def _weight_ok(weight: object) -> bool:
    return isinstance(weight, int) and not isinstance(weight, bool) and weight >= 0
