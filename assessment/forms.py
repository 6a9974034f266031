"""Forms of the board journey. They validate and normalise; services do the writing."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from assessment.security import current_password_check
from assessment.uploads import problems_listed

EMAIL_MAX = 254


def email_normalised(value: object) -> str:
    """Email addresses are kept in lower case. Lower-casing can lengthen some letters (the
    dotted capital I becomes two characters), so the length is checked again."""
    email = str(value).strip().lower()
    if len(email) > EMAIL_MAX:
        raise ValidationError(
            f"Enter an email address of {EMAIL_MAX} characters or fewer", code="max_length"
        )
    return email


class SignInForm(AuthenticationForm):
    """Sign in with an email address: every account's username is its email address."""

    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    error_messages = {
        "invalid_login": (
            "The email address or password is not right. Check both and try again, or reset "
            "your password."
        ),
        "inactive": "This account has been closed. Ask your assessment lead to reopen it.",
    }

    def clean_username(self) -> str:
        return email_normalised(self.cleaned_data["username"])


class ResetPasswordForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the email address you sign in with",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
        },
    )


class ChooseNewPasswordForm(SetPasswordForm):
    """Choosing a password, after a reset or an invitation."""

    error_messages = {
        "password_mismatch": "The two passwords do not match. Enter the same password twice.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            "At least 12 characters. A few unrelated words make a strong password that is "
            "easy to remember."
        )
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Enter the new password again"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class ChangePasswordForm(ChooseNewPasswordForm, PasswordChangeForm):
    error_messages = {
        **ChooseNewPasswordForm.error_messages,
        "password_incorrect": "Your current password is not right. Enter it again.",
    }

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields = {"old_password": self.fields.pop("old_password"), **self.fields}

    def clean_old_password(self) -> str:
        # Counted with sign-in failures; raises PasswordLocked after too many.
        old_password: str = self.cleaned_data["old_password"]
        if not current_password_check(self.request, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


# --------------------------------------------------------------------------- the journey


class AssessmentForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Board sustainability assessment 2026",
        error_messages={"required": "Enter a title for the assessment"},
    )
    reporting_period = forms.CharField(
        label="Reporting period",
        max_length=100,
        help_text="The period the board's evidence covers, for example April 2025 to March 2026",
        error_messages={"required": "Enter the reporting period"},
    )
    start_from = forms.ChoiceField(
        label="Start from",
        required=False,
        help_text="Start afresh, or copy an earlier assessment's figures, their sources and "
        "the board's agreed answers as starting values. Board members and figure holders then "
        "confirm or change them.",
        error_messages={
            "invalid_choice": "Choose one of the trust's earlier assessments, or start afresh"
        },
    )

    def __init__(
        self, *args: Any, earlier: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["start_from"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Start afresh"), *(earlier or [])]
        if not earlier:  # the trust's first assessment: nothing to start from
            del self.fields["start_from"]


class InviteForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter the board member's full name"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will email them a link to set a password. It works for 14 days.",
        error_messages={
            "required": "Enter the board member's email address",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_email(self) -> str:
        return email_normalised(self.cleaned_data["email"])


class AddMembersForm(forms.Form):
    users = forms.MultipleChoiceField(
        label="Board members of the trust who are not answering yet",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one board member to add"},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["users"].choices = choices


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter your first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter your last name"}
    )
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. A few unrelated words make a strong password that is "
        "easy to remember.",
        error_messages={"required": "Choose a password"},
    )
    password2 = forms.CharField(
        label="Enter the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again"},
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords do not match. Enter the same one twice.")
        elif first:
            probe = get_user_model()(
                username=self.email,
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


IMPORT_MAX_BYTES = 512 * 1024
# Many times the questions in a questionnaire: a longer file is not a file of answers.
IMPORT_MAX_ROWS = 1000
IMPORT_TOO_LARGE = (
    "The file must be 512 KB or smaller. Upload a file that holds only your answers, one "
    "row for each question."
)


def import_too_many_rows(count: int) -> str:
    return (
        f"The file has {count:,} answers; a file of answers holds at most {IMPORT_MAX_ROWS:,}. "
        "Upload a file that holds only your answers, one for each question."
    )


class ImportAnswersForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV or JSON file",
        help_text="A CSV file with the columns code, answer and (optionally) note, or a JSON "
        'file like {"QUAL-5": 3, "SYS-1": "yes"}. The file must be 512 KB or smaller.',
        error_messages={"required": "Choose a CSV or JSON file to upload"},
    )

    def clean_file(self) -> dict[str, tuple[str, str]]:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(IMPORT_TOO_LARGE)
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(
                "The file is not text in UTF-8. Save it as “CSV UTF-8” or as JSON and try again."
            ) from error
        name = (upload.name or "").lower()
        rows = answers_from_json(text) if name.endswith(".json") else answers_from_csv(text)
        problems = []
        for code, (value, note) in rows.items():
            if "\x00" in code + value + note:
                problems.append(
                    f"{code.replace(chr(0), '')}: the row holds a null character, which is not "
                    "text. Remove it and try again."
                )
            elif len(note) > NOTE_MAX:
                problems.append(
                    f"{code}: the note is {len(note):,} characters long. Shorten it to "
                    f"{NOTE_MAX:,} characters or fewer."
                )
        if problems:
            raise ValidationError(problems_listed(problems))
        return rows


NOTE_MAX = 4000


def answers_from_json(text: str) -> dict[str, tuple[str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            f"The file is not valid JSON ({error.msg}, line {error.lineno})."
        ) from error
    except (RecursionError, ValueError) as error:  # nested too deep, or a 5,000-digit number
        raise ValidationError(
            "The file is not JSON this service can read. Give an object of answers, like "
            '{"QUAL-5": 3}.'
        ) from error
    if not isinstance(data, dict) or not data:
        raise ValidationError('The JSON must be an object of answers, like {"QUAL-5": 3}.')
    if len(data) > IMPORT_MAX_ROWS:
        raise ValidationError(import_too_many_rows(len(data)))
    rows = {}
    problems = []
    for code, entry in data.items():
        if isinstance(entry, dict):
            value, note = entry.get("answer", ""), entry.get("note", "")
        else:
            value, note = entry, ""
        if isinstance(value, list | dict) or isinstance(note, list | dict):
            problems.append(
                f"{code.strip()}: give the answer as a number or as text, and the note as text, "
                'like {"WORK-3": {"answer": 2, "note": "Rota review"}}.'
            )
            continue
        rows[code.strip()] = (_text(value), _text(note))
    if problems:
        raise ValidationError(problems_listed(problems))
    return rows


def answers_from_csv(text: str) -> dict[str, tuple[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _csv_rows(reader)
    except csv.Error as error:  # a null byte, an unclosed quote, a field over the size limit
        raise ValidationError(
            f"Row {reader.line_num}: the CSV could not be read ({error}). Save it as "
            "“CSV UTF-8” from your spreadsheet and try again."
        ) from error


def _csv_rows(reader: csv.DictReader[str]) -> dict[str, tuple[str, str]]:
    headers = [header.strip().lower() for header in (reader.fieldnames or [])]
    if "code" not in headers or "answer" not in headers:
        raise ValidationError(
            "The CSV needs a first row naming its columns: code, answer and, if you like, note."
        )
    reader.fieldnames = headers
    rows: dict[str, tuple[str, str]] = {}
    problems = []
    for number, record in enumerate(reader, start=2):
        if number > IMPORT_MAX_ROWS + 1:  # the rows after it are counted, not checked
            raise ValidationError(import_too_many_rows(number - 1 + sum(1 for _ in reader)))
        code = (record.get("code") or "").strip()
        if not code:
            problems.append(f"Row {number}: the code is empty. Give a question code, like QUAL-5.")
            continue
        if code in rows:
            problems.append(f"Row {number}: {code} appears more than once. Keep one row for it.")
            continue
        rows[code] = ((record.get("answer") or "").strip(), (record.get("note") or "").strip())
    if problems:
        raise ValidationError(problems_listed(problems))
    if not rows:
        raise ValidationError("The CSV has no answers under its first row.")
    return rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


LEAD_PROVIDES = ""


class FigureHoldersForm(forms.Form):
    """Who provides each section's figures: the lead, or a named member of the board."""

    def __init__(
        self,
        *args: Any,
        sections: Any,
        members: list[tuple[int, str]],
        holders: dict[str, Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sections = tuple(sections)
        choices = [(LEAD_PROVIDES, "The assessment lead"), *[(str(pk), n) for pk, n in members]]
        for section in self.sections:
            holder = holders.get(section.code)
            self.fields[f"holder-{section.code}"] = forms.ChoiceField(
                label=section.name,
                choices=choices,
                required=False,
                initial=str(holder.user_id) if holder else LEAD_PROVIDES,
            )

    def chosen(self) -> dict[str, int | None]:
        return {
            section.code: int(value)
            if (value := self.cleaned_data[f"holder-{section.code}"])
            else None
            for section in self.sections
        }


class FigureQueryForm(forms.Form):
    comment = forms.CharField(
        label="What do you think is wrong with this figure, and why?",
        help_text="Say what you think it should be and where that comes from, if you know. "
        "The assessment lead sees your query and replies.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Say what you think is wrong with the figure, and why",
            "max_length": "Shorten your query to 2,000 characters or fewer",
        },
    )


class QueryReplyForm(forms.Form):
    reply = forms.CharField(
        label="Your reply to the board member",
        help_text="Say why the figure changed, or why it stands.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Write a reply: say why the figure changed or why it stands",
            "max_length": "Shorten the reply to 2,000 characters or fewer",
        },
    )


class SubmitForm(forms.Form):
    """The lead's confirmation: a reason for each warning submitted past, and that they know
    what submitting does."""

    confirm = forms.BooleanField(
        label="I understand that submitting locks every answer, records the result as it "
        "stands and issues the board paper, and that it cannot be undone here",
        error_messages={"required": "Confirm that you understand what submitting does"},
    )

    def __init__(self, *args: Any, warnings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.warnings = warnings
        for item in warnings:
            self.fields[f"reason-{item.key}"] = forms.CharField(
                label="The board's reason for submitting now",
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "required": "Give the board's reason for submitting although "
                    + item.text[0].lower()
                    + item.text[1:].rstrip("."),
                    "max_length": "Shorten the reason to 2,000 characters or fewer",
                },
            )
        self.order_fields([*(f"reason-{item.key}" for item in warnings), "confirm"])

    def reasons(self) -> dict[str, str]:
        return {item.key: self.cleaned_data[f"reason-{item.key}"] for item in self.warnings}


class WithdrawForm(forms.Form):
    """The reason for withdrawing a submitted result, and that the person knows what it does."""

    reason = forms.CharField(
        label="Why is the result being withdrawn?",
        help_text="The reason is printed on the paper and shown with the result, to the whole "
        "board. Up to 2,000 characters.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Give the reason for withdrawing the result",
            "max_length": "Shorten the reason to 2,000 characters or fewer",
        },
    )
    confirm = forms.BooleanField(
        label="I understand that withdrawing cannot be undone: the result stays on record marked "
        "withdrawn, and leaves the trust's history and trend",
        error_messages={"required": "Confirm that you understand what withdrawing does"},
    )
