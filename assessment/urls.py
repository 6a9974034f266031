from __future__ import annotations

from django.urls import path

from assessment.views import lead, member, results

app_name = "assessment"

urlpatterns = [
    path("trusts/<int:trust>/assessments/new/", lead.new, name="new"),
    path("trusts/<int:trust>/history/", results.history, name="history"),
    path("assessments/<int:pk>/", lead.overview, name="overview"),
    path("assessments/<int:pk>/invite/", lead.invite, name="invite"),
    path("assessments/<int:pk>/members/", lead.add_members, name="add_members"),
    path("assessments/<int:pk>/consensus/", lead.consensus, name="consensus"),
    path("assessments/<int:pk>/submit/", lead.submit, name="submit"),
    path("assessments/<int:pk>/results/", results.results, name="results"),
    path("assessments/<int:pk>/what-if/", results.what_if, name="what_if"),
    path("assessments/<int:pk>/response/", member.tasks, name="tasks"),
    path("assessments/<int:pk>/response/check/", member.check, name="check"),
    path("assessments/<int:pk>/response/complete/", member.complete, name="complete"),
    path("assessments/<int:pk>/response/reopen/", member.reopen, name="reopen"),
    path("assessments/<int:pk>/response/import/", member.import_answers, name="import"),
    path("assessments/<int:pk>/response/autosave/", member.autosave, name="autosave"),
    path("assessments/<int:pk>/response/<str:code>/", member.section, name="section"),
]
