"""National administrators hold every permission in the admin by their role.

Roles, not ticked permissions, decide what staff may do (coordinators.models.users); the
admin asks Django's permissions, so this answers them for the back office's only users. What
a ModelAdmin refuses itself (the read-only histories, no deleting of cases) stays refused.
"""

from django.contrib.auth.backends import BaseBackend


class NationalAdminPermissionBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and getattr(user_obj, "is_national_admin", False)

    def has_module_perms(self, user_obj, app_label):
        return self.has_perm(user_obj, app_label)
