from django.urls import path

from ai_prompts import views, views_quotes

app_name = "ai_prompts"

urlpatterns = [
    path("ai/prompts/", views.prompt_list, name="prompt_list"),
    path("ai/prompts/<slug:key>/", views.prompt_edit, name="prompt_edit"),
    path("ai/prompts/<slug:key>/preview/", views.prompt_preview, name="prompt_preview"),
    path("ai/prompts/<slug:key>/test/", views.prompt_test_run, name="prompt_test_run"),
    path("ai/prompts/<slug:key>/history/", views.prompt_history, name="prompt_history"),
    path("ai/prompts/<slug:key>/history/<int:version>/diff/", views.prompt_diff, name="prompt_diff"),
    path("ai/prompts/<slug:key>/history/<int:version>/rollback/", views.prompt_rollback, name="prompt_rollback"),
    path("ai/prompts/<slug:key>/revert/", views.prompt_revert, name="prompt_revert"),
    path("ai/provider/", views.provider_settings, name="provider_settings"),
    path("ai/provider/test/", views.provider_test, name="provider_test"),
    path("ai/usage/", views.usage, name="usage"),
    path("ai/usage/calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("ai/calls/<int:pk>/rate/", views.call_rate, name="call_rate"),
    path("ai/jobs/<int:pk>/", views.job_panel, name="job_panel"),
    path("ai/jobs/<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("ai/customers/<int:pk>/suggestions/", views.customer_suggestions, name="customer_suggestions"),
    path("ai/customers/<int:pk>/suggestions/refresh/", views.customer_suggestions_refresh,
         name="customer_suggestions_refresh"),
    path("ai/tickets/<int:pk>/help/", views.ticket_help, name="ticket_help"),
    path("ai/tickets/<int:pk>/help/run/", views.ticket_help_run, name="ticket_help_run"),
    path("ai/tickets/<int:pk>/help/<int:job_pk>/accept/", views.ticket_help_accept, name="ticket_help_accept"),
    path("ai/customers/<int:pk>/activity-cleanup/", views.activity_cleanup_run, name="activity_cleanup_run"),
    path("ai/customers/<int:pk>/analysis/", views.customer_analysis, name="customer_analysis"),
    path("ai/customers/<int:pk>/analysis/run/", views.customer_analysis_run, name="customer_analysis_run"),
    path("ai/customers/<int:pk>/analysis/<int:job_pk>/apply/", views.customer_analysis_apply,
         name="customer_analysis_apply"),
    # Quote AI and translation (ai_prompts/views_quotes.py)
    path("ai/quotes/<int:pk>/build/", views_quotes.quote_build, name="quote_build"),
    path("ai/quotes/<int:pk>/build/run/", views_quotes.quote_build_run, name="quote_build_run"),
    path("ai/quotes/<int:pk>/build/<int:job_pk>/insert/", views_quotes.quote_build_insert, name="quote_build_insert"),
    path("ai/quotes/<int:pk>/review/", views_quotes.quote_review, name="quote_review"),
    path("ai/quotes/<int:pk>/review/run/", views_quotes.quote_review_run, name="quote_review_run"),
    path("ai/quotes/<int:pk>/review/ask/", views_quotes.quote_review_ask, name="quote_review_ask"),
    path("ai/quotes/<int:pk>/translate/", views_quotes.quote_translate, name="quote_translate"),
    path("ai/quotes/<int:pk>/translate/run/", views_quotes.quote_translate_run, name="quote_translate_run"),
    path("ai/quotes/<int:pk>/translate/<int:job_pk>/apply/", views_quotes.quote_translate_apply,
         name="quote_translate_apply"),
    path("ai/tickets/<int:pk>/reply-translation/", views_quotes.ticket_reply_translate, name="ticket_reply_translate"),
]
