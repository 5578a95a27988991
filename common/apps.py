from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Pieces every app shares: date formats, spreadsheet safety, base templates' helpers."""

    name = "common"
