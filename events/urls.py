"""Event URLs: the public pages under /events/ (/en/events/, /ru/events/), the staff's under
/manage/events/."""

from django.urls import path

from .views import public, reports, staff

app_name = "events"

urlpatterns = [
    path("events/", public.PublicEventListView.as_view(), name="list"),
    path("events/<int:pk>/", public.EventDetailView.as_view(), name="detail"),
    path("events/<int:pk>/thank-you/", public.EventThanksView.as_view(), name="thanks"),
    path("events/<int:pk>/calendar.ics", public.EventCalendarView.as_view(), name="ical"),
    path("reports/events/", reports.events_report, name="report"),
    path("manage/events/", staff.EventListView.as_view(), name="staff_list"),
    path("manage/events/new/", staff.EventFormView.as_view(), name="staff_create"),
    path("manage/events/<int:pk>/", staff.EventDetailStaffView.as_view(), name="staff_detail"),
    path("manage/events/<int:pk>/edit/", staff.EventUpdateView.as_view(), name="staff_edit"),
    path(
        "manage/events/<int:pk>/attendees/<int:attendee_id>/check-in/",
        staff.CheckInView.as_view(),
        name="check_in",
    ),
    path(
        "manage/events/<int:pk>/contacts/", staff.ContactsMakeView.as_view(), name="contacts_make"
    ),
]
