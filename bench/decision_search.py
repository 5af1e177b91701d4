"""Public decision search (issue 7 §4: p95 < 100 ms at 1,000,000 published decisions, on SQLite and PostgreSQL).

Generates N published decisions (realistic 决定书 texts of ~450 characters from 12 agencies over eight years, stored in
the order they were published, as a running platform stores them) through the same table and triggers the platform uses,
then requests /public/decisions/ with a mix of queries (common and rare words, company names, document numbers, two
terms, filters, later pages) through Django's test client — the whole request, template included — and prints ONE JSON
line: p50/p95/max in ms, the target, and the baseline, the same requests answered by a LIKE scan (search.like_scan) of
the same table, run side by side on a sample of the queries, whose answers (page rows and count, up to the count limit)
must equal the index's.

Usage: python bench/decision_search.py [--decisions 1000000] [--queries 200] [--baseline 20]
       [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--data-dir DIR (reused when it holds the data)]
       [--shuffled]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_P95_MS = 100.0
FIRST_DAY = dt.date(2019, 1, 1)
DAYS = (dt.date(2026, 11, 26) - FIRST_DAY).days
AGENCIES = [("scj", "株洲市渌口区市场监督管理局", "市监"), ("zrj", "株洲市渌口区自然资源局", "自然"),
            ("jtj", "株洲市渌口区交通运输局", "交"), ("wjj", "株洲市渌口区卫生健康局", "卫"),
            ("yjj", "株洲市渌口区应急管理局", "应急"), ("hbj", "株洲市生态环境局渌口分局", "环"),
            ("cgj", "株洲市渌口区城市管理和综合执法局", "城管"), ("nyj", "株洲市渌口区农业农村局", "农"),
            ("slj", "株洲市渌口区水利局", "水"), ("wlj", "株洲市渌口区文化旅游广电体育局", "文旅"),
            ("rsj", "株洲市渌口区人力资源和社会保障局", "人社"), ("spj", "株洲市渌口区行政审批服务局", "审批")]
PLACES = ["渌口", "南洲", "龙船", "古岳峰", "淦田", "龙门", "朱亭", "龙潭", "雷打石", "湘江", "株洲", "洣水", "松西"]
WORDS = ["华兴", "恒达", "鑫源", "宏远", "金盛", "湘运", "利民", "康泰", "永安", "顺丰", "兴旺", "福临", "新城", "瑞丰",
         "天成", "国泰", "长兴", "信诚", "绿源", "广源", "德润", "隆盛", "荣发", "春晖", "嘉禾", "博远", "盛世", "万家"]
TRADES = ["食品", "餐饮", "超市", "建材", "物流", "运输", "药房", "五金", "农资", "砂石", "酒店", "网吧", "汽修",
          "养殖"]
VIOLATIONS = [
    ("销售超过保质期的食品", "《中华人民共和国食品安全法》第三十四条第十项", "第一百二十四条第一款"),
    ("未取得食品经营许可从事食品经营活动", "《中华人民共和国食品安全法》第三十五条第一款", "第一百二十二条第一款"),
    ("未按规定公示营业执照", "《市场主体登记管理条例》第三十六条", "第四十八条"),
    ("使用未经检验的特种设备", "《中华人民共和国特种设备安全法》第三十二条", "第八十三条"),
    ("超范围经营", "《市场主体登记管理条例》第十四条", "第四十六条"),
    ("未经批准擅自占用耕地建房", "《中华人民共和国土地管理法》第四十四条", "第七十七条"),
    ("违法超限运输", "《公路安全保护条例》第三十五条", "第六十四条"),
    ("未取得道路运输经营许可擅自从事道路运输经营", "《中华人民共和国道路运输条例》第十条", "第六十三条"),
    ("未按规定开展职业健康检查", "《中华人民共和国职业病防治法》第三十五条", "第七十一条"),
    ("生产经营单位未按规定开展安全生产教育和培训", "《中华人民共和国安全生产法》第二十八条", "第九十七条"),
    ("未经许可排放污染物", "《中华人民共和国水污染防治法》第二十一条", "第八十三条"),
    ("违规倾倒建筑垃圾", "《城市市容和环境卫生管理条例》第十六条", "第三十四条"),
    ("经营未经检疫的动物产品", "《中华人民共和国动物防疫法》第二十九条", "第九十七条"),
    ("未经许可在河道管理范围内采砂", "《中华人民共和国水法》第三十九条", "第七十二条"),
    ("未经批准擅自从事互联网上网服务经营活动", "《互联网上网服务营业场所管理条例》第七条", "第二十七条"),
    ("未依法缴纳社会保险费", "《中华人民共和国社会保险法》第五十八条", "第八十四条"),
    ("销售不符合国家标准的农药", "《农药管理条例》第二十七条", "第五十五条"),
    ("虚假宣传", "《中华人民共和国反不正当竞争法》第八条", "第二十条"),
]
PRODUCTS = ["预包装饼干", "散装白酒", "冷冻猪肉", "桶装食用油", "儿童玩具", "电动自行车", "钢筋", "复合肥", "乳制品",
            "调味品", "瓶装饮用水", "大米", "口罩", "电线电缆", "燃气灶具"]


def company(rng: random.Random) -> str:
    return f"株洲{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(TRADES)}有限公司"


def decision(rng: random.Random, serial: int, count: int, shuffled: bool = False) -> dict:
    """The `serial`-th of `count` decisions in the order they were published: decided over the eight years in that
    order, each up to a week before its publication; `shuffled`: on any day, as a bulk import in no order would
    store them."""
    code, agency_name, short = rng.choice(AGENCIES)
    if shuffled:
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    else:
        day = max(FIRST_DAY, FIRST_DAY + dt.timedelta(days=serial * DAYS // count - rng.randrange(7)))
    act_type = rng.choices(["penalty", "licensing", "coercion", "inspection"], [70, 20, 5, 5])[0]
    target = company(rng) if rng.random() < 0.8 else f"{rng.choice('张王李赵刘陈杨黄周吴')}某"
    facts, law, article = rng.choice(VIOLATIONS)
    fine = rng.choice([500, 1000, 2000, 3000, 5000, 10000, 20000, 50000, 100000]) * rng.randint(1, 3)
    product = rng.choice(PRODUCTS)
    number = f"渌{short}{'罚' if act_type == 'penalty' else '决'}〔{day.year}〕{serial % 3000 + 1}号"
    conclusion = {"penalty": f"罚款人民币{fine}元", "licensing": "准予许可"}.get(act_type, "责令改正")
    text = "\n".join([
        f"{agency_name}行政处罚决定书", f"{number}", f"当事人：{target}",
        f"住所：株洲市渌口区{rng.choice(PLACES)}镇***", f"统一社会信用代码：91430221MA4{serial:08d}",
        f"违法事实：经查，当事人于{day.year}年{day.month}月在{rng.choice(PLACES)}"
        f"{rng.choice(['门店', '仓库', '经营场所'])}"
        f"{facts}，涉及{product}{rng.randint(2, 400)}件，货值金额{rng.randint(100, 90000)}元，违法所得"
        f"{rng.randint(0, 9000)}元。执法人员现场检查时制作了现场笔录，并对相关物品拍照取证。",
        f"证据及采信理由：现场检查笔录、询问笔录、{product}购进票据、照片{rng.randint(2, 12)}张，证据来源合法、"
        "内容真实，与本案事实相关联，予以采信。",
        f"处罚依据：当事人的行为违反了{law}的规定，依据该法{article}的规定。",
        f"裁量理由：当事人{rng.choice(['初次违法且危害后果轻微', '积极配合调查', '持续时间较长', '拒不改正'])}，"
        f"依照《湖南省市场监督管理行政处罚裁量权基准》{rng.choice(['从轻', '一般', '从重'])}处罚。",
        f"处罚决定：{conclusion}。", f"{agency_name}　{day:%Y年%m月%d日}",
    ])
    return {"agency_code": code, "agency_name": agency_name, "act_type": act_type, "number": number,
            "target": target, "conclusion": conclusion,
            "decided_on": day, "text": text, "category": rng.choice(TRADES)}


def setup(args: argparse.Namespace) -> None:
    os.environ.update({"ZHIFA_DATA_DIR": args.data_dir, "DJANGO_SETTINGS_MODULE": "zhifa.settings", "ZHIFA_HTTPS": "0",
                       "ZHIFA_ALLOWED_HOSTS": "testserver"})
    if args.database_url:
        os.environ["ZHIFA_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("ZHIFA_DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    # the pages are rendered without collectstatic's manifest, as in the tests
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    call_command("migrate", verbosity=0, interactive=False)


def generate(count: int, seed: int, shuffled: bool) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from zhifa.disclosure import search_index
    from zhifa.disclosure.models import Publication
    from zhifa.disclosure.search_tokens import normalise
    from zhifa.people.models import Agency

    have = Publication.objects.count()
    if have >= count:
        return
    rng = random.Random(seed + have)
    agencies = {}
    for code, name, short in AGENCIES:
        agencies[code] = Agency.objects.get_or_create(code=code, defaults={
            "name": name, "short_name": short, "credit_code": f"11430221{len(agencies):010d}",
            "kind": "administrative", "level": "county", "jurisdiction": "株洲市渌口区"})[0].pk
    postgres = connection.vendor == "postgresql"
    if postgres:  # a bulk load builds its indexes once, after the rows, as a restore does
        with connection.cursor() as cursor:
            for statement in search_index.POSTGRES_DROP_INDEXES:
                cursor.execute(statement)
    columns = ("agency_id, source, act_type, document_number, target, category, conclusion, decided_on, due_on, "
               "policy, original_text, redacted_text, masks, status, published_at, withheld_reason, "
               "withdrawal_reason, withdrawal_kind, search_text")
    now = timezone.now()
    started = time.perf_counter()
    for batch_start in range(have, count, 20_000):
        rows = []
        for serial in range(batch_start, min(count, batch_start + 20_000)):
            d = decision(rng, serial, count, shuffled)
            status = "withdrawn" if rng.random() < 0.01 else "published"
            search_text = normalise("\n".join([d["number"], d["target"], d["category"], d["conclusion"],
                                               d["agency_name"], d["text"]]))
            rows.append((agencies[d["agency_code"]], "case", d["act_type"], d["number"], d["target"], d["category"],
                         d["conclusion"], d["decided_on"], d["decided_on"], "default", d["text"], d["text"], "[]",
                         status, now, "", "", "", search_text))
        with transaction.atomic():
            if postgres:
                with connection.cursor() as cursor, cursor.copy(
                        f"COPY disclosure_publication ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                with connection.cursor() as cursor:
                    cursor.executemany(f"INSERT INTO disclosure_publication ({columns}) VALUES "
                                       f"({', '.join(['%s'] * 19)})", rows)
        print(f"generated {batch_start + len(rows):,} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for statement in search_index.POSTGRES_INDEXES:
                cursor.execute(statement)
            cursor.execute("ANALYZE disclosure_publication")
        else:
            cursor.execute("INSERT INTO disclosure_search(disclosure_search) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    print(f"indexed in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def queries(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    common = ["罚款", "食品", "许可", "超范围经营", "保质期", "无证", "运输", "违法所得", "从轻", "现场笔录"]
    made = []
    for _ in range(count):
        kind = rng.random()
        params: dict = {}
        if kind < 0.25:
            params["q"] = rng.choice(common)
        elif kind < 0.45:
            params["q"] = f"{rng.choice(WORDS)}{rng.choice(WORDS)}"
        elif kind < 0.55:
            params["q"] = f"{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(TRADES)}"
        elif kind < 0.65:
            params["q"] = f"〔{rng.randint(2019, 2026)}〕{rng.randint(1, 3000)}号"
        elif kind < 0.75:
            params["q"] = f"{rng.choice(PRODUCTS)} {rng.choice(PLACES)}"
        elif kind < 0.85:
            params["q"] = rng.choice(common + PRODUCTS)
            params["act_type"] = rng.choice(["penalty", "licensing", "inspection"])
            year = rng.randint(2019, 2026)
            params["date_from"], params["date_to"] = f"{year}-01-01", f"{year}-06-30"
        elif kind < 0.95:
            params["q"] = rng.choice(VIOLATIONS)[0][:rng.randint(2, 8)]
            params["agency"] = "AGENCY"
        else:
            params["agency"] = "AGENCY"
        if rng.random() < 0.2:
            params["page"] = rng.randint(2, 5)
        made.append(params)
    return made


def timed(client, params: dict) -> float:
    started = time.perf_counter()
    response = client.get("/public/decisions/", params)
    assert response.status_code == 200, response.status_code
    return (time.perf_counter() - started) * 1000


def like_answer(params: dict) -> tuple[int, list[int]]:
    from zhifa.disclosure import search as search_module
    from zhifa.disclosure.models import Publication
    from zhifa.disclosure.search_tokens import query_terms

    query = search_module.Query(tuple(query_terms(params.get("q", ""))),
                                int(params["agency"]) if "agency" in params else None, params.get("act_type", ""),
                                dt.date.fromisoformat(params["date_from"]) if "date_from" in params else None,
                                dt.date.fromisoformat(params["date_to"]) if "date_to" in params else None)
    scan = search_module.like_scan(Publication.objects.public(), query)
    page = int(params.get("page", 1))
    rows = list(scan.values_list("pk", flat=True)[(page - 1) * 20:page * 20])
    return min(scan.count(), search_module.COUNT_LIMIT), rows


def index_answer(params: dict) -> tuple[int, list[int]]:
    from zhifa.disclosure.models import Publication
    from zhifa.disclosure.search import search

    results = search(Publication.objects.public(), params.get("q", ""),
                     int(params["agency"]) if "agency" in params else None, params.get("act_type", ""),
                     dt.date.fromisoformat(params["date_from"]) if "date_from" in params else None,
                     dt.date.fromisoformat(params["date_to"]) if "date_to" in params else None)
    page = int(params.get("page", 1))
    return results.count(), [p.pk for p in results[(page - 1) * 20:page * 20]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--baseline", type=int, default=20, help="queries also answered by the LIKE scan")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", default=str(Path.cwd() / "var" / "bench-search"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shuffled", action="store_true",
                        help="store the decisions in no date order (the worst case: a bulk import of old decisions)")
    parser.add_argument("--show-slowest", type=int, default=0, help="print the N slowest queries (stderr)")
    args = parser.parse_args()
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    setup(args)
    generate(args.decisions, args.seed, args.shuffled)
    from django.db import connection
    from django.test import Client

    from zhifa.disclosure.models import Publication
    from zhifa.people.models import Agency

    agency_ids = list(Agency.objects.filter(code__in=[a[0] for a in AGENCIES]).values_list("pk", flat=True))
    rng = random.Random(args.seed)
    mix = queries(args.queries, args.seed)
    for params in mix:
        if params.get("agency") == "AGENCY":
            params["agency"] = str(rng.choice(agency_ids))
    client = Client()
    for params in mix[:5]:  # warm the caches once, as a running server has them
        timed(client, params)
    measured = sorted(((timed(client, params), params) for params in mix), key=lambda pair: pair[0])
    times = [ms for ms, _ in measured]
    for ms, params in measured[-args.show_slowest:] if args.show_slowest else []:
        print(f"{ms:8.1f} ms  {params}", file=sys.stderr)
    baseline_times, mismatches = [], []
    for params in mix[:args.baseline]:
        started = time.perf_counter()
        expected = like_answer(params)
        baseline_times.append((time.perf_counter() - started) * 1000)
        if index_answer(params) != expected:
            mismatches.append(params)
    p95 = times[int(0.95 * (len(times) - 1))]
    baseline_p95 = sorted(baseline_times)[int(0.95 * (len(baseline_times) - 1))] if baseline_times else None
    print(json.dumps({
        "bench": "decision_search", "database": connection.vendor,
        "decisions": Publication.objects.public().count(), "queries": len(times),
        "p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1), "max_ms": round(times[-1], 1),
        "target_p95_ms": TARGET_P95_MS, "met": p95 < TARGET_P95_MS,
        "baseline_like_scan_p95_ms": round(baseline_p95, 1) if baseline_p95 else None,
        "ratio_like_over_index_p95": round(baseline_p95 / p95, 1) if baseline_p95 else None,
        "baseline_queries": len(baseline_times), "answers_equal_like_scan": not mismatches,
        "mismatches": mismatches[:5],
    }, ensure_ascii=False))
    return 0 if not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
