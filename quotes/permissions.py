"""Permissions of quotes and the catalogue. Roles grant them in accounts/roles.py.

Who gets what (the reasoning behind the role table):
- everyone signed in sees the catalogue (products, suppliers, categories, labour rates): Support quotes parts for
  tickets and Read-only users look things up;
- Sales, Managers and Admins add and edit products and suppliers: estimators meet a new part while quoting;
- category markups and labour rates set the company's margins, so only Managers and Admins change them;
- the tenant's pricing settings (currency, VAT, validity, rounding, approval thresholds, terms): Managers and Admins;
- importing a price list rewrites thousands of prices at once, so only Managers and Admins do it.
"""

from django.utils.translation import gettext_lazy as _

VIEW_QUOTES = "quotes.view_quotes"
CHANGE_QUOTES = "quotes.change_quotes"
APPROVE_QUOTES = "quotes.approve_quotes"
VIEW_CATALOGUE = "quotes.view_catalogue"
CHANGE_CATALOGUE = "quotes.change_catalogue"
MANAGE_PRICING = "quotes.manage_pricing"
CHANGE_PRICING_SETTINGS = "quotes.change_pricing_settings"
IMPORT_PRICE_LIST = "quotes.import_price_list"

PERMISSIONS = [
    ("view_quotes", _("See quotes, their revisions and history")),
    ("change_quotes", _("Create and edit quotes, send, revise and record the customer's answer")),
    ("approve_quotes", _("Approve quotes that the pricing rules hold back, cancel accepted quotes")),
    ("view_catalogue", _("See products, suppliers, categories and labour rates")),
    ("change_catalogue", _("Add and edit products and suppliers, deactivate products, archive suppliers")),
    ("manage_pricing", _("Change product categories with their markups and the labour rates")),
    ("change_pricing_settings", _("Change the pricing settings: currency, VAT, validity, rounding, approvals, terms")),
    ("import_price_list", _("Import price lists into the catalogue (creates and updates products in bulk)")),
]
