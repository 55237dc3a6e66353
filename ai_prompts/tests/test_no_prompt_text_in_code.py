"""Prompt text lives in the database (shipped as ai_prompts/defaults/*.toml), never in Python code paths."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP_PARTS = {".venv", "migrations", "tests", "node_modules", "staticfiles", "bench"}
# Phrases that mark an instruction to a model.
INSTRUCTION = re.compile(r"\b(you are (an?|the)\b|as an ai\b|respond (only )?(with|in)\b|answer with json|"
                         r"return (only )?json|do not (invent|make up)|act as (an?|the)\b)", re.IGNORECASE)
# The one place that may build chat messages from rendered prompts.
MESSAGE_BUILDERS = {Path("ai_prompts/services/calls.py")}
# The fake server builds the *model's* answers (role "assistant"), not messages to a model.
FAKE_SERVER = Path("ai_prompts/fake_openai.py")


def _python_files():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        # hidden folders are tooling, never our code: .venv, .venv-dh (the bench's django-helpdesk), .local, .git
        if SKIP_PARTS & set(relative.parts) or relative.name == "conftest.py" or any(
                part.startswith(".") for part in relative.parts):
            continue
        yield relative, ast.parse(path.read_text(encoding="utf-8"))


def test_no_string_in_the_code_reads_like_an_instruction_to_a_model():
    offenders = []
    for relative, tree in _python_files():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and INSTRUCTION.search(node.value):
                offenders.append(f"{relative}:{node.lineno}: {node.value[:60]!r}")
    assert offenders == []


def test_chat_messages_are_built_only_by_the_governed_call_from_rendered_prompts():
    offenders = []
    for relative, tree in _python_files():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Dict):
                continue
            keys = [key.value for key in node.keys if isinstance(key, ast.Constant)]
            if "role" in keys and "content" in keys:
                content = node.values[keys.index("content")]
                literal = isinstance(content, (ast.Constant, ast.JoinedStr))
                if relative == FAKE_SERVER:
                    continue
                if relative not in MESSAGE_BUILDERS or literal:
                    offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []


def test_the_openai_client_is_called_only_by_the_governed_service():
    offenders = [str(relative) for relative, tree in _python_files()
                 for node in ast.walk(tree)
                 if isinstance(node, ast.Attribute) and node.attr == "completions"
                 and relative != Path("ai_prompts/services/calls.py")]
    assert offenders == []
