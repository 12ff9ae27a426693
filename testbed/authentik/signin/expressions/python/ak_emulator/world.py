"""The objects of one evaluation (or one get_claims run), built from the plain JSON the TypeScript side sends.

`user`, `request.user` and `token.user` are views of one record, as they are one object in authentik; each query
(`groups.all()`, `all_groups()`) builds fresh Group objects with their own copy of the attributes, as Django does.
"""

import copy
import uuid
from datetime import datetime

from .base import Record
from .models import AccessToken, Application, Brand, Group, OAuth2Provider, ScopeMapping, User
from .queryset import QuerySet
from .request import HttpHeaders, HttpRequest, PolicyRequest, QueryDict


def _uuid(value):
    return None if value is None else uuid.UUID(value)


def _datetime(value):
    return None if value is None else datetime.fromisoformat(value)


def _model_ref(app, model_name, pk, name):
    """authentik.events.utils.model_to_dict after sanitize_item (a UUID pk becomes its hex)."""
    return {"app": app, "model_name": model_name, "pk": pk.hex if isinstance(pk, uuid.UUID) else pk, "name": name}


class World:
    def __init__(self, data):
        self.events = []
        self._deprecations = set()
        self._views = {}
        self._groups = {g["pk"]: {**g, "uuid": uuid.UUID(g["pk"])} for g in data["groups"]}
        u = data["user"]
        user_values = {
            **{k: u[k] for k in ("username", "name", "email", "is_active", "is_superuser", "path", "type", "uid")},
            "pk": u["pk"],
            "id": u["pk"],
            "uuid": uuid.UUID(u["uuid"]),
            "attributes": u["attributes"],
            "avatar": u["avatar"],
            "date_joined": _datetime(u["date_joined"]),
            "last_login": _datetime(u["last_login"]),
            "last_updated": _datetime(u["last_updated"]),
            "password_change_date": _datetime(u["password_change_date"]),
        }
        self._user = Record(user_values, world=self, groups=u["groups"], all_groups=u["all_groups"])
        p = data["provider"]
        provider_values = {k: p[k] for k in p if k != "application"}
        self._provider = Record({**provider_values, "id": p["pk"]}, world=self, application=None)
        if p["application"] is not None:
            a = p["application"]
            app_values = {**a, "pk": uuid.UUID(a["pk"]), "pbm_uuid": uuid.UUID(a["pk"])}
            self._provider.application = Application(Record(app_values, world=self), "provider.application")
        self._token = Record({"user_id": u["pk"], "provider_id": p["pk"]}, world=self, scope=tuple(data["token"]["scope"]))
        self._http_data = data.get("http_request")
        self._http = None

    def view(self, label):
        """The shim of `user`, `request.user`, `token.user`, `provider` or `token`: one per label per world."""
        view = self._views.get(label)
        if view is None:
            if label == "provider":
                view = OAuth2Provider(self._provider, label)
            elif label == "token":
                view = AccessToken(self._token, label)
            else:
                view = User(self._user, label)
            self._views[label] = view
        return view

    def groups(self, pks, label):
        return QuerySet(Group, [self._group(pk, f"{label}[{i}]") for i, pk in enumerate(pks)], label)

    def _group(self, pk, label):
        g = self._groups[pk]
        values = {
            "pk": g["uuid"],
            "group_uuid": g["uuid"],
            "name": g["name"],
            "is_superuser": g["is_superuser"],
            "attributes": copy.deepcopy(g["attributes"]),
            "num_pk": int(str(g["uuid"].int)[:5]),
        }
        return Group(Record(values, world=self, parents=g["parents"], order=g["order"]), label)

    def http_request(self):
        if self._http is None and self._http_data is not None:
            h = self._http_data
            values = {
                "method": h["method"],
                "path": h["path"],
                "path_info": h["path"],
                "headers": HttpHeaders(h["headers"]),
                "GET": QueryDict(h["query"]),
                "_query_string": h["query_string"],
            }
            if h.get("brand") is not None:
                b = h["brand"]
                brand_values = {**b, "pk": uuid.UUID(b["pk"]), "brand_uuid": uuid.UUID(b["pk"])}
                values["brand"] = Brand(Record(brand_values, world=self), "request.http_request.brand")
            self._http = HttpRequest(values)
        return self._http

    def context(self, mapping):
        """PropertyMappingEvaluator.set_context for mapping.evaluate(user=token.user, request=<http request>,
        provider=provider, token=token): user, http_request (when there is one), request, provider, token."""
        req = PolicyRequest(user=self.view("request.user"))
        values = {**mapping, "pk": uuid.UUID(mapping["pk"]), "pm_uuid": uuid.UUID(mapping["pk"])}
        req.obj = ScopeMapping(Record(values, world=self), "request.obj")
        context = {"user": self.view("user")}
        http = self.http_request()
        if http is not None:
            req.http_request = http
            context["http_request"] = http
        kwargs = {"provider": self.view("provider"), "token": self.view("token")}
        req.context.update(**kwargs)
        context["request"] = req
        context.update(**kwargs)
        return context

    def deprecation(self, deprecation, replacement):
        """User.ak_groups: the configuration_warning event it records (authentik repeats it once per 30 days)."""
        if deprecation in self._deprecations:
            return
        self._deprecations.add(deprecation)
        message = (
            f"{deprecation} is deprecated and will be removed in a future version of authentik. "
            f"Please use {replacement} instead."
        )
        message += (
            " This event will not be repeated until it expires (by default: in 30 days). "
            "See authentik logs for every will invocation of this deprecation."
        )
        context = {"deprecation": deprecation, "replacement": replacement, "message": message}
        self.events.append({"action": "configuration_warning", "context": context})

    def property_mapping_exception(self, expression, message):
        """PropertyMappingEvaluator.handle_error."""
        context = {"expression": expression, "message": message}
        self.events.append({"action": "property_mapping_exception", "context": context})

    def configuration_error(self, mapping):
        """UserInfoView.get_claims, when mapping.evaluate raised PropertyMappingExpressionException."""
        p = self._provider.values
        context = {
            "message": f"Failed to evaluate property-mapping: '{mapping['name']}'",
            "provider": _model_ref("authentik_providers_oauth2", "oauth2provider", p["pk"], p["name"]),
            "mapping": _model_ref("authentik_providers_oauth2", "scopemapping", uuid.UUID(mapping["pk"]), mapping["name"]),
        }
        self.events.append({"action": "configuration_error", "context": context})
