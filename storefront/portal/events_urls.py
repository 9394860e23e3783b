from django.urls import path

from . import events as portal

app_name = "programme_portal"
urlpatterns = [
    path("", portal.events, name="events"),
    path("<int:pk>/", portal.event, name="event"),
    path("participations/<int:pk>/withdraw/", portal.withdraw, name="withdraw"),
    path("participations/<int:pk>/report/", portal.report, name="report"),
    path("participations/<int:pk>/template.csv", portal.report_template, name="report_template"),
]
