"""WL102's Celery half: Django's PostgreSQL connection pool (Django 5.1+,
``DATABASES[alias]["OPTIONS"]["pool"]``) smaller than a threads/gevent/eventlet worker's
concurrency. ``pool: True`` is psycopg_pool's default size, 4 (``min_size``; ``max_size``
defaults to it)."""

from __future__ import annotations

from workerlint.rules.config.redis_pool_too_small.python import SHARED_POOLS

from workerlint.core.rule import LanguageCheck
from workerlint.formats.values import Value
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.celery.pyvalues import members
from workerlint.project.frameworks.celery.report import number, origin_beside, report_at

PSYCOPG_POOL_DEFAULT = 4
POOLING_DJANGO = (5, 1)


def pool_size(pool: Value) -> tuple[int | None, Value, str]:
    """The most connections a pool option allows, the value to point at, and how it is known."""
    if pool.value is True:
        return PSYCOPG_POOL_DEFAULT, pool, "psycopg_pool's default size for `pool: True`"
    fields = members(pool)
    for key in ("max_size", "min_size"):
        given = fields.get(key)
        if given is not None:
            size = number(given)
            note = "" if key == "max_size" else "`max_size` defaults to `min_size`"
            return (int(size) if size is not None else None), given, note
    if isinstance(pool.value, dict):
        return PSYCOPG_POOL_DEFAULT, pool, "psycopg_pool's default size"
    return None, pool, ""


class DjangoPoolCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:  # type: ignore[override]
        celery = ctx.celery
        databases = members(celery.django_databases)
        if not celery.found or not databases:
            return
        version = celery.version("django")
        if version is None or version < POOLING_DJANGO:
            ctx.skip("WL102: Django's connection pool needs Django 5.1 (version not locked)")
            return
        for command in celery.workers_or_settings():
            pool_kind = celery.pool(command)
            concurrency = celery.concurrency(command)
            count = number(concurrency)
            if pool_kind not in SHARED_POOLS or count is None:
                continue
            for alias, database in databases.items():
                engine = members(database).get("ENGINE")
                if engine is None or "postgresql" not in str(engine.value):
                    continue
                pool = members(members(database).get("OPTIONS")).get("pool")
                if pool is None or pool.status == "unknown":
                    continue
                size, where, note = pool_size(pool)
                if size is None or size >= count:
                    continue
                origin = where.origin() + (f"; {note}" if note else "")
                who = f" in {command.label}" if command else ""
                report_at(
                    ctx,
                    where.source,
                    f"Django's connection pool for `{alias}` holds at most {size} connections "
                    f"({origin}), below the {pool_kind} pool's concurrency {int(count)}"
                    f"{origin_beside(concurrency, command)}{who}: tasks wait for a connection and fail "
                    "with PoolTimeout after 30 s",
                )
            return
