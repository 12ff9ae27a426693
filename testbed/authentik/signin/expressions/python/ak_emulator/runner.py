"""Evaluation as authentik's BaseEvaluator.evaluate / PropertyMappingEvaluator run it, and UserInfoView.get_claims.

Entry points take and return JSON text, so nothing but strings crosses between JavaScript and Python.
"""

import json
import re
import textwrap
import traceback

from .errors import ControlFlowException, NotEmulated, first_hit, reset_hits
from .expr_globals import fresh_globals, slugify
from .jsonable import NotSerializable, to_json
from .merge import always_merge
from .world import World

ARG_SANITIZE = re.compile(r"[:.-]")
TRACEBACK_HEADER = "Traceback (most recent call last):"


def sanitize_arg(arg_name):
    return re.sub(ARG_SANITIZE, "_", slugify(arg_name))


def wrap_expression(expression, keys):
    """Wrap expression in a function, call it, and save the result as `result`"""
    handler_signature = ",".join([x for x in [sanitize_arg(x) for x in keys] if x])
    full_expression = ""
    full_expression += f"def handler({handler_signature}):\n"
    full_expression += textwrap.indent(expression, "    ")
    full_expression += f"\nresult = handler({handler_signature})"
    return full_expression


# Code objects are immutable, so sharing them between evaluations leaks nothing; compiling is most of the cost.
_COMPILED = {}


def _compile(source, filename):
    key = (filename, source)
    code = _COMPILED.get(key)
    if code is None:
        if len(_COMPILED) >= 512:
            _COMPILED.clear()
        code = _COMPILED[key] = compile(source, filename, "exec")
    return code


def exception_to_string(exc):
    """authentik.lib.utils.errors.exception_to_string"""
    return "\n".join(
        [
            TRACEBACK_HEADER,
            *[x.rstrip() for x in traceback.extract_tb(exc.__traceback__).format()],
            f"{exc.__class__.__module__}.{exc.__class__.__name__}: {str(exc)}",
        ]
    )


def _error(kind, exc):
    return {"kind": kind, "type": exc.__class__.__name__, "message": str(exc), "traceback": exception_to_string(exc)}


def _not_emulated(hit):
    return {"kind": "not_emulated", "what": hit.what, "covered": list(hit.covered)}


def run_mapping(world, mapping):
    """(result, None) or (None, error). The filename of the compiled code is the mapping's name, as in authentik."""
    reset_hits()
    context = world.context(mapping)
    expression = mapping["expression"]
    try:
        code = _compile(wrap_expression(expression, context.keys()), mapping["name"])
    except (SyntaxError, ValueError) as exc:
        world.property_mapping_exception(expression, exception_to_string(exc))
        return None, _error("syntax", exc)
    _locals = {sanitize_arg(x): y for x, y in context.items()}
    try:
        exec(code, fresh_globals(), _locals)  # noqa: S102 - that is what authentik does
        result = _locals["result"]
    except NotEmulated as exc:
        return None, _not_emulated(exc)
    except Exception as exc:
        if first_hit() is not None:  # the expression caught the NotEmulated and failed differently afterwards
            return None, _not_emulated(first_hit())
        # drop this frame, as authentik drops its evaluate() frame, so the traceback starts in the expression
        if exc.__traceback__ is not None:
            exc.__traceback__ = exc.__traceback__.tb_next
        if isinstance(exc, ControlFlowException):
            return None, _error("control_flow", exc)
        world.property_mapping_exception(expression, exception_to_string(exc))
        return None, _error("exception", exc)
    except BaseException as exc:  # SystemExit and the like: authentik's evaluator does not catch them either
        if first_hit() is not None:
            return None, _not_emulated(first_hit())
        return None, _error("uncaught", exc)
    if first_hit() is not None:
        return None, _not_emulated(first_hit())
    return result, None


def _answer(world, **parts):
    body = {"events": world.events, **{k: v for k, v in parts.items() if k != "value"}}
    text = json.dumps(body)
    if "value" in parts:
        text = text[:-1] + ', "value": ' + parts["value"] + "}"
    return text


def evaluate(payload_json):
    """One mapping: its result as JSON text under "value", or "error"."""
    payload = json.loads(payload_json)
    world = World(payload["world"])
    result, error = run_mapping(world, payload["mapping"])
    if error is not None:
        return _answer(world, error=error)
    try:
        return _answer(world, value=to_json(result, payload["encoder"]))
    except NotSerializable as exc:
        return _answer(world, error={"kind": "not_serializable", "type": "TypeError", "message": str(exc)})


def claims(payload_json):
    """UserInfoView.get_claims over mappings already filtered (provider, token scopes) and ordered by scope_name.

    A mapping that raises (PropertyMappingExpressionException) is skipped after a configuration_error event; None
    and non-dict results are skipped; dicts are merged with always_merger. A ControlFlowException (SkipObject) or
    an uncaught BaseException ends the request in authentik (a 500): it is returned as "error" with the mapping.
    """
    payload = json.loads(payload_json)
    world = World(payload["world"])
    final_claims = {}
    skipped = []
    for mapping in payload["mappings"]:
        value, error = run_mapping(world, mapping)
        if error is not None and error["kind"] in ("syntax", "exception"):
            world.configuration_error(mapping)
            skipped.append({"mapping": mapping["name"], "reason": "exception", "error": error})
            continue
        if error is not None:
            return _answer(world, error=error, mapping=mapping["name"])
        if value is None:
            continue
        if not isinstance(value, dict):
            # LOGGER.warning("Scope returned a non-dict value, ignoring", ...)
            skipped.append({"mapping": mapping["name"], "reason": "not_a_dict", "type": value.__class__.__name__})
            continue
        always_merge(final_claims, value)
    try:
        return _answer(world, skipped=skipped, value=to_json(final_claims, payload["encoder"]))
    except NotSerializable as exc:
        error = {"kind": "not_serializable", "type": "TypeError", "message": str(exc)}
        return _answer(world, skipped=skipped, error=error)
