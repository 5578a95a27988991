"""URL map. Public and staff pages are translated (Latvian without a prefix, English under
/en/); the admin stays at /admin/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("Remigration portal")
admin.site.site_title = _("Remigration portal")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("", RedirectView.as_view(pattern_name="admin:index"), name="home"),
    path("", include("coordinators.urls")),
    path("", include("offers.urls")),
    path("", include("privacy.urls")),
    path("", include("accounts.urls")),
    path("reports/", include("reports.urls")),
    prefix_default_language=False,
)
