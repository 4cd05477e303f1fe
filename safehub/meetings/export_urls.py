"""Routes for the outputs (agenda and action log as PDF/XLSX, MARAC data return), in the
`meetings` namespace (included by urls.py)."""

from django.urls import path

from safehub.meetings import export_views

urlpatterns: list = [
    path("<uuid:meeting_id>/agenda.pdf", export_views.agenda_pdf, name="agenda_pdf"),
    path("<uuid:meeting_id>/agenda.xlsx", export_views.agenda_xlsx, name="agenda_xlsx"),
    path("<uuid:meeting_id>/actions.pdf", export_views.actions_pdf, name="actions_pdf"),
    path("<uuid:meeting_id>/actions.xlsx", export_views.actions_xlsx, name="actions_xlsx"),
    path("returns/marac/", export_views.marac_return, name="marac_return"),
]
