"""Articles' Markdown as HTML: rendered on the server (markdown-it-py, raw HTML off) and then
sanitised by nh3, so no script, event handler or foreign frame reaches a reader's browser.
Images name the article's attachments: `![diagram](files/vpn.png)`. `html()` is the same for any
Markdown text (regulating documents' paragraphs)."""

from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

from .models import Article

_RENDERER = MarkdownIt("commonmark", {"html": False}).enable("table")
TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "pre",
        "blockquote", "a", "img", "table", "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


def render(article: Article) -> str:
    def attached(rendered: str) -> str:  # attachment images and links: relative to the article's own files
        return rendered.replace('src="files/', f'src="/servicedesk/articles/{article.pk}/files/').replace(
            'href="files/', f'href="/servicedesk/articles/{article.pk}/files/')

    return html(article.body, attached if article.pk else None)


def html(text: str, rewrite: Callable[[str], str] | None = None) -> str:
    """Markdown `text` as sanitised HTML; `rewrite` changes the rendered HTML before sanitising."""
    rendered = _RENDERER.render(text)
    if rewrite is not None:
        rendered = rewrite(rendered)
    return nh3.clean(rendered, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")
