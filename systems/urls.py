from __future__ import annotations

from django.urls import path

from systems import views

app_name = "systems"

urlpatterns = [
    path("assessments/<int:pk>/sharing/", views.sharing, name="sharing"),
    path("assessments/<int:pk>/sharing/<int:share>/revoke/", views.revoke, name="revoke"),
    path("systems/", views.systems, name="list"),
    path("systems/<int:pk>/", views.system, name="system"),
    path("systems/<int:pk>/system-paper.pdf", views.system_paper, name="paper"),
    path("systems/<int:pk>/system.csv", views.system_csv, name="csv"),
]
