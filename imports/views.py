"""The history import's pages in the workspace: upload, the job's progress, problems or
preview, import and discard, and the template to fill.

Regional coordinators (their region) and national administrators (any region) may import;
everybody else gets 403. A job is its requester's: anybody else's is a 404, the same as a
job that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from audit.models import AuditEntry
from audit.services import audit_record
from common.errors import DomainError
from coordinators.models import Case

from . import selectors
from .forms import UploadForm
from .models import ImportJob
from .services.jobs import import_job_create, import_job_discard, import_job_start
from .template import template_csv, template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportAllowedMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Anonymous users go to the login page; roles that do not import get 403."""

    def test_func(self):
        return self.request.user.can_import_history


class UploadView(ImportAllowedMixin, View):
    """The upload form and the user's latest files."""

    http_method_names = ["get", "post"]

    def render_page(self, form, status=200):
        context = {"form": form, "jobs": selectors.import_jobs_recent(user=self.request.user)}
        return TemplateResponse(self.request, "imports/upload.html", context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_page(UploadForm(user=request.user))

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_page(form)
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(
                user=request.user, file_name=upload.name, content=upload.read(),
                default_region=form.cleaned_data.get("default_region"),
                language=get_language() or "lv", request=request,
            )  # fmt: skip
        except DomainError as error:
            form.add_error("file", error.message)
            return self.render_page(form)
        return redirect("imports:job", job_id=job.pk)


class JobView(ImportAllowedMixin, View):
    """Progress while the worker checks or imports (the page reloads itself), then the
    problems by row and column, or the preview with Import and Discard."""

    http_method_names = ["get", "head"]

    def get(self, request, job_id):
        job = selectors.import_job_get(user=request.user, job_id=job_id)
        if job.status == ImportJob.Status.READY:  # the preview shows people's data
            audit_record(action=AuditEntry.Action.VIEW, request=request, obj=job,
                         detail="history import: preview")  # fmt: skip
        context = {
            "job": job,
            "problems": selectors.job_messages(job.problems),
            "notes": selectors.job_messages(job.preview.get("notes", [])),
            "preview": job.preview,
            "counts": job.summary.get("counts", {}),
            "years": selectors.preview_years(job.preview),
            "statuses": Case.Status.choices,
            "status_labels": dict(Case.Status.choices),
        }
        return TemplateResponse(request, "imports/job.html", context)


class JobActionView(ImportAllowedMixin, View):
    http_method_names = ["post"]

    def post(self, request, job_id):
        job = selectors.import_job_get(user=request.user, job_id=job_id)
        try:
            message = self.perform(job)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("imports:job", job_id=job.pk)
        messages.success(request, message)
        return self.done(job)


class StartView(JobActionView):
    def perform(self, job):
        import_job_start(job=job, actor=self.request.user, request=self.request)
        return _("The import has started. This page shows when it is done.")

    def done(self, job):
        return redirect("imports:job", job_id=job.pk)


class DiscardView(JobActionView):
    def perform(self, job):
        import_job_discard(job=job, actor=self.request.user)
        return _("The file is discarded; nothing was imported.")

    def done(self, job):
        return redirect("imports:upload")


class TemplateFileView(ImportAllowedMixin, View):
    """The template to fill, as XLSX (with the explanation sheet) or CSV."""

    http_method_names = ["get", "head"]
    kind = "xlsx"

    def get(self, request, *args, **kwargs):
        audit_record(action=AuditEntry.Action.DOWNLOAD, request=request,
                     detail=f"history import: template {self.kind}")  # fmt: skip
        if self.kind == "xlsx":
            response = HttpResponse(template_xlsx(), content_type=XLSX)
        else:
            response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="history-import.{self.kind}"'
        return response
