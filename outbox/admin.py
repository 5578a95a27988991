from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Email
from .services import email_retry


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "purpose", "status", "attempts", "sent_at", "case"]
    list_filter = ["status", "purpose"]
    search_fields = ["case__reference", "subject"]
    list_select_related = ["case"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Email._meta.fields]
    actions = ["retry_now"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_national_admin:
            return queryset
        # The outbox imports no domain model: the case comes from the foreign key's target.
        cases = Email._meta.get_field("case").related_model.objects
        return queryset.filter(case__in=cases.visible_to(request.user))

    # Mail whose text is a way in (a password-reset or enrolment link): the back office shows
    # that it was sent, never the link, which is for its addressee alone.
    SECRET_PURPOSES = (Email.Purpose.PASSWORD_RESET, Email.Purpose.TWO_FACTOR_ENROLMENT)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and obj.purpose in self.SECRET_PURPOSES:
            return [field for field in fields if field not in ("body", "html_body")]
        return fields

    def has_add_permission(self, request):
        return False

    # A mail is a record of what the family or a municipality was sent (or is still to be
    # sent): it goes only by erasure and retention, never by hand.
    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry sending now"))
    def retry_now(self, request, queryset):
        count = email_retry(
            ids=queryset.exclude(status=Email.Status.SENT).values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail queued again; the worker sends it within a minute.",
                "%(count)d e-mails queued again; the worker sends them within a minute.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
