from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.home, name="home"),
    path("events/", views.events, name="events"),
    path("events/new/", views.event_edit, name="event_new"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/<str:action>/", views.event_action, name="event_action"),
    path("participations/<int:pk>/decide/", views.decide, name="decide"),
    path("partners/", views.partners, name="partners"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("pipeline/<int:pk>/", views.potential_detail, name="potential"),
    path("reports/", views.periods, name="periods"),
    path("reports/<int:pk>/", views.period_detail, name="period"),
]
