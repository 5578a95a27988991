from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenFiguresConfig(AppConfig):
    """The programme's figures for the public: a page, an embeddable widget and JSON, read
    through reports.figures (never counted twice), no cell below five people."""

    name = "openfigures"
    verbose_name = _("Public figures")
