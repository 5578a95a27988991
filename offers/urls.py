"""URLs of individual offers, under the case they belong to (the reference, never a name)."""

from django.urls import path

from . import views

app_name = "offers"

offer = "cases/<str:reference>/offers/<int:version>/"

urlpatterns = [
    path("cases/<str:reference>/offers/new/", views.offer_create, name="create"),
    path(offer, views.offer_detail, name="detail"),
    path(offer + "pdf/", views.offer_pdf, name="pdf"),
    path(offer + "send/", views.offer_send, name="send"),
    path(offer + "response/", views.offer_response, name="response"),
    path(offer + "language/", views.offer_language, name="language"),
    path(offer + "items/add/", views.offer_item_add, name="item_add"),
    path(offer + "items/add-service/", views.offer_item_add_service, name="item_add_service"),
    path(offer + "items/add-answer/", views.offer_item_add_request, name="item_add_request"),
    path(offer + "items/<int:item_id>/", views.offer_item_update, name="item_update"),
    path(offer + "items/<int:item_id>/delete/", views.offer_item_delete, name="item_delete"),
]
