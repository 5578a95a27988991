"""The public figures: a page, a widget page other sites may put in an <iframe> (no
JavaScript; X-Frame-Options lifted and CSP frame-ancestors set from the settings for it
alone), and JSON with CORS for the origins in `OPEN_FIGURES_CORS_ORIGINS`."""

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import TemplateView

from common.urls import absolute_url

from .selectors import public_figures


class FiguresPageView(TemplateView):
    template_name = "openfigures/page.html"

    def get_context_data(self, **kwargs):
        widget_url = absolute_url(reverse("openfigures:widget"))
        return super().get_context_data(figures=public_figures(), widget_url=widget_url, **kwargs)


@method_decorator(xframe_options_exempt, name="dispatch")
class FiguresWidgetView(FiguresPageView):
    """The latest year and the upcoming events, small enough for a side column."""

    template_name = "openfigures/widget.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # django-csp reads this per response: only this page may be framed, by these sites.
        ancestors = settings.OPEN_FIGURES_FRAME_ANCESTORS or ["'none'"]
        response._csp_replace = {"frame-ancestors": ancestors}
        return response


class FiguresJsonView(View):
    """The same figures as JSON; a cell under the minimum is null."""

    http_method_names = ["get", "options"]

    def get(self, request):
        return self.cors(
            request, JsonResponse(public_figures(), json_dumps_params={"ensure_ascii": False})
        )

    def options(self, request, *args, **kwargs):
        return self.cors(request, super().options(request, *args, **kwargs))

    @staticmethod
    def cors(request, response):
        origin = request.headers.get("Origin", "")
        if origin and origin in settings.OPEN_FIGURES_CORS_ORIGINS:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Methods"] = "GET"
            response["Vary"] = "Origin"
        return response
