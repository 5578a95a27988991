"""URLs of individual offers."""

app_name = "offers"

urlpatterns = []
