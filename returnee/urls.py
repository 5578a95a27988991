"""The person's pages, outside the language prefixes (the language is the person's, by a
cookie): /p/<token>/ opens, /p/ and below show."""

from django.urls import path

from .views import base, changes, person

app_name = "returnee"

urlpatterns = [
    path("p/", person.PageView.as_view(), name="page"),
    path("p/new-link/", person.link_request, name="link_request"),
    path("p/new-link/sent/", person.link_sent, name="link_sent"),
    path("p/leave/", person.leave, name="leave"),
    path("p/details/", changes.DetailsView.as_view(), name="details"),
    path("p/documents/", changes.DocumentUploadView.as_view(), name="document_upload"),
    path("p/consent/withdraw/", changes.ConsentWithdrawView.as_view(), name="consent_withdraw"),
    path("p/erasure/", changes.ErasureAskView.as_view(), name="erasure_ask"),
    path("p/offers/<int:version>/", person.OfferView.as_view(), name="offer"),
    path("p/offers/<int:version>/pdf/", person.OfferPdfView.as_view(), name="offer_pdf"),
    path("p/offers/<int:version>/answer/", person.OfferAnswerView.as_view(), name="offer_answer"),
    # Last: a token is any other word under /p/.
    path("p/<str:token>/", base.open_link, name="open"),
]
