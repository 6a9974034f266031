"""The `nhsuk` crispy-forms template pack renders forms as the NHS design system does."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.test import Client

SIGN_IN = "/sign-in/"


class KitchenSinkForm(forms.Form):
    name = forms.CharField(label="Trust name", help_text="As it appears on CQC reports")
    margin = forms.DecimalField(label="Underlying margin", max_value=Decimal(60))
    notes = forms.CharField(label="Evidence note", widget=forms.Textarea, required=False)
    region = forms.ChoiceField(
        label="Region", choices=[("", "Choose a region"), ("north", "North"), ("south", "South")]
    )
    rating = forms.ChoiceField(
        label="CQC rating",
        widget=forms.RadioSelect,
        choices=[("good", "Good"), ("inadequate", "Inadequate")],
    )
    services = forms.MultipleChoiceField(
        label="Services",
        widget=forms.CheckboxSelectMultiple,
        choices=[("ae", "A&E"), ("maternity", "Maternity")],
    )
    agree = forms.BooleanField(label="I agree")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["margin"].suffix = "% of income"
        self.fields["rating"].choice_hints = {"inadequate": "The lowest CQC rating"}


def render(form: forms.Form) -> str:
    """The whole form, as `{% crispy form %}` renders it."""
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def test_valid_fields_render_as_nhs_components() -> None:
    html = render(KitchenSinkForm())
    assert '<label class="nhsuk-label" for="id_name">Trust name</label>' in html
    assert '<div class="nhsuk-hint" id="id_name-hint">As it appears on CQC reports</div>' in html
    assert 'aria-describedby="id_name-hint"' in html
    assert 'class="nhsuk-input-wrapper__suffix" aria-hidden="true">% of income</div>' in html
    assert 'class="nhsuk-textarea"' in html
    assert 'class="nhsuk-select"' in html
    assert 'class="nhsuk-radios" data-module="nhsuk-radios"' in html
    assert 'id="id_rating_1-hint">The lowest CQC rating</div>' in html
    assert 'class="nhsuk-checkboxes" data-module="nhsuk-checkboxes"' in html
    assert 'class="nhsuk-checkboxes__input" id="id_agree"' in html
    assert "nhsuk-error-summary" not in html
    assert "nhsuk-form-group--error" not in html


def test_errors_render_a_summary_linking_each_field_and_inline_messages() -> None:
    form = KitchenSinkForm(data={"margin": "75", "region": "", "services": []})
    assert not form.is_valid()
    html = render(form)

    assert "There is a problem" in html
    assert 'data-module="nhsuk-error-summary"' in html
    # Each summary link targets the field, or the first option of a group.
    for anchor in ("id_name", "id_margin", "id_region", "id_rating_0", "id_services_0", "id_agree"):
        assert f'<a href="#{anchor}">' in html, anchor
    # Inline messages carry a visually hidden prefix and are linked from the input.
    assert html.count('<span class="nhsuk-u-visually-hidden">Error: </span>') == 6
    assert 'id="id_margin-error"' in html
    assert 'aria-describedby="id_margin-error"' in html
    assert 'class="nhsuk-input nhsuk-input--error"' in html
    assert html.count("nhsuk-form-group--error") == 6
    assert "Ensure this value is less than or equal to 60." in html
    assert html.index("nhsuk-error-summary") < html.index('id="div_id_name"')


def test_fields_alone_leave_the_summary_to_the_page() -> None:
    form = KitchenSinkForm(data={})
    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))
    assert "There is a problem" not in html
    assert 'id="id_name-error"' in html


@pytest.mark.django_db
def test_sign_in_with_errors_has_error_title_summary_and_inline_messages(client: Client) -> None:
    response = client.post(SIGN_IN, {"username": "", "password": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in html
    assert "There is a problem" in html
    assert '<a href="#id_username">Enter your email address</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'id="id_username-error"' in html


@pytest.mark.django_db
def test_wrong_password_is_reported_without_saying_which_part_was_wrong(client: Client) -> None:
    response = client.post(SIGN_IN, {"username": "nobody@example.nhs.uk", "password": "x" * 12})
    html = response.content.decode()
    assert "<title>Error: Sign in" in html
    assert "The email address or password is not right" in html
    assert '<a href="#id_username">The email address or password is not right' in html


@pytest.mark.django_db
def test_page_without_errors_has_a_plain_title(client: Client) -> None:
    html = client.get(SIGN_IN).content.decode()
    assert "<title>Sign in – Assess your trust's sustainability – NHS</title>" in html
    assert "There is a problem" not in html
