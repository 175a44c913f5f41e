"""Who can send the request a controller action reads: an authenticated sender.

A controller action guarded by a ``before_action`` (or ``http_basic_authenticate_with``) of its
own class that verifies the sender reads a request only that sender could make: a webhook whose
signature is checked, or a signed-in caller. The filter verifies when it is a known
authentication method (Devise's ``authenticate_<scope>!``, ``doorkeeper_authorize!``,
``authenticate_or_request_with_http_basic``/``_token``), or when its block or the method it
names (following methods of the same class two calls deep) compares a signature or calls a
known verifier: ``secure_compare``, ``OpenSSL::HMAC``, ``Aws::SNS::MessageVerifier``,
``Stripe::Webhook.construct_event``, ``Stripe::Webhook::Signature.verify_header``, or a method
named like a signature check (``verify_webhook_signature``, ``valid_signature?``,
``authentic?``). A filter with ``if:``/``unless:`` guards only sometimes and does not count; one
whose ``only:``/``except:`` leave the action out does not either, nor one the class skips.

Only the controller's own class body is read (a filter of a parent controller is not). An
``Admin::`` controller (or one in ``app/controllers/admin/``) is told apart by its name: only an
administrator can send its requests.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.ruby import nodes

if TYPE_CHECKING:
    from tree_sitter import Node

FILTERS = frozenset({"before_action", "prepend_before_action", "before_filter"})
SKIPS = frozenset({"skip_before_action", "skip_before_filter"})
BASIC = "http_basic_authenticate_with"
# Filters that authenticate by their name alone (Devise, Doorkeeper, Rails HTTP authentication).
_AUTHENTICATES = re.compile(
    r"\A(authenticate_\w+!|doorkeeper_authorize!|authenticate_or_request_with_http_\w+|"
    r"authenticate_with_http_\w+)\Z"
)
_SIGNATURE_CHECK = re.compile(
    r"\A(verify|valid|validate|check)_?\w*signature\w*[?!]?\Z|\Aauthentic\?\Z"
)
_VERIFIER_CALLS = frozenset({"secure_compare", "construct_event", "verify_header"})
_VERIFIER_CONSTANTS = ("OpenSSL::HMAC", "Aws::SNS::MessageVerifier", "Stripe::Webhook")
DEPTH = 2  # methods of the same class followed from the filter


@record(frozen=True)
class Sender:
    """Why the sender of an action's request is authenticated, as a message says it."""

    reason: str  # "`before_action :validate_sns_webhook`, line 5"


def authenticated_sender(node: Node) -> Sender | None:
    """The authentication guarding the controller action ``node`` is in, if any."""
    action = nodes.enclosing_method(node)
    klass = _enclosing_class(node)
    if action is None or klass is None or action.type != "method":
        return None
    name = nodes.text(action.child_by_field_name("name"))
    body = klass.child_by_field_name("body")
    if body is None:
        return None
    methods = {
        nodes.text(m.child_by_field_name("name")): m
        for m in body.named_children
        if m.type == "method"
    }
    skipped: set[str] = set()
    filters: list[Node] = []
    for statement in body.named_children:
        if statement.type != "call" or nodes.receiver(statement) is not None:
            continue
        called = nodes.method_name(statement)
        if called in SKIPS:
            skipped.update(_symbols(statement))
        elif called in FILTERS or called == BASIC:
            filters.append(statement)
    for statement in filters:
        options, _ = nodes.option_pairs(nodes.arguments(statement))
        if "if" in options or "unless" in options or not _covers(options, name):
            continue
        line = statement.start_point[0] + 1
        called = nodes.method_name(statement)
        if called == BASIC:
            return Sender(f"`{BASIC}`, line {line}")
        block = nodes.block(statement)
        if block is not None and _verifies(block, methods, DEPTH):
            return Sender(f"the `{called}` block, line {line}")
        for symbol in _symbols(statement):
            if symbol in skipped:
                continue
            method = methods.get(symbol)
            if _checks(symbol) or (method is not None and _verifies(method, methods, DEPTH)):
                return Sender(f"`{called} :{symbol}`, line {line}")
    return None


ADMIN_FOLDER = "app/controllers/admin/"


def admin_controller(node: Node, relpath: str = "") -> str | None:
    """The name of the ``Admin::`` controller ``node`` is in, if it is one, or the admin folder
    (``app/controllers/admin/``) of a controller file there."""
    names: list[str] = []
    current = node.parent
    while current is not None:
        if current.type in ("class", "module"):
            names.append(nodes.text(current.child_by_field_name("name")))
        current = current.parent
    full = "::".join(reversed(names))
    if not full.endswith("Controller"):
        return None
    if full.startswith("Admin::") or "::Admin::" in full:
        return full
    if f"/{ADMIN_FOLDER}" in f"/{relpath}" and relpath.endswith("_controller.rb"):
        return ADMIN_FOLDER
    return None


def _enclosing_class(node: Node) -> Node | None:
    current = node.parent
    while current is not None:
        if current.type == "class":
            return current
        current = current.parent
    return None


def _symbols(call: Node) -> list[str]:
    found = []
    for arg in nodes.arguments(call):
        if arg.type == "simple_symbol":
            found.append(nodes.text(arg).removeprefix(":"))
        elif arg.type == "array":
            found.extend(
                nodes.text(item).removeprefix(":")
                for item in arg.named_children
                if item.type == "simple_symbol"
            )
    return found


def _names(value: Node) -> set[str] | None:
    """The action names an ``only:``/``except:`` option lists (None when not literal)."""
    if value.type == "simple_symbol":
        return {nodes.text(value).removeprefix(":")}
    if value.type == "string":
        return {nodes.text(value).strip("\"'")}
    if value.type == "array":
        found = set()
        for item in value.named_children:
            if item.type == "simple_symbol":
                found.add(nodes.text(item).removeprefix(":"))
            elif item.type in ("string", "bare_symbol", "bare_string"):
                found.add(nodes.text(item).strip("\"'").removeprefix(":"))
            else:
                return None
        return found
    return None


def _covers(options: dict[str, Node], action: str) -> bool:
    for key, inside in (("only", True), ("except", False)):
        if key in options:
            value = nodes.pair_value(options[key])
            listed = _names(value) if value is not None else None
            return listed is not None and (action in listed) == inside
    return True


def _verifies(scope: Node, methods: dict[str, Node], depth: int) -> bool:
    """Whether ``scope`` checks a signature or authenticates, itself or through a method of the
    class it calls (``depth`` calls deep)."""
    for node in nodes.descendants(scope):
        if node.type == "call":
            name = nodes.method_name(node) or ""
            receiver = nodes.receiver(node)
            written = nodes.text(receiver).removeprefix("::")
            if name in _VERIFIER_CALLS or any(written.startswith(c) for c in _VERIFIER_CONSTANTS):
                return True
            bare = receiver is None
        elif node.type == "identifier" and node.parent is not None:
            name, bare = nodes.text(node), node.parent.type not in ("method", "call")
        else:
            continue
        if _checks(name) and (bare or node.type == "call"):
            return True
        followed = bare and depth > 0 and name in methods
        if followed and _verifies(methods[name], methods, depth - 1):
            return True
    return False


def _checks(name: str) -> bool:
    """A method named like an authentication or a signature check."""
    return bool(_AUTHENTICATES.match(name) or _SIGNATURE_CHECK.match(name))
