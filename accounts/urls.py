from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/two-factor/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path(
        "account/two-factor/verify/",
        views.TwoFactorVerifyView.as_view(),
        name="two_factor_verify",
    ),
    path(
        "account/two-factor/enrol/<str:token>/",
        views.EnrolmentLinkUseView.as_view(),
        name="two_factor_enrol",
    ),
    path("account/two-factor/links/", views.EnrolmentLinksView.as_view(), name="enrolment_links"),
    path("account/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
