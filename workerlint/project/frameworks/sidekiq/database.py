"""Connection pools of ``config/database.yml``, per environment and per database."""

from __future__ import annotations

from collections.abc import Mapping

from workerlint.core.records import record
from workerlint.formats.values import Source, Value, node_source, yaml_value
from workerlint.formats.yaml import YamlDoc, YNode, key_name, load_yaml, mapping_get, mapping_items

DATABASE_YML = "config/database.yml"
_CONNECTION_KEYS = frozenset(
    {"adapter", "database", "url", "pool", "host", "username", "password", "encoding"}
)


@record(frozen=True)
class DatabasePool:
    """The pool of one database of one environment. ``pool`` is None when no ``pool`` key
    applies; then ``url`` tells whether a ``url:`` key (or nothing: ``DATABASE_URL``) may set it."""

    environment: str
    database: str | None  # None: a two-tier environment
    pool: Value | None
    url: bool
    section: Source


@record(frozen=True)
class DatabaseConfig:
    relpath: str
    environments: tuple[str, ...]
    pools: tuple[DatabasePool, ...]
    unknown_reason: str | None = None


def _is_three_tier(node: YNode) -> bool:
    items = mapping_items(node)
    if not items:
        return False
    if any(key_name(key) in _CONNECTION_KEYS for key, _ in items):
        return False
    return all(value.kind == "mapping" for _, value in items)


def read_database(
    relpath: str, data: bytes, env: Mapping[str, str], known_envs: frozenset[str]
) -> DatabaseConfig | None:
    loaded = load_yaml(data, env)
    if not isinstance(loaded, YamlDoc):
        return None
    if loaded.root is None or loaded.root.kind != "mapping":
        return DatabaseConfig(relpath, (), (), loaded.unknown_reason)
    environments = []
    pools = []
    for key, section in mapping_items(loaded.root):
        name = key_name(key)
        if section.kind != "mapping":
            continue
        if name not in known_envs and (name == "default" or section.anchor is not None):
            continue  # a key used as an anchor only (`default: &default`)
        environments.append(name)
        tiers = (
            [(key_name(k), v) for k, v in mapping_items(section) if v.kind == "mapping"]
            if _is_three_tier(section)
            else [(None, section)]
        )
        for database, node in tiers:
            pool = mapping_get(node, "pool")
            url = mapping_get(node, "url") is not None
            pools.append(
                DatabasePool(
                    name,
                    database,
                    yaml_value(relpath, data, pool) if pool is not None else None,
                    url,
                    node_source(relpath, key),
                )
            )
    return DatabaseConfig(relpath, tuple(environments), tuple(pools))
