"""A form's own fit coefficients are edited in the admin, copied into new drafts, exported
and imported, and refused unless all three are given and add up to 1."""

from __future__ import annotations

import json
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from assessment.scoring import definitions as d
from models_catalogue import selectors, services
from models_catalogue.documents import DocumentError
from models_catalogue.models import CatalogueVersion, OrganisationalForm
from tests.conftest import verified_client
from tests.factories import UserFactory
from tests.models_catalogue.test_admin import _change_post

pytestmark = pytest.mark.django_db
FORMS = "/admin/models_catalogue/organisationalform/"
SUM_MESSAGE = (
    "The form's own coefficients must add up to 1: need 0.5 + context 0.4 + proportion 0.2 "
    "= 1.1. Change them, or leave all three empty to use the method's."
)
PARTIAL_MESSAGE = (
    "Give all three of the form's own coefficients (need, context and proportion), or leave "
    "all three empty to use the method's."
)


@pytest.fixture
def admin_user() -> Any:
    return UserFactory(is_staff=True, is_superuser=True, email="admin@region.nhs.uk")


@pytest.fixture
def admin_client(admin_user: Any) -> Client:
    return verified_client(admin_user)


@pytest.fixture
def draft(admin_user: Any) -> CatalogueVersion:
    return services.catalogue_new_draft(source=selectors.catalogue_published(), user=admin_user)


def _coefficients(need: str, context: str, proportion: str) -> dict[str, str]:
    return {
        "need_coefficient": need,
        "context_coefficient": context,
        "proportion_coefficient": proportion,
    }


def _own(form: OrganisationalForm) -> tuple[Decimal | None, ...]:
    form.refresh_from_db()
    return (form.need_coefficient, form.context_coefficient, form.proportion_coefficient)


# --------------------------------------------------------------------------- the admin


def test_the_form_page_shows_the_coefficients_in_their_own_fieldset(
    admin_client: Client, draft: CatalogueVersion
) -> None:
    form = draft.forms.get(slug="federation")

    html = admin_client.get(f"{FORMS}{form.pk}/change/").content.decode()

    assert "Fit coefficients (optional)" in html
    for name in ("need_coefficient", "context_coefficient", "proportion_coefficient"):
        assert f'name="{name}"' in html


def test_an_admin_edit_whose_coefficients_do_not_add_up_to_1_is_refused(
    admin_client: Client, draft: CatalogueVersion
) -> None:
    form = draft.forms.get(slug="federation")

    response = admin_client.post(
        f"{FORMS}{form.pk}/change/", _change_post(form, **_coefficients("0.5", "0.4", "0.2"))
    )

    assert response.status_code == 200
    assert SUM_MESSAGE in unescape(response.content.decode())
    assert SUM_MESSAGE in response.context["adminform"].form.errors["need_coefficient"]
    assert _own(form) == (None, None, None)


def test_an_admin_edit_giving_only_some_coefficients_is_refused(
    admin_client: Client, draft: CatalogueVersion
) -> None:
    form = draft.forms.get(slug="federation")

    response = admin_client.post(
        f"{FORMS}{form.pk}/change/", _change_post(form, **_coefficients("0.6", "0.4", ""))
    )

    assert response.status_code == 200
    assert PARTIAL_MESSAGE in unescape(response.content.decode())
    assert _own(form) == (None, None, None)


def test_an_admin_edit_with_coefficients_adding_up_to_1_is_saved_and_used(
    admin_client: Client, draft: CatalogueVersion
) -> None:
    form = draft.forms.get(slug="federation")

    response = admin_client.post(
        f"{FORMS}{form.pk}/change/", _change_post(form, **_coefficients("0.4", "0.4", "0.2"))
    )

    assert response.status_code == 302
    assert _own(form) == (Decimal("0.4"), Decimal("0.4"), Decimal("0.2"))
    catalogue, _ = selectors.catalogue_definition(draft)
    federation = next(f for f in catalogue.forms if f.slug == "federation")
    assert federation.coefficients == d.FitCoefficients(
        Decimal("0.4"), Decimal("0.4"), Decimal("0.2")
    )


def test_clearing_all_three_returns_the_form_to_the_method_s(
    admin_client: Client, draft: CatalogueVersion
) -> None:
    form = draft.forms.get(slug="federation")
    form.need_coefficient, form.context_coefficient, form.proportion_coefficient = (
        Decimal("0.4"),
        Decimal("0.4"),
        Decimal("0.2"),
    )
    form.save()

    response = admin_client.post(
        f"{FORMS}{form.pk}/change/", _change_post(form, **_coefficients("", "", ""))
    )

    assert response.status_code == 302
    assert _own(form) == (None, None, None)


# --------------------------------------------------------------------------- the model


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (("0.5", "0.4", "0.2"), SUM_MESSAGE),
        (("0.6", "0.4", None), PARTIAL_MESSAGE),
        ((None, None, "1"), PARTIAL_MESSAGE),
    ],
)
def test_clean_refuses_a_partial_set_or_one_not_adding_up_to_1(
    draft: CatalogueVersion, values: tuple[str | None, ...], message: str
) -> None:
    form = draft.forms.get(slug="federation")
    need, context, proportion = (None if v is None else Decimal(v) for v in values)
    form.need_coefficient, form.context_coefficient, form.proportion_coefficient = (
        need,
        context,
        proportion,
    )

    with pytest.raises(ValidationError) as refused:
        form.full_clean()

    assert refused.value.message_dict == {"need_coefficient": [message]}


@pytest.mark.parametrize("values", [("0.5", "0.4", "0.2"), ("0.6", "0.4", None)])
def test_the_database_refuses_what_clean_refuses(
    draft: CatalogueVersion, values: tuple[str | None, ...]
) -> None:
    form = draft.forms.get(slug="federation")
    need, context, proportion = (None if v is None else Decimal(v) for v in values)

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationalForm.objects.filter(pk=form.pk).update(
            need_coefficient=need, context_coefficient=context, proportion_coefficient=proportion
        )


# --------------------------------------------------------------------------- drafts, export, import


def test_a_new_draft_copies_the_coefficients(admin_user: Any, draft: CatalogueVersion) -> None:
    form = draft.forms.get(slug="integrated-care-organisation")
    form.need_coefficient, form.context_coefficient, form.proportion_coefficient = (
        Decimal("0.3"),
        Decimal("0.5"),
        Decimal("0.2"),
    )
    form.save()
    services.catalogue_publish(
        version=draft,
        user=admin_user,
        questionnaire=_published_questionnaire(),
    )

    copy = services.catalogue_new_draft(source=draft, user=admin_user)

    copied = copy.forms.get(slug="integrated-care-organisation")
    assert _own(copied) == (Decimal("0.3"), Decimal("0.5"), Decimal("0.2"))
    assert _own(copy.forms.get(slug="federation")) == (None, None, None)


def _published_questionnaire() -> d.Questionnaire:
    from assessment.services.published import questionnaire_published_definition

    questionnaire = questionnaire_published_definition()
    assert questionnaire is not None
    return questionnaire


def test_the_coefficients_round_trip_through_the_json_export_and_import(
    admin_user: Any, draft: CatalogueVersion
) -> None:
    form = draft.forms.get(slug="integrated-care-organisation")
    form.need_coefficient, form.context_coefficient, form.proportion_coefficient = (
        Decimal("0.3"),
        Decimal("0.5"),
        Decimal("0.2"),
    )
    form.save()
    exported = services.catalogue_export(version=draft)
    by_slug = {f["slug"]: f for f in exported["forms"]}
    assert by_slug["integrated-care-organisation"]["coefficients"] == {
        "need": 0.3,
        "context": 0.5,
        "proportion": 0.2,
    }
    assert "coefficients" not in by_slug["federation"]
    draft.delete()

    imported = services.catalogue_import(
        data=json.loads(json.dumps(exported)),
        questionnaire=_published_questionnaire(),
        user=admin_user,
    )

    assert services.catalogue_export(version=imported)["forms"] == exported["forms"]
    assert _own(imported.forms.get(slug="integrated-care-organisation")) == (
        Decimal("0.3"),
        Decimal("0.5"),
        Decimal("0.2"),
    )


@pytest.mark.parametrize(
    ("coefficients", "problem"),
    [
        (
            {"need": 0.5, "context": 0.4, "proportion": 0.2},
            f"Federation, network or provider collaborative (federation): {SUM_MESSAGE}",
        ),
        (
            {"need": 0.6, "context": 0.4},
            "Form {n} (federation): 'coefficients' must give need, context and proportion: give "
            "all three, like {need: 0.35, context: 0.45, proportion: 0.2}, or leave "
            "'coefficients' out to use the method's.",
        ),
        (
            {"need": 1.5, "context": -0.7, "proportion": 0.2},
            "Form {n} (federation): The coefficient 'need' must be from 0 to 1, not 1.5.",
        ),
        (
            {"need": 0.5555, "context": 0.2445, "proportion": 0.2},
            "Form {n} (federation): the coefficient 'need' must have at most 3 decimal places, "
            "not 0.5555.",
        ),
        (
            "half and half",
            "Form {n} (federation): 'coefficients' must give need, context and proportion: give "
            "all three, like {need: 0.35, context: 0.45, proportion: 0.2}, or leave "
            "'coefficients' out to use the method's.",
        ),
    ],
)
def test_an_import_with_unusable_coefficients_is_refused_saying_how_to_fix_them(
    admin_user: Any, coefficients: Any, problem: str
) -> None:
    exported = services.catalogue_export(version=selectors.catalogue_published())
    forms = exported["forms"]
    position = next(n for n, f in enumerate(forms) if f["slug"] == "federation")
    forms[position] = {**forms[position], "coefficients": coefficients}
    problem = problem.replace("{n}", str(position + 1))
    count = CatalogueVersion.objects.count()

    with pytest.raises(DocumentError) as refused:
        services.catalogue_import(
            data=exported, questionnaire=_published_questionnaire(), user=admin_user
        )

    assert problem in refused.value.problems
    assert CatalogueVersion.objects.count() == count
