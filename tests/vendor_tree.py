"""Vendor-format doc trees written from a per-API fact table (``tests/data/*.json``), for the drift check.

The pages have the vendor's layout (``# title``, ``## 请求 URL`` with an ``http`` block, ``## 错误码``
with its table; several APIs on one page; the shared push error page with its table of APIs) and
the quirks the fact table records for each row (its raw cells, missing cells, no header). Every
sentence on them is a placeholder of ours; only the literal facts come from the table.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

ZH = "docs/document/server-side"
EN = "docs/rest"
CAUSE, REMEDY = "（测试占位：原因）", "（测试占位：建议）"
LABEL_PLACEHOLDER = "测试占位说明"
SHARED_PAGE = "push_error.md"


def write_vendor_tree(facts: dict[str, Any], root: Path, *, omit_noted_rows: bool = False) -> Path:
    """Write the pages the fact table was read from under ``root`` (Chinese edition; the English
    one only for APIs the table read from it). ``omit_noted_rows`` leaves out the rows the table
    marks as no longer on the vendor's pages (``upstream_note``): the newest pages."""
    pages: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for api in facts["apis"]:
        rows = [r for r in api["errors"] if not (omit_noted_rows and r.get("upstream_note"))]
        pages[api["page"]].append({**api, "errors": rows})
    written: dict[str, str] = {}
    for page, apis in pages.items():
        if page == SHARED_PAGE:
            written.update(_shared_pages(apis))
        elif _is_english(apis[0]):
            written[f"{ZH}/{page}"] = _stub(apis[0]["anchor_title_zh"])
            written[f"{EN}/{page}"] = _page(apis, english=True)
        else:
            written[f"{ZH}/{page}"] = _page(apis, english=False)
    for missing in facts.get("pages_without_error_table", []):
        path = f"{ZH}/{missing['page']}"
        if path not in written:
            written[path] = _page_without_table(missing, facts["apis"])
    for relative, text in written.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


def load_facts(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _is_english(api: dict[str, Any]) -> bool:
    return api["source_table_columns"][0][0] == "HTTP status code"


def _stub(title: str) -> str:
    return f'---\n{{\n    title: "{title}"\n}}\n---'


def _request_block(api: dict[str, Any]) -> list[str]:
    query = f"?{api['query']}" if api.get("query") else ""
    return ["```http", f"{api['method']} https://{{host}}{api['path']}{query}", "```", ""]


def _page(apis: list[dict[str, Any]], *, english: bool) -> str:
    request, errors, intro = (
        ("Request URL", "Error code", "Placeholder text.") if english else ("请求 URL", "错误码", "测试占位段落。")
    )
    if len(apis) == 1:
        api = apis[0]
        lines = [f"# {api['anchor_title_zh']}", "", f"## {request}", "", *_request_block(api)]
        lines += [f"## {errors}", "", intro, "", *_table(api), "", "参见 [响应状态码](error.html)。", ""]
        return "\n".join(lines)
    # Several APIs: each in its section, their tables together in one error section at the end.
    lines = ["# 测试占位：多个接口", "", intro, ""]
    for api in apis:
        lines += [f"## {api['anchor_title_zh']}", "", f"### {request}", "", *_request_block(api)]
    lines += [f"## {errors}", ""]
    for number, api in enumerate(apis, 1):
        lines += [f"{number}. {intro}", "", *_table(api), ""]
    return "\n".join(lines)


def _shared_pages(apis: list[dict[str, Any]]) -> dict[str, str]:
    """The shared push error page (a table of APIs, then their common error table, per group) and
    each API's own page, whose error section only links to it."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for api in apis:
        groups.setdefault(json.dumps(api["errors"], sort_keys=True), []).append(api)
    lines = ["# 测试占位：推送错误码", ""]
    for number, members in enumerate(groups.values(), 1):
        lines += [
            f"## 第 {number} 组接口的常见错误码",
            "",
            "| RESTful API 接口 | 方法 | 接口 URL |",
            "| :--- | :--- | :--- |",
        ]
        lines += [f"| {api['anchor_title_zh']} | {api['method']} | {api['path']} |" for api in members]
        lines += ["", "测试占位段落。", "", *_table(members[0]), ""]
    written = {f"{ZH}/{SHARED_PAGE}": "\n".join(lines)}
    for api in apis:
        if api.get("api_page"):
            # The vendor misspells this one link; the checker must still find the shared table.
            link = "push.error.html" if api["api_page"] == "push_information_bind_query.md" else "push_error.html"
            page = [f"# {api['anchor_title_zh']}", "", "## 请求 URL", "", *_request_block(api)]
            page += ["## 错误码", "", f"测试占位段落，参见 [常见错误码]({link})。", ""]
            written[f"{ZH}/{api['api_page']}"] = "\n".join(page)
    return written


def _page_without_table(missing: dict[str, Any], apis: list[dict[str, Any]]) -> str:
    if "front-matter" in missing["reason"]:
        return _stub(missing["title_zh"])
    lines = [f"# {missing['title_zh']}", "", "测试占位段落。", ""]
    same = [api for api in apis if api["anchor_title_zh"] == missing["title_zh"] and api["page"] != missing["page"]]
    if same:  # an API whose table the data took from an older combined page
        lines += ["## 请求 URL", "", *_request_block(same[0])]
    if "points to the table of " in missing["reason"]:
        target = missing["reason"].split("points to the table of ", 1)[1].split(" ")[0].rstrip(".")
        lines += ["## 错误码", "", f"参见 [错误码]({target.removesuffix('.md')}.html)。", ""]
    return "\n".join(lines)


def _table(api: dict[str, Any]) -> list[str]:
    columns = api["source_table_columns"][0]
    header = [] if columns == "(no header row in source)" else list(columns)
    lines = [] if not header else ["| " + " | ".join(header) + " |", "| " + " | ".join(":---" for _ in header) + " |"]
    for row in api["errors"]:
        lines.append("| " + " | ".join(_cells(row, header)) + " |")
    return lines


def _cells(row: dict[str, Any], header: list[str]) -> list[str]:
    quirks = " ".join(row.get("source_quirks", []))
    status = row.get("status_raw") or str(row["status"] if row["status"] is not None else row.get("error_code"))
    error = row.get("error_raw") or row.get("error") or ("-" if 'error type given as "-"' in quirks else "")
    if "only a Chinese description" in quirks:
        error = LABEL_PLACEHOLDER
    message = row.get("message_raw") or row.get("message") or ""
    message = message.replace("|", "\\|")
    names = header or ["HTTP 状态码", "错误类型", "错误提示", "可能原因", "处理建议"]
    by_name = {"状态码": status, "status": status, "类型": error, "type": error, "代码": str(row.get("error_code"))}
    by_name |= {"提示": message, "message": message}
    cells = [next((value for key, value in by_name.items() if key in name.lower()), None) for name in names]
    cells = [cell if cell is not None else (CAUSE if i == len(names) - 2 else REMEDY) for i, cell in enumerate(cells)]
    if "cells vs" in quirks:
        count = int(quirks.split(" cells vs", 1)[0].rsplit(" ", 1)[-1])
        cells = cells[:count]
    return cells


def write_limits_page(limits: dict[str, Any], root: Path) -> Path:
    """The vendor's limits page (``limitationapi.md``, Chinese edition) written from the limits
    table (``tests/data/rate_limits.json``): one table per section, each row with the API title,
    method, path and the limit cell as a ``<br/> -`` list, the way the vendor writes several limits."""
    sections: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in limits["limits"]:
        sections[row["section_zh"]].append(row)
    lines = ["# （测试占位：接口频率限制）", ""]
    for section, rows in sections.items():
        lines += [f"## {section}", "", "| RESTful API 接口 | 方法 | 接口 URL | 接口最高调用频率（默认值） | 增值包 |"]
        lines.append("| :--- | :--- | :--- | :--- | :--- |")
        for row in rows:
            text = row["limit_text_zh"] or (row.get("shared_limit") or {}).get("text_zh") or ""
            cell = " ".join(f"<br/> - {part.strip()}" for part in text.split(";")) if ";" in text else text
            addon = row["addon_package_zh"] or ""
            lines.append(f"| {row['api_title_zh']} | {row['method']} | {row['path']} | {cell} | {addon} |")
        lines.append("")
    target = root / ZH / "limitationapi.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines), encoding="utf-8")
    return target
