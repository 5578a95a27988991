"""The public "Dod ziņu!" pages: the form, the thank-you page and the privacy notice.

Order of defences on a POST: body size (before anything reads the body), CSRF, the form
(honeypot, minimum fill time, choices the page never offered), then the per-IP rate limit,
which counts valid submissions only: a family fixing typos on one connection is not blocked.
The request stores the submission and leaves the rest to the worker, so the thank-you page
and its timing are the same for every address (`intake.services`).
"""

import functools

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView, TemplateView

from common import ratelimit
from intake import fragments
from intake.forms import MESSAGE_MAX_LENGTH, ContactForm, timestamp_token
from municipalities.models import PlanningRegion

from .services import contact_submission_receive

# The thank-you page's "this browser sent a form" mark: a signed cookie, not the session,
# so a submission writes no session row (issue 16). It names nothing: its value is "1".
SENT_COOKIE = "contact_form_sent"
SENT_COOKIE_SALT = "intake.contact-form.sent"
SENT_COOKIE_MAX_AGE = 60 * 60

TOO_LARGE = _("The form you sent is too large. Please shorten your message and try again.")
RATE_LIMITED = _(
    "Thank you for your interest! We have received several forms from your connection in a "
    "short time. Your form is not sent yet, and what you typed is kept below: please send it "
    "again in a while, or write to us by e-mail."
)
REJECTED = _("We could not accept this form. Please open the form again, fill it in and send it.")


def refusal(request, message, status):
    """A short, polite page for a submission we do not process."""
    response = render(request, "intake/refused.html", {"message": message}, status=status)
    if status == 429:
        response["Retry-After"] = str(settings.CONTACT_FORM_RATE_WINDOW_SECONDS)
    return response


def body_size_limited(view):
    """Refuse an oversized body with 413 before the CSRF check or the form reads it."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = settings.CONTACT_FORM_MAX_BODY_BYTES + 1
        if length > settings.CONTACT_FORM_MAX_BODY_BYTES:
            return refusal(request, TOO_LARGE, status=413)
        return view(request, *args, **kwargs)

    return wrapper


def rate_limit_exceeded(request):
    """Count this valid POST for the client's address (`common.net.client_ip`, which honours
    PROXY_COUNT); True when over CONTACT_FORM_RATE_LIMIT in the window."""
    return ratelimit.client_over_limit(
        request,
        scope="contact-form-rate",
        limit=settings.CONTACT_FORM_RATE_LIMIT,
        window=settings.CONTACT_FORM_RATE_WINDOW_SECONDS,
    )


@method_decorator(csrf_exempt, name="dispatch")  # checked below, after the size limit
@method_decorator(body_size_limited, name="dispatch")
@method_decorator(csrf_protect, name="dispatch")
class ContactFormView(FormView):
    """The form itself: public, no login, works without JavaScript."""

    form_class = ContactForm
    template_name = "intake/form.html"

    def get(self, request, *args, **kwargs):
        """The empty form: the kept page with this visitor's CSRF and start tokens put in
        (see intake.fragments.form_page_html), unless the page shows something of the
        visitor's own (a signed-in user's menu, a message, a query string in the language
        switch's return address): then rendered afresh."""
        if (
            request.user.is_authenticated
            or request.META.get("QUERY_STRING")
            or len(get_messages(request))
        ):
            return super().get(request, *args, **kwargs)
        page = fragments.form_page_html(path=request.path, render=self.page_with_marks)
        return HttpResponse(
            page.replace(fragments.CSRF_MARK, get_token(request)).replace(
                fragments.STARTED_MARK, timestamp_token()
            )
        )

    def page_with_marks(self, fingerprint):
        """The unbound form's page with the marks where the visitor's tokens go."""
        context = self.get_context_data(
            csrf_token=fragments.CSRF_MARK,
            started_token=fragments.STARTED_MARK,
            fingerprint=fingerprint,
        )
        return render_to_string(self.template_name, context, request=self.request)

    def form_valid(self, form):
        if rate_limit_exceeded(self.request):
            return self.rate_limited(form)
        contact_submission_receive(data=form.cleaned_data, token=form.cleaned_data["started"])
        # Only that this browser sent a form; the reference comes by e-mail.
        response = redirect("intake:contact_thanks")
        response.set_signed_cookie(
            SENT_COOKIE, "1", salt=SENT_COOKIE_SALT, max_age=SENT_COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
        )  # fmt: skip
        return response

    def rate_limited(self, form):
        """429 with the form as typed and the address of the region to write to instead."""
        region = form.cleaned_data.get("planning_region")
        regions = [region] if region else PlanningRegion.objects.exclude(coordinator_email="")
        context = self.get_context_data(form=form, rate_limited=RATE_LIMITED, regions=regions)
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = str(settings.CONTACT_FORM_RATE_WINDOW_SECONDS)
        return response

    def form_invalid(self, form):
        if form.is_spam():
            return refusal(self.request, REJECTED, status=400)
        response = super().form_invalid(form)
        if form.is_tampered():
            response.status_code = 400
        return response

    def get_context_data(self, *, fingerprint=None, **kwargs):
        context = super().get_context_data(message_max_length=MESSAGE_MAX_LENGTH, **kwargs)
        form = context["form"]
        context.setdefault("started_token", form.started_token)
        if not form.is_bound:  # nobody's input in it: the kept rendering fits
            context["fields_html"] = fragments.form_fields_html(form=form, fingerprint=fingerprint)
        return context


class ContactThanksView(TemplateView):
    """The same page after every submission: it names no case and no person."""

    template_name = "intake/thanks.html"

    def get(self, request, *args, **kwargs):
        if request.get_signed_cookie(SENT_COOKIE, None, salt=SENT_COOKIE_SALT) != "1":
            return redirect("intake:contact")
        return super().get(request, *args, **kwargs)


class PrivacyNoticeView(TemplateView):
    """The privacy notice a person accepts; its version is stored with the consent."""

    template_name = "intake/privacy.html"

    def get_context_data(self, **kwargs):
        # The promises come from the settings the code runs on (tests/test_privacy_notice.py).
        return super().get_context_data(
            version=settings.CONSENT_TEXT_VERSION,
            retention_months=settings.RETENTION_MONTHS,
            mail_retention_days=settings.OUTBOX_RETENTION_DAYS,
            event_retention_days=settings.EVENT_ATTENDEE_RETENTION_DAYS,
            form_retention_days=settings.CONTACT_SUBMISSION_RETENTION_DAYS,
            inbox_retention_days=settings.INBOUND_RETENTION_DAYS,
            regions=PlanningRegion.objects.order_by("name"),
            data_protection_email=settings.DATA_PROTECTION_EMAIL,
            **kwargs,
        )
