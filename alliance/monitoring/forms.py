"""Forms of the spending pages."""

from __future__ import annotations

from typing import Any

from django import forms

from alliance.monitoring.expenditures import FIELDS, REQUIRED
from alliance.plans.forms import UswdsMixin

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
KINDS = (".csv", ".xlsx")


class UploadForm(forms.Form, UswdsMixin):
    file = forms.FileField(
        label="Expenditure file (CSV or XLSX)",
        help_text="As your finance system exports it: one row per expenditure, a header row first.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()
        self.fields["file"].widget.attrs.update(
            {"class": "usa-file-input", "accept": ",".join(KINDS)}
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(KINDS):
            raise forms.ValidationError(f"{upload.name} is not a CSV or XLSX file.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"{upload.name} is larger than 50 MB.")
        return upload


class MappingForm(forms.Form, UswdsMixin):
    """Which of the file's columns holds each field."""

    def __init__(self, *args: Any, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "— not in this file"), *[(c, c) for c in header if c]]
        for field, label in FIELDS.items():
            self.fields[field] = forms.ChoiceField(
                choices=choices, required=field in REQUIRED, label=label
            )
        self.style()


class AsOfForm(forms.Form, UswdsMixin):
    as_of = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label="As of", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()
