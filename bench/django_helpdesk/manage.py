#!/usr/bin/env python
"""The django-helpdesk comparison project for `make bench` (run with ../../.venv-dh/bin/python)."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
