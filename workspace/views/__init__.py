"""The coordinators' workspace: dashboard, case list, case page, municipality requests.

Access is decided in two places only: the role mixins below, and `Case.objects.visible_to`
(through `CaseScopedMixin`) for which cases a user may see.
"""
