from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from ai_prompts.services.prompts import prompt_validate


class PromptForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    system_text = forms.CharField(label=_("System text"), widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace"}))
    user_template = forms.CharField(label=_("User template"), widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace"}),
                                    help_text=_("Placeholders: {{ variable_name }}, only the variables listed alongside."))
    model = forms.CharField(label=_("Model"), max_length=80, required=False,
                            help_text=_("Empty: the provider settings' default model."))
    temperature = forms.DecimalField(label=_("Temperature"), required=False, min_value=0, max_value=2, decimal_places=2,
                                     help_text=_("Empty: the model's default."))
    max_output_tokens = forms.IntegerField(label=_("Max output tokens"), min_value=16, max_value=100_000)
    output_schema = forms.CharField(label=_("Output JSON schema"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace"}),
                                    help_text=_("Empty: free text answer."))
    note = forms.CharField(label=_("Change note"), max_length=200, required=False)

    def __init__(self, *args, variables: list, known: list[str] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.variables = variables
        self.known = known

    def clean_output_schema(self):
        raw = self.cleaned_data["output_schema"].strip()
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError as error:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": error}) from None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for problem in prompt_validate(system_text=data["system_text"], user_template=data["user_template"],
                                       variables=self.variables, known=self.known, output_schema=data.get("output_schema")):
            self.add_error(None, problem)
        return data

    def prompt_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("note", None)
        data["variables"] = self.variables
        return data

    @staticmethod
    def initial_from(prompt) -> dict:
        return {
            "name": prompt.name, "purpose": prompt.purpose, "system_text": prompt.system_text,
            "user_template": prompt.user_template, "model": prompt.model, "temperature": prompt.temperature,
            "max_output_tokens": prompt.max_output_tokens,
            "output_schema": json.dumps(prompt.output_schema, indent=2) if prompt.output_schema else "",
        }


class ProviderSettingsForm(forms.Form):
    api_key = forms.CharField(label=_("API key"), required=False, strip=True,
                              widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                              help_text=_("Leave empty to keep the stored key. It is stored encrypted and never shown again."))
    clear_key = forms.BooleanField(label=_("Remove the stored key"), required=False)
    base_url = forms.URLField(label=_("Base URL"), required=False, assume_scheme="https",
                              help_text=_("Empty: OpenAI. Any OpenAI-compatible endpoint, e.g. Azure OpenAI, Ollama "
                                          "(http://host:11434/v1) or vLLM."))
    default_model = forms.CharField(label=_("Default model"), max_length=80, required=False,
                                    help_text=_("Used by prompts that name no model."))


class RatingForm(forms.Form):
    value = forms.TypedChoiceField(choices=[("1", "up"), ("-1", "down")], coerce=int)
    comment = forms.CharField(max_length=500, required=False)


class UsageFilterForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    prompt_key = forms.CharField(label=_("Prompt"), required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        from ai_prompts.models import CallOutcome

        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", _("Any outcome")), *CallOutcome.choices]
