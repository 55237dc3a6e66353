"""The AI features: what each sends to which prompt, who may use it, and which partial shows its result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ai_prompts.permissions import USE_AI


@dataclass(frozen=True)
class Feature:
    key: str
    prompt_key: str | None
    view_permission: str
    # (user, subject_id) -> the subject, looked up inside what the user may see (404 otherwise)
    subject_for_user: Callable
    # subject_id -> the subject, in the worker (no user)
    subject_load: Callable
    panel_template: str
    build_variables: Callable | None = None  # (job, subject) -> prompt variables
    run: Callable | None = None  # (job) -> (output, call): work that is not a prompt call (connection test)
    push_groups: Callable = field(default=lambda job: [])
    start_permission: str = USE_AI
    # A private draft (note clean-up): only its requester sees the job, pushed to their own pages.
    per_user: bool = False
    # Pushed to a group shared by several users (everyone with the customer open): each page is told to reload
    # the panel, so it renders with that viewer's own permissions. (element id, subject_id -> panel URL)
    shared_panel: tuple[str, Callable] | None = None
    # job -> the prompt key of this job, when one feature runs several prompts (a review and its follow-ups)
    prompt_key_for: Callable | None = None
    # (job, subject, data) -> the output stored on the job: the server's checks of the model's answer
    postprocess: Callable | None = None

    def execute(self, job):
        if self.run is not None:
            return self.run(job)
        from ai_prompts.services.calls import ai_call

        subject = self.subject_load(job.subject_id)
        key = self.prompt_key_for(job) if self.prompt_key_for else self.prompt_key
        result = ai_call(key=key, variables=self.build_variables(job, subject), user=job.requested_by,
                         feature=self.key)
        output = result.data if result.data is not None else {"text": result.text}
        if self.postprocess is not None:
            from ai_prompts.errors import AiError

            try:
                output = self.postprocess(job, subject, output)
            except AiError as error:
                error.call = result.call  # the failure shows the call whose answer was refused
                raise
        return output, result.call

    def panel_context(self, *, job, subject_id, user, subject=None) -> dict:
        from ai_prompts.services.providers import ai_configured

        if subject is None and subject_id is not None:
            subject = self.subject_load(subject_id)
        rating = None
        if job is not None and job.call_id and getattr(user, "pk", None):
            from ai_prompts.models import AiRating

            rating = AiRating.objects.filter(call_id=job.call_id, user=user).first()
        return {"feature": self, "job": job, "subject": subject, "subject_id": subject_id, "rating": rating,
                "ai_configured": ai_configured(), "output": (job.output or {}) if job else {}}


_FEATURES: dict[str, Feature] = {}


def feature_register(feature: Feature) -> Feature:
    _FEATURES[feature.key] = feature
    return feature


def feature_get(key: str) -> Feature:
    return _FEATURES[key]


def feature_list() -> list[Feature]:
    return list(_FEATURES.values())
