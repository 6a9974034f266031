from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from assessment.forms import ChooseNewPasswordForm, ResetPasswordForm, SignInForm
from assessment.views import account, invitations, questionnaire
from assessment.views import pages as views

admin.site.site_header = "Assess your trust's sustainability: catalogue administration"
admin.site.site_title = "Catalogue administration"
admin.site.index_title = "Catalogue, questionnaire and method"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="registration/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
            http_method_names=["get", "post"],
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="registration/password_reset.html",
            form_class=ResetPasswordForm,
            email_template_name="registration/email/password_reset.txt",
            subject_template_name="registration/email/password_reset_subject.txt",
            http_method_names=["get", "post"],
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_sent.html", http_method_names=["get"]
        ),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_reset_confirm.html",
            form_class=ChooseNewPasswordForm,
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("", include("assessment.urls")),
    path("", include("systems.urls")),
    path("invitations/<str:token>/", invitations.invitation, name="invitation"),
    path("session/extend/", views.session_extend, name="session_extend"),
    path("organisational-forms/", include("models_catalogue.urls")),
    path("questionnaire/", questionnaire.questionnaire_page, name="questionnaire"),
    path(
        "questionnaire/version-<int:number>/",
        questionnaire.questionnaire_page,
        name="questionnaire_version",
    ),
    path(
        "questionnaire/version-<int:number>/what-changed/",
        questionnaire.what_changed,
        name="questionnaire_changes",
    ),
    path("account/", account.account, name="account"),
    path("account/two-factor/", account.setup, name="two_factor_setup"),
    path("account/two-factor/verify/", account.verify, name="two_factor_verify"),
    path("account/two-factor/backup-codes/", account.backup_codes, name="backup_codes"),
    path("account/two-factor/remove/", account.remove, name="two_factor_remove"),
    path("account/password/", account.ChangePasswordView.as_view(), name="password_change"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("admin/login/", views.admin_sign_in, name="admin_sign_in"),
    path("admin/", admin.site.urls),
]

handler500 = "assessment.views.pages.server_error"
