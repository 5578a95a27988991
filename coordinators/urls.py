"""URLs of the public contact form and the coordinators' workspace."""

app_name = "coordinators"

urlpatterns = []
