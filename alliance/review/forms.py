"""Forms of the review pages; the services decide whether the review takes what they carry."""

from __future__ import annotations

from typing import Any

from django import forms

from alliance.plans.forms import UswdsMixin
from alliance.review.models import SECTIONS, ChecklistItem, Decision


class DecisionForm(forms.Form, UswdsMixin):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        label="Comment (required for Revise)",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()
        self.fields["decision"].widget.attrs["class"] = "usa-radio__input"


class CommentForm(forms.Form, UswdsMixin):
    section = forms.ChoiceField(choices=SECTIONS, widget=forms.HiddenInput)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Comment")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class ChecklistItemForm(forms.ModelForm, UswdsMixin):  # type: ignore[type-arg]
    class Meta:
        model = ChecklistItem
        fields = ["section", "code", "text", "source", "position", "active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()
