"""Which classes are Django models, and what their fields and managers say (for relation chains,
lang/python/libraries/django_orm.py).

A class is a model when one of its bases, followed through the project index (abstract bases and
project mixins included), is ``django.db.models.Model`` or a known model base of Django or a
common add-on (``AbstractUser``, MPTT, django-polymorphic), or a ``*Model`` of another add-on's
``models`` module when the class (or a project base) declares a Django field. Its fields are the
class-level ``name = f(...)`` of the class and of its project bases: foreign keys (``ForeignKey``,
``OneToOneField``, MPTT's ``TreeForeignKey``, Wagtail's ``ParentalKey``, and many-to-many
fields) and unique fields
(``unique=True``, ``primary_key=True``, one-to-one). Its managers are ``objects`` (Django's
default), ``_default_manager``/``_base_manager`` and class-level ``name = SomeManager()``,
``QuerySet.as_manager()``, ``Manager.from_queryset(QuerySet)()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.records import record

if TYPE_CHECKING:
    from workerlint.lang.python.index import PythonIndex
    from workerlint.lang.python.model import ClassFacts

MODEL_BASES = frozenset(
    {"django.db.models.Model", "django.db.models.base.Model",
     "django.contrib.auth.models.AbstractUser", "django.contrib.auth.models.AbstractBaseUser",
     "django.contrib.auth.base_user.AbstractBaseUser", "mptt.models.MPTTModel",
     "polymorphic.models.PolymorphicModel", "treebeard.mp_tree.MP_Node",
     "treebeard.ns_tree.NS_Node", "treebeard.al_tree.AL_Node"}
)  # fmt: skip
# Model classes of Django and common add-ons that a project queries without defining them.
EXTERNAL_MODELS = frozenset(
    {"django.contrib.auth.models.User", "django.contrib.auth.models.Group",
     "django.contrib.auth.models.Permission", "django.contrib.contenttypes.models.ContentType",
     "django.contrib.sessions.models.Session", "django.contrib.sites.models.Site",
     "django.contrib.admin.models.LogEntry"}
)  # fmt: skip
# Fields that name a parent: equal to one value, the rows are that parent's (many-to-many
# included: `filter(tags=tag)` is `tag.document_set.all()`, an association).
FOREIGN_KEYS = frozenset(
    {"ForeignKey", "OneToOneField", "TreeForeignKey", "ParentalKey", "ManyToManyField",
     "ParentalManyToManyField", "TreeManyToManyField"}
)  # fmt: skip
ONE_TO_ONE = frozenset({"OneToOneField"})
DEFAULT_MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
MAX_BASES = 12


@record(frozen=True)
class Model:
    """A Django model class: where it is, its foreign keys, unique fields and managers (None
    when unknown: a model of Django or an add-on, whose fields the project does not show)."""

    qualified: str
    foreign_keys: frozenset[str] | None
    unique: frozenset[str] | None
    managers: frozenset[str]


def model(qualified: str | None, index: PythonIndex) -> Model | None:
    """The Django model an absolute class name is, or None."""
    if qualified is None:
        return None
    if qualified in EXTERNAL_MODELS:
        return Model(qualified, None, None, DEFAULT_MANAGERS)
    target = index.resolve(qualified)
    if target is None or target.kind != "class" or target.rest:
        return None
    classes = _lineage(target.relpath, target.name, index)
    bases = index.class_bases(target.relpath, target.name)
    if not any(b in MODEL_BASES for b in bases) and not _add_on_model(bases, classes, index):
        return None
    foreign: set[str] = set()
    unique: set[str] = {"id", "pk"}
    managers: set[str] = set(DEFAULT_MANAGERS)
    for _, cls in classes:
        for field in cls.fields:
            kind = field.call.rpartition(".")[2] or field.written.rpartition(".")[2]
            if kind in FOREIGN_KEYS:
                foreign.add(field.name)
            if field.unique or kind in ONE_TO_ONE:
                unique.add(field.name)
            if _is_manager(field.call, field.written):
                managers.add(field.name)
    return Model(qualified, frozenset(foreign), frozenset(unique), frozenset(managers))


def _add_on_model(
    bases: list[str], classes: list[tuple[str, ClassFacts]], index: PythonIndex
) -> bool:
    """A base from an add-on's models module (``django_softdelete.models.SoftDeleteModel``,
    ``model_utils.models.TimeStampedModel``: outside the project, named ``*Model``/``*Node``
    in a ``models`` module) and a Django field declared on the class or a project base."""
    add_on = any(
        ".models." in f".{base}."
        and base.rpartition(".")[2].endswith(("Model", "Node"))
        and index.resolve(base) is None
        for base in bases
    )
    if not add_on:
        return False
    return any(
        f.call.startswith(("django.db.models.", "django.contrib.postgres.fields."))
        for _, cls in classes
        for f in cls.fields
    )


def _is_manager(call: str, written: str) -> bool:
    last = (call or written).rpartition(".")[2]
    return (
        last.endswith("Manager")
        or last == "as_manager"
        or "from_queryset(" in written
        or written.endswith("from_queryset")
    )


def _lineage(relpath: str, name: str, index: PythonIndex) -> list[tuple[str, ClassFacts]]:
    """The class and its project bases (nearest first), each once."""
    found: list[tuple[str, ClassFacts]] = []
    seen: set[tuple[str, str]] = set()
    stack = [(relpath, name)]
    while stack and len(found) < MAX_BASES:
        path, cls_name = stack.pop(0)
        if (path, cls_name) in seen:
            continue
        seen.add((path, cls_name))
        facts = index.files.get(path)
        cls = facts.cls(cls_name) if facts is not None else None
        if cls is None:
            continue
        found.append((path, cls))
        for base in cls.bases:
            if not base:
                continue
            target = index.resolve(index.absolute(base, path))
            if target is not None and target.kind == "class" and not target.rest:
                stack.append((target.relpath, target.name))
    return found
