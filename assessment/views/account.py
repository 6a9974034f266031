"""The member's own account: two-factor authentication, set up, verified and managed."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import PasswordChangeView, redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from assessment.forms import ChangePasswordForm
from assessment.security import PasswordLocked, current_password_check, log_event
from assessment.services.two_factor import (
    backup_codes_renew,
    has_second_factor,
    throttle_seconds,
    token_verify,
    totp_confirm,
    totp_device_pending,
    two_factor_changed_notify,
    two_factor_remove,
    two_factor_required,
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows now, or one of your backup codes.",
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "nhsuk-input--width-10",
            }
        ),
    )


class ReplaceForm(CodeForm):
    """Replacing a second factor that is already set up: the password as well as a code
    from the new app, so that a session left signed in is not enough to take it over."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields = {"password": self.fields.pop("password"), **self.fields}

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not current_password_check(self.request, password):  # may raise PasswordLocked
            raise forms.ValidationError("Your password is not right. Enter it again.")
        return password


def _next(request: HttpRequest) -> str:
    """Where to go after two-factor authentication: a path on this site, or the home page."""
    target = request.POST.get("next") or request.GET.get("next") or "/"
    local = target.startswith("/") and not target.startswith("//")
    if local and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _paused(request: HttpRequest, device: object = None) -> str:
    """After a wrong code django-otp refuses every code for a few seconds: say so, rather
    than calling a right code wrong. With `device`, only that device's pause counts."""
    wait = throttle_seconds(request.user, devices=None if device is None else [device])
    if wait <= 0:
        return ""
    unit = "second" if wait == 1 else "seconds"
    return (
        f"A wrong code was entered a moment ago, so codes are paused for {wait} {unit}. "
        "Wait, then enter the code your app shows."
    )


def _verified(request: HttpRequest, device: object) -> None:
    otp_login(request, device)
    request.session.cycle_key()  # a verified session gets a key the unverified one never had
    log_event("two-factor-verified", request, user=request.user.get_username())


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if not has_second_factor(request.user):
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        paused = _paused(request)
        device = (
            None if paused else token_verify(user=request.user, token=form.cleaned_data["code"])
        )
        if device is not None:
            _verified(request, device)
            return redirect(_next(request))
        log_event("two-factor-failed", request, user=request.user.get_username())
        form.add_error(
            "code",
            paused
            or "That code is not right. Codes change every 30 seconds: enter the one your app "
            "shows now, or a backup code.",
        )
    return render(request, "account/verify.html", {"form": form, "next": _next(request)})


def _locked(request: HttpRequest) -> HttpResponse:
    """Too many wrong passwords from a signed-in session: end it, as a stolen session
    guessing the password would be, and say what happened."""
    log_event("password-check-locked", request, user=request.user.get_username())
    logout(request)
    return render(request, "registration/locked_out.html", status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app, or replace the one already set up.

    Replacing needs a verified session (the middleware sends anyone else to verify first;
    this view checks again, so that no change of the exempt pages can open it) and the
    password, and the user is told by email."""
    replacing = has_second_factor(request.user)
    if replacing and not request.user.is_verified():
        return redirect_to_login(request.get_full_path(), login_url="two_factor_verify")
    device = totp_device_pending(request.user)
    data = request.POST if request.method == "POST" else None
    form = ReplaceForm(data, request=request) if replacing else CodeForm(data)
    try:
        valid = request.method == "POST" and form.is_valid()
    except PasswordLocked:
        return _locked(request)
    if valid:
        # Only the new app's own pause counts: a backup code typed at the verify page a
        # moment ago was first tried, and refused, as a code of the old app.
        paused = _paused(request, device)
        codes = (
            None if paused else totp_confirm(device=device, token=form.cleaned_data["code"].strip())
        )
        if codes is not None:
            _verified(request, device)
            event = "two-factor-replaced" if replacing else "two-factor-set-up"
            log_event(event, request, user=request.user.get_username())
            if replacing:
                two_factor_changed_notify(user=request.user, change="replaced")
            return render(
                request, "account/backup_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error(
            "code",
            paused or "That code is not right. Enter the 6-digit code your app shows now.",
        )
    qr = mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code"))  # noqa: S308 - generated SVG
    context = {
        "form": form,
        "qr": qr,
        "secret": _base32(device.bin_key),
        "required": two_factor_required(request.user),
        "replacing": replacing,
        "next": _next(request),
    }
    return render(request, "account/setup.html", context)


def _base32(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@never_cache
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    context = {
        "has_two_factor": has_second_factor(request.user),
        "required": two_factor_required(request.user),
    }
    return render(request, "account/account.html", context)


@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    codes = backup_codes_renew(user=request.user)
    log_event("backup-codes-renewed", request, user=request.user.get_username())
    return render(request, "account/backup_codes.html", {"codes": codes, "next": "/account/"})


@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    if two_factor_required(request.user):
        messages.error(
            request, "Your account must use two-factor authentication, so it cannot be turned off."
        )
        return redirect("account")
    two_factor_remove(user=request.user)
    log_event("two-factor-removed", request, user=request.user.get_username())
    two_factor_changed_notify(user=request.user, change="turned off")
    messages.success(request, "Two-factor authentication is off.")
    return redirect("account")


class ChangePasswordView(PasswordChangeView):
    """Changing the password keeps this session and ends every other one (Django checks
    each session against the password it was signed in with)."""

    template_name = "registration/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("account")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)
        except PasswordLocked:
            return _locked(request)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        log_event("password-changed", self.request, user=self.request.user.get_username())
        messages.success(self.request, "Your password has changed. Other sessions are signed out.")
        return response
