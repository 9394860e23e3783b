from django.contrib.auth import views as auth_views
from django.urls import path

from . import accounts
from . import applications as views

app_name = "applications"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="applications:login"), name="logout"),
    path("register/", accounts.register, name="register"),
    path("register/code/", accounts.enter_code, name="register_code"),
    path("register/code/resend/", accounts.resend_code, name="register_code_resend"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("", views.application_list, name="list"),
    path("new/", views.application_new, name="new"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/documents/", views.upload_document, name="upload"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("notices/", views.notices, name="notices"),
    path("staff/", views.staff_queue, name="staff_queue"),
    path("staff/invite/", views.invite, name="invite"),
    path("staff/accounts/", accounts.account_ties, name="account_ties"),
    path("staff/accounts/<int:pk>/suspend/", accounts.suspend, name="account_suspend"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/pre-assessment/", views.pre_assess, name="pre_assess"),
    path("staff/<int:pk>/score/", views.score, name="score"),
    path("staff/<int:pk>/close/", views.close, name="close"),
    path("staff/<int:pk>/request-documents/", views.request_documents, name="request_documents"),
    path("staff/<int:pk>/decision/", views.decide, name="decide"),
]
