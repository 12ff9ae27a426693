"""The globals authentik's BaseEvaluator and PropertyMappingEvaluator give every expression.

Emulated as on the real server: regex_match, regex_replace, list_flatten, ip_address, ip_network, slugify
(Django's), ak_is_group_member, SkipObject. ak_logger accepts the structlog calls and drops them (the emulator keeps
no server log). Everything that needs the database, the network, mail or events is a stub that raises NotEmulated
when used: ak_call_policy, ak_create_event, ak_create_jwt, ak_create_jwt_raw, ak_send_email, ak_user_by,
ak_user_has_authenticator, requests, resolve_dns, reverse_dns.
"""

import builtins
import re
import unicodedata
from ipaddress import ip_address, ip_network

from .base import Shim
from .errors import NotEmulated, SkipObjectException


def expr_flatten(value):
    """Flatten `value` if its a list"""
    if isinstance(value, list):
        if len(value) < 1:
            return None
        return value[0]
    return value


def expr_regex_match(value, regex):
    """Expression Filter to run re.search"""
    return re.search(regex, value) is not None


def expr_regex_replace(value, regex, repl):
    """Expression Filter to run re.sub"""
    return re.sub(regex, repl, value)


def expr_is_group_member(user, **group_filters):
    """Check if `user` is member of group with name `group_name`"""
    return user.all_groups().filter(**group_filters).exists()


def slugify(value, allow_unicode=False):
    """django.utils.text.slugify"""
    value = str(value)
    if allow_unicode:
        value = unicodedata.normalize("NFKC", value)
    else:
        value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value.lower())
    return re.sub(r"[-\s]+", "-", value).strip("-_")


class Logger(Shim):
    """ak_logger (a bound structlog logger): calls are accepted and dropped."""

    __slots__ = ()

    def _log(self, *args, **kwargs):
        return None

    debug = info = warning = warn = error = exception = critical = fatal = msg = _log

    def bind(self, **kwargs):
        return self

    new = unbind = try_unbind = bind


class NotEmulatedGlobal(Shim):
    """A global whose use needs something the emulator does not have (database queries, network, mail, events)."""

    __slots__ = ()

    def __call__(self, *args, **kwargs):
        raise NotEmulated(f"{self._label}(...)", sorted(EMULATED))

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        raise NotEmulated(f"{self._label}.{name}", sorted(EMULATED))


EMULATED = {
    "SkipObject": SkipObjectException,
    "ak_is_group_member": expr_is_group_member,
    "ak_logger": Logger("ak_logger"),
    "ip_address": ip_address,
    "ip_network": ip_network,
    "list_flatten": expr_flatten,
    "regex_match": expr_regex_match,
    "regex_replace": expr_regex_replace,
    "slugify": slugify,
}
NOT_EMULATED = (
    "ak_call_policy",
    "ak_create_event",
    "ak_create_jwt",
    "ak_create_jwt_raw",
    "ak_send_email",
    "ak_user_by",
    "ak_user_has_authenticator",
    "requests",
    "resolve_dns",
    "reverse_dns",
)
_GLOBALS = {**EMULATED, **{name: NotEmulatedGlobal(name) for name in NOT_EMULATED}}

# Modules of the pyodide runtime itself, which authentik's Python does not have.
_RUNTIME_MODULES = {"js", "pyodide", "pyodide_js", "_pyodide", "micropip", "ak_emulator"}
_real_import = builtins.__import__


def _import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and name.partition(".")[0] in _RUNTIME_MODULES:
        raise ModuleNotFoundError(f"No module named '{name}'", name=name)
    try:
        return _real_import(name, globals, locals, fromlist, level)
    except ModuleNotFoundError:
        # authentik's Python has Django, authentik and its dependencies; the emulator has the standard library only
        raise NotEmulated(f"import {name}", ["the Python standard library"]) from None


_BUILTINS = {**builtins.__dict__, "__import__": _import}


def fresh_globals():
    """A new globals dict per evaluation, with its own builtins dict: nothing an expression assigns there (a
    `global` name, `__builtins__["x"]`) reaches the next evaluation."""
    return {**_GLOBALS, "__builtins__": dict(_BUILTINS)}
