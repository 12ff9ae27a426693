"""`request` (authentik.policies.types.PolicyRequest) and the HTTP request shims.

PolicyRequest is a plain dataclass with a known set of attributes, so it behaves like one (unknown attributes raise
AttributeError, as on the real server). The Django HttpRequest is a shim: only method, path, headers, GET, brand and
get_full_path() are emulated; META, session, user, build_absolute_uri() and the rest raise NotEmulated.
"""

from collections.abc import Mapping
from urllib.parse import urlencode

from .base import Shim, covered
from .errors import MultiValueDictKeyError, NotEmulated


class PolicyRequest:
    """Data-class to hold policy request data (its __init__ sets user, http_request=None, obj=None, context={})."""

    __module__ = "authentik.policies.types"
    __hash__ = None  # @dataclass with eq=True
    debug = False

    def __init__(self, user):
        self.user = user
        self.http_request = None
        self.obj = None
        self.context = {}

    def set_http_request(self, request):
        raise NotEmulated("request.set_http_request", ["user", "http_request", "obj", "context", "debug"])

    def _fields(self):
        return (self.user, self.http_request, self.obj, self.context, self.debug)

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    def __repr__(self):
        return (
            f"PolicyRequest(user={self.user!r}, http_request={self.http_request!r}, obj={self.obj!r}, "
            f"context={self.context!r}, debug={self.debug!r})"
        )

    def __str__(self):
        text = f"<PolicyRequest user={self.user}"
        if self.obj:
            text += f" obj={self.obj}"
        if self.http_request:
            text += f" http_request={self.http_request}"
        return text + ">"


class HttpHeaders(Mapping):
    """django.http.request.HttpHeaders: case-insensitive, names Title-Cased as Django derives them from META."""

    __module__ = "django.http.request"

    def __init__(self, headers):
        self._store = {name.lower(): (name.replace("_", "-").title(), value) for name, value in headers.items()}

    def __getitem__(self, key):
        return self._store[key.lower()][1]

    def __iter__(self):
        return (name for name, _ in self._store.values())

    def __len__(self):
        return len(self._store)

    def __repr__(self):
        return repr({name: value for name, value in self._store.values()})


class QueryDict(dict):
    """django.http.QueryDict (immutable): a dict of lists whose item access gives the last value."""

    __module__ = "django.http.request"

    def __init__(self, lists):
        super().__init__((key, list(values)) for key, values in lists)

    def __getitem__(self, key):
        try:
            values = super().__getitem__(key)
        except KeyError:
            raise MultiValueDictKeyError(key) from None
        return values[-1] if values else []

    def get(self, key, default=None):
        try:
            value = self[key]
        except KeyError:
            return default
        return default if value == [] else value

    def getlist(self, key, default=None):
        if key in self:
            return list(super().__getitem__(key))
        return [] if default is None else default

    def items(self):
        return ((key, self[key]) for key in self)

    def values(self):
        return (self[key] for key in self)

    def lists(self):
        return iter(super().items())

    def dict(self):
        return {key: self[key] for key in self}

    def urlencode(self):
        return urlencode([(k, v) for k, values in super().items() for v in values])

    def _immutable(self, *args, **kwargs):
        raise AttributeError("This QueryDict instance is immutable")

    __setitem__ = __delitem__ = setdefault = pop = popitem = clear = update = setlist = appendlist = _immutable

    def __repr__(self):
        return f"<QueryDict: {dict(super().items())!r}>"


class HttpRequest(Shim):
    """The Django request authentik passes to mapping.evaluate(request=...) in the OAuth2 views."""

    __slots__ = ("_values",)

    def __init__(self, values, label="request.http_request"):
        super().__init__(label)
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name):
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        return Shim.__getattr__(self, name)

    def __setattr__(self, name, value):
        self._values[name] = value

    def get_full_path(self):
        query = self._values.get("_query_string", "")
        return self.path + (f"?{query}" if query else "")

    def __repr__(self):
        # Django's repr names the handler class (WSGIRequest/ASGIRequest), which depends on the server setup
        raise NotEmulated(f"repr({self._label})", covered(self))
