from ai_prompts.permissions import MANAGE_AI, USE_AI
from tests.harness.registry import UrlSpec

KEY = "action_suggestions"


def an_override():
    from ai_prompts.services.prompts import prompt_override_save

    prompt = prompt_override_save(key=KEY, fields={"name": "Harness override"}, acting_user=None, note="harness")
    return {"key": KEY, "version": prompt.version}


def an_override_key():
    return {"key": an_override()["key"]}


def a_call():
    from ai_prompts.models import AiCall

    return {"pk": AiCall.objects.create(prompt_key=KEY, outcome="ok", model="gpt-4o-mini").pk}


def a_customer_job():
    from ai_prompts.models import AiJob
    from crm.tests.factories import CustomerFactory

    job = AiJob.objects.create(feature="action_suggestions", subject_id=CustomerFactory().pk, status="failed",
                               error="Harness failure")
    return {"pk": job.pk}


def a_customer():
    from crm.tests.factories import CustomerFactory

    return {"pk": CustomerFactory().pk}


def the_system_prompt():
    return {"key": KEY}


def _prompt_form():
    from ai_prompts.services.seeding import shipped_defaults

    data = shipped_defaults()[KEY]
    return {"name": data["name"], "purpose": "", "system_text": data["system_text"], "user_template": data["user_template"],
            "model": "", "temperature": "", "max_output_tokens": "900", "output_schema": "", "note": "harness"}


SPECS = [
    UrlSpec("ai_prompts:prompt_list", permission=MANAGE_AI),
    # The key names a system prompt (public schema), not an object of the tenant.
    UrlSpec("ai_prompts:prompt_edit", permission=MANAGE_AI, kwargs=the_system_prompt, names_object=False),
    UrlSpec("ai_prompts:prompt_preview", method="post", permission=MANAGE_AI, kwargs=the_system_prompt,
            names_object=False, data=_prompt_form),
    # No key configured in the harness: the test run answers 422 with the "configure AI" message.
    UrlSpec("ai_prompts:prompt_test_run", method="post", permission=MANAGE_AI, kwargs=the_system_prompt,
            names_object=False, data=_prompt_form, allowed_extra_statuses=(422,)),
    UrlSpec("ai_prompts:prompt_history", permission=MANAGE_AI, kwargs=an_override_key),
    UrlSpec("ai_prompts:prompt_diff", permission=MANAGE_AI, kwargs=an_override),
    UrlSpec("ai_prompts:prompt_rollback", method="post", permission=MANAGE_AI, kwargs=an_override),
    UrlSpec("ai_prompts:prompt_revert", method="post", permission=MANAGE_AI, kwargs=an_override_key),
    UrlSpec("ai_prompts:provider_settings", permission=MANAGE_AI),
    UrlSpec("ai_prompts:provider_test", method="post", permission=MANAGE_AI, allowed_extra_statuses=(422,)),
    UrlSpec("ai_prompts:usage", permission=MANAGE_AI),
    UrlSpec("ai_prompts:call_detail", permission=MANAGE_AI, kwargs=a_call),
    UrlSpec("ai_prompts:call_rate", method="post", permission=USE_AI, kwargs=a_call, data=lambda: {"value": "1"}),
    UrlSpec("ai_prompts:job_panel", permission=None, kwargs=a_customer_job),
    UrlSpec("ai_prompts:job_retry", method="post", permission=USE_AI, kwargs=a_customer_job,
            allowed_extra_statuses=(422,)),
    UrlSpec("ai_prompts:customer_suggestions", permission="crm.view_customers", kwargs=a_customer),
    UrlSpec("ai_prompts:customer_suggestions_refresh", method="post", permission=USE_AI, kwargs=a_customer,
            allowed_extra_statuses=(422,)),
]


def a_ticket():
    from crm.tests.factories import CustomerFactory
    from helpdesk.models import Ticket
    from helpdesk.services.tickets import ticket_create

    ticket = ticket_create(customer=CustomerFactory(), acting_user=None, subject="Harness ticket")
    return {"pk": Ticket.objects.get(pk=ticket.pk).pk}


def a_ticket_help_job():
    from ai_prompts.models import AiJob

    kwargs = a_ticket()
    job = AiJob.objects.create(feature="ticket_help", subject_id=kwargs["pk"], status="done", output={
        "clearer_description": "Clearer", "category": "", "priority": "high", "priority_reason": "",
        "first_reply": "Hello"})
    return {"pk": kwargs["pk"], "job_pk": job.pk}


SPECS += [
    UrlSpec("ai_prompts:ticket_help", permission="helpdesk.view_tickets", kwargs=a_ticket),
    UrlSpec("ai_prompts:ticket_help_run", method="post", permission=USE_AI, kwargs=a_ticket,
            allowed_extra_statuses=(422,)),
    UrlSpec("ai_prompts:ticket_help_accept", method="post", permission="helpdesk.work_tickets",
            kwargs=a_ticket_help_job, data=lambda: {"what": "description"}),
    UrlSpec("ai_prompts:activity_cleanup_run", method="post", permission=USE_AI, kwargs=a_customer,
            data=lambda: {"notes": "rough notes"}, allowed_extra_statuses=(422,)),
]


def an_analysis_job():
    from ai_prompts.models import AiJob
    from crm.tests.factories import CustomerFactory

    customer = CustomerFactory()
    job = AiJob.objects.create(feature="customer_analysis", subject_id=customer.pk, status="done", output={
        "what_they_do": "x", "size_estimate": "", "likely_needs": [], "opportunities": [], "risks": [],
        "next_steps": [], "lead_score": 50, "lead_score_reasons": ["r"], "competitors": []})
    return {"pk": customer.pk, "job_pk": job.pk}


SPECS += [
    UrlSpec("ai_prompts:customer_analysis", permission="crm.view_customers", kwargs=a_customer),
    UrlSpec("ai_prompts:customer_analysis_run", method="post", permission=USE_AI, kwargs=a_customer,
            allowed_extra_statuses=(422,)),
    UrlSpec("ai_prompts:customer_analysis_apply", method="post", permission="crm.change_customers",
            kwargs=an_analysis_job, data=lambda: {"what": "score"}),
]


# Quote AI and translation --------------------------------------------------------------------------------------

def a_quote():
    from crm.tests.factories import CustomerFactory
    from quotes.services.quotes import quote_create

    return {"pk": quote_create(customer=CustomerFactory(), acting_user=None, title="Harness quote").pk}


def a_build_job():
    from ai_prompts.models import AiJob

    kwargs = a_quote()
    job = AiJob.objects.create(feature="quote_build", subject_id=kwargs["pk"], status="done", output={
        "summary": "", "assumptions": [], "inserted": [], "usable": 1, "refused": 0, "totals": {},
        "lines": [{"index": 0, "kind": "item", "description": "Harness labour", "part_number": "",
                   "supplier_name": "", "product_id": None, "labour_rate_id": None, "source": "free",
                   "quantity": "1.000", "unit": "hour", "unit_cost": "10.00", "unit_price": "20.00",
                   "is_optional": False, "recurrence": "", "reason": "", "problem": ""}]})
    return {"pk": kwargs["pk"], "job_pk": job.pk}


def a_translation_job():
    from ai_prompts.models import AiJob

    kwargs = a_quote()
    job = AiJob.objects.create(feature="quote_translate", subject_id=kwargs["pk"], status="done", output={
        "language": "French", "applied": [], "items": [
            {"id": "title", "label": "Title", "original": "Harness quote", "translation": "Devis", "missing": False}]})
    return {"pk": kwargs["pk"], "job_pk": job.pk}


SPECS += [
    UrlSpec("ai_prompts:quote_build", permission="quotes.view_quotes", kwargs=a_quote),
    # No key configured in the harness: starting AI work answers 422 with the "configure AI" message.
    UrlSpec("ai_prompts:quote_build_run", method="post", permission="quotes.change_quotes", kwargs=a_quote,
            data=lambda: {"description": "Four access points in the hall, cabled, one day"},
            allowed_extra_statuses=(422,)),
    UrlSpec("ai_prompts:quote_build_insert", method="post", permission="quotes.change_quotes", kwargs=a_build_job,
            data=lambda: {"line": "0"}),
    UrlSpec("ai_prompts:quote_review", permission="quotes.view_quotes", kwargs=a_quote),
    UrlSpec("ai_prompts:quote_review_run", method="post", permission="quotes.change_quotes", kwargs=a_quote,
            allowed_extra_statuses=(422,)),
    UrlSpec("ai_prompts:quote_review_ask", method="post", permission="quotes.change_quotes", kwargs=a_quote,
            data=lambda: {"question": "Why?"}, allowed_extra_statuses=(422,)),
    UrlSpec("ai_prompts:quote_translate", permission="quotes.view_quotes", kwargs=a_quote),
    UrlSpec("ai_prompts:quote_translate_run", method="post", permission="quotes.change_quotes", kwargs=a_quote,
            data=lambda: {"language": "French"}, allowed_extra_statuses=(422,)),
    UrlSpec("ai_prompts:quote_translate_apply", method="post", permission="quotes.change_quotes",
            kwargs=a_translation_job, data=lambda: {"all": "1"}),
    UrlSpec("ai_prompts:ticket_reply_translate", method="post", permission="helpdesk.work_tickets", kwargs=a_ticket,
            data=lambda: {"body": "Thank you, we are on it.", "language": "German"}, allowed_extra_statuses=(422,)),
]
