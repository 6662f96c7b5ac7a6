"""Forms parse what people type; the services decide whether the plan takes it."""

from __future__ import annotations

from typing import Any

from django import forms

from alliance.accountability.rules import load_rules
from alliance.plans.models import BudgetLine, Goal, Plan, PlanContact, Position, Strategy
from alliance.plans.services import PlanError
from alliance.registry.models import School

INPUT = "usa-input"
SELECT = "usa-select"


def form_errors(form: forms.BaseForm, error: PlanError) -> None:
    """A service's refusal shown on the form: beside the field it names, or above the form."""
    for field, texts in error.fields.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


class UswdsMixin:
    """USWDS classes on every widget, and aria-invalid on fields with errors."""

    fields: dict[str, forms.Field]

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "usa-checkbox__input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", SELECT)
            elif isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("class", "usa-textarea")
                widget.attrs.setdefault("rows", "3")
            else:
                widget.attrs.setdefault("class", INPUT)


class PlanStartForm(forms.Form, UswdsMixin):
    fiscal_year = forms.IntegerField(min_value=2013, max_value=2100, label="Fiscal year")
    copy_forward = forms.BooleanField(required=False, label="Start from the latest plan")
    salary_increase = forms.DecimalField(
        required=False, max_digits=5, decimal_places=2, initial=0, label="Salary increase (%)",
        help_text="Applied to every carried position, e.g. 2.5 for a 2.5% raise.",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class _PlanRowForm(forms.ModelForm, UswdsMixin):  # type: ignore[type-arg]
    """A row of a plan: strategy choices and schools limited to the plan and its district."""

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        if "strategy" in self.fields:
            field = self.fields["strategy"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Strategy.objects.filter(plan=plan)
        if "school" in self.fields:
            field = self.fields["school"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = School.objects.filter(district=plan.district)
            field.empty_label = "District-wide"
        self.style()


class StrategyForm(_PlanRowForm):
    class Meta:
        model = Strategy
        fields = ["focus_area", "title", "description", "owner", "evidence_level"]


class GoalForm(_PlanRowForm):
    """An NGAS goal names an indicator cell; a blank baseline is taken from the imported data."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cells = [(c.key, f"{c.indicator}. {c.name}, {c.group}") for c in load_rules().all_cells]
        self.fields["ngas_cell"] = forms.ChoiceField(
            choices=[("", "— (a local measure)"), *cells], required=False, label="NGAS indicator"
        )
        self.fields["ngas_cell"].widget.attrs["class"] = SELECT

    class Meta:
        model = Goal
        fields = [
            "strategy",
            "measure", "ngas_cell", "school", "description", "student_group", "baseline",
            "baseline_year", "target", "unit", "fall", "winter", "spring",
        ]  # fmt: skip


class PositionForm(_PlanRowForm):
    class Meta:
        model = Position
        fields = [
            "title", "staff_category", "strategy", "school", "fte", "salary", "grant_share",
            "benefits_rate", "vacant_until",
        ]  # fmt: skip
        widgets = {"vacant_until": forms.DateInput(attrs={"type": "date"})}


class LineForm(_PlanRowForm):
    class Meta:
        model = BudgetLine
        fields = [
            "funding_area",
            "object_code",
            "description",
            "vendor",
            "strategy",
            "school",
            "amount",
        ]


class ServeSchoolForm(forms.Form, UswdsMixin):
    strategy = forms.ModelChoiceField(queryset=Strategy.objects.none())
    school = forms.ModelChoiceField(queryset=School.objects.none())
    tier = forms.TypedChoiceField(
        choices=[(1, "Tier 1"), (2, "Tier 2"), (3, "Tier 3")], coerce=int, label="Intervention tier"
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        strategy = self.fields["strategy"]
        school = self.fields["school"]
        assert isinstance(strategy, forms.ModelChoiceField) and isinstance(
            school, forms.ModelChoiceField
        )
        strategy.queryset = Strategy.objects.filter(plan=plan)
        school.queryset = School.objects.filter(district=plan.district)
        self.style()


class AllocationForm(forms.ModelForm, UswdsMixin):  # type: ignore[type-arg]
    class Meta:
        model = Plan
        fields = ["allocation", "allocation_source"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class ContactForm(forms.ModelForm, UswdsMixin):  # type: ignore[type-arg]
    class Meta:
        model = PlanContact
        fields = ["name", "title", "email", "phone", "presents"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class BoardApprovalForm(forms.Form, UswdsMixin):
    meeting_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label="Board meeting date"
    )
    agenda_item = forms.CharField(max_length=120, label="Agenda item")
    votes_for = forms.IntegerField(min_value=0, label="Votes for")
    votes_against = forms.IntegerField(min_value=0, initial=0, label="Votes against")
    abstentions = forms.IntegerField(min_value=0, initial=0, label="Abstentions")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()
