"""The public "Dod ziņu!" pages: /dod-zinu/ in Latvian, /en/let-us-know/ in English."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "intake"

urlpatterns = [
    path(_("let-us-know/"), views.ContactFormView.as_view(), name="contact"),
    path(_("let-us-know/thank-you/"), views.ContactThanksView.as_view(), name="contact_thanks"),
    path(_("let-us-know/privacy-notice/"), views.PrivacyNoticeView.as_view(), name="privacy"),
]
