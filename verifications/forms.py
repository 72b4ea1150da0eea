"""The dashboard's filters: the same search, filters and sort as the list API."""

from __future__ import annotations

from django import forms

from verifications.models import Status
from verifications.selectors import SORT_FIELDS

SORT_LABELS = {
    "created_at": "Date uploaded",
    "updated_at": "Last change",
    "name": "Name",
    "status": "Status",
    "result_confidence": "Confidence",
}


class DashboardFilterForm(forms.Form):
    search = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, code, camera"}),
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Status.choices]
    )
    result = forms.ChoiceField(
        label="Verdict",
        required=False,
        choices=[("", "Any verdict"), ("true", "Authentic"), ("false", "Not authentic")],
    )
    sort_by = forms.ChoiceField(
        label="Sort by", required=False, choices=[(f, SORT_LABELS[f]) for f in SORT_FIELDS]
    )
    sort_order = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[("desc", "Descending"), ("asc", "Ascending")],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def selector_kwargs(self) -> dict:
        """Arguments for verification_list; invalid input falls back to the defaults."""
        data = self.cleaned_data if self.is_valid() else {}
        result = {"true": True, "false": False}.get(data.get("result") or "")
        return {
            "search": (data.get("search") or "").strip(),
            "status": data.get("status") or None,
            "result": result,
            "sort_by": data.get("sort_by") or "created_at",
            "sort_order": data.get("sort_order") or "desc",
        }
