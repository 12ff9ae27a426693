"""QuerySet and related-manager shims over an in-memory list of model shims.

Only reads are emulated: field lookups on the fields a model lists in `_lookups`, ordering, slicing, values_list.
Q objects, joins across relations (`users__username=...`) and every write are refused with NotEmulated.
"""

import uuid

from .base import Shim
from .errors import NotEmulated, ValidationError

_TEXT_OPS = {
    "exact": lambda a, b: a == b,
    "iexact": lambda a, b: a is not None and str(a).upper() == str(b).upper(),
    "contains": lambda a, b: a is not None and str(b) in str(a),
    "icontains": lambda a, b: a is not None and str(b).upper() in str(a).upper(),
    "startswith": lambda a, b: a is not None and str(a).startswith(str(b)),
    "istartswith": lambda a, b: a is not None and str(a).upper().startswith(str(b).upper()),
    "endswith": lambda a, b: a is not None and str(a).endswith(str(b)),
    "iendswith": lambda a, b: a is not None and str(a).upper().endswith(str(b).upper()),
}


def _coerce(kind, value):
    """Field.to_python for the lookup value, as Django does before building the query."""
    if value is None:
        return None
    if kind == "uuid" and not isinstance(value, uuid.UUID):
        try:
            return uuid.UUID(str(value))
        except ValueError:
            raise ValidationError([f"\u201c{value}\u201d is not a valid UUID."]) from None
    if kind == "bool":
        if value in (True, False):
            return bool(value)
        if value in ("t", "True", "1"):
            return True
        if value in ("f", "False", "0"):
            return False
        raise ValidationError([f"\u201c{value}\u201d value must be either True or False."])
    if kind == "int":
        return int(value)
    return value


class _Evaluated(Shim):
    """What every evaluated queryset answers alike from its items: iteration, length, truth, count(), exists()."""

    __slots__ = ("_items",)

    def __init__(self, items, label):
        super().__init__(label)
        object.__setattr__(self, "_items", tuple(items))

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)

    def __bool__(self):
        return bool(self._items)

    def count(self):
        return len(self._items)

    def exists(self):
        return bool(self._items)


class QuerySet(_Evaluated):
    """A Django QuerySet of model shims (already evaluated: the emulator's data is in memory)."""

    __slots__ = ("_cls", "_ordered")

    def __init__(self, cls, items, label, ordered=False):
        super().__init__(items, label)
        object.__setattr__(self, "_cls", cls)
        object.__setattr__(self, "_ordered", ordered)

    def _derive(self, items, ordered=None):
        return QuerySet(self._cls, items, self._label, self._ordered if ordered is None else ordered)

    def __getitem__(self, key):
        if isinstance(key, slice):
            if (key.start or 0) < 0 or (key.stop or 0) < 0:
                raise ValueError("Negative indexing is not supported.")
            return self._derive(self._items[key])
        if not isinstance(key, int):
            raise TypeError(f"QuerySet indices must be integers or slices, not {type(key).__name__}.")
        if key < 0:
            raise ValueError("Negative indexing is not supported.")
        if key >= len(self._items):
            raise IndexError("list index out of range")
        return self._items[key]

    def __repr__(self):
        data = [repr(item) for item in self._items[:21]]
        if len(data) > 20:
            data[-1] = "...(remaining elements truncated)..."
        return f"<QuerySet [{', '.join(data)}]>"

    def _matches(self, item, key, value):
        field, _, op = key.partition("__")
        op = op or "exact"
        lookups = self._cls._lookups
        if field not in lookups or (op not in _TEXT_OPS and op not in ("in", "isnull")):
            raise NotEmulated(f"{self._label}.filter({key}=...)", [f"{f}[__lookup]" for f in sorted(lookups)])
        attr, kind = lookups[field]
        actual = getattr(item, attr)
        if op == "isnull":
            return (actual is None) == bool(value)
        if op == "in":
            return actual in [_coerce(kind, v) for v in value]
        if op == "exact":
            return actual == _coerce(kind, value)
        return _TEXT_OPS[op](actual, value)

    def _select(self, args, lookups, keep):
        if args:
            raise NotEmulated(f"{self._label}.filter(<Q object>)", ["keyword lookups"])
        return [i for i in self._items if all(self._matches(i, k, v) for k, v in lookups.items()) == keep]

    def all(self):
        return self._derive(self._items)

    def filter(self, *args, **lookups):
        return self._derive(self._select(args, lookups, True))

    def exclude(self, *args, **lookups):
        return self._derive(self._select(args, lookups, False))

    def distinct(self, *fields):
        if fields:
            raise NotEmulated(f"{self._label}.distinct(<fields>)", ["distinct()"])
        return self._derive(self._items)

    def order_by(self, *fields):
        items = list(self._items)
        for field in reversed(fields):
            name = field.lstrip("-")
            if name not in self._cls._lookups:
                raise NotEmulated(f"{self._label}.order_by({field!r})", sorted(self._cls._lookups))
            # PostgreSQL: NULLs sort last ascending, first descending; text uses the database collation (a rank
            # the TypeScript side computed with the emulator's collator)
            key = self._cls._sort_key(name)
            present = [i for i in items if getattr(i, self._cls._lookups[name][0]) is not None]
            missing = [i for i in items if getattr(i, self._cls._lookups[name][0]) is None]
            present.sort(key=key, reverse=field.startswith("-"))
            items = missing + present if field.startswith("-") else present + missing
        return self._derive(items, ordered=bool(fields))

    def _by_pk(self):
        # first()/last() on an unordered queryset order by pk first, as Django does
        return self._items if self._ordered else tuple(sorted(self._items, key=lambda i: i.pk))

    def first(self):
        items = self._by_pk()
        return items[0] if items else None

    def last(self):
        items = self._by_pk()
        return items[-1] if items else None

    def get(self, *args, **lookups):
        found = self._select(args, lookups, True)
        if not found:
            raise self._cls.DoesNotExist(f"{self._cls.__name__} matching query does not exist.")
        if len(found) > 1:
            raise self._cls.MultipleObjectsReturned(
                f"get() returned more than one {self._cls.__name__} -- it returned {len(found)}!"
            )
        return found[0]

    def _fields(self, fields):
        for field in fields:
            if field not in self._cls._lookups:
                raise NotEmulated(f"{self._label}.values_list({field!r})", sorted(self._cls._lookups))
        return [self._cls._lookups[f][0] for f in fields]

    def values_list(self, *fields, flat=False, named=False):
        if named or not fields:
            raise NotEmulated(f"{self._label}.values_list(<all fields or named>)", ["values_list(<fields>)"])
        if flat and len(fields) > 1:
            raise TypeError("'flat' is not valid when values_list is called with more than one field.")
        attrs = self._fields(fields)
        rows = [tuple(getattr(i, a) for a in attrs) for i in self._items]
        return ValuesQuerySet([r[0] for r in rows] if flat else rows, f"{self._label}.values_list(...)")

    def values(self, *fields):
        if not fields:
            raise NotEmulated(f"{self._label}.values(<all fields>)", ["values(<fields>)"])
        attrs = self._fields(fields)
        rows = [{f: getattr(i, a) for f, a in zip(fields, attrs)} for i in self._items]
        return ValuesQuerySet(rows, f"{self._label}.values(...)")


class ValuesQuerySet(_Evaluated):
    """The result of values()/values_list(): still a QuerySet (so not JSON serializable), iterating plain values.
    Its class is named QuerySet, as Django's is, for the "Object of type QuerySet is not JSON serializable" error."""

    __slots__ = ()

    def __getitem__(self, key):
        return self._items[key]

    def __repr__(self):
        return f"<QuerySet {list(self._items)!r}>"

    def first(self):
        return self._items[0] if self._items else None


ValuesQuerySet.__name__ = ValuesQuerySet.__qualname__ = "QuerySet"


class ManyRelatedManager(Shim):
    """A related manager (`user.groups`, `group.parents`, `app.applicationentitlement_set`): not iterable itself;
    reads go through a fresh queryset, as each Django query builds fresh instances."""

    __slots__ = ("_queryset", "_kind")

    def __init__(self, label, queryset, kind="ManyRelatedManager"):
        super().__init__(label)
        object.__setattr__(self, "_queryset", queryset)
        object.__setattr__(self, "_kind", kind)

    def __iter__(self):
        raise TypeError(f"'{self._kind}' object is not iterable")

    def all(self):
        return self._queryset()

    def filter(self, *args, **kwargs):
        return self._queryset().filter(*args, **kwargs)

    def exclude(self, *args, **kwargs):
        return self._queryset().exclude(*args, **kwargs)

    def get(self, *args, **kwargs):
        return self._queryset().get(*args, **kwargs)

    def order_by(self, *fields):
        return self._queryset().order_by(*fields)

    def values_list(self, *fields, **kwargs):
        return self._queryset().values_list(*fields, **kwargs)

    def values(self, *fields):
        return self._queryset().values(*fields)

    def first(self):
        return self._queryset().first()

    def last(self):
        return self._queryset().last()

    def count(self):
        return self._queryset().count()

    def exists(self):
        return self._queryset().exists()
