from django.urls import path

from . import views

app_name = "register"
urlpatterns = [
    path("", views.register_list, name="list"),
    path("download.xlsx", views.register_download, {"fmt": "xlsx"}, name="download_xlsx"),
    path("download.csv", views.register_download, {"fmt": "csv"}, name="download_csv"),
]
