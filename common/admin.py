"""Admin pieces shared by the apps."""


class ReadOnlyAdminMixin:
    """A history the admin shows but never lets anyone add to, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
