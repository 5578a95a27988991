from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Pieces every app shares: date formats, spreadsheet safety, base templates' helpers,
    and the startup checks that refuse an unsafe production configuration."""

    name = "common"

    def ready(self):
        from . import checks  # noqa: F401 - registers the checks
