"""Turn an expression's result into JSON text, as the encoder authentik uses for it would.

"django": DjangoJSONEncoder, what TokenResponse (a JsonResponse) uses for the userinfo response: json's types plus
datetime/date/time/timedelta/Decimal/UUID. "json": plain json.dumps, what the ID token goes through (PyJWT's
jwt.encode and AccessToken.id_token's json.dumps(asdict(...))). Anything else raises NotSerializable with json's
own message ("Object of type set is not JSON serializable"). NaN/Infinity and integers a JavaScript number cannot
hold exactly are refused too: Python would write them, but the emulator hands the value to JavaScript.
"""

import datetime
import decimal
import json
import uuid

MAX_SAFE_INTEGER = 2**53 - 1


class NotSerializable(Exception):
    pass


def _django_default(o):
    if isinstance(o, datetime.datetime):
        r = o.isoformat()
        if o.microsecond:
            r = r[:23] + r[26:]
        if r.endswith("+00:00"):
            r = r.removesuffix("+00:00") + "Z"
        return r
    if isinstance(o, datetime.date):
        return o.isoformat()
    if isinstance(o, datetime.time):
        if o.utcoffset() is not None:
            raise NotSerializable("JSON can't represent timezone-aware times.")
        r = o.isoformat()
        return r[:12] if o.microsecond else r
    if isinstance(o, datetime.timedelta):
        return _duration_iso_string(o)
    if isinstance(o, (decimal.Decimal, uuid.UUID)):
        return str(o)
    raise NotSerializable(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _duration_iso_string(duration):
    """django.utils.duration.duration_iso_string"""
    sign = ""
    if duration < datetime.timedelta(0):
        sign = "-"
        duration *= -1
    days, seconds, microseconds = duration.days, duration.seconds, duration.microseconds
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    ms = f".{microseconds:06d}" if microseconds else ""
    return f"{sign}P{days}DT{hours:02d}H{minutes:02d}M{seconds:02d}{ms}S"


def _plain_default(o):
    raise NotSerializable(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _key(key):
    # json.dumps turns these keys into strings; anything else is a TypeError there
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    if isinstance(key, float):
        return _number(key, key) and float.__repr__(key)
    raise NotSerializable(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _number(value, shown):
    if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
        raise NotSerializable(f"Out of range float values are not JSON compliant: {shown!r}")
    if isinstance(value, int) and not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        raise NotSerializable(f"integer {value} cannot be handed to JavaScript exactly")
    return True


def plain(value, encoder, seen=None):
    """A copy of `value` made of dict/list/str/int/float/bool/None only."""
    seen = set() if seen is None else seen
    if value is None or isinstance(value, (str, bool)):
        return value if not isinstance(value, str) else str(value)
    if isinstance(value, (int, float)):
        _number(value, value)
        return int(value) if isinstance(value, int) else float(value)
    if isinstance(value, (dict, list, tuple)):
        if id(value) in seen:
            raise NotSerializable("Circular reference detected")
        seen.add(id(value))
        if isinstance(value, dict):
            result = {_key(k): plain(v, encoder, seen) for k, v in value.items()}
        else:
            result = [plain(v, encoder, seen) for v in value]
        seen.discard(id(value))
        return result
    default = _django_default if encoder == "django" else _plain_default
    return plain(default(value), encoder, seen)


def to_json(value, encoder):
    return json.dumps(plain(value, encoder), ensure_ascii=False, allow_nan=False)
