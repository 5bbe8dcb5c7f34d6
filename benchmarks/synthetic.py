"""A synthetic catalog shaped like the real one, for benchmarks: deterministic for a seed.

N entries spread over the real modules, about 0.8 APIs per entry with about 3 error rows each
(the real catalog: 261 entries, 200 APIs, 758 rows), Chinese prose of the real lengths,
placeholders in a quarter of the messages and drift notes on about a fifth of the entries. The
shared files (site, statuses, modules, categories) are copied from the real catalog.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ("site.yaml", "statuses.yaml", "modules.yaml", "categories.yaml")
MODULES = [
    "account",
    "user_attributes",
    "contacts",
    "message",
    "group",
    "chatroom",
    "presence",
    "reaction",
    "push",
    "collection",
    "moderation",
    "token",
]
CATEGORIES = [
    "invalid_request",
    "not_found",
    "forbidden",
    "limit_exceeded",
    "conflict",
    "server_error",
    "token",
    "user_not_found",
    "service_not_enabled",
]
STATUSES = [400, 400, 400, 403, 403, 404, 404, 401, 429, 500, 409, 413]
TYPES = [
    "illegal_argument",
    "forbidden_op",
    "resource_not_found",
    "exceed_limit",
    "invalid_parameter",
    "group_error",
    "message_send_error",
    "metadata_error",
    "unauthorized",
    "Bad Request",
]
# 48 of the real catalog's 261 entries carry a drift note, of 122 characters on average.
DRIFT_NOTE_SHARE = 48 / 261
WORDS = [
    "group",
    "member",
    "user",
    "message",
    "chatroom",
    "thread",
    "token",
    "limit",
    "size",
    "param",
    "request",
    "body",
    "list",
    "id",
    "key",
    "value",
]
HAN = "请求参数群组成员用户消息聊天室子区超过限制不存在已经开通功能调用接口返回错误检查修正后再重试原样不会成功数量长度"


def _han(rng: random.Random, length: int) -> str:
    text = "".join(rng.choice(HAN) for _ in range(length))
    return text[: length // 2] + " `" + rng.choice(WORDS) + "_id` " + text[length // 2 :] + "。"


def _sentence(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(HAN) for _ in range(length)) + "。"


def _message(rng: random.Random, index: int) -> tuple[str, str | None]:
    words = [rng.choice(WORDS) for _ in range(rng.randint(3, 8))]
    if index % 4 == 0:
        words.insert(rng.randint(0, len(words)), "XX")
        message = " ".join(words) + f" #{index}"
        return message, message.replace("XX", "{value}")
    return " ".join(words) + f" #{index}", None


def write_catalog(target: Path, entries: int, seed: int = 1) -> Path:
    """Write a synthetic catalog with ``entries`` entries into ``target`` (replaced)."""
    rng = random.Random(seed)
    drift_rng = random.Random(seed + 1)  # its own stream, so the rest of the catalog stays as it was
    if target.exists():
        shutil.rmtree(target)
    (target / "errors").mkdir(parents=True)
    (target / "apis").mkdir()
    for name in SHARED:
        shutil.copy(ROOT / "catalog" / name, target / name)
    by_module: dict[str, list[dict]] = {m: [] for m in MODULES}
    for index in range(entries):
        module = MODULES[index % len(MODULES)]
        message, template = _message(rng, index)
        entry = {
            "slug": f"synthetic-{module.replace('_', '-')}-{index}",
            "status": rng.choice(STATUSES),
            "error": rng.choice(TYPES),
            "message": message,
            "category": rng.choice(CATEGORIES),
            "cause": {"zh": _han(rng, rng.randint(40, 80))},
            # Real remedies: 58 characters in two sentences, the first (shown in tables) 47.
            "remedy": {"zh": _han(rng, rng.randint(28, 46)) + _sentence(rng, rng.randint(6, 16))},
        }
        if template:
            entry["message_template"] = template
        by_module[module].append(entry)
    for module, module_entries in by_module.items():
        if not module_entries:
            continue
        for entry in module_entries:  # drift notes as often and as long as in the real catalog
            if drift_rng.random() < DRIFT_NOTE_SHARE:
                entry["drift_note"] = {"zh": _han(drift_rng, drift_rng.randint(90, 150))}
        (target / "errors" / f"{module}.yaml").write_text(
            "# yaml-language-server: $schema=../schema.json\n"
            + json.dumps({"entries": module_entries}, ensure_ascii=False),
            encoding="utf-8",
        )
        slugs = [e["slug"] for e in module_entries]
        api_count = max(1, len(slugs) * 4 // 5)
        own: list[list[str]] = [[] for _ in range(api_count)]
        for index, slug in enumerate(slugs):  # every entry is listed by at least one API
            own[index % api_count].append(slug)
        apis = []
        for number in range(api_count):
            listed = {*own[number], *rng.sample(slugs, min(2, len(slugs)))}
            apis.append(
                {
                    "id": f"{module.replace('_', '-')}-api-{number}",
                    "title": {"zh": "合成接口" + _han(rng, 6).split(" ")[0]},
                    "method": rng.choice(["GET", "POST", "PUT", "DELETE"]),
                    "path": f"/{{org_name}}/{{app_name}}/{module}/{number}",
                    "vendor_page": "https://doc.easemob.com/document/server-side/error.html",
                    "errors": sorted(listed),
                }
            )
        (target / "apis" / f"{module}.yaml").write_text(
            "# yaml-language-server: $schema=../schema.json\n"
            + json.dumps({"module": module, "apis": apis}, ensure_ascii=False),
            encoding="utf-8",
        )
    # Every slug published, as in the real catalog (check 12 then looks each one up).
    slugs = sorted(entry["slug"] for module_entries in by_module.values() for entry in module_entries)
    (target / "published_slugs.txt").write_text("".join(f"{slug}\n" for slug in slugs), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--out", type=Path, required=True)
    args = parser.parse_args()
    write_catalog(args.out, args.entries, args.seed)


if __name__ == "__main__":
    main()
