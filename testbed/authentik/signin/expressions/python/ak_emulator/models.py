"""Shims of the authentik 2026.x models a scope mapping reaches (authentik/core/models.py,
authentik/providers/oauth2/models.py): User, Group, Application, ApplicationEntitlement, OAuth2Provider,
AccessToken, ScopeMapping, Brand. Fields are plain values in the record; relations and methods are below."""

from .base import Model, not_emulated_str
from .errors import RelatedObjectDoesNotExist, model_exceptions
from .merge import always_merge
from .queryset import ManyRelatedManager, QuerySet


class Group(Model):
    _model = "Group"
    # filterable fields: lookup name -> (attribute, kind)
    _lookups = {
        "pk": ("pk", "uuid"),
        "group_uuid": ("pk", "uuid"),
        "name": ("name", "text"),
        "is_superuser": ("is_superuser", "bool"),
    }
    DoesNotExist, MultipleObjectsReturned = model_exceptions("Group")

    @staticmethod
    def _sort_key(field):
        if field == "name":
            return lambda group: group._rec.order  # rank by the database collation, computed in TypeScript
        attr = Group._lookups[field][0]
        return lambda group: getattr(group, attr)

    @property
    def parents(self):
        label = f"{self._label}.parents"
        world = self._rec.world
        return ManyRelatedManager(label, lambda: world.groups(self._rec.parents, f"{label}.all()"))

    def is_member(self, user):
        return user.all_groups().filter(group_uuid=self.group_uuid).exists()

    def __str__(self):
        return f"Group {self.name}"


class User(Model):
    _model = "User"
    DoesNotExist, MultipleObjectsReturned = model_exceptions("User")

    @property
    def groups(self):
        label = f"{self._label}.groups"
        return ManyRelatedManager(label, lambda: self._rec.world.groups(self._rec.groups, f"{label}.all()"))

    @property
    def ak_groups(self):
        # authentik 2026.x: a deprecated proxy of `groups` ("TODO: remove this after 2026") that logs a warning and
        # records a configuration_warning event (once per 30 days), then returns self.groups
        self._rec.world.deprecation("authentik.core.models.User.ak_groups", "authentik.core.models.User.groups")
        label = f"{self._label}.ak_groups"
        return ManyRelatedManager(label, lambda: self._rec.world.groups(self._rec.groups, f"{label}.all()"))

    def all_groups(self):
        # groups.all().with_ancestors(): direct groups and every ancestor, each once
        return self._rec.world.groups(self._rec.all_groups, f"{self._label}.all_groups()")

    def group_attributes(self, request=None):
        final_attributes = {}
        if request and _has_brand(request):
            always_merge(final_attributes, request.brand.attributes)
        for group in self.all_groups().order_by("name"):
            always_merge(final_attributes, group.attributes)
        always_merge(final_attributes, self.attributes)
        return final_attributes

    def app_entitlements(self, app):
        if not app:
            return []
        # authentik filters app.applicationentitlement_set by the bindings of the user and their groups; the
        # emulator stores no ApplicationEntitlement (that API is not emulated), so the set is always empty
        return app.applicationentitlement_set.all().order_by("name")

    def app_entitlements_attributes(self, app):
        final_attributes = {}
        for attrs in self.app_entitlements(app).values_list("attributes", flat=True):
            always_merge(final_attributes, attrs)
        return final_attributes

    @property
    def is_staff(self):
        return self.is_superuser

    # django.contrib.auth's AbstractBaseUser: always so for a real (non-anonymous) user
    is_authenticated = True
    is_anonymous = False

    def get_username(self):
        return self.username

    def __str__(self):
        return self.username


def _has_brand(request):
    from .request import PolicyRequest

    if isinstance(request, PolicyRequest):
        return False  # a dataclass without `brand`: the managed proxy mapping passes this one
    # the HttpRequest shim has `brand` only if the caller gave one (NotEmulated otherwise: BrandMiddleware sets it)
    return hasattr(request, "brand")


class ApplicationEntitlement(Model):
    _model = "ApplicationEntitlement"
    _lookups = {"pk": ("pk", "uuid"), "pbm_uuid": ("pk", "uuid"), "name": ("name", "text"), "attributes": ("attributes", "json")}
    DoesNotExist, MultipleObjectsReturned = model_exceptions("ApplicationEntitlement")

    @staticmethod
    def _sort_key(field):
        attr = ApplicationEntitlement._lookups[field][0]
        return lambda entitlement: getattr(entitlement, attr)


class Application(Model):
    _model = "Application"

    @property
    def applicationentitlement_set(self):
        label = f"{self._label}.applicationentitlement_set"
        return ManyRelatedManager(label, lambda: QuerySet(ApplicationEntitlement, [], f"{label}.all()"), "RelatedManager")

    def __str__(self):
        return str(self.name)


class OAuth2Provider(Model):
    _model = "OAuth2Provider"

    @property
    def application(self):
        app = self._rec.application
        if app is None:
            # Provider.application is the reverse side of Application.provider (OneToOne)
            raise RelatedObjectDoesNotExist("OAuth2Provider has no application.")
        return app  # one instance: Django caches a fetched relation on the object

    def __str__(self):
        return f"OAuth2 Provider {self.name}"


class AccessToken(Model):
    _model = "AccessToken"

    @property
    def scope(self):
        return list(self._rec.scope)  # BaseGrantModel.scope splits the stored string: a new list on each access

    @property
    def user(self):
        return self._rec.world.view("token.user")

    @property
    def provider(self):
        return self._rec.world.view("provider")

    def __str__(self):
        return f"Access Token for {self.provider_id} for user {self.user_id}"


class ScopeMapping(Model):
    _model = "ScopeMapping"

    def __str__(self):
        return f"Scope Mapping {self.name} ({self.scope_name})"


class Brand(Model):
    _model = "Brand"
    __str__ = not_emulated_str
