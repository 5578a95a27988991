"""URLs of the coordinators' workspace."""

from django.urls import path

from .views import cases, contacts, duplicates, edits, requests, savedviews, transfers

app_name = "workspace"

urlpatterns = [
    path("cases/", cases.CaseListView.as_view(), name="case_list"),
    path("cases/new/", cases.CaseCreateView.as_view(), name="case_create"),
    path("cases/bulk/", cases.BulkActionView.as_view(), name="case_bulk"),
    path("cases/search/", cases.CaseSearchView.as_view(), name="case_search"),
    path("cases/views/", savedviews.SavedViewCreateView.as_view(), name="saved_view_create"),
    path(
        "cases/views/<int:pk>/delete/",
        savedviews.SavedViewDeleteView.as_view(),
        name="saved_view_delete",
    ),
    path("cases/<str:reference>/", cases.CaseDetailView.as_view(), name="case_detail"),
    path(
        "cases/<str:reference>/interactions/",
        cases.InteractionCreateView.as_view(),
        name="case_interaction",
    ),
    path("cases/<str:reference>/status/", cases.StatusChangeView.as_view(), name="case_status"),
    path("cases/<str:reference>/needs/", cases.NeedsUpdateView.as_view(), name="case_needs"),
    path("cases/<str:reference>/assign/", cases.AssignView.as_view(), name="case_assign"),
    path(
        "cases/<str:reference>/requests/",
        cases.MunicipalityRequestCreateView.as_view(),
        name="case_request",
    ),
    path("cases/<str:reference>/contact/", edits.ContactUpdateView.as_view(), name="case_contact"),
    path(
        "cases/<str:reference>/details/", edits.CaseDetailsUpdateView.as_view(), name="case_details"
    ),
    path(
        "cases/<str:reference>/household/",
        edits.HouseholdMemberAddView.as_view(),
        name="case_household",
    ),
    path(
        "cases/<str:reference>/household/<int:member_id>/",
        edits.HouseholdMemberUpdateView.as_view(),
        name="case_household_member",
    ),
    path(
        "cases/<str:reference>/interactions/<int:interaction_id>/",
        edits.InteractionEditView.as_view(),
        name="case_interaction_edit",
    ),
    path(
        "cases/<str:reference>/requests/<int:request_id>/withdraw/",
        edits.RequestWithdrawView.as_view(),
        name="case_request_withdraw",
    ),
    path("cases/<str:reference>/undo/", edits.FinalStepUndoView.as_view(), name="case_undo"),
    path(
        "cases/<str:reference>/transfer/",
        transfers.TransferProposeView.as_view(),
        name="case_transfer",
    ),
    path("cases/<str:reference>/seen/", cases.AttentionClearView.as_view(), name="case_attention"),
    path("contacts/", contacts.ContactListView.as_view(), name="contact_list"),
    path("contacts/<int:pk>/link/", contacts.ContactActionView.as_view(), name="contact_link"),
    path(
        "contacts/<int:pk>/dismiss/", contacts.ContactDismissView.as_view(), name="contact_dismiss"
    ),
    path("duplicates/", duplicates.DuplicateListView.as_view(), name="duplicate_list"),
    path("duplicates/<int:pk>/", duplicates.DuplicateDetailView.as_view(), name="duplicate_detail"),
    path(
        "duplicates/<int:pk>/merge/",
        duplicates.DuplicateMergeView.as_view(),
        name="duplicate_merge",
    ),
    path(
        "duplicates/<int:pk>/dismiss/",
        duplicates.DuplicateDismissView.as_view(),
        name="duplicate_dismiss",
    ),
    path("requests/", requests.RequestListView.as_view(), name="request_list"),
    path("requests/<int:pk>/", requests.RequestDetailView.as_view(), name="request_detail"),
    path("transfers/", transfers.TransferListView.as_view(), name="transfer_list"),
    path("transfers/<int:pk>/", transfers.TransferDetailView.as_view(), name="transfer_detail"),
    path(
        "transfers/<int:pk>/accept/",
        transfers.TransferDecideView.as_view(action="accept"),
        name="transfer_accept",
    ),
    path(
        "transfers/<int:pk>/decline/",
        transfers.TransferDecideView.as_view(action="decline"),
        name="transfer_decline",
    ),
    path(
        "transfers/<int:pk>/withdraw/",
        transfers.TransferDecideView.as_view(action="withdraw"),
        name="transfer_withdraw",
    ),
]
