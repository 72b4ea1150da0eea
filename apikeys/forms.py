from __future__ import annotations

from django import forms


class ApiKeyCreateForm(forms.Form):
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=200,
        help_text="What will use this key, e.g. “Lightroom export plugin”.",
    )
    expires_in_days = forms.IntegerField(
        label="Expires after (days)",
        required=False,
        min_value=1,
        max_value=3650,
        help_text="Leave empty for a key that never expires.",
    )
