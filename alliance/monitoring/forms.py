"""Forms of the spending pages."""

from __future__ import annotations

from typing import Any

from django import forms

from alliance.monitoring.expenditures import FIELDS, REQUIRED
from alliance.monitoring.models import Meeting
from alliance.plans.forms import UswdsMixin
from alliance.plans.models import Goal, Plan, Strategy

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


class MeetingRecordForm(forms.ModelForm, UswdsMixin):  # type: ignore[type-arg]
    class Meta:
        model = Meeting
        fields = ["day", "held", "attendees", "notes", "decisions"]
        widgets = {
            "day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"day": "Date", "held": "The meeting was held"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class AgendaForm(forms.Form, UswdsMixin):
    title = forms.CharField(max_length=200, label="Agenda item")
    detail = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    strategy = forms.ModelChoiceField(queryset=Strategy.objects.none(), required=False)
    goal = forms.ModelChoiceField(queryset=Goal.objects.none(), required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        strategy = self.fields["strategy"]
        goal = self.fields["goal"]
        assert isinstance(strategy, forms.ModelChoiceField)
        assert isinstance(goal, forms.ModelChoiceField)
        strategy.queryset = Strategy.objects.filter(plan=plan)
        goal.queryset = Goal.objects.filter(strategy__plan=plan)
        self.style()


class ActionForm(forms.Form, UswdsMixin):
    title = forms.CharField(max_length=300, label="Action item")
    owner = forms.CharField(max_length=120, label="Who does it")
    due = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Due")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class ExpenditureForm(forms.Form, UswdsMixin):
    """One expenditure entered by hand."""

    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    object_code = forms.CharField(max_length=40, label="Object or account code")
    description = forms.CharField(max_length=300)
    vendor = forms.CharField(max_length=200, required=False, label="Vendor or payee")
    amount = forms.DecimalField(max_digits=14, decimal_places=2, help_text="A credit is negative.")
    item = forms.ChoiceField(required=False, label="Charge to")

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item = self.fields["item"]
        assert isinstance(item, forms.ChoiceField)
        item.choices = [("", "Match it by its code and description"), *choices]
        self.style()
