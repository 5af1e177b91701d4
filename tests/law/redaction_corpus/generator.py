"""A seeded generator of synthetic 行政处罚决定书 with gold markup (see markup.py).

Decisions of market regulation, urban management, transport, environment, emergency management, health, culture
and agriculture agencies; parties that are companies, individual businesses (个体工商户) or natural persons; run-in
and one-field-a-line layouts; witnesses, relatives, employees, consumers, drivers, representatives; ID numbers
(18-digit, legacy 15-digit, spaced, full-width, lower-case x), phones (mobile with +86, 3-4-4 groups, landlines
with area codes and extensions), bank cards and accounts, addresses; and the numbers and names that must stay.
All personal data is made up; check digits are computed so that the numbers look real to a validator.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from tests.law.redaction_corpus.markup import Doc, parse
from zhifa.law.identifiers import credit_code_check_char, id_check_char

SURNAMES = (
    "王" * 30 + "李" * 30 + "张" * 28 + "刘" * 22 + "陈" * 20 + "杨" * 12 + "黄" * 10 + "赵" * 10 + "吴" * 9
    + "周" * 9 + "徐" * 7 + "孙" * 7 + "马" * 6 + "朱" * 6 + "胡" * 6 + "郭" * 6 + "何" * 5 + "高" * 5 + "林" * 5
    + "罗" * 5 + "郑" * 4 + "梁" * 4 + "谢" * 4 + "宋" * 3 + "唐" * 4 + "许" * 3 + "韩" * 3 + "冯" * 3 + "邓" * 4
    + "曹" * 3 + "彭" * 4 + "曾" * 3 + "肖" * 3 + "田" * 2 + "董" * 2 + "袁" * 2 + "潘" * 2 + "于" * 2 + "蒋" * 2
    + "蔡" * 2 + "余" * 2 + "杜" * 2 + "叶" * 2 + "程" * 2 + "苏" * 2 + "魏" * 2 + "吕" * 2 + "丁" * 2 + "任" * 2
    + "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    + "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单"
)
def _split(s: str) -> tuple[str, ...]:
    return tuple(s.split())


COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "司徒", "夏侯", "慕容")
GIVEN_WHOLE = _split(
    "伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 华 "
    "建华 建国 国强 志强 文 斌 辉 鹏 宇 浩 婷 雪 琳 晨 欣怡 子涵 梓涵 一诺 浩然 宇轩 "
    "俊杰 思远 海燕 春花 红梅 小红 小明 玉兰 金凤 德明 永红 志刚 卫东 丽华 美玲 晓燕 晓东 "
    "海波 立新 新华 建军 爱民 金花 桂兰 秋菊 冬梅 淑珍 玉梅 红霞 伟民 振华 文杰 嘉怡 雨桐 "
    "梦琪 子轩 博文 天佑 佳豪 志明 红 兵 波 琴 燕 英 萍 凤 亮 林 峰 鑫 彬 龙 飞 东 "
    "健 坤 旭 阳 帆 瑶 颖 蕾 倩 可欣 诗涵 心怡 若曦 家豪 家伟 俊 昊 楠 莉 玲 璐 露 "
    "芬 桃 菊 荣 贵 福 生 根 发 有才 来福 长生 水生 德华 少华 "
)
GIVEN_CHARS = ("伟芳娜英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志文斌辉鹏宇浩婷雪琳晨欣怡子涵梓诺然轩俊思远海燕"
               "春花红梅")


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def pick(self, seq):
        return self.r.choice(seq)

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    # -- persons ------------------------------------------------------------------------------------------

    def name(self, avoid: set[str] | None = None) -> str:
        for _ in range(50):
            surname = self.pick(COMPOUND) if self.chance(0.03) else self.pick(SURNAMES)
            if self.chance(0.6):
                given = self.pick(GIVEN_WHOLE)
            else:
                given = "".join(self.pick(GIVEN_CHARS) for _ in range(self.r.choice((1, 2, 2))))
            full = surname + given
            if not avoid or (full not in avoid and not any(full in a or a in full for a in avoid)):
                if avoid is not None:
                    avoid.add(full)
                return full
        raise RuntimeError("no fresh name")

    AREAS = ("430202", "430203", "430204", "430211", "430212", "430221", "430223", "430224", "430225", "430281",
             "430102", "430103", "430104", "430111", "430121", "430181", "430302", "430321", "430381", "430405",
             "430421", "430521", "430623", "430702", "431002", "431121", "432524", "360122", "440305", "420102",
             "510107", "110105", "320106", "362202", "450324")

    def id18(self) -> str:
        born = f"{self.r.randint(1950, 2006)}{self.r.randint(1, 12):02d}{self.r.randint(1, 28):02d}"
        first17 = self.pick(self.AREAS) + born + f"{self.r.randint(0, 999):03d}"
        return first17 + id_check_char(first17)

    def id15(self) -> str:
        born = f"{self.r.randint(40, 89)}{self.r.randint(1, 12):02d}{self.r.randint(1, 28):02d}"
        return self.pick(self.AREAS) + born + f"{self.r.randint(0, 999):03d}"

    def id_written(self) -> str:
        if self.chance(0.06):
            return self.id15()
        s = self.id18()
        roll = self.r.random()
        if s.endswith("X") and self.chance(0.3):
            s = s[:-1] + "x"
        if roll < 0.08:
            return f"{s[:6]} {s[6:14]} {s[14:]}"
        if roll < 0.12:
            return " ".join(s[i:i + 4] for i in range(0, 18, 4))
        if roll < 0.18:
            return fullwidth(s)
        return s

    def mobile(self) -> str:
        prefix = self.pick(("13", "15", "18", "17", "19", "14", "16")) + str(self.r.randint(0, 9))
        if prefix in ("140", "141", "142", "143", "144", "160", "161", "162", "163", "164", "165"):
            prefix = "139"
        return prefix + "".join(str(self.r.randint(0, 9)) for _ in range(8))

    def phone_written(self) -> str:
        if self.chance(0.2):
            return self.landline()
        s = self.mobile()
        roll = self.r.random()
        if roll < 0.08:
            return f"{s[:3]} {s[3:7]} {s[7:]}"
        if roll < 0.13:
            return f"{s[:3]}-{s[3:7]}-{s[7:]}"
        if roll < 0.17:
            return "+86 " + s
        if roll < 0.19:
            return "86-" + s
        if roll < 0.23:
            return fullwidth(s)
        return s

    def landline(self) -> str:
        area = self.pick(("0731", "0731", "0731", "0733", "0732", "0734", "010", "020", "0739", "0746"))
        local = str(self.r.randint(2, 8)) + "".join(str(self.r.randint(0, 9)) for _ in range(7 if len(area) == 4
                                                                                               else 7))
        roll = self.r.random()
        if roll < 0.15:
            return f"（{area}）{local}"
        if roll < 0.2:
            return f"{area}-{local}-{self.r.randint(100, 9999)}"
        if roll < 0.25:
            return f"{area} {local}"
        return f"{area}-{local}"

    def bank_card(self) -> str:
        bin_ = self.pick(("622848", "621700", "622202", "621661", "622700", "623668", "621799", "622260", "621483",
                          "625965", "436742", "955880", "622908", "622588", "601382"))
        length = self.pick((19, 19, 16, 16, 17, 18))
        body = bin_ + "".join(str(self.r.randint(0, 9)) for _ in range(length - len(bin_) - 1))
        card = body + luhn_digit(body)
        if self.chance(0.3):
            return " ".join(card[i:i + 4] for i in range(0, len(card), 4))
        return card

    def bank_account(self) -> str:
        """A company or savings account (not a card): any digits, no Luhn."""
        return "".join(str(self.r.randint(0, 9)) for _ in range(self.pick((17, 19, 20, 21))))

    TOWNS = ("渌口镇", "南洲镇", "淦田镇", "古岳峰镇", "龙门镇", "龙船镇", "朱亭镇", "龙潭镇", "雷打石镇", "王十万乡")
    ROADS = ("建设路", "人民路", "红旗路", "湘江路", "株洲大道", "新华西路", "长江北路", "车站路", "沿江路", "文化路",
             "解放街", "东风街", "滨江路", "芙蓉中路", "桐梓坪路")
    VILLAGES = ("新塘", "王家", "枫林", "石桥", "三门", "大塘", "黄龙", "仙井", "凤凰", "高塘", "荷叶", "清水")
    ESTATES = ("锦绣华庭", "江山帝景", "湘水湾", "滨江一号", "金色家园", "荷塘月色", "书香门第", "东方明珠花园")
    CITIES = (("湖南省", "株洲市", ("渌口区", "芦淞区", "荷塘区", "石峰区", "天元区", "攸县", "醴陵市")),
              ("湖南省", "长沙市", ("雨花区", "岳麓区", "长沙县", "浏阳市")),
              ("湖南省", "湘潭市", ("雨湖区", "湘潭县")), ("江西省", "萍乡市", ("安源区", "莲花县")),
              ("湖南省", "衡阳市", ("衡山县", "衡东县")))

    def address(self) -> str:
        prov, city, counties = self.pick(self.CITIES)
        county = self.pick(counties)
        head = ("" if self.chance(0.3) else prov) + city + county
        roll = self.r.random()
        if roll < 0.4:
            return (head + self.pick(self.TOWNS) + self.pick(self.VILLAGES) + self.pick(("村", "社区"))
                    + f"{self.r.randint(1, 18)}组" + (f"{self.r.randint(1, 99)}号" if self.chance(0.4) else ""))
        if roll < 0.8:
            return (head + self.pick(self.ROADS) + f"{self.r.randint(1, 999)}号" + self.pick(self.ESTATES)
                    + f"{self.r.randint(1, 30)}栋{self.r.randint(1, 4)}单元"
                    + f"{self.r.randint(1, 30)}0{self.r.randint(1, 4)}室")
        return head + self.pick(self.ROADS) + f"{self.r.randint(1, 300)}号"

    # -- organisations ------------------------------------------------------------------------------------

    def credit_code(self, kind: str = "company") -> str:
        head = {"company": "91", "individual": "92", "coop": "93", "gov": "11"}[kind]
        area = self.pick(("430221", "430211", "430202", "430203", "430204", "430281", "430100"))
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        body = "".join(self.pick(alphabet) for _ in range(9))
        if self.chance(0.7):
            body = "MA4" + body[3:]
        first17 = head + area + body
        return first17 + credit_code_check_char(first17)

    INDUSTRIES = ("餐饮", "食品", "商贸", "建材", "物流", "运输", "医药", "科技", "农业开发", "环保科技", "酒店管理",
                  "汽车服务", "建筑工程", "渣土运输", "化工", "陶瓷", "烟花鞭炮", "服饰", "文化传媒", "网络科技")
    TRADE_NAMES = ("鑫源", "恒通", "宏达", "华美", "金穗", "顺发", "兴旺", "福临门", "湘江", "神农", "天天", "好又多",
                   "佳佳", "绿源", "蓝天", "泰和", "隆盛", "盛世", "家和", "百味")

    def company(self, person: str | None = None) -> str:
        place = self.pick(("株洲市", "株洲", "湖南", "湖南省", "株洲市渌口区", "渌口区", "长沙市"))
        trade = person if person else self.pick(self.TRADE_NAMES)
        suffix = self.pick(("有限公司", "有限公司", "有限责任公司", "股份有限公司"))
        return place + trade + self.pick(self.INDUSTRIES) + suffix

    def shop(self, person: str | None = None) -> str:
        place = self.pick(("渌口区", "株洲市渌口区", "渌口区渌口镇", "株洲市芦淞区", ""))
        trade = person if person else self.pick(self.TRADE_NAMES)
        kind = self.pick(("小吃店", "超市", "便利店", "水果店", "五金店", "副食店", "餐馆", "药店", "烟酒商行",
                          "农资经营部", "汽车修理厂", "建材经营部", "网吧", "理发店", "粉店", "烧烤店"))
        return place + trade + kind


def fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() and c.isascii() else c for c in s)


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def ean13(g: Gen) -> str:
    body = "69" + "".join(str(g.r.randint(0, 9)) for _ in range(10))
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10)


CN_DIGITS = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    if n < 10:
        return "十" if n == 10 else CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    h, rest = divmod(n, 100)
    if rest == 0:
        return CN_DIGITS[h] + "百"
    if rest < 10:
        return CN_DIGITS[h] + "百零" + CN_DIGITS[rest]
    tens = cn_number(rest)
    return CN_DIGITS[h] + "百" + (tens if rest >= 20 else "一" + tens)


def cn_date(y: int, m: int, d: int) -> str:
    return "".join(CN_DIGITS[int(c)] for c in str(y)) + "年" + cn_number(m) + "月" + cn_number(d) + "日"


AGENCIES = (
    ("株洲市渌口区市场监督管理局", "渌市监", "market"),
    ("株洲市渌口区市场监督管理局", "渌市监", "market"),
    ("株洲市芦淞区市场监督管理局", "芦市监", "market"),
    ("株洲市渌口区城市管理和综合执法局", "渌城管", "urban"),
    ("株洲市渌口区交通运输局", "渌交", "transport"),
    ("株洲市生态环境局渌口分局", "株环渌", "env"),
    ("株洲市渌口区应急管理局", "渌应急", "safety"),
    ("株洲市渌口区卫生健康局", "渌卫健", "health"),
    ("株洲市渌口区文化旅游广电体育局", "渌文旅", "culture"),
    ("株洲市渌口区农业农村局", "渌农", "agri"),
    ("株洲市渌口区自然资源局", "渌自然", "urban"),
    ("长沙市雨花区市场监督管理局", "雨市监", "market"),
)


class Builder:
    """One decision under construction: text with markup, and what the case knows."""

    def __init__(self, g: Gen) -> None:
        self.g = g
        self.parts: list[str] = []
        self.known: dict[str, list[str] | str | bool] = {"names": [], "id_numbers": [], "phones": [],
                                                         "addresses": [], "bank_accounts": [], "organisations": []}
        self.used_names: set[str] = set()

    def w(self, s: str) -> None:
        self.parts.append(s)

    def person(self) -> str:
        n = self.g.name(self.used_names)
        self.known["names"].append(n)
        return n

    def m(self, kind: str, value: str) -> str:
        key = {"id_number": "id_numbers", "phone": "phones", "address": "addresses",
               "bank_account": "bank_accounts"}.get(kind)
        if key:
            self.known[key].append(value)
        return f"[[{kind}|{value}]]"

    @staticmethod
    def s(kind: str, value: str) -> str:
        return f"{{{{{kind}|{value}}}}}"

    def text(self) -> str:
        return "".join(self.parts)


def date_parts(g: Gen, year: int) -> tuple[int, int, int]:
    return year, g.r.randint(1, 12), g.r.randint(1, 28)


def fmt_date(g: Gen, ymd: tuple[int, int, int], allow_cn: bool = False) -> str:
    y, m, d = ymd
    roll = g.r.random()
    if allow_cn and roll < 0.3:
        return cn_date(y, m, d)
    if roll < 0.85:
        return f"{y}年{m}月{d}日"
    if roll < 0.93:
        return f"{y}-{m:02d}-{d:02d}"
    return f"{y}.{m:02d}.{d:02d}"


def amount(g: Gen, value: int) -> str:
    roll = g.r.random()
    if roll < 0.5:
        return f"{value}元"
    if roll < 0.7:
        return f"人民币{value:,}元"
    if roll < 0.85:
        return f"¥{value:,}.00"
    return f"{value / 10000:g}万元" if value % 1000 == 0 else f"{value}元"


LAWS = {
    "market": (("《中华人民共和国食品安全法》", (34, 124, 126, 135, 136)),
               ("《中华人民共和国产品质量法》", (32, 49, 50)),
               ("《中华人民共和国价格法》", (13, 42)), ("《中华人民共和国广告法》", (9, 17, 55, 57, 58)),
               ("《明码标价和禁止价格欺诈规定》", (5, 19, 21)), ("《中华人民共和国反不正当竞争法》", (8, 20))),
    "urban": (("《中华人民共和国城乡规划法》", (40, 64)), ("《城市市容和环境卫生管理条例》", (14, 36)),
              ("《湖南省城市综合管理条例》", (32, 67)), ("《城市建筑垃圾管理规定》", (14, 26))),
    "transport": (("《中华人民共和国公路法》", (50, 76)), ("《超限运输车辆行驶公路管理规定》", (43, 45)),
                  ("《中华人民共和国道路运输条例》", (34, 63, 69))),
    "env": (("《中华人民共和国大气污染防治法》", (69, 108, 115)), ("《中华人民共和国水污染防治法》", (39, 83)),
            ("《中华人民共和国固体废物污染环境防治法》", (20, 102))),
    "safety": (("《中华人民共和国安全生产法》", (28, 41, 97, 99)), ("《烟花爆竹安全管理条例》", (19, 36))),
    "health": (("《医疗机构管理条例》", (14, 43)), ("《中华人民共和国基本医疗卫生与健康促进法》", (38, 99))),
    "culture": (("《互联网上网服务营业场所管理条例》", (21, 31)), ("《娱乐场所管理条例》", (23, 48))),
    "agri": (("《农药管理条例》", (27, 56)), ("《中华人民共和国动物防疫法》", (29, 97))),
}

PRODUCTS = ("“康师傅”红烧牛肉面", "散装白酒", "“老干妈”风味豆豉", "鲜猪肉", "“旺旺”雪饼", "纯牛奶", "辣条",
            "“金龙鱼”食用调和油", "保健酒", "月饼", "豆腐乳", "腊肉", "酱油", "儿童玩具", "电动自行车头盔", "化肥")


def law_ref(g: Gen, domain: str) -> str:
    law, arts = g.pick(LAWS[domain])
    art = cn_number(g.pick(arts))
    tail = ""
    if g.chance(0.4):
        tail = f"第{cn_number(g.r.randint(1, 3))}款"
        if g.chance(0.5):
            tail += f"第（{cn_number(g.r.randint(1, 9))}）项"
    return law + Builder.s("law_article", f"第{art}条{tail}")


def witness_sentence(b: Builder, domain: str) -> str:
    """One sentence about another natural person, with their name (and sometimes particulars) masked."""
    g = b.g
    n = b.person()
    N = b.m("name", n)
    options: list[Callable[[], str]] = [
        lambda: f"证人{N}证实，其于当日在该处购买了上述商品。",
        lambda: f"经询问，当事人店员{N}称上述商品系当事人从外地购进。",
        lambda: f"当事人之妻{N}在现场检查笔录上签字确认。",
        lambda: f"其妻{N}（身份证号码：{b.m('id_number', g.id_written())}）陪同检查。",
        lambda: f"消费者{N}（联系电话：{b.m('phone', g.phone_written())}）向我局投诉称，其购买的商品存在质量问题。",
        lambda: f"举报人{N}反映，当事人长期在夜间违规作业。",
        lambda: f"现场负责人{N}在场并签字。",
        lambda: f"{N}，男，{g.r.randint(20, 70)}岁，系当事人雇佣的工人，证实了上述事实。",
        lambda: f"{N}（女，{g.r.randint(1955, 2000)}年{g.r.randint(1, 12)}月出生，住{b.m('address', g.address())}）"
                "系当事人的邻居，证实当事人在此经营已有两年。",
        lambda: f"当事人员工{N}、{b.m('name', b.person())}均未取得健康证明。",
        lambda: f"对{N}的询问笔录证实，当事人自行定价销售。",
        lambda: f"据{N}陈述，上述货物由当事人于当日运抵。",
        lambda: f"群众{N}拨打12345热线举报。",
        lambda: f"当事人委托{N}（身份证号：{b.m('id_number', g.id_written())}）代为处理本案。",
        lambda: f"其子{N}在现场协助清点。",
        lambda: f"驾驶员{N}（驾驶证号：{b.m('id_number', g.id18())}，手机：{b.m('phone', g.mobile())}）驾驶车辆。",
        lambda: f"{N}系当事人的实际控制人，对上述事实无异议。",
        lambda: f"房东{N}出具的租赁合同证实当事人租用该场所。",
        lambda: f"顾客{N}、{b.m('name', b.person())}证实在该店就餐后出现腹泻症状。",
        lambda: f"受害人{N}的陈述与现场照片相互印证。",
        lambda: f"当事人的股东{N}对上述事实予以确认。",
        lambda: f"见证人：{N}，联系电话：{b.m('phone', g.phone_written())}。",
    ]
    if domain == "health":
        options.append(lambda: f"患者{N}在当事人处接受了静脉输液治疗。")
    if domain == "culture":
        options.append(lambda: f"未成年人{N}（{g.r.randint(12, 17)}岁）在该网吧上网，其母亲{b.m('name', b.person())}"
                               "到场确认了其年龄。")
    if domain in ("transport", "urban"):
        options.append(lambda: f"当事人雇请的司机{N}驾驶车辆时被当场查获。")
    return g.pick(options)()


def facts(b: Builder, domain: str, party_word: str, dates: list[tuple[int, int, int]]) -> str:
    g = b.g
    d1 = b.s("date", fmt_date(g, dates[0]))
    loc = g.pick(("渌口区渌口镇建设路", "渌口区南洲镇新街", "株洲大道与湘江路交叉口", "淦田镇老街", "渌口区火车站广场"))
    if domain == "market":
        product = g.pick(PRODUCTS)
        batch = g.pick((f"{dates[0][0]}{g.r.randint(1, 12):02d}{g.r.randint(1, 28):02d}",
                        f"B{g.r.randint(10000000, 99999999)}",
                        f"{g.r.randint(20240101, 20261231)}{g.r.randint(1, 9):02d}"))
        options = [
            f"{d1}，执法人员对{party_word}经营场所进行检查，发现其销售的{product}（生产日期："
            f"{b.s('date', fmt_date(g, dates[0]))}，批号：{b.s('batch_number', batch)}）已超过保质期，共计"
            f"{g.r.randint(3, 80)}袋，货值金额{b.s('amount', amount(g, g.r.randint(50, 3000)))}。",
            f"{party_word}未取得食品经营许可证，自{d1}起从事食品经营活动，违法所得"
            f"{b.s('amount', amount(g, g.r.randint(200, 9000)))}。",
            f"{party_word}销售的{product}未按规定明码标价，商品条码{b.s('barcode', ean13(g))}。",
            f"{party_word}在其微信公众号发布的广告中使用“国家级”“最佳”等用语，广告费用"
            f"{b.s('amount', amount(g, g.r.randint(500, 20000)))}。",
            f"{party_word}持有的食品经营许可证（许可证编号："
            f"{b.s('licence_number', 'JY1' + str(g.r.randint(4302000000000, 4302999999999)))}）"
            f"已于{d1}过期，{party_word}仍继续经营。",
        ]
    elif domain == "urban":
        options = [
            f"{d1}，{party_word}在{loc}占道经营，经执法人员多次劝导仍不改正。",
            f"{party_word}未取得建设工程规划许可证，于{d1}在{loc}擅自搭建钢架结构建筑物，面积约"
            f"{g.r.randint(20, 400)}平方米。",
            f"{d1}，{party_word}所属渣土运输车辆（号牌：{b.s('plate', '湘B' + str(g.r.randint(10000, 99999)))}）"
            "未采取密闭措施，沿途抛洒建筑垃圾。",
        ]
    elif domain == "transport":
        plate = b.s("plate", g.pick(("湘B", "湘A", "赣J", "湘C")) + g.pick(("", "D", "F"))
                    + str(g.r.randint(10000, 99999)))
        options = [
            f"{d1}，{party_word}所属{plate}号牌重型半挂牵引车在S211线渌口治超站接受检测，车货总重"
            f"{g.r.randint(50, 90)}.{g.r.randint(0, 9)}吨，超过限定标准。道路运输证号："
            f"{b.s('licence_number', '430221' + str(g.r.randint(100000, 999999)))}。",
            f"{party_word}未取得道路运输经营许可，擅自使用{plate}号牌车辆从事道路客运经营，违法所得"
            f"{b.s('amount', amount(g, g.r.randint(100, 5000)))}。",
        ]
    elif domain == "env":
        report = f"ZZHJ{dates[0][0]}-{g.r.randint(100, 9999):04d}"
        options = [
            f"{d1}，执法人员现场检查发现，{party_word}在{loc}施工过程中未采取覆盖等防尘措施，造成扬尘污染。",
            f"经监测（监测报告编号：{b.s('report_number', report)}），{party_word}废水总排口化学需氧量浓度为"
            f"{g.r.randint(120, 400)}mg/L，超过排放标准{g.r.randint(1, 5)}.{g.r.randint(0, 9)}倍。",
        ]
    elif domain == "safety":
        options = [
            f"{d1}，执法人员检查发现，{party_word}未按规定对从业人员进行安全生产教育和培训，"
            f"{g.r.randint(2, 15)}名从业人员未经培训上岗作业。",
            f"{party_word}在居民楼内违规储存烟花爆竹{g.r.randint(10, 300)}箱。",
        ]
    elif domain == "health":
        options = [
            f"{party_word}未取得《医疗机构执业许可证》，自{d1}起擅自开展诊疗活动，违法所得"
            f"{b.s('amount', amount(g, g.r.randint(300, 8000)))}。",
        ]
    elif domain == "culture":
        options = [f"{d1}，{party_word}经营的网吧接纳未成年人进入，且未核对上网人员有效身份证件。"]
    else:
        options = [f"{d1}，{party_word}经营的农资门店销售国家禁用农药“甲胺磷”{g.r.randint(2, 30)}瓶。"]
    return g.pick(options)


def party_block(b: Builder, kind: str, layout: str) -> tuple[str, str, str | None]:
    """Writes the party paragraph; returns (how the facts call the party, party display, punished person)."""
    g = b.g
    sep = "\n" if layout == "lines" else "，"
    end = "\n" if layout == "lines" else "。\n"
    if kind == "company":
        rep = b.person()
        org = b.s("organisation", g.company(rep if g.chance(0.2) else None))
        org_plain = org[len("{{organisation|"):-2]
        b.known["punished_name"] = org_plain
        b.known["punished_is_person"] = False
        b.known["organisations"].append(org_plain)
        label_code = g.pick(("统一社会信用代码", "统一社会信用代码", "社会信用代码"))
        fields = [f"当事人：{org}", f"{label_code}：{b.s('credit_code', g.credit_code())}",
                  f"{g.pick(('住所', '住所', '地址', '住所地'))}：{b.s('org_address', g.address())}"]
        rep_label = g.pick(("法定代表人", "法定代表人", "负责人", "法定代表人（负责人）"))
        fields.append(f"{rep_label}：{b.m('name', rep)}")
        if g.chance(0.6):
            fields.append(f"{g.pick(('身份证号码', '公民身份号码', '身份证号'))}：{b.m('id_number', g.id_written())}")
        if g.chance(0.6):
            fields.append(f"{g.pick(('联系电话', '电话', '手机'))}：{b.m('phone', g.phone_written())}")
        if g.chance(0.25):
            fields.append(f"{g.pick(('住址', '家庭住址', '现住址'))}：{b.m('address', g.address())}")
        b.w(sep.join(fields) + end)
        return "当事人", org, None
    if kind == "individual":
        owner = b.person()
        shop = b.s("organisation", g.shop(owner if g.chance(0.35) else None))
        shop_plain = shop[len("{{organisation|"):-2]
        b.known["punished_name"] = shop_plain
        b.known["punished_is_person"] = False
        b.known["organisations"].append(shop_plain)
        fields = [f"当事人：{shop}" + ("（个体工商户）" if g.chance(0.3) else ""),
                  f"{g.pick(('统一社会信用代码', '统一社会信用代码（注册号）', '统一社会信用代码'))}："
                  f"{b.s('credit_code', g.credit_code('individual'))}",
                  f"{g.pick(('经营场所', '经营场所', '经营地址'))}：{b.s('org_address', g.address())}",
                  f"经营者：{b.m('name', owner)}"]
        if g.chance(0.7):
            label = g.pick(("身份证号码", "公民身份号码", "身份证件号码"))
            fields.append(f"{label}：{b.m('id_number', g.id_written())}")
        if g.chance(0.5):
            fields.append(f"{g.pick(('住址', '家庭住址', '住所'))}：{b.m('address', g.address())}")
        if g.chance(0.7):
            fields.append(f"{g.pick(('联系电话', '联系方式', '手机号码'))}：{b.m('phone', g.phone_written())}")
        b.w(sep.join(fields) + end)
        return "当事人", shop, None
    # natural person
    person = g.name(b.used_names)
    b.known["punished_name"] = person
    b.known["punished_is_person"] = True
    P = b.s("punished_name", person)
    sex = g.pick(("男", "女"))
    born = (g.r.randint(1950, 2004), g.r.randint(1, 12), g.r.randint(1, 28))
    id_label = g.pick(("身份证号码", "公民身份号码", "身份证号", "身份证件号码"))
    addr_label = g.pick(("住址", "住所", "家庭住址", "现住址", "户籍地", "住址"))
    phone_label = g.pick(("联系电话", "电话", "手机", "联系方式"))
    if layout == "lines":
        fields = [f"当事人：{P}", f"性别：{sex}", f"出生日期：{b.s('date', fmt_date(g, born))}",
                  f"{id_label}：{b.m('id_number', g.id_written())}", f"{addr_label}：{b.m('address', g.address())}"]
        if g.chance(0.8):
            fields.append(f"{phone_label}：{b.m('phone', g.phone_written())}")
        b.w("\n".join(fields) + "\n")
    elif layout == "table":
        b.w(f"当事人姓名：{P}    性别：{sex}    民族：汉\n{id_label}：{b.m('id_number', g.id_written())}    "
            f"{phone_label}：{b.m('phone', g.phone_written())}\n{addr_label}：{b.m('address', g.address())}\n")
    else:
        lives = g.pick((f"，{addr_label}：", "，住"))
        b.w(f"当事人：{P}，{sex}，汉族，{b.s('date', fmt_date(g, born))}出生，{id_label}："
            f"{b.m('id_number', g.id_written())}{lives}{b.m('address', g.address())}，{phone_label}："
            f"{b.m('phone', g.phone_written())}。\n")
    return "当事人", P, person


def generate_one(g: Gen, index: int) -> Doc:
    b = Builder(g)
    agency, code, domain = g.pick(AGENCIES)
    year = g.pick((2024, 2025, 2026, 2026))
    dates = sorted(date_parts(g, year) for _ in range(3))
    number = g.r.randint(1, 300)
    docno = g.pick((f"{code}罚〔{year}〕{number}号", f"{code}罚字〔{year}〕第{number}号",
                    f"{code}处罚〔{year}〕{number:03d}号", f"{code}（罚）〔{year}〕{number}号",
                    f"{code}罚决字[{year}]{number}号"))
    b.w(f"{b.s('organisation', agency)}\n行政处罚决定书\n{b.s('doc_number', docno)}\n\n")
    kind = g.pick(("company", "company", "individual", "individual", "person", "person"))
    if domain in ("transport",) and g.chance(0.5):
        kind = "person"
    layout = g.pick(("lines", "lines", "runin", "table")) if kind == "person" else g.pick(("lines", "runin"))
    party_word, party_display, punished = party_block(b, kind, layout)
    if g.chance(0.25):
        agent = b.person()
        firm = g.pick(("湖南湘楚律师事务所", "湖南金州律师事务所", "株洲市渌口区法律援助中心"))
        b.w(f"委托代理人：{b.m('name', agent)}，{b.s('organisation', firm)}律师，执业证号："
            f"{b.s('credential', '1430' + str(g.r.randint(2010, 2024)) + str(g.r.randint(1000000, 9999999)))}\n")
    intro_date = b.s("date", fmt_date(g, dates[0]))
    case_no = b.s("doc_number", f"{code}立〔{year}〕{g.r.randint(1, 300)}号")
    who = "当事人" + (f"{party_display}" if g.chance(0.4) else "")
    b.w(f"\n{who}涉嫌违法一案，本局于{intro_date}立案调查（{case_no}）。现已调查终结。\n")
    b.w("经查：" + facts(b, domain, "当事人", dates))
    for _ in range(g.pick((1, 1, 2, 2, 3))):
        b.w(witness_sentence(b, domain))
    if punished and g.chance(0.3):
        b.w(f"{b.s('punished_name', punished)}对上述事实供认不讳。")
    b.w("\n")
    evidence = ["1.当事人" + g.pick(("营业执照复印件", "身份证复印件", "的询问笔录"))]
    if b.known["names"]:
        w0 = b.known["names"][0]
        evidence.append(f"2.对{b.m('name', w0)}的询问笔录")
    evidence.append(f"3.现场检查笔录及照片{g.r.randint(2, 20)}张")
    if g.chance(0.4):
        evidence.append(f"4.{b.s('organisation', '株洲市产商品质量监督检验所')}出具的检验报告")
    b.w("上述事实有以下证据证明：" + "；".join(evidence) + "。\n")
    if g.chance(0.3):
        card = g.bank_card() if g.chance(0.6) else g.bank_account()
        bank = g.pick(("中国农业银行株洲渌口支行", "中国工商银行株洲分行", "中国建设银行渌口支行",
                       "湖南渌口农村商业银行"))
        b.w(f"当事人通过其在{b.s('organisation', bank)}开立的账户（账号：{b.m('bank_account', card)}）收取货款。\n")
    if g.chance(0.15):
        b.w(f"经查询，当事人的银行卡{b.m('bank_account', g.bank_card())}中尚有余额。\n")
    b.w(f"{party_word}的上述行为违反了{law_ref(g, domain)}的规定。依据{law_ref(g, domain)}的规定，"
        f"并参照《{g.pick(('湖南省市场监督管理行政处罚裁量权基准', '株洲市城市管理行政处罚裁量基准'))}》，"
        f"本局决定对{party_word}作出如下行政处罚：\n")
    fine = g.pick((200, 500, 1000, 2000, 3000, 5000, 8000, 10000, 12000, 20000, 50000, 100000))
    b.w(f"1.罚款{b.s('amount', amount(g, fine))}；")
    if g.chance(0.5):
        b.w(f"2.没收违法所得{b.s('amount', amount(g, g.r.randint(100, 9000)))}。\n")
    else:
        b.w("2.责令立即改正。\n")
    pay = g.r.random()
    if pay < 0.4:
        acct = g.pick(("18" + "".join(str(g.r.randint(0, 9)) for _ in range(15)),
                       "4300" + "".join(str(g.r.randint(0, 9)) for _ in range(16))))
        b.w(f"当事人应自收到本决定书之日起十五日内，将罚款缴至{b.s('organisation', '株洲市渌口区财政局')}"
            f"非税收入汇缴结算户（开户行：{b.s('organisation', '中国农业银行株洲渌口支行')}，账号："
            f"{b.s('gov_account', acct)}）。")
    else:
        b.w("当事人应自收到本决定书之日起十五日内，持本决定书到指定银行或者通过电子支付系统缴纳罚款。")
    b.w("到期不缴纳罚款的，本局可以每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款的数额。\n")
    review = g.pick(("株洲市渌口区人民政府", "株洲市市场监督管理局", "株洲市生态环境局"))
    b.w(f"当事人如不服本处罚决定，可以在收到本决定书之日起六十日内向{b.s('organisation', review)}申请行政复议，"
        f"或者在六个月内依法向{b.s('organisation', '株洲市渌口区人民法院')}提起行政诉讼。"
        "申请行政复议或者提起行政诉讼的，行政处罚不停止执行。\n")
    if g.chance(0.35):
        officers = [g.name(b.used_names) for _ in range(2)]
        creds = [f"4302{g.r.randint(10, 99)}{g.r.randint(10000000, 99999999)}" for _ in range(2)]
        b.w("执法人员：" + "、".join(f"{b.s('officer_name', o)}（执法证号：{b.s('credential', c)}）"
                                   for o, c in zip(officers, creds, strict=True)) + "\n")
    if g.chance(0.3):
        road = g.pick(("建设路", "湘江路")) + str(g.r.randint(1, 200))
        b.w(f"本机关地址：{b.s('org_address', '株洲市渌口区渌口镇' + road + '号')}，"
            f"邮政编码：{b.s('postal_code', '412' + str(g.r.randint(100, 300)))}，联系电话："
            f"{b.s('agency_phone', '0731-' + str(g.r.randint(22000000, 28999999)))}\n")
    b.w(f"\n{b.s('organisation', agency)}\n{b.s('date', fmt_date(g, dates[2], allow_cn=True))}\n")
    known = dict(b.known)
    return parse(f"gen-{index:04d}", b.text(), known)


def generate(seed: int = 20260305, n: int = 150) -> list[Doc]:
    g = Gen(seed)
    return [generate_one(g, i) for i in range(n)]
