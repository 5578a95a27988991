"""URL map. Public and staff pages are translated (Latvian without a prefix, English under
/en/); the admin stays at /admin/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(prefix_default_language=False)
