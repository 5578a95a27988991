"""URLs of individual offers, under the case they belong to (the reference, never a name)."""

from django.urls import path

from . import views

app_name = "offers"

offer = "cases/<str:reference>/offers/<int:version>/"

urlpatterns = [
    path("cases/<str:reference>/offers/new/", views.OfferCreateView.as_view(), name="create"),
    path(offer, views.OfferDetailView.as_view(), name="detail"),
    path(offer + "pdf/", views.OfferPdfView.as_view(), name="pdf"),
    path(offer + "send/", views.OfferSendView.as_view(), name="send"),
    path(offer + "response/", views.OfferResponseView.as_view(), name="response"),
    path(offer + "language/", views.OfferLanguageView.as_view(), name="language"),
    path(offer + "items/add/", views.OfferItemAddView.as_view(), name="item_add"),
    path(
        offer + "items/add-service/",
        views.OfferItemAddServiceView.as_view(),
        name="item_add_service",
    ),
    path(
        offer + "items/add-answer/",
        views.OfferItemAddRequestView.as_view(),
        name="item_add_request",
    ),
    path(offer + "items/<int:item_id>/", views.OfferItemUpdateView.as_view(), name="item_update"),
    path(
        offer + "items/<int:item_id>/delete/",
        views.OfferItemDeleteView.as_view(),
        name="item_delete",
    ),
]
