"""Spreadsheet imports (CSV and XLSX) for any kind of record: upload, match columns, dry run, atomic apply.

An app describes what it imports with an `Importer` (registry.py); the engine (services.py) does the rest the same
way for every kind, so customer imports and price lists behave alike.
"""
