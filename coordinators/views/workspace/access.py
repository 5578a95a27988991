"""Who may open which workspace page."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import Http404

from ...models import Case
from ...selectors import case_get


def works_on_cases(user):
    """National administrators and regional coordinators work with cases and personal data."""
    return user.is_authenticated and (user.is_national_admin or user.is_regional_coordinator)


class CaseWorkerRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Anonymous users go to the login page; other roles get 403 (the page is not theirs)."""

    def test_func(self):
        return works_on_cases(self.request.user)


class CaseScopedMixin(CaseWorkerRequiredMixin):
    """Every case view starts here: the queryset is the scoping rule, so a case of another
    region and a case that does not exist are the same 404."""

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user)

    def get_object(self, queryset=None):
        try:
            return case_get(user=self.request.user, reference=self.kwargs["reference"])
        except Case.DoesNotExist as error:
            raise Http404 from error


class SpecialistRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Municipal specialists answer requests; national administrators may look on."""

    def test_func(self):
        user = self.request.user
        return user.is_municipal_specialist or user.is_national_admin
