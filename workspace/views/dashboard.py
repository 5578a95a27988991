"""The start page: a dashboard for case workers, a pointer elsewhere for other roles."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views.generic import TemplateView

from ..selectors import dashboard_counts


class LoginView(auth_views.LoginView):
    template_name = "workspace/login.html"
    redirect_authenticated_user = True


class HomeView(LoginRequiredMixin, TemplateView):
    """`/`: the dashboard for coordinators and administrators."""

    template_name = "workspace/dashboard.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        if user.is_municipal_specialist:
            return redirect("workspace:request_list")
        if not user.can_work_cases:
            # Analysts see aggregate reports only, never personal data pages.
            self.template_name = "workspace/home_other.html"
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.can_work_cases:
            context["counts"] = dashboard_counts(user=self.request.user)
        return context
