"""Base classes of the shims: anything a shim does not define is refused loudly, never guessed."""

from .errors import NotEmulated

_CLASS_NAMES = {}


def _data(obj):
    """The plain fields of a shim (a Model's record values, an HttpRequest's values), without __getattr__."""
    for slot in ("_rec", "_values"):
        try:
            value = object.__getattribute__(obj, slot)
        except AttributeError:
            continue
        return value.values if slot == "_rec" else value
    return {}


def covered(obj):
    """The public names a shim emulates (for the NotEmulated message)."""
    cls = type(obj)
    names = _CLASS_NAMES.get(cls)
    if names is None:
        names = _CLASS_NAMES[cls] = frozenset(n for n in dir(cls) if not n.startswith("_"))
    return sorted(names | {n for n in _data(obj) if not n.startswith("_")})


class Shim:
    """An object whose unknown attributes raise NotEmulated, naming the access path (`request.user.foo`)."""

    __slots__ = ("_label",)

    def __init__(self, label):
        object.__setattr__(self, "_label", label)

    def __getattr__(self, name):
        prop = getattr(type(self), name, None)
        if isinstance(prop, property):
            # The property raised AttributeError on purpose (Django's RelatedObjectDoesNotExist is one): Python then
            # falls back to __getattr__, so run the getter again to raise that error to the expression as is.
            return prop.fget(self)
        if name.startswith("__") and name.endswith("__"):
            # protocol probes (copy, pickle, format helpers) get what any plain object answers
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        raise NotEmulated(f"{self._label}.{name}", covered(self))


class Record:
    """The data of one object, shared by every shim (view) of it: `user`, `request.user` and `token.user` are one
    object in authentik, so a value an expression sets through one is seen through the others."""

    def __init__(self, values, **related):
        self.values = values
        self.__dict__.update(related)


class Model(Shim):
    """A Django model instance: plain fields are read from (and written to) the record; equality is by pk."""

    __slots__ = ("_rec",)
    _model = "Model"

    def __init__(self, rec, label):
        super().__init__(label)
        object.__setattr__(self, "_rec", rec)

    def __getattr__(self, name):
        values = object.__getattribute__(self, "_rec").values
        if name in values:
            return values[name]
        return Shim.__getattr__(self, name)

    def __setattr__(self, name, value):
        if isinstance(getattr(type(self), name, None), property):
            raise NotEmulated(f"setting {self._label}.{name}", covered(self))
        # an unsaved change on a model instance, as in authentik (nothing is written back)
        self._rec.values[name] = value

    def __eq__(self, other):
        if not isinstance(other, Model) or type(other)._model != type(self)._model:
            return NotImplemented
        return self.pk == other.pk

    def __hash__(self):
        return hash(self.pk)

    def __repr__(self):
        return f"<{type(self).__name__}: {self}>"


def not_emulated_str(self):
    raise NotEmulated(f"str({self._label})", covered(self))
