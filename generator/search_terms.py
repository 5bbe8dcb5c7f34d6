"""Domain terms for Chinese search: ``catalog/search_terms.txt`` (read and checked with the
catalog, ``CheckResult.search_terms``) taught to jieba."""

from __future__ import annotations


def teach_jieba(terms: list[str]) -> None:
    """Give jieba the catalog's domain terms so Chinese search matches them as whole words.

    Material's search plugin segments pages with jieba's global dictionary after the plugin's
    on_config, and segments queries greedily by the index's own tokens, so a term added here is
    found whole.
    """
    try:
        import jieba
    except ImportError:  # Material then indexes Chinese unsegmented; the build still works
        return
    for term in terms:
        if " " not in term:
            jieba.add_word(term)
