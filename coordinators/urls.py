"""URLs of the public contact form and the coordinators' workspace."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from coordinators.views import contact

app_name = "coordinators"

urlpatterns = [
    # Translated paths: /dod-zinu/ in Latvian, /en/let-us-know/ in English.
    path(_("let-us-know/"), contact.ContactFormView.as_view(), name="contact"),
    path(_("let-us-know/thank-you/"), contact.ContactThanksView.as_view(), name="contact_thanks"),
    path(_("let-us-know/privacy-notice/"), contact.PrivacyNoticeView.as_view(), name="privacy"),
]
