from __future__ import annotations

from django.urls import path

from models_catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.forms_menu, name="menu"),
    path("version-<int:number>/", views.forms_menu, name="menu_version"),
    path("version-<int:number>/<slug:slug>/", views.form_detail, name="form_version"),
    path("<slug:slug>/", views.form_detail, name="form"),
]
