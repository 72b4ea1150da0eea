"""Forms of the account pages: sign up, invite a colleague, switch account."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password

from lumethic.models import User


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        help_text="At least 8 characters; avoid common passwords.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        # account_create would reuse (and re-password) an existing user: never
        # let a sign-up take over someone else's login.
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(
                "An account with this e-mail already exists. Log in, or reset your password."
            )
        return email

    def clean(self) -> dict:
        data = super().clean()
        password = data.get("password")
        if password:
            try:
                validate_password(password, User(email=data.get("email") or ""))
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Colleague's e-mail address",
        max_length=254,
        help_text="They get an e-mail; new people choose a password from a link in it.",
    )


class SwitchAccountForm(forms.Form):
    account_id = forms.UUIDField(label="Account")
