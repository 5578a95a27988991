"""No page shows a template comment: Django's `{# #}` ends at the line's end, so a comment
over two lines is printed to every visitor (use `{% comment %}`)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.template.base import Lexer, TokenType
from django.test import RequestFactory

TEMPLATES = sorted(
    path
    for folder in settings.TEMPLATES[0]["DIRS"]
    for path in Path(folder).rglob("*")
    if path.suffix in (".html", ".txt")
)


def test_the_templates_are_found():
    assert len(TEMPLATES) > 40


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_no_template_text_holds_a_comment_opener(path):
    """Every `{#` must be a one-line comment: none may be left in the text Django prints."""
    tokens = Lexer(path.read_text(encoding="utf-8")).tokenize()
    texts = [token.contents for token in tokens if token.token_type == TokenType.TEXT]
    assert not any("{#" in text for text in texts)


@pytest.mark.django_db
@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_every_template_renders_without_a_comment(path):
    """Rendered with an empty context (what renders so: most do), no `{#` comes out."""
    folder = next(Path(d) for d in settings.TEMPLATES[0]["DIRS"] if Path(d) in path.parents)
    name = str(path.relative_to(folder))
    request = RequestFactory().get("/")
    try:
        output = engines["django"].get_template(name).render({}, request)
    except Exception:  # noqa: BLE001 - a template that needs its context: the lexer test holds
        pytest.skip("needs context")
    assert "{#" not in output
