"""URL map. Public and staff pages are translated (Latvian without a prefix, English under
/en/); the admin stays at /admin/, /healthz (for monitors) outside the languages."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from common.views import healthz, set_language
from workspace.views.dashboard import HomeView, LoginView

admin.site.site_header = _("Remigration portal")
admin.site.site_title = _("Remigration portal")
admin.site.index_title = _("Back office")

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
    # The person's page: their language by cookie, not by prefix (one link for any language).
    path("", include("returnee.urls")),
]
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(next_page="login"), name="logout"),
    path("", include("intake.urls")),
    path("", include("workspace.urls")),
    path("", include("offers.urls")),
    path("", include("privacy.urls")),
    path("", include("returnee.staff_urls")),
    path("", include("accounts.urls")),
    path("", include("inbound.urls")),
    path("reports/", include("reports.urls")),
    path("imports/", include("imports.urls")),
    path("", include("events.urls")),
    path("", include("openfigures.urls")),
    path("grants/", include("grants.urls")),
    path("aftercare/", include("aftercare.urls")),
    prefix_default_language=False,
)
