"""Exceptions the shims raise.

NotEmulated is the emulator's own: an expression touched something the shims do not cover. The others stand in
for authentik / Django classes an expression can see or catch; their __module__ is the real one so that
tracebacks (authentik's exception_to_string prints module.Class) read as they would on the real server.
"""

# Every NotEmulated raised during the current evaluation, kept even if the expression swallowed it with a bare
# `except:`: the evaluation is refused anyway, since the value it returned was built around a gap.
_hits = []


class NotEmulated(BaseException):
    """BaseException, not Exception: an expression's `except Exception:` must not turn a gap into a fallback value,
    and authentik's evaluator (which catches Exception) would not treat it as an expression error either."""

    def __init__(self, what, covered=()):
        super().__init__(what)
        self.what = what
        self.covered = tuple(covered)
        _hits.append(self)


def reset_hits():
    _hits.clear()


def first_hit():
    return _hits[0] if _hits else None


class ControlFlowException(Exception):
    """Re-raised as is by PropertyMapping.evaluate and not reported by BaseEvaluator.handle_error."""

    __module__ = "authentik.lib.expression.exceptions"


class SkipObjectException(ControlFlowException):
    """The `SkipObject` global of property mappings."""

    __module__ = "authentik.core.expression.exceptions"


class ObjectDoesNotExist(Exception):
    __module__ = "django.core.exceptions"


class MultipleObjectsReturned(Exception):
    __module__ = "django.core.exceptions"


class ValidationError(Exception):
    __module__ = "django.core.exceptions"

    def __init__(self, messages):
        super().__init__(messages)
        self.messages = list(messages)

    def __str__(self):
        return repr(self.messages)


class MultiValueDictKeyError(KeyError):
    __module__ = "django.utils.datastructures"


def model_exceptions(model_name):
    """Model.DoesNotExist / Model.MultipleObjectsReturned, as Django creates them per model."""
    does_not_exist = type("DoesNotExist", (ObjectDoesNotExist,), {"__module__": "authentik.core.models"})
    does_not_exist.__qualname__ = f"{model_name}.DoesNotExist"
    multiple = type("MultipleObjectsReturned", (MultipleObjectsReturned,), {"__module__": "authentik.core.models"})
    multiple.__qualname__ = f"{model_name}.MultipleObjectsReturned"
    return does_not_exist, multiple


# Provider.application.RelatedObjectDoesNotExist (Django's ReverseOneToOneDescriptor builds it from
# Application.DoesNotExist and AttributeError, in the module of Provider).
ApplicationDoesNotExist, _ = model_exceptions("Application")
RelatedObjectDoesNotExist = type(
    "RelatedObjectDoesNotExist",
    (ApplicationDoesNotExist, AttributeError),
    {"__module__": "authentik.core.models", "__qualname__": "Provider.application.RelatedObjectDoesNotExist"},
)
