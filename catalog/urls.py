from django.urls import path

from . import views

app_name = "catalog"
urlpatterns: list = [
    path("import/", views.import_registry, name="import"),
    path("import/template.xlsx", views.import_template_xlsx, name="import_template_xlsx"),
    path("import/template.csv", views.import_template_csv, name="import_template_csv"),
]
