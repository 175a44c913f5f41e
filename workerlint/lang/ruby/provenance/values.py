"""What values are, for provenance (RULES.md, "Provenance"): the request's accessors, the calls
that load records, the methods whose result is internal (an id, a number, a time, a class name),
and the methods that keep, narrow or widen a request value.

The taint kinds of the provenance spec (:mod:`.spec`), a value carrying any number of them:

- ``request``: derived from the request (ended by a number: an id or a count is internal);
- ``count``: a number or size derived from the request (it sizes a loop: WL601);
- ``payload``: the request body, a value parsed from it, or a parameter used as a list (WL404;
  ended by a size check or a truncation);
- ``params``: the whole parameters hash (a payload when passed whole; an element is a scalar);
- ``stored``: an attribute read from a record;
- ``unknown``: anything else (a helper's result, a parameter no caller in the class binds);
- ``record`` / ``relation``: a record, or a relation of records, of the model the origin names;
- ``argument``: a job argument of the class's ``perform`` (passed on: its own provenance).
"""

from __future__ import annotations

REQUEST = "request"
COUNT = "count"
PAYLOAD = "payload"
PARAMS = "params"
STORED = "stored"
UNKNOWN = "unknown"
RECORD = "record"
RELATION = "relation"
ARGUMENT = "argument"
KINDS = (REQUEST, COUNT, PAYLOAD, PARAMS, STORED, UNKNOWN, RECORD, RELATION, ARGUMENT)
FROM_REQUEST = frozenset({REQUEST, PAYLOAD, PARAMS})  # request input, as a value
SIZED_BY_REQUEST = frozenset({REQUEST, COUNT, PAYLOAD, PARAMS})  # request input sizing a loop

# Bare calls that read the request (in a controller, a Grape endpoint, a Rack app...), unless the
# class defines a method of that name.
REQUEST_ROOTS = frozenset({"params", "request", "cookies"})
# `request.<name>`: the body (a payload), the parameters (a hash of them), other parts (scalars).
REQUEST_BODY = frozenset({"body", "raw_post", "body_stream"})
REQUEST_PARAMETERS = frozenset(
    {"params", "parameters", "request_parameters", "query_parameters", "POST", "GET",
     "path_parameters"}
)  # fmt: skip
# Reading a parameter, or a part of the parameters (the result still comes from the request).
PARAMETER_ACCESS = frozenset(
    {"fetch", "dig", "require", "expect", "slice", "values_at", "extract!", "delete"}
)
WHOLE_PARAMETERS = frozenset({"to_unsafe_h", "to_unsafe_hash", "permit!", "to_h", "to_hash"})
# The result of these on a string or a list is a list (a parameter used as a list).
LIST_USE = frozenset(
    {"split", "map", "collect", "flat_map", "each", "select", "filter", "reject", "filter_map",
     "uniq", "compact", "each_slice", "to_a", "sort", "zip", "lines", "scan", "chars"}
)  # fmt: skip
# Truncation: what is left of a list or string is bounded.
TRUNCATION = frozenset({"first", "take", "last", "truncate", "slice", "byteslice"})
# Parsers: JSON.parse of a request value is request input (a payload: a structure of any size).
PARSERS = frozenset(
    {"JSON.parse", "JSON.parse!", "JSON.load", "ActiveSupport::JSON.decode", "Oj.load",
     "Oj.safe_load", "MultiJson.load", "Hash.from_xml", "Nokogiri::XML", "CSV.parse"}
)  # fmt: skip
# Calls on constants whose result is made from their arguments.
BUILDERS = frozenset(
    {"File.join", "File.basename", "File.extname", "Pathname.new", "URI.parse", "URI.join",
     "URI", "CGI.unescape", "CGI.escape", "ERB::Util.url_encode", "Base64.decode64",
     "Base64.strict_decode64", "Base64.urlsafe_decode64", "Base64.encode64",
     "Base64.strict_encode64", "Addressable::URI.parse", "Rack::Utils.parse_query",
     "Rack::Utils.parse_nested_query", "ActiveSupport::HashWithIndifferentAccess.new"}
)  # fmt: skip
# Constants whose calls give internal values (times, random tokens, configuration).
INTERNAL_CONSTANTS = frozenset(
    {"Time", "Date", "DateTime", "SecureRandom", "Random", "ENV", "Rails", "Process", "I18n",
     "Digest::SHA256", "Digest::SHA1", "Digest::MD5", "OpenSSL::Digest", "Sidekiq",
     "ActiveSupport::TimeZone", "Integer", "Float", "BigDecimal", "Math"}
)  # fmt: skip
# Calls on other constants whose result is internal (the process's own paths).
INTERNAL_CALLS = frozenset({"Dir.tmpdir", "Dir.pwd", "Dir.mktmpdir", "Dir.home", "Etc.getlogin"})
# Calls of a model that give one record, and the query methods that give a relation.
FINDERS = frozenset(
    {"find", "find_by", "find_by!", "first", "last", "take", "sole", "find_sole_by", "first!",
     "last!", "take!", "new", "create", "create!", "find_or_create_by", "find_or_create_by!",
     "find_or_initialize_by", "create_or_find_by", "create_or_find_by!", "build", "find_signed",
     "find_signed!", "find_by_token_for", "reload", "lock!"}
)  # fmt: skip
LOADS = frozenset({"to_a", "load", "records", "reload", "includes", "preload", "eager_load"})
# Methods whose result is internal whatever they are called on: an id, a time, a class name, a
# number, a truth value.
ID_METHODS = frozenset(
    {"id", "created_at", "updated_at", "class", "to_global_id", "to_gid", "to_gid_param",
     "to_sgid", "object_id", "hash", "model_name", "cache_key", "signed_id", "ids",
     "primary_key", "table_name", "uuid"}
)  # fmt: skip
NUMBERS = frozenset(
    {"to_i", "to_f", "to_r", "to_c", "to_d", "abs", "round", "ceil", "floor", "succ", "pred",
     "size", "length", "count", "bytesize", "sum", "to_int", "Integer", "Float", "BigDecimal",
     "seconds", "minutes", "hours", "days", "weeks", "months", "years", "ago", "from_now",
     "since", "until", "in_time_zone", "to_time", "to_date", "to_datetime", "iso8601",
     "beginning_of_day", "end_of_day", "strftime", "utc", "to_fs", "to_formatted_s"}
)  # fmt: skip
# These combine their receiver with their arguments into the result.
COMBINING = frozenset(
    {"merge", "merge!", "deep_merge", "reverse_merge", "concat", "+", "<<", "push", "append",
     "unshift", "prepend", "join", "insert", "update", "union", "|", "zip", "product"}
)  # fmt: skip


def is_id(name: str) -> bool:
    """An id (``id``, ``account_id``), a timestamp or a class: internal (RULES.md)."""
    return name in ID_METHODS or name.endswith("_id") or name.endswith("_ids")


def is_predicate(name: str) -> bool:
    return name.endswith("?") or name in ("==", "!=", "<=>", "===", "=~", "!", "eql?", "equal?")
