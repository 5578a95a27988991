"""The admin as the national administrators' back office.

Only active national administrators (and superusers) use it. Anybody else who is logged in
gets 403 on every admin URL, the login page included, rather than the admin's login form
(which would invite them to try another account); anonymous visitors get that login form.
The autocomplete endpoint answers with people's names, so each answer is audited.
"""

import json
from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from audit.admin_reads import admin_read_record
from common.admin import VersionCheckedAdminMixin


class NationalAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        """Every change form refuses a save over a newer change (common.versions)."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, VersionCheckedAdminMixin):
            admin_class = type(admin_class.__name__, (VersionCheckedAdminMixin, admin_class), {})
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        return request.user.is_active and request.user.is_national_admin

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @wraps(guarded)
        def refuse_other_users(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return guarded(request, *args, **kwargs)

        return refuse_other_users

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        return super().login(request, extra_context)

    def autocomplete_view(self, request):
        response = super().autocomplete_view(request)
        if response.status_code == 200:
            rows = len(json.loads(response.content).get("results", []))
            model = request.GET.get("model_name", "")[:50]
            admin_read_record(request=request, detail=f"admin autocomplete {model}: {rows} rows")
        return response
