"""WL403's Ruby check: a Sidekiq job argument JSON cannot carry, and `perform` keywords."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import Applicability, Edit, Fix, LanguageCheck, Level, Span
from workerlint.core.records import record
from workerlint.lang.ruby import enqueue, nodes
from workerlint.lang.ruby.nodes import constant_path, method_name, text
from workerlint.lang.ruby.relations import relation_chain
from workerlint.lang.ruby.semantic import lexical

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import Enqueue
    from workerlint.project.context import FileContext

# Class methods that return a record (or records) of the model they are called on.
FINDERS = frozenset(
    {"find", "find_by", "find_by!", "first", "last", "first!", "last!", "take", "take!", "sole",
     "find_sole_by", "new", "create", "create!", "find_or_create_by", "find_or_create_by!",
     "find_or_initialize_by", "create_or_find_by", "create_or_find_by!"}
)  # fmt: skip
NEW_RECORD = frozenset({"new", "find_or_initialize_by"})  # may have no id yet: no `.id` fix
TIME_CLASS = {
    "Time": frozenset({"now", "current", "new", "at", "parse", "utc", "local", "gm", "mktime",
                       "iso8601", "strptime"}),
    "DateTime": frozenset({"now", "current", "new", "parse", "civil", "iso8601", "strptime"}),
    "Date": frozenset({"today", "current", "yesterday", "tomorrow", "new", "parse", "civil",
                       "iso8601", "strptime"}),
}  # fmt: skip
ZONE_METHODS = frozenset({"now", "today", "parse", "at", "local", "iso8601", "strptime"})
DURATION_UNITS = frozenset(
    {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
     "fortnight", "fortnights", "month", "months", "year", "years"}
)  # fmt: skip
# Methods of a Time/Date that return a Time/Date again.
TIME_KEEPING = frozenset(
    {"beginning_of_day", "end_of_day", "beginning_of_hour", "end_of_hour", "beginning_of_minute",
     "beginning_of_week", "end_of_week", "beginning_of_month", "end_of_month", "beginning_of_year",
     "end_of_year", "beginning_of_quarter", "end_of_quarter", "midnight", "noon", "utc", "getutc",
     "localtime", "in_time_zone", "round", "advance", "change", "prev_day", "next_day",
     "yesterday", "tomorrow", "prev_month", "next_month", "to_time", "to_datetime", "to_date"}
)  # fmt: skip
NOT_PLAIN = ("Hash", "Array", "String", "ActiveSupport::HashWithIndifferentAccess")
MAX_DEPTH = 4


@record(frozen=True)
class Bad:
    """A value that is not JSON-native, and the edits that make it one."""

    node: Node
    what: str  # "a Symbol (`:daily`)"
    kind: str  # "Symbol", "Time", "record", ... (a key of _ARRIVES)
    edits: tuple[Edit, ...] = ()
    safe: bool = False


def _replace(node: Node, content: str) -> tuple[Edit, ...]:
    return (Edit(node.start_byte, node.end_byte, content),)


def _append(node: Node, suffix: str) -> tuple[Edit, ...]:
    """``x`` -> ``x.suffix``, parenthesised when ``x`` is not a call or a name."""
    if node.type in ("call", "identifier", "instance_variable", "self"):
        return (Edit(node.end_byte, node.end_byte, suffix),)
    return (
        Edit(node.start_byte, node.start_byte, "("),
        Edit(node.end_byte, node.end_byte, ")" + suffix),
    )


def _symbol(node: Node) -> Bad:
    source = text(node)
    what = f"a Symbol (`{source}`)"
    if node.type == "simple_symbol":
        return Bad(node, what, "Symbol", _replace(node, f'"{source[1:]}"'), safe=True)
    if node.has_error or not source.startswith((':"', ":'")):
        return Bad(node, what, "Symbol")  # %s(a b): no fix
    # :"a b" / :'a b' -> drop the colon
    return Bad(node, what, "Symbol", (Edit(node.start_byte, node.start_byte + 1, ""),), True)


def time_kind(node: Node | None, depth: int = 0) -> str | None:
    """``"Time"`` or ``"Date"`` when an expression plainly makes one (``Time.now``, ``1.day.ago``)."""
    if node is None or depth > 8:
        return None
    if node.type == "parenthesized_statements" and node.named_child_count == 1:
        return time_kind(node.named_children[0], depth + 1)
    if node.type == "binary":
        operator = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if text(operator) in ("+", "-") and _is_duration(right):
            return time_kind(left, depth + 1)
        return None  # Time - Time is a Float; Time - x is not known
    if node.type != "call":
        return None
    name = method_name(node) or ""
    recv = nodes.receiver(node)
    const = constant_path(recv)
    if const is not None:
        bare = const.removeprefix("::")
        if name in TIME_CLASS.get(bare, ()):
            return "Date" if bare == "Date" else "Time"
        return None
    if recv is None:
        return None
    if (
        name in ZONE_METHODS
        and recv.type == "call"
        and method_name(recv) == "zone"
        and constant_path(nodes.receiver(recv)) in ("Time", "::Time")
    ):
        return "Date" if name == "today" else "Time"
    if (
        name in ("ago", "from_now", "since", "until")
        and recv.type == "call"
        and method_name(recv) in DURATION_UNITS
        and not nodes.arguments(node)
    ):
        return "Time"
    if name == "to_date":
        return "Date"
    if name in ("to_time", "to_datetime"):
        return "Time"
    if name in TIME_KEEPING:
        inner = time_kind(recv, depth + 1)
        if inner is not None and name in ("beginning_of_day", "end_of_day", "in_time_zone"):
            return "Time"
        return inner
    return None


def _is_duration(node: Node | None) -> bool:
    """``5``, ``1.5``, ``5.minutes``, ``n.days``."""
    if node is None:
        return False
    if node.type in ("integer", "float"):
        return True
    return node.type == "call" and method_name(node) in DURATION_UNITS


class _Values:
    """What the arguments of one enqueue call are."""

    def __init__(self, ctx: FileContext, call: Node) -> None:
        self.ctx = ctx
        self.call = call

    # -- records ---------------------------------------------------------------------------
    def model_of(self, const: str) -> str | None:
        resolved = self.ctx.index.resolve(const.removeprefix("::"), lexical(self.ctx.class_scope))
        return resolved if resolved is not None and self.ctx.index.is_model(resolved) else None

    def record_expr(self, node: Node) -> tuple[str, str] | None:
        """(model, finder) when ``node`` is ``Model.find(...)``, ``Model.where(..).first``..."""
        if node.type != "call":
            return None
        name = method_name(node) or ""
        if name not in FINDERS:
            return None
        recv = nodes.receiver(node)
        const = constant_path(recv)
        if const is not None:
            model = self.model_of(const)
            return (model, name) if model else None
        if name in ("find", "find_by", "find_by!", "first", "last", "take", "sole"):
            chain = relation_chain(recv, self.ctx)
            if chain is not None and chain.model is not None:
                return chain.model, name
        return None

    def in_model(self) -> str | None:
        scope = self.ctx.class_scope
        if scope is None or not self.ctx.index.is_model(scope.facts.name):
            return None
        return scope.facts.name

    # -- locals ----------------------------------------------------------------------------
    def block_param(self, node: Node) -> tuple[bool, str | None]:
        """(whether ``node`` names a block parameter, the model when it is the first parameter
        of ``Model.where(..).find_each { |x| }`` or ``each``)."""
        name = text(node)
        parent = node.parent
        while parent is not None and parent.type not in ("method", "singleton_method", "class"):
            if parent.type in ("block", "do_block") and name in nodes.block_params(parent):
                owner = parent.parent
                first = nodes.block_params(parent).index(name) == 0
                if not first or owner is None or owner.type != "call":
                    return True, None
                if method_name(owner) not in ("each", "find_each", "each_with_index"):
                    return True, None
                chain = relation_chain(nodes.receiver(owner), self.ctx)
                return True, chain.model if chain is not None else None
            parent = parent.parent
        return False, None

    # -- values ----------------------------------------------------------------------------
    def check(self, node: Node, depth: int = 0) -> list[Bad]:
        if depth > MAX_DEPTH:
            return []
        kind = node.type
        if kind in ("simple_symbol", "delimited_symbol"):
            return [_symbol(node)]
        if kind == "symbol_array":  # %i[a b] -> %w[a b]
            source = text(node)
            edit = Edit(node.start_byte, node.start_byte + 2, "%W" if source[1] == "I" else "%w")
            return [Bad(node, f"Symbols (`{enqueue.describe(node)}`)", "Symbol", (edit,), True)]
        if kind == "array":
            return [b for c in node.named_children for b in self.check(c, depth + 1)]
        if kind == "hash":
            return self.hash(node, depth)
        if kind == "range":
            return [Bad(node, f"a Range (`{enqueue.describe(node)}`)", "Range")]
        if kind == "parenthesized_statements" and node.named_child_count == 1:
            return self.check(node.named_children[0], depth + 1)
        if kind == "self":
            return self.self_value(node)
        if kind == "identifier":
            return self.local(node, depth)
        if kind == "instance_variable":
            return self.ivar(node, depth)
        if kind in ("constant", "scope_resolution"):
            return self.constant(node)
        if kind in ("call", "binary"):
            return self.expression(node)
        return []

    def hash(self, node: Node, depth: int) -> list[Bad]:
        found: list[Bad] = []
        for pair in node.named_children:
            if pair.type != "pair":
                continue
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            if key is None or value is None:
                continue
            arrow = any(c.type == "=>" for c in pair.children)
            name = nodes.key_name(key)
            if key.type == "hash_key_symbol" and name:
                what = f"a Hash with a Symbol key (`{name}:`)"
                edit = Edit(key.start_byte, value.start_byte, f'"{name}" => ')
                found.append(Bad(key, what, "Symbol key", (edit,), True))
            elif key.type == "simple_symbol" and arrow:
                what = f"a Hash with a Symbol key (`{text(key)}`)"
                found.append(
                    Bad(key, what, "Symbol key", _replace(key, f'"{text(key)[1:]}"'), True)
                )
            elif not arrow:  # "a b": 1 is a Symbol key too
                found.append(Bad(key, f"a Hash with a Symbol key (`{text(key)}:`)", "Symbol key"))
            found.extend(self.check(value, depth + 1))
        return found

    def self_value(self, node: Node) -> list[Bad]:
        model = self.in_model()
        if model is None:
            return []
        parent = node.parent
        while parent is not None and parent.type != "class":
            if parent.type in ("singleton_method", "singleton_class"):
                return [Bad(node, f"the class `{model}` (`self`)", "class")]
            parent = parent.parent
        return [Bad(node, f"{_a(model)} record (`self`)", "record", _replace(node, "id"))]

    def local(self, node: Node, depth: int) -> list[Bad]:
        name = text(node)
        is_param, model = self.block_param(node)
        if model is not None:
            return [Bad(node, f"{_a(model)} record (`{name}`)", "record", _append(node, ".id"))]
        if is_param:
            return []
        binding = self.ctx.semantic.binding_of(node)
        if binding is None or binding.value is None:
            return []
        return self.through(node, binding.value, depth)

    def ivar(self, node: Node, depth: int) -> list[Bad]:
        values = self.ctx.semantic.ivar_values(node)
        if not values:
            return []
        results = [self.through(node, v, depth) for v in values]
        kinds = {tuple(b.kind for b in r) for r in results}
        if len(kinds) != 1 or not results[0] or results[0][0].kind not in ("record", "Time"):
            return []  # assigned different things in different places: not known
        fixable = all(r[0].edits for r in results)
        first = results[0][0]
        return [Bad(node, first.what, first.kind, first.edits if fixable else ())]

    def through(self, node: Node, value: Node, depth: int) -> list[Bad]:
        """A local or ivar whose assigned value is not JSON-native."""
        name = text(node)
        line = value.start_point[0] + 1
        inner = self.check(value, depth + 1)
        if len(inner) != 1 or inner[0].node != value:
            return []  # a collection holding one: reported where it is built, or not known
        bad = inner[0]
        where = f"assigned on line {line}"
        found = self.record_expr(value)
        if bad.kind == "record":
            single = found is not None or value.type == "self"
            fixable = value.type == "self" or (found is not None and found[1] not in NEW_RECORD)
            edits = _append(node, ".id") if fixable else ()
            model = bad.what.split("`")[1]
            what = f"{_a(model)} record" if single else f"`{model}` records"
            return [Bad(node, f"{what} (`{name}`, {where})", "record", edits)]
        if bad.kind in ("Time", "Date"):
            edits = _append(node, ".to_i" if bad.kind == "Time" else ".iso8601")
            return [Bad(node, f"a {bad.kind} (`{name}`, {where})", bad.kind, edits)]
        return [Bad(node, f"{bad.what.split(' (')[0]} (`{name}`, {where})", bad.kind)]

    def constant(self, node: Node) -> list[Bad]:
        const = constant_path(node)
        if const is None:
            return []
        index = self.ctx.index
        resolved = index.resolve(const.removeprefix("::"), lexical(self.ctx.class_scope))
        if resolved is not None and any(c.kind == "class" for c in index.classes[resolved]):
            return [Bad(node, f"the class `{const}` itself", "class")]
        value = index.constant(const, lexical(self.ctx.class_scope))
        if isinstance(value, nodes.Symbol):
            return [Bad(node, f"a Symbol (`{const}` is `{value!r}`)", "Symbol")]
        return []

    def expression(self, node: Node) -> list[Bad]:
        source = enqueue.describe(node)
        kind = time_kind(node)
        if kind is not None:
            edits = _append(node, ".to_i" if kind == "Time" else ".iso8601")
            return [Bad(node, f"a {kind} (`{source}`)", kind, edits)]
        if node.type != "call":
            return []
        name = method_name(node)
        recv = nodes.receiver(node)
        const = constant_path(recv)
        if const is not None and const.removeprefix("::") == "Set" and name in ("new", "[]"):
            return [Bad(node, f"a Set (`{source}`)", "Set")]
        if name == "to_set":
            return [Bad(node, f"a Set (`{source}`)", "Set")]
        record = self.record_expr(node)
        if record is not None:
            return [Bad(node, f"{_a(record[0])} record (`{source}`)", "record")]
        chain = relation_chain(node, self.ctx)
        if chain is None and name in ("to_a", "load", "records"):
            chain = relation_chain(recv, self.ctx)
        if chain is not None and chain.model is not None:
            return [Bad(node, f"`{chain.model}` records (`{source}`)", "record")]
        if name == "new" and const is not None:
            return self.instance(node, const, source)
        return []

    def instance(self, node: Node, const: str, source: str) -> list[Bad]:
        index = self.ctx.index
        resolved = index.resolve(const.removeprefix("::"), lexical(self.ctx.class_scope))
        if resolved is None or not any(c.kind == "class" for c in index.classes[resolved]):
            return []
        if any(a.removeprefix("::") in NOT_PLAIN for a in index.ancestors(resolved)):
            return []
        return [Bad(node, f"{_a(const)} object (`{source}`)", "object")]


_ARRIVES = {
    "Symbol": "a Symbol arrives as a String",
    "Symbol key": "a Symbol key arrives as a String key",
    "keywords": "keyword arguments arrive as one Hash with String keys",
    "Time": "a Time arrives as a String",
    "Date": "a Date arrives as a String",
    "Range": "a Range arrives as a String",
    "Set": "a Set arrives as a String",
    "record": "a record arrives as a String like `#<Order:0x...>`",
    "object": "an object arrives as its `to_s` String",
    "class": "a class arrives as its name",
}


class RubyNonJsonCheck(LanguageCheck):
    worker_code_only = False
    call_names = enqueue.SIDEKIQ_METHODS | enqueue.CLIENT_METHODS
    node_types = frozenset({"method"})
    # The gate: of methods it reads only `def perform` (keyword arguments of a job).
    gate_words = call_names | {"perform"}

    def visit(self, node: Node, ctx: FileContext) -> None:
        if node.type == "method":
            self._perform_keywords(node, ctx)
            return
        found = enqueue.classify(node, ctx)
        if found is None or not enqueue.is_sidekiq_job(found, ctx):
            return
        owner = _own_enqueue_method(found, ctx)
        if owner is not None:
            ctx.skip(
                f"{ctx.relpath}:{node.start_point[0] + 1}: `{found.label}` calls "
                f"`{owner}.{found.method}`, defined in the project, which may convert its "
                "arguments before they are pushed: not checked"
            )
            return
        values = _Values(ctx, node)
        bads = [b for arg in found.job_args for b in values.check(arg)]
        # `perform_async("id" => 1)` passes a Hash with String keys: only Symbol keys (and
        # `**splat`) are keyword arguments.
        keywords = [k for k in found.keywords if _symbol_keyed(k)]
        for pair in found.keywords:
            value = pair.child_by_field_name("value") if pair.type == "pair" else None
            if not _symbol_keyed(pair) and value is not None:
                bads.extend(values.check(value))
        if not bads and not keywords:
            return
        items = [b.what for b in bads]
        kinds = [b.kind for b in bads]
        if keywords:
            shown = ", ".join(f"`{_key(k)}`" for k in keywords)
            items.append(f"keyword arguments ({shown})")
            kinds.append("keywords")
        message = f"`{found.label}` passes {_join(items)}: " + _consequence(kinds, ctx)
        ctx.report(Span(*nodes.call_span(node)), message, fix=_fix(bads), level=_level(ctx))

    def _perform_keywords(self, node: Node, ctx: FileContext) -> None:
        scope = ctx.class_scope
        if text(node.child_by_field_name("name")) != "perform" or scope is None:
            return
        name = scope.facts.name
        if not ctx.index.is_worker(name) or ctx.index.is_active_job(name):
            return
        params = node.child_by_field_name("parameters")
        keywords = [
            p
            for p in (params.named_children if params is not None else [])
            if p.type in ("keyword_parameter", "hash_splat_parameter")
        ]
        splat = any(p.type == "splat_parameter" for p in params.named_children) if params else False
        if not keywords or (splat and all(p.type == "hash_splat_parameter" for p in keywords)):
            return  # `def perform(*args, **opts)` delegates: every argument lands in `args`
        shown = ", ".join(f"`{_param(p)}`" for p in keywords)
        span = Span(keywords[0].start_byte, keywords[-1].end_byte)
        head = (
            f"`perform` takes keyword parameters ({shown}): Sidekiq calls it with positional "
            "arguments decoded from JSON"
        )
        required = [_param(p) for p in keywords if _required(p)]
        if required:
            names = ", ".join(f"`{r}`" for r in required)
            message = (
                f"{head}, so the required keyword {names} is never given and every run raises "
                "ArgumentError (missing keyword)"
            )
            ctx.report(span, message, level=_level(ctx))
            return
        positional = _positional_count(params)
        passing = _sites_passing_more(name, positional, ctx)
        setup = ctx.setup
        if passing:
            path, line, count = passing
            message = (
                f"{head}, and the enqueue at {path}:{line} passes {count} arguments to its "
                f"{positional} positional parameter{'s' if positional != 1 else ''}: keyword "
                "arguments arrive as one more positional Hash, and the job raises ArgumentError "
                "(wrong number of arguments)"
            )
            ctx.report(span, message, level=_level(ctx))
            return
        message = (
            f"{head}; no enqueue site passes them, so the keywords keep their defaults and the "
            f"job works, but an enqueue that passes them fails (on {setup.version_label}: "
            + ("ArgumentError at enqueue)" if setup.at_least(7) else "ArgumentError when it runs)")
        )
        ctx.report(span, message, level=Level.NOTE)


def _required(param: Node) -> bool:
    """A keyword parameter with no default (``kind:``)."""
    return param.type == "keyword_parameter" and param.child_by_field_name("value") is None


def _positional_count(params: Node | None) -> int | None:
    """How many positional arguments ``perform`` takes (None with a ``*splat``: any number)."""
    if params is None:
        return 0
    count = 0
    for child in params.named_children:
        if child.type == "splat_parameter":
            return None
        if child.type in ("identifier", "optional_parameter"):
            count += 1
    return count


def _sites_passing_more(
    worker: str, positional: int | None, ctx: FileContext
) -> tuple[str, int] | None:
    """The first enqueue site of ``worker`` (path, line, count) passing more values than
    ``perform`` takes: the extra one is the Hash its keyword arguments make."""
    if positional is None:
        return None
    for path, site in sorted(ctx.index.provenance.sites(worker), key=lambda s: (s[0], s[1].line)):
        if len(site.positional) > positional:
            return path, site.line, len(site.positional)
    return None


def _own_enqueue_method(found: Enqueue, ctx: FileContext) -> str | None:
    """The project class defining the ``perform_async``/``perform_in``/``perform_at`` a direct
    call reaches (the worker or a project base class, or a concern or extended module): it may
    turn records into ids before calling Sidekiq's. ``X.set(...).perform_*`` (Sidekiq's
    ``Setter`` pushes itself), ``perform_bulk`` and ``Sidekiq::Client.push`` bypass it."""
    if found.method not in enqueue.SIDEKIQ_ONE or found.resolved is None:
        return None
    recv = nodes.receiver(found.call)
    if recv is not None and recv.type == "call" and method_name(recv) == "set":
        return None
    return ctx.index.class_method_owner(found.resolved, found.method)


def _a(name: str) -> str:
    """``an `Account``` / ``a `User``` (names starting with U read 'a' more often)."""
    return f"{'an' if name[:1] in 'AEIO' else 'a'} `{name}`"


def _level(ctx: FileContext) -> Level:
    return Level.ERROR if ctx.setup.at_least(7) else Level.WARNING


def _symbol_keyed(node: Node) -> bool:
    """A ``key: value`` or ``:key => value`` pair, or a ``**splat``."""
    if node.type != "pair":
        return True
    key = node.child_by_field_name("key")
    arrow = any(c.type == "=>" for c in node.children)
    return key is not None and (not arrow or key.type in ("simple_symbol", "delimited_symbol"))


def _key(node: Node) -> str:
    if node.type == "pair":
        key = node.child_by_field_name("key")
        name = nodes.key_name(key) if key is not None else None
        return f"{name}:" if name else enqueue.describe(node, 20)
    return enqueue.describe(node, 20)


def _param(node: Node) -> str:
    if node.type == "keyword_parameter":
        return f"{text(node.child_by_field_name('name'))}:"
    return enqueue.describe(node, 20)


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _consequence(kinds: list[str], ctx: FileContext) -> str:
    setup = ctx.setup
    if setup.at_least(7):
        return (
            f"job arguments must be JSON-native and {setup.version_label} raises ArgumentError "
            "at enqueue (strict arguments, the default from 7.0)"
        )
    changes = list(dict.fromkeys(_ARRIVES[k] for k in kinds))
    return (
        f"job arguments must be JSON-native; {setup.version_label} serializes them to JSON "
        f"and the job gets other values ({'; '.join(changes)}), and Sidekiq 7 raises "
        "ArgumentError instead"
    )


def _fix(bads: list[Bad]) -> Fix | None:
    fixable = [b for b in bads if b.edits]
    if not fixable:
        return None
    safe = all(b.safe for b in fixable)
    if len(fixable) == 1:
        bad = fixable[0]
        title = "use a String key" if bad.kind == "Symbol key" else _title(bad)
    else:
        title = "pass JSON-native values"
    applicability = Applicability.SAFE if safe else Applicability.UNSAFE
    return Fix(applicability, title, tuple(sorted(e for b in fixable for e in b.edits)))


def _title(bad: Bad) -> str:
    """``pass `"daily"` instead of `:daily```."""
    source = bad.node.text or b""
    start = bad.node.start_byte
    for edit in sorted(bad.edits, reverse=True):
        lo, hi = edit.start - start, edit.end - start
        source = source[:lo] + edit.content.encode() + source[hi:]
    after = " ".join(source.decode("utf-8", errors="replace").split())
    return f"pass `{after}` instead of `{enqueue.describe(bad.node)}`"
