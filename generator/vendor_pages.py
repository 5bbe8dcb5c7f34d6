"""The vendor's per-API Markdown pages, read as data: request lines and error tables with their lines.

A page of the vendor's doc repository (``docs/document/server-side/*.md``, ``docs/rest/*.md``)
documents one API or several: each request line stands in an ``http`` fenced block
(``POST https://{host}/{org_name}/{app_name}/...``), and each API's error section (a heading
holding 错误码 or "Error code") holds a table, or only links to the page that has it.
:func:`parse_page` turns one page into :class:`VendorPage`; it is pure and linear in the page's
length (no regular expression at all), so a hostile page cannot make it slow.

The pages are written by hand and this reader copes with what they really hold:

* header and rows that disagree in cell count (missing trailing cells are empty; surplus cells
  come from an unescaped ``|`` in the message, the one literal column, and are joined back);
* ``\\|`` inside a cell, tables without a header row, empty cells and ``-`` for "no value";
* messages wrapped in quotes or ending in a full-width period, 任意/Any for "any message";
* Chinese labels instead of literal error types (kept as ``error_label``);
* internal codes in the status column and "5xx" classes;
* one page with several APIs: each error section's tables go to the APIs whose request lines
  came since the previous section, in order when there are as many tables as APIs, else to the
  last of them; the same request line written again (one per message type) is the same API;
* an error section that only links to another page's table (``error_link``), and shared error
  pages that list the APIs a table belongs to in a table of methods and URLs (``listed``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.load import read_catalog_bytes

HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
# The vendor's pages are a few dozen KB; a larger cell is no literal worth comparing.
MAX_CELL_CHARACTERS = 2000
ANY_MESSAGE = {"任意", "any", "any message"}
NO_VALUE = {"", "-", "--", "—", "/", "无", "n/a"}
_ERROR_HEADINGS = ("错误码", "error code")
_MARKDOWN_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass(frozen=True)
class VendorRow:
    """One row of an error table, its cells read as the literals they stand for."""

    line: int
    status: int | None
    status_class: str | None
    error_code: int | None
    status_cell: str
    error: str | None  # the literal type; None where the cell is empty or a label
    error_label: str | None  # a description standing where a literal type belongs
    message: str | None
    message_any: bool
    notes: tuple[str, ...] = ()

    @property
    def identity(self) -> tuple[int | None, str | None, int | None, str | None, str | None]:
        """Compared with an entry's ``identity`` (status, class, internal code, type, message)."""
        return (self.status, self.status_class, self.error_code, self.error, self.message)


@dataclass(frozen=True)
class ErrorTable:
    line: int
    rows: tuple[VendorRow, ...]


@dataclass
class VendorApi:
    """An API a page documents: by its request line, or listed in a shared error page's table."""

    method: str
    path: str
    query: str | None
    line: int
    title: str | None
    listed: bool = False  # named in a table of APIs rather than by a request line
    tables: list[ErrorTable] = field(default_factory=list)
    error_link: str | None = None  # the page (``x.md``) its error section points to instead

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, path_shape(self.path))

    @property
    def rows(self) -> list[VendorRow]:
        return [row for table in self.tables for row in table.rows]

    @property
    def table_line(self) -> int | None:
        return self.tables[0].line if self.tables else None


@dataclass(frozen=True)
class VendorPage:
    path: str  # relative to the docs folder, with forward slashes
    title: str | None
    apis: tuple[VendorApi, ...]
    problem: str | None = None  # why the page could not be read

    def find(self, key: tuple[str, str]) -> VendorApi | None:
        return next((api for api in self.apis if api.key == key), None)


def path_shape(path: str) -> str:
    """A path with every ``{placeholder}`` reduced to ``{}``: the vendor writes ``{org}`` on one
    page and ``{org_name}`` on the next, ``{chatroomid}`` beside ``{chatroom_id}``."""
    shape, depth = [], 0
    for character in path:
        if character == "{":
            if depth == 0:
                shape.append("{}")
            depth += 1
        elif character == "}" and depth:
            depth -= 1
        elif depth == 0:
            shape.append(character)
    return "".join(shape).rstrip("/") or "/"


def read_page(root: Path, relative: str) -> VendorPage:
    """Parse one page below ``root``; an unreadable page (too large, a FIFO, not UTF-8) is a page
    without APIs that says why, never an exception."""
    raw, problem = read_catalog_bytes(root / relative)
    if problem is not None or raw is None:
        return VendorPage(relative, None, (), problem.message if problem else "unreadable")
    text = raw.decode("utf-8", errors="replace")
    return parse_page(relative, text)


def parse_page(relative: str, text: str) -> VendorPage:
    return _PageReader(relative, text.split("\n")).read()


class _PageReader:
    def __init__(self, relative: str, lines: list[str]):
        self.relative = relative
        self.lines = [line.removesuffix("\r") for line in lines]
        self.apis: list[VendorApi] = []
        self.headings: list[tuple[int, str]] = []  # the open headings: (level, text)
        self.pending: list[VendorApi] = []  # APIs whose error section has not come yet
        self.section_level: int | None = None  # level of the open error section
        self.section_tables: list[ErrorTable] = []
        self.section_listing: list[VendorApi] = []
        self.section_link: str | None = None
        self.title: str | None = None

    def read(self) -> VendorPage:
        index = self._skip_front_matter()
        fence: str | None = None
        fence_info = ""
        while index < len(self.lines):
            line = self.lines[index]
            stripped = line.strip()
            if fence is not None:
                if stripped.startswith(fence) and not stripped.strip(fence[0]):
                    fence = None
                elif fence_info in ("http", "") and stripped:
                    self._request_line(stripped, index + 1)
                index += 1
                continue
            if stripped.startswith(("```", "~~~")):
                marker = stripped[0]
                fence = marker * (len(stripped) - len(stripped.lstrip(marker)))
                fence_info = stripped[len(fence) :].strip().lower().split(" ")[0] if stripped[len(fence) :] else ""
                index += 1
                continue
            if stripped.startswith("#"):
                self._heading(stripped)
            elif stripped.startswith("|"):
                index = self._table(index)
                continue
            elif self.section_level is not None:
                self._links(stripped)
            index += 1
        self._close_section()
        return VendorPage(self.relative, self.title, tuple(self.apis))

    def _skip_front_matter(self) -> int:
        if not self.lines or self.lines[0].strip() != "---":
            return 0
        for index in range(1, len(self.lines)):
            if self.lines[index].strip() == "---":
                return index + 1
        return 0

    def _heading(self, stripped: str) -> None:
        level = len(stripped) - len(stripped.lstrip("#"))
        text = stripped[level:].strip().rstrip("#").strip()
        if level > 6 or (stripped[level : level + 1] not in (" ", "\t") and text):
            return  # "#hashtag" is no heading
        if self.section_level is not None and level <= self.section_level:
            self._close_section()
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.headings.append((level, text))
        if self.title is None and level == 1:
            self.title = text
        if any(word in text.lower() for word in _ERROR_HEADINGS):
            self._close_section()
            self.section_level = level

    def _request_line(self, stripped: str, number: int) -> None:
        method, _, rest = stripped.partition(" ")
        target = rest.strip().split(" ")[0] if rest.strip() else ""
        if method not in HTTP_METHODS or not target.startswith(("https://", "http://", "/")):
            return
        path, _, query = _path_of(target).partition("?")
        api = VendorApi(method, path, query or None, number, self._api_title())
        known = next((a for a in self.apis if a.key == api.key and not a.listed), None)
        if known is None:
            self.apis.append(api)
            known = api
        if known not in self.pending:
            self.pending.append(known)

    def _api_title(self) -> str | None:
        """The heading the request belongs to: the nearest one above the request's own heading
        ("请求 URL", "HTTP 请求"), i.e. the API's section on a page of several."""
        if len(self.headings) >= 2:
            return self.headings[-2][1]
        return self.headings[-1][1] if self.headings else None

    def _table(self, start: int) -> int:
        end = start
        while end < len(self.lines) and self.lines[end].strip().startswith("|"):
            end += 1
        rows = [(number + 1, split_cells(self.lines[number])) for number in range(start, end)]
        header: list[str] | None = None
        if len(rows) >= 2 and _is_separator(rows[1][1]):
            header = [cell.strip() for cell in rows[0][1]]
            rows = rows[2:]
        if header is not None and _is_api_listing(header):
            self._listing(header, rows)
        elif _is_error_table(header, rows, self.section_level is not None):
            roles = _roles(header)
            parsed = tuple(_row(number, cells, roles) for number, cells in rows if not _is_separator(cells))
            if self.section_level is None:  # an error table outside any error section
                self.section_level = self.headings[-1][0] if self.headings else 1
            self.section_tables.append(ErrorTable(start + 1, parsed))
        return end

    def _listing(self, header: list[str], rows: list[tuple[int, list[str]]]) -> None:
        lowered = [cell.lower() for cell in header]
        method_at = next(i for i, cell in enumerate(lowered) if "方法" in cell or "method" in cell)
        url_at = next((i for i, cell in enumerate(lowered) if "url" in cell), len(header) - 1)
        for number, cells in rows:
            if max(method_at, url_at) >= len(cells):
                continue
            method, path = _plain(cells[method_at]).upper(), _plain(cells[url_at])
            if method in HTTP_METHODS and path.startswith("/"):
                title = _plain(cells[0]) if method_at and url_at else None
                api = VendorApi(method, path, None, number, title, listed=True)
                self.apis.append(api)
                self.section_listing.append(api)

    def _links(self, stripped: str) -> None:
        """The page an error section sends readers to; the generic status-code page is no table."""
        for target in _link_targets(stripped):
            name = target.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1]
            if name.endswith((".html", ".md")) and "://" not in target and name not in ("error.html", "error.md"):
                self.section_link = name.rsplit(".", 1)[0] + ".md"
                return

    def _close_section(self) -> None:
        if self.section_level is None:
            return
        tables, pending = self.section_tables, self.pending
        if self.section_listing:
            for api in self.section_listing:
                api.tables.extend(tables)
        elif tables and len(tables) == len(pending) > 1:
            for api, table in zip(pending, tables, strict=True):
                api.tables.append(table)
        elif tables:
            target = pending[-1] if pending else (self.apis[-1] if self.apis else None)
            if target is not None:
                target.tables.extend(tables)
        elif self.section_link and pending:
            for api in pending:
                api.error_link = self.section_link
        self.pending = [] if tables or self.section_link or self.section_listing else pending
        self.section_level, self.section_tables, self.section_listing, self.section_link = None, [], [], None


def _path_of(target: str) -> str:
    """``https://{host}/a/b`` -> ``/a/b``; a bare ``/a/b`` stays."""
    if "://" in target:
        after = target.split("://", 1)[1]
        slash = after.find("/")
        return after[slash:] if slash >= 0 else "/"
    return target


def split_cells(line: str) -> list[str]:
    """The raw cells of a table row: split at ``|`` except ``\\|``; the outer pipes are optional."""
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    cells, current, index = [], [], 0
    while index < len(text):
        character = text[index]
        if character == "\\" and index + 1 < len(text) and text[index + 1] == "|":
            current.append("\\|")
            index += 2
            continue
        if character == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(character)
        index += 1
    if "".join(current).strip():  # text after the last pipe: a row without its closing pipe
        cells.append("".join(current))
    return cells


def _is_separator(cells: list[str]) -> bool:
    return bool(cells) and all(cell.strip() and set(cell.strip()) <= {"-", ":"} for cell in cells)


def _is_api_listing(header: list[str]) -> bool:
    lowered = [cell.lower() for cell in header]
    has_method = any("方法" in cell or cell == "method" for cell in lowered)
    return has_method and any("url" in cell for cell in lowered)


def _is_error_table(header: list[str] | None, rows: list[tuple[int, list[str]]], in_section: bool) -> bool:
    if header is not None:
        first = header[0].lower() if header else ""
        return "状态码" in first or "status" in first or (in_section and _status_parts(_plain(rows[0][1][0]))[3])
    # No header: an error section's table whose first cell reads as a status.
    return in_section and bool(rows) and bool(rows[0][1]) and _status_parts(_plain(rows[0][1][0]))[3]


def _roles(header: list[str] | None) -> list[str]:
    """What each column holds; a table without a header has the usual five columns."""
    if header is None:
        return ["status", "error", "message", "other", "other"]
    roles = []
    for cell in header:
        name = cell.lower()
        if "状态码" in name or "status" in name:
            roles.append("status")
        elif "类型" in name or "type" in name:
            roles.append("error")
        elif "代码" in name or "code" in name:
            roles.append("code")
        elif "提示" in name or "message" in name:
            roles.append("message")
        else:
            roles.append("other")
    if "status" not in roles and roles:
        roles[0] = "status"
    return roles


def _row(number: int, raw_cells: list[str], roles: list[str]) -> VendorRow:
    notes: list[str] = []
    cells = list(raw_cells)
    if len(cells) > len(roles) and "message" in roles:
        # An unescaped | in the message splits it; the message is the one column with literal pipes.
        at, surplus = roles.index("message"), len(cells) - len(roles)
        cells[at : at + surplus + 1] = ["|".join(cells[at : at + surplus + 1])]
        notes.append(f"row has {len(raw_cells)} cells vs {len(roles)} header columns; | in the message")
    elif len(cells) != len(roles):
        notes.append(f"row has {len(cells)} cells vs {len(roles)} header columns")
    values = {role: _plain(cell) for role, cell in zip(roles, cells, strict=False) if role != "other"}
    status, status_class, error_code, _ = _status_parts(values.get("status", ""))
    if "code" in values and values["code"].isdigit() and len(values["code"]) <= 15:
        error_code = int(values["code"])
    error, label = _error_cell(values.get("error", ""))
    message, message_any = _message_cell(values.get("message", ""), notes)
    return VendorRow(
        number,
        status,
        status_class,
        error_code,
        values.get("status", ""),
        error,
        label,
        message,
        message_any,
        tuple(notes),
    )


def _status_parts(cell: str) -> tuple[int | None, str | None, int | None, bool]:
    """(HTTP status, status class, internal code, whether the cell reads as any of them)."""
    if cell.isascii() and cell.isdigit() and len(cell) <= 15:
        number = int(cell)
        if len(cell) == 3 and 100 <= number <= 599:
            return number, None, None, True
        return None, None, number, True
    if len(cell) == 3 and cell[0] in "45" and cell[1:].lower() == "xx":
        return None, f"{cell[0]}xx", None, True
    return None, None, None, False


def _error_cell(cell: str) -> tuple[str | None, str | None]:
    if cell.lower() in NO_VALUE:
        return None, None
    if any(_is_cjk(character) for character in cell):
        return None, cell
    return cell, None


def _message_cell(cell: str, notes: list[str]) -> tuple[str | None, bool]:
    if cell.lower() in ANY_MESSAGE:
        return None, True
    text = cell
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
        notes.append("message wrapped in double quotes")
    elif text.count('"') == 1 and (text.startswith('"') or text.endswith('"')):
        text = text.strip('"')
        notes.append("unmatched double quote around the message")
    if text.endswith("。"):
        text = text[:-1]
        notes.append('message ends with a full-width "。"')
    text = text.strip()
    return (None if text.lower() in NO_VALUE else text), False


def _plain(cell: str) -> str:
    """A cell's text: Markdown escapes resolved (``\\|`` -> ``|``), one pair of wrapping backticks
    dropped, ends trimmed; inner blanks stay, as messages are byte-exact."""
    text = cell.strip()[:MAX_CELL_CHARACTERS]
    out, index = [], 0
    while index < len(text):
        if text[index] == "\\" and index + 1 < len(text) and text[index + 1] in _MARKDOWN_PUNCTUATION:
            out.append(text[index + 1])
            index += 2
            continue
        out.append(text[index])
        index += 1
    text = "".join(out).strip()
    if len(text) >= 2 and text[0] == text[-1] == "`" and "`" not in text[1:-1]:
        text = text[1:-1].strip()
    return text


def _link_targets(line: str) -> list[str]:
    """Targets of ``[text](target)`` links, found without a regular expression."""
    targets, start = [], 0
    while True:
        at = line.find("](", start)
        if at < 0:
            return targets
        end = line.find(")", at + 2)
        if end < 0:
            return targets
        targets.append(line[at + 2 : end].strip())
        start = end + 1


def _is_cjk(character: str) -> bool:
    code = ord(character)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF


@dataclass(frozen=True)
class LimitRow:
    """One API's row in the vendor's table of call limits (``limitationapi.md``)."""

    method: str
    path: str
    cell: str  # the limit cell, line breaks and blanks collapsed to single spaces
    line: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, path_shape(self.path))


def parse_limit_tables(text: str) -> list[LimitRow]:
    """The rows of every table with a method, a URL and a limit column (频率 / frequency)."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    rows: list[LimitRow] = []
    index = 0
    while index < len(lines):
        if not lines[index].strip().startswith("|"):
            index += 1
            continue
        start = index
        while index < len(lines) and lines[index].strip().startswith("|"):
            index += 1
        table = [split_cells(line) for line in lines[start:index]]
        if len(table) < 2 or not _is_separator(table[1]):
            continue
        header = [_plain(cell).lower() for cell in table[0]]
        columns = _limit_columns(header)
        if columns is None:
            continue
        method_at, url_at, limit_at = columns
        for offset, cells in enumerate(table[2:], start=start + 3):
            if max(columns) < len(cells) and _plain(cells[method_at]).upper() in HTTP_METHODS:
                path = _plain(cells[url_at]).split("?", 1)[0]
                cell = " ".join(_plain(cells[limit_at]).replace("<br/>", " ").replace("<br>", " ").split())
                rows.append(LimitRow(_plain(cells[method_at]).upper(), path, cell, offset))
    return rows


def _limit_columns(header: list[str]) -> tuple[int, int, int] | None:
    method = next((i for i, cell in enumerate(header) if "方法" in cell or cell == "method"), None)
    url = next((i for i, cell in enumerate(header) if "url" in cell), None)
    limit = next((i for i, cell in enumerate(header) if "频率" in cell or "frequency" in cell), None)
    return None if method is None or url is None or limit is None else (method, url, limit)
