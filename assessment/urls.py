from __future__ import annotations

from django.urls import path

from assessment.views import (
    consensus,
    exports,
    figures,
    invitations,
    lead,
    member,
    members,
    results,
    withdrawals,
)

app_name = "assessment"

urlpatterns = [
    path("trusts/<int:trust>/assessments/new/", lead.new, name="new"),
    path("trusts/<int:trust>/history/", results.history, name="history"),
    path("assessments/<int:pk>/", lead.overview, name="overview"),
    path("assessments/<int:pk>/invite/", lead.invite, name="invite"),
    path("assessments/<int:pk>/members/", lead.add_members, name="add_members"),
    path("assessments/<int:pk>/members/<int:member>/", members.member, name="member"),
    path(
        "assessments/<int:pk>/members/<int:member>/remove/",
        members.remove,
        name="member_remove",
    ),
    path("assessments/<int:pk>/deadline/", members.deadline, name="deadline"),
    path(
        "assessments/<int:pk>/invitations/<int:invitation>/resend/",
        invitations.resend,
        name="invitation_resend",
    ),
    path(
        "assessments/<int:pk>/invitations/<int:invitation>/cancel/",
        invitations.cancel,
        name="invitation_cancel",
    ),
    path("assessments/<int:pk>/consensus/", consensus.summary, name="consensus"),
    path(
        "assessments/<int:pk>/consensus/autosave/",
        consensus.autosave,
        name="consensus_autosave",
    ),
    path(
        "assessments/<int:pk>/consensus/<str:code>/",
        consensus.question,
        name="consensus_question",
    ),
    path("assessments/<int:pk>/submit/", lead.submit, name="submit"),
    path("assessments/<int:pk>/results/", results.results, name="results"),
    path("assessments/<int:pk>/what-if/", results.what_if, name="what_if"),
    path("assessments/<int:pk>/withdraw/", withdrawals.withdraw, name="withdraw"),
    path("assessments/<int:pk>/board-paper.pdf", exports.board_paper, name="board_paper"),
    path(
        "assessments/<int:pk>/exports/answers.csv",
        exports.answers_export,
        {"extension": "csv"},
        name="answers_csv",
    ),
    path(
        "assessments/<int:pk>/exports/answers.xlsx",
        exports.answers_export,
        {"extension": "xlsx"},
        name="answers_xlsx",
    ),
    path(
        "assessments/<int:pk>/exports/results.csv",
        exports.results_export,
        {"extension": "csv"},
        name="results_csv",
    ),
    path(
        "assessments/<int:pk>/exports/results.xlsx",
        exports.results_export,
        {"extension": "xlsx"},
        name="results_xlsx",
    ),
    path(
        "assessments/<int:pk>/exports/assessment.json",
        exports.assessment_export,
        name="json_export",
    ),
    path("assessments/<int:pk>/figures/", figures.figures, name="figures"),
    path("assessments/<int:pk>/figures/holders/", figures.holders, name="figure_holders"),
    path("assessments/<int:pk>/figures/autosave/", figures.autosave, name="figures_autosave"),
    path("assessments/<int:pk>/figures/queries/<int:query_pk>/", figures.resolve, name="resolve"),
    path("assessments/<int:pk>/figures/<str:code>/", figures.section, name="figures_section"),
    path("assessments/<int:pk>/figures/<str:code>/query/", figures.query, name="figure_query"),
    path("assessments/<int:pk>/response/", member.tasks, name="tasks"),
    path("assessments/<int:pk>/response/check/", member.check, name="check"),
    path("assessments/<int:pk>/response/complete/", member.complete, name="complete"),
    path("assessments/<int:pk>/response/reopen/", member.reopen, name="reopen"),
    path("assessments/<int:pk>/response/import/", member.import_answers, name="import"),
    path("assessments/<int:pk>/response/autosave/", member.autosave, name="autosave"),
    path("assessments/<int:pk>/response/<str:code>/", member.section, name="section"),
]
