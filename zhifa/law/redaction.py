"""Privacy redaction of enforcement decisions before publication (事后公开): pure Python, no Django.

The seed forbids publishing "国家秘密、商业秘密和行政相对人的身份证号、电话、住址等个人隐私内容"; decisions are
published under APL Art. 48, and APL Art. 50 and 政府信息公开条例 Art. 15 keep personal privacy out of them;
个人信息保护法 (PIPL) Art. 28 lists financial accounts among sensitive personal information.

``redact(text, known, policy)`` works in two passes:

1. what the case knows exactly (``KnownData``: names, ID numbers, phones, addresses, bank accounts) is masked
   wherever it occurs, also with spaces, dashes, line breaks or full-width digits inside numbers;
2. the rest is found by rule (``RULES``): ID numbers with GB 11643 check digits (and 15-digit legacy numbers),
   mobile and landline numbers, bank card numbers (Luhn), home addresses after 住址/住所/…, names of other
   natural persons (witnesses, relatives, representatives…) → surname + 某.

What is never masked (``PROTECTIONS``): organisation names (even one containing a person's name), unified social
credit codes, law articles, dates, amounts, document and case numbers, officers' names and credential numbers,
postal codes, batch and licence numbers, the government's fine-collection accounts.

The result lists every mask (``Mask``: start, end, kind, original, replacement, rule) so that a publisher can see
each one highlighted and add or remove masks with a reason; ``apply_masks`` re-applies an edited list.

All matching runs on a *normalised copy* of the text of the same length (full-width digits, letters and
punctuation mapped to ASCII one character for one), so positions are those of the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from zhifa.law.identifiers import id_check_char, is_valid_credit_code

__all__ = [
    "KINDS",
    "POLICIES",
    "PROTECTIONS",
    "RULES",
    "KnownData",
    "Mask",
    "Policy",
    "RedactionResult",
    "Rule",
    "apply_masks",
    "default_replacement",
    "manual_mask",
    "redact",
]

# --- legal bases ------------------------------------------------------------------------------------------

BASIS_SEED: Final = "实施办法二(一)：不得公开…行政相对人的身份证号、电话、住址等个人隐私内容"
BASIS_APL_48: Final = "行政处罚法第四十八条（处罚决定依法公开）"
BASIS_APL_50: Final = "行政处罚法第五十条（个人隐私依法保密）"
BASIS_OGI_15: Final = "政府信息公开条例第十五条（个人隐私不得公开）"
BASIS_PIPL: Final = "个人信息保护法第四条、第二十八条（个人信息；金融账户等敏感个人信息）"


# --- data types -------------------------------------------------------------------------------------------

KINDS: Final = ("name", "id_number", "phone", "bank_account", "address")
"""Kinds of personal data a mask hides."""


@dataclass(frozen=True)
class Rule:
    """A redaction rule: what it masks and why."""

    name: str
    kind: str
    basis: str
    description: str


@dataclass(frozen=True)
class Mask:
    """One masked span of the original text: ``text[start:end] == original`` becomes ``replacement``."""

    start: int
    end: int
    kind: str
    original: str
    replacement: str
    rule: str
    reason: str = ""  # why a publisher added it by hand (rule "manual")


@dataclass(frozen=True)
class RedactionResult:
    text: str
    spans: list[Mask]
    policy: str = "default"

    def counts(self) -> dict[str, int]:
        """Number of masks per kind."""
        out: dict[str, int] = {}
        for m in self.spans:
            out[m.kind] = out.get(m.kind, 0) + 1
        return out


@dataclass(frozen=True)
class Policy:
    name: str
    description: str
    mask_punished_name: bool
    basis: str


POLICIES: Final[dict[str, Policy]] = {
    "default": Policy(
        "default",
        "Mask all natural-person data (ID numbers, phones, addresses, bank accounts, names of witnesses, relatives, "
        "representatives and other persons) except the punished person's own name, which the decision publishes.",
        mask_punished_name=False,
        basis=f"{BASIS_SEED}；{BASIS_APL_48}；{BASIS_OGI_15}",
    ),
    "strict": Policy(
        "strict",
        "As default, and the punished natural person's given name too (张三 → 张某); for agencies that publish "
        "decisions against natural persons without their full name.",
        mask_punished_name=True,
        basis=f"{BASIS_APL_50}；{BASIS_OGI_15}；{BASIS_PIPL}",
    ),
}
"""Redaction policies, chosen per agency (issue 7 §2)."""


def _rules(*rows: tuple[str, str, str, str]) -> dict[str, Rule]:
    return {name: Rule(name, kind, basis, description) for name, kind, basis, description in rows}


RULES: Final[dict[str, Rule]] = _rules(
    ("known_name", "name", BASIS_OGI_15, "a name of another party the case knows → surname + 某"),
    ("known_id_number", "id_number", BASIS_SEED, "an ID number the case knows, wherever and however written"),
    ("known_phone", "phone", BASIS_SEED, "a phone number the case knows"),
    ("known_address", "address", BASIS_SEED, "an address the case knows"),
    ("known_bank_account", "bank_account", BASIS_PIPL, "a bank account the case knows"),
    ("id_number_gb11643", "id_number", BASIS_SEED,
     "18-digit 公民身份号码 with a valid GB 11643 check character, birth date and province"),
    ("id_number_legacy15", "id_number", BASIS_SEED, "15-digit legacy ID number (valid province and birth date)"),
    ("id_number_labelled", "id_number", BASIS_SEED, "any 15–18 character number right after 身份证号码/证件号码…"),
    ("mobile_number", "phone", BASIS_SEED, "mobile number 1[3-9]x, 11 digits, with +86/86 prefix, 3-4-4 groups"),
    ("landline_number", "phone", BASIS_SEED, "landline 0AAA-NNNNNNNN, (0AAA)NNNNNNNN, with extension"),
    ("phone_labelled", "phone", BASIS_SEED, "any 7–13 digit number right after 电话/手机/联系方式…"),
    ("bank_card_luhn", "bank_account", BASIS_PIPL, "16–19 digit card number passing Luhn with a card-issuer prefix"),
    ("bank_account_labelled", "bank_account", BASIS_PIPL,
     "any 8–30 digit number right after 账号/卡号/银行账户… (not the government's collection account)"),
    ("address_labelled", "address", BASIS_SEED,
     "a natural person's address after 住址/家庭住址/现住/户籍地/居住地/住…, or after 住所/地址 of a person"),
    ("name_role_label", "name", BASIS_OGI_15,
     "name after a role: 证人/委托代理人/法定代理人/法定代表人/经营者/负责人/股东/其妻/其子/员工/顾客…"),
    ("name_context", "name", BASIS_OGI_15,
     "name followed by a person's particulars: ，男/（女/（身份证号…/的询问笔录/出具的/系该店员工…"),
    ("name_field", "name", BASIS_OGI_15, "name in a 姓名： field outside the punished party's block"),
    ("name_repeated", "name", BASIS_OGI_15, "every other occurrence of a name masked by another rule"),
    ("punished_name_strict", "name", BASIS_APL_50, "policy strict: the punished natural person's name → surname + 某"),
)
"""Every masking rule with its legal basis; tests are named ``test_rule_<name>``."""

PROTECTIONS: Final[dict[str, str]] = {
    "organisation_name": f"{BASIS_APL_48}: a party that is an organisation is published by name; a person's name "
                         "inside an organisation name (株洲市张三餐饮有限公司) stays",
    "credit_code": f"{BASIS_APL_48}: 统一社会信用代码 (GB 32100) identifies an organisation, not a person",
    "non_personal_number": "numbers after 执法证号/证号/编号/批号/许可证号/注册号/文号/邮编… are not personal data",
    "officer_name": "实施办法二(一) publishes officers' 姓名、执法证号 (APL Art. 55: officers show credentials)",
    "punished_name": f"{BASIS_APL_48}: the decision names the punished party (policy default)",
    "government_account": "the fine-collection account (财政/非税/国库/收款人) belongs to the state",
    "organisation_address": "住所/地址 of an organisation is registration data, not a person's home",
}
"""What is never masked, and why; tests are named ``test_protect_<name>``."""

_REPLACEMENT_ADDRESS: Final = "***"


def default_replacement(kind: str, original: str, surname: str | None = None) -> str:
    """Replacement text: names → surname + 某; numbers → one * per digit/letter (layout kept); address → ***."""
    if kind == "name":
        return (surname or _surname_of(original) or original[:1]) + "某"
    if kind == "address":
        return _REPLACEMENT_ADDRESS
    return _ALNUM_RE.sub("*", original)


def manual_mask(text: str, start: int, end: int, kind: str, reason: str, replacement: str | None = None) -> Mask:
    """A mask a publisher adds by hand (rule ``manual``), with the reason kept."""
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"span {start}:{end} outside the text")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    if not reason.strip():
        raise ValueError("a manual mask needs a reason")
    original = text[start:end]
    return Mask(start, end, kind, original, replacement or default_replacement(kind, original), "manual", reason)


def apply_masks(text: str, masks: Iterable[Mask]) -> str:
    """The text with each mask's span replaced; masks must match the text and not overlap."""
    ordered = sorted(masks, key=lambda m: (m.start, m.end))
    out: list[str] = []
    pos = 0
    for m in ordered:
        if m.start < pos:
            raise ValueError(f"masks overlap at {m.start}")
        if text[m.start:m.end] != m.original:
            raise ValueError(f"mask {m.start}:{m.end} does not match the text ({m.original!r})")
        out.append(text[pos:m.start])
        out.append(m.replacement)
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


@dataclass(frozen=True)
class KnownData:
    """What the case knows exactly. ``punished_name`` is the punished party: a natural person's name (kept under
    policy default) or an organisation's (never masked; ``punished_is_person`` False, or guessed from its form)."""

    punished_name: str | None = None
    punished_is_person: bool | None = None
    names: Sequence[str] = ()  # other natural persons (witnesses, representatives, relatives…)
    id_numbers: Sequence[str] = ()
    phones: Sequence[str] = ()
    addresses: Sequence[str] = ()
    bank_accounts: Sequence[str] = ()
    organisations: Sequence[str] = ()  # organisation names that must stay whole

    def __post_init__(self) -> None:
        for name in ("names", "id_numbers", "phones", "addresses", "bank_accounts", "organisations"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(v for v in value if v and v.strip()))

    @classmethod
    def from_dict(cls, data: dict) -> KnownData:
        """From a JSON-like dict with the field names as keys (unknown keys refused)."""
        allowed = {"punished_name", "punished_is_person", "names", "id_numbers", "phones", "addresses",
                   "bank_accounts", "organisations"}
        unknown = set(data) - allowed
        if unknown:
            raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
        return cls(**data)


# --- character classes and normalisation ------------------------------------------------------------------

_HAN: Final = "\u3400-\u4dbf\u4e00-\u9fff"
_ALNUM_RE: Final = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")


def _norm_table() -> dict[int, int]:
    table = {0xFF10 + i: 0x30 + i for i in range(10)}
    table.update({0xFF21 + i: 0x41 + i for i in range(26)})
    table.update({0xFF41 + i: 0x61 + i for i in range(26)})
    for ch in "\u3000\u00a0\t\u2002\u2003\u2009":
        table[ord(ch)] = ord(" ")
    for ch in "\uff0d\u2014\u2013\u2012\u2010\u2212\u2015\ufe63":
        table[ord(ch)] = ord("-")
    table.update({ord("\r"): ord("\n"), ord("："): ord(":"), ord("，"): ord(","), ord("；"): ord(";"),
                  ord("（"): ord("("), ord("）"): ord(")"), ord("＋"): ord("+"), ord("．"): ord("."),
                  ord("／"): ord("/")})
    return table


_NORM: Final = _norm_table()


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


_SINGLE_SURNAMES: Final = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛"
    "樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉"
    "骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗"
    "瞿桂全佟应臧闵苟邬边卞姬仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥班储栗燕楚鄢"
    "劳谌奚皮粟冼蔺楼厉伊仝郜阚帅屠豆朴盖廉禹祖狄芮戈鹿邸雍辜裘亓邰赫杭鲜逯茹亢嵇湛茅尉冶幸奉尧蔺扶谯揭"
)
_COMPOUND_SURNAMES: Final = _words(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 独孤 南宫 西门 百里 呼延 "
    "澹台 公冶 太史 申屠 万俟 闻人 赫连 左丘 东郭 仲孙 濮阳 淳于 单于 拓跋 司空 第五 梁丘 闾丘 羊舌 谷梁 乐正"
)
# Characters that practically never stand in a given name but often follow one (verbs, particles, prepositions).
_SOFT_STOP: Final = frozenset("和为向自名本至非同以")
"""Function words that are also common first characters of given names (王为民, 张向阳, 李自强, 刘至诚)."""
_STOP_CHARS: Final = frozenset(
    "称说讲述证实陈供认表示反映介绍确签提交出具购买卖销售经营负责在于从向到对与和及跟同给被把将让由因为是系的了等均都"
    "也已曾还又即便并就只所则而且其之该此各每这那无未不没非当现时以或某者们您你我他她它个位名户次起共计约余今昨"
    "至自属驾驶持使收缴领取拨填看见听知告报指擅私违独本亲拒逃罚款号年日时分秒县市区镇乡村路街组楼室省内外里"
    "边侧旁底顶处间部上下前后"
) - _SOFT_STOP
# Verbs that often follow a name (称/投诉/送往…): they choose the shorter name when a role word precedes it.
_VERB_CHARS: Final = frozenset("投诉送交提拿带开买卖用找问答回去来进出走坐站吃喝看听写填讲谈议请要希认发代离签接到")
_FOLLOW_WORDS: Final = _words(
    "代为 陪同 签字 签名 签收 到场 在场 投诉 举报 反映 报警 送往 驾驶 提供 出具 作证 确认 介绍 表示 承认 供述 证实 "
    "陈述 "
    "称其 购买 要求 参加 协助 负责 经营 销售 接受 拒绝 前往 来到 离开 同意 委托 持有 使用 租赁 居住 携带 发现 告知 "
    "通知 帮助 管理 操作 运输 收取 支付 转账 雇佣 讲述 说明 交代 指认 辨认 核实 补充 提交 出示 现场 当场 当日 此前 "
    "事后 均称 均证 共同 一起 一同 等人 夫妇 二人 两人 本人 签订 开具 开设 开办 经手 看到 听到 得知 担任 从事 私自 "
    "擅自 未经 没有 多次 曾经 随后 然后 立即 即将 已经 正在 一直 长期 经常 主动 自愿 明确 口头 书面 电话 微信"
)
"""Words that start right after a name (王芳|陪同, 欧阳婷|代为): the name stops before them."""
_PLACEHOLDER_CHARS: Final = frozenset("某×*Xx＊○〇")
# Surname-initial words that are not names.
_NON_NAMES: Final = _words(
    "房东 房主 车主 店主 应当 应该 任职 任何 任命 方面 方式 方法 高于 万元 许可 程序 时间 文件 文号 常住 安全 成本 "
    "成立 金额 单位 单据 单价 管理 严重 严格 于当 于现 向其 申请 申报 申辩 符合 尚未 包括 关于 关闭 解除 查处 查明 "
    "查获 商品 商家 费用 项目 车辆 车间 路面 路口 游客 景区 全部 全体 连续 卫生 冷藏 冷冻 简易 农药 农户 农业 官方 "
    "封存 谈话 劳动 储存 楼层 屠宰 盖章 权利 权益 仲裁 甄别 巩固 庞大 颜色 施工 施行 文化 常规 武器 范围 程度 余额 "
    "付款 毛重 明知 齐全 易燃 宋体 黄金 龙虾 牛肉 牛奶 马路 马上 曾经 董事 杜绝 叶片 夏季 白天 段落 陶瓷 章程 凌晨 "
    "季度 涂料 苗木 谷物 曲线 蓝色 柴油 解释 牟取 尤其 阳光 古董 吉祥 芦苇 麦子 景观 宫殿 晏会 席位 米粉 柏油 宗教 "
    "桂花 边境 商户 沙子 荣誉 郎中 丛林 虞城 池塘 麻将 苑区 迟延 匡正 惠民 乐意 燕窝 楚天 劳务 皮革 粟米 戈壁 鹿茸 "
    "雍正 鲜活 茹素 湛江 茅台 幸福 尧舜 扶贫 揭示 邵阳 岳阳 常德 益阳 衡阳 韶山 湘潭 江西 江苏 安徽 许昌 温州 华容 "
    "宁乡 汤头 华东 华南 华北 欧洲 管道 石料 石材 石灰 田地 林地 林业 江边 金属 金融 雷电 龙头 史料 胡同 胡椒 罗列 "
    "梁柱 谢绝 韩式 肖像 田间 钟表 陆续 陆地 夏天 方向 白色 江河 童装 毕业 盛装 辛苦 蒙古 宁可 左侧 左右 柳州 甘肃 "
    "祝贺 舒适 纪律 纪录 梅花 霍乱 成为 成品 危险 车牌 车架 车型 车主 车身 路段 项下 连锁 简称 应急 应用 全国 全市 "
    "全区 全县 全省 卫健 卫计 高速 高温 高压 高新 高层 万能 安监 安排 安装 向东 向西 向南 向北 于此 于是 于某 时任 "
    "时至 文明 文字 文书 康复 温度 汤料 钱款 钱财 严禁 武装 戴帽 莫非 关联 关注 焦点 包装 单独 季节 裴多 鲍鱼 华为 "
    "司法 司机 查封 查验 查看 查询 商标 商场 商业 商务 官网 谈及 楼盘 皮肤 屠宰 豆腐 盖子 祖传 练习 都市 宁波 黎明"
)
_ORG_SUFFIX_RE: Final = re.compile(
    r"(?:有限责任公司|股份有限公司|有限公司|分公司|公司|合作社|商行|车行|经营部|门市部|批发部|销售部|服务部|便利店|超市|商店|"
    r"小吃店|餐馆|饭店|酒店|酒家|宾馆|旅馆|药房|药店|诊所|工作室|加工厂|加工坊|养殖场|种植场|农场|农庄|厂|店|馆|坊|中心|"
    r"事务所|学校|幼儿园|医院|卫生院|门诊部|研究院|研究所|协会|集团|银行|支行|分行|营业部|商场|市场|广场|大厦|个体工商户|"
    r"网吧|网咖|会所|歌厅|茶楼|加油站|商铺|养老院|驾校|作坊|车队|粮站|牧场|鱼塘|果园)"
)
_PLACE_CHARS: Final = frozenset("县市区镇乡村路街号室省楼组")
_ORG_TAIL_RE: Final = re.compile(
    r"(?:(?!["
    + "".join(sorted((_STOP_CHARS | _SOFT_STOP | _VERB_CHARS | frozenset("往")) - _PLACE_CHARS))
    + r"])[" + _HAN + r"]){0,6}?" + _ORG_SUFFIX_RE.pattern
)
"""What follows a person's name inside an organisation's name: 张三丰|陶瓷有限公司, 张三|水果店."""



def _surname_of(name: str) -> str | None:
    if name[:2] in _COMPOUND_SURNAMES:
        return name[:2]
    if name[:1] in _SINGLE_SURNAMES:
        return name[:1]
    return None


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _given_ok(ch: str, second: bool = False) -> bool:
    """``ch`` can stand in a given name; as its second character not a soft stop either (王为民 but not 张三和)."""
    return (_is_han(ch) and ch not in _STOP_CHARS and ch not in _PLACEHOLDER_CHARS
            and not (second and ch in _SOFT_STOP))


def _is_full_name(seg: str) -> bool:
    """``seg`` is exactly a person's name: surname + 1–2 given characters, not an organisation or a word."""
    surname = _surname_of(seg)
    if surname is None or not 2 <= len(seg) <= len(surname) + 2:
        return False
    given = seg[len(surname):]
    if not all(_given_ok(c, i == 1) for i, c in enumerate(given)) or seg in _NON_NAMES or seg[:2] in _NON_NAMES:
        return False
    return not _ORG_SUFFIX_RE.search(seg)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# --- labels before numbers --------------------------------------------------------------------------------

_NUMBER_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "id": ("身份证号码", "身份证件号码", "身份证件号", "身份证号", "公民身份号码", "公民身份证号码", "居民身份证号码",
           "居民身份证号", "居民身份证", "身份号码", "身份证", "证件号码", "证件号", "身份证明号码", "社会保障号码",
           "驾驶证号", "驾驶证号码", "机动车驾驶证号", "护照号码"),
    "phone": ("联系电话", "电话号码", "电话", "手机号码", "手机号", "手机", "联系方式", "移动电话", "固定电话", "座机",
              "联系号码", "TEL", "Tel", "tel", "电 话"),
    "bank": ("银行账号", "银行卡号", "银行账户", "账号", "帐号", "卡号", "账户号码", "开户账号", "银行卡", "账户"),
    "gov": ("收款账号", "收款账户", "收款人账号", "缴款账号", "汇缴账号", "收款帐号", "非税收入账号", "财政专户"),
    "org": ("注册号", "信用代码", "统一社会信用代码", "社会信用代码", "组织机构代码", "纳税人识别号", "税号"),
    "other": ("执法证号", "执法证件号码", "执法证件号", "执法证编号", "执法证", "执法证件", "执法资格证号", "证号",
              "证件编号", "编号", "批号", "批次号", "批次", "许可证号", "许可证编号", "许可证", "文号", "案号",
              "案件编号",
              "邮编", "邮政编码", "条码", "条形码", "商品条码", "发票代码", "发票号码", "发票号", "单号", "订单号",
              "运单号", "快递单号", "合同编号", "合同号", "登记号", "登记证号", "备案号", "报告编号", "证书编号",
              "检验编号", "货号", "型号", "工号", "警号", "车架号", "车辆识别代号", "发动机号", "执业证号",
              "执业证书编号", "执业证", "号牌", "车牌号", "序列号", "生产日期", "流水号", "票号", "收据号", "凭证号",
              "批准文号", "登记证", "执照号", "营业执照号", "标准号", "检测编号", "样品编号", "抽样单编号", "样品批号"),
}
_LABEL_CLASS: Final = {word: cls for cls, words in _NUMBER_LABELS.items() for word in words}
_NUMBER_LABEL_RE: Final = re.compile(_alternation(_LABEL_CLASS))
_LIST_GAP_RE: Final = re.compile(r"[0-9Xx \-+()、,/和或及:]*")
_GOV_CONTEXT_RE: Final = re.compile(r"财政|国库|非税|罚没|汇缴|代收|收款人|收款单位|缴款|缴至|缴入|执收|解缴")


# --- numbers ----------------------------------------------------------------------------------------------

_RUN_RE: Final = re.compile(r"[0-9](?:(?:[ \-]{1,2}|\n)?[0-9])*+(?: ?[Xx])?")
_PARTLY_MASKED_RE: Final = re.compile(
    r"(?<![0-9A-Za-z*])(?:(?P<id>[0-9*]{6,14}\*{2,}[0-9*]{0,10}[0-9Xx])|(?P<mobile>1[3-9][0-9]\*{4}[0-9]{4}))(?![0-9*])"
)
_MAX_GROUPS: Final = 6
"""A number is written in at most 6 groups (bank card 4-4-4-4-3, ID 4-4-4-4-2, +86 138 1234 5678)."""
_GROUP_RE: Final = re.compile(r"[0-9]+(?: ?[Xx])?")
_PAREN_LANDLINE_RE: Final = re.compile(r"\(0[1-9][0-9]{1,2}\) ?[2-9][0-9]{6,7}(?:(?:-|转|分机) ?[0-9]{1,5})?(?![0-9])")
_PROVINCES: Final = _words(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83 91"
)
_CARD_PREFIXES: Final = ("62", "60", "65", "4", "5", "35", "9")
_LETTER_WORDS_OK: Final = frozenset({"tel", "id", "no", "mobile", "phone", "mob", "cell"})


def _birth_ok(yyyymmdd: str) -> bool:
    y, m, d = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    if not (1900 <= y <= 2030 and 1 <= m <= 12 and 1 <= d <= 31):
        return False
    if m == 2:
        return d <= (29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28)
    return d <= 30 or m in (1, 3, 5, 7, 8, 10, 12)


def _valid_id18(s: str) -> bool:
    """GB 11643-1999: 17 digits + check character, with a province code and a real birth date."""
    return (len(s) == 18 and s[:17].isdigit() and s[:2] in _PROVINCES and _birth_ok(s[6:14])
            and id_check_char(s[:17]) == s[17].upper())


def _valid_id15(s: str) -> bool:
    """GB 11643-1989 legacy number: 15 digits, province code, birth date 19YYMMDD."""
    return len(s) == 15 and s.isdigit() and s[:2] in _PROVINCES and _birth_ok("19" + s[6:12])


def _luhn(s: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(s)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _is_mobile(s: str) -> bool:
    if len(s) == 13 and s.startswith("86"):
        s = s[2:]
    elif len(s) == 15 and s.startswith("0086"):
        s = s[4:]
    return len(s) == 11 and s[0] == "1" and s[1] in "3456789" and s.isdigit()


def _is_area_code(g: str) -> bool:
    return g.isdigit() and ((len(g) == 3 and g[:2] in ("01", "02")) or (len(g) == 4 and g[1] in "3456789"))


def _is_landline(groups: list[str], seps: list[str]) -> bool:
    """0AAA / local 7–8 digits (may be split in two) / optional '-' extension of 1–5 digits."""
    if len(groups) < 2 or not _is_area_code(groups[0]):
        return False
    rest = groups[1:]
    local = "".join(rest)
    if 7 <= len(local) <= 8 and local[0] in "23456789":
        return True
    if len(rest) >= 2 and len(rest[-1]) <= 5 and seps[-1].strip() == "-":
        local = "".join(rest[:-1])
        return 7 <= len(local) <= 8 and local[0] in "23456789"
    return False


@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    rule: str
    priority: int
    replacement: str | None = None


class _Redactor:
    def __init__(self, text: str, known: KnownData | None, policy: Policy) -> None:
        self.text = text
        norm = text.translate(_NORM)
        self.pos_map: list[int] | None = None
        spaced = list(_SPACED_LABEL_RE.finditer(norm)) if "  " in norm or " " in norm else []
        if spaced:  # 当 事 人：/ 现 住 址： → squeeze the spaces out, keeping a map to the original positions
            drop = {i for m in spaced for i in range(m.start(), m.end()) if norm[i] == " "}
            keep = [i for i in range(len(norm)) if i not in drop]
            norm = "".join(norm[i] for i in keep)
            self.pos_map = [*keep, len(text)]
        self.norm = norm
        self.known = known or KnownData()
        self.policy = policy
        self.cands: list[_Cand] = []
        self.label_ends: list[int] = []
        self.labels: list[tuple[int, int, str]] = []
        for m in _NUMBER_LABEL_RE.finditer(self.norm):
            self.labels.append((m.start(), m.end(), _LABEL_CLASS[m.group()]))
            self.label_ends.append(m.end())
        self.org_strings: set[str] = {o.translate(_NORM).strip() for o in self.known.organisations if o.strip()}
        self.punished: set[str] = set()
        self.officers: set[str] = set()
        self.person_marks: list[int] = []  # positions where a person's particulars are written
        self.org_marks: list[int] = []
        self.rep_marks: list[int] = []  # after an organisation's representative's name
        self.number_spans: list[tuple[int, int]] = []

    # -- helpers ------------------------------------------------------------------------------------------

    def add(self, start: int, end: int, kind: str, rule: str, priority: int, replacement: str | None = None) -> None:
        if end > start:
            self.cands.append(_Cand(start, end, kind, rule, priority, replacement))

    def label_before(self, pos: int) -> str | None:
        i = bisect_right(self.label_ends, pos) - 1
        if i < 0:
            return None
        start, end, cls = self.labels[i]
        gap = self.norm[end:pos]
        if len(gap) <= 12 and not any(c in gap for c in "。;\n"):
            return cls
        if len(gap) <= 60 and _LIST_GAP_RE.fullmatch(gap):
            return cls
        return None

    def gov_context(self, pos: int) -> bool:
        window = self.norm[max(0, pos - 80):pos]
        cut = max(window.rfind("。"), window.rfind("\n"))
        return bool(_GOV_CONTEXT_RE.search(window[cut + 1:]))

    def agency_context(self, pos: int, end: int | None = None) -> bool:
        """A landline in the agency's own particulars (本机关地址…联系电话, 举报电话, …（本局执法大队）) is the state's,
        not a person's."""
        if end is not None and _AGENCY_AFTER_RE.match(self.norm, end):
            return True
        window = self.norm[max(0, pos - 60):pos]
        cut = max(window.rfind("。"), window.rfind("\n"))
        window = window[cut + 1:]
        agency = [m.end() for m in _AGENCY_CTX_RE.finditer(window)]
        if not agency:
            return False
        person = [m.end() for m in _PERSON_CTX_RE.finditer(window)] + [m.end() for m in _PARTY_WORD_RE.finditer(window)]
        return not person or max(agency) > max(person)

    # -- pass 1: what the case knows ----------------------------------------------------------------------

    def known_pass(self) -> None:
        k = self.known
        number_kinds = (("id_number", k.id_numbers, "known_id_number"), ("phone", k.phones, "known_phone"),
                        ("bank_account", k.bank_accounts, "known_bank_account"))
        for kind, values, rule in number_kinds:
            patterns = []
            for value in values:
                chars = [c for c in value.translate(_NORM) if c.isalnum()]
                digits = "".join(chars)
                if kind == "phone" and _is_mobile(digits) and len(digits) > 11:
                    chars = chars[-11:]  # +86 / 0086 prefix: matched as optional below
                if len(chars) >= 5:
                    patterns.append(r"[ \-()\n]{0,2}".join("[Xx]" if c in "Xx" else re.escape(c) for c in chars))
            if patterns:
                prefix = r"(?:(?:\+|00)?86[ \-]?)?\(?" if kind == "phone" else ""
                rx = re.compile(r"(?<![0-9A-Za-z])" + prefix + "(?:" + "|".join(sorted(patterns, key=len, reverse=True))
                                + r")(?![0-9])")
                for m in rx.finditer(self.norm):
                    self.add(m.start(), m.end(), kind, rule, 0)
        addr = [a.translate(_NORM).strip() for a in k.addresses]
        addr_patterns = [r"\s*".join(re.escape(c) for c in a if not c.isspace()) for a in addr if len(a) >= 3]
        if addr_patterns:
            rx = re.compile("|".join(sorted(addr_patterns, key=len, reverse=True)))
            for m in rx.finditer(self.norm):
                self.add(m.start(), m.end(), "address", "known_address", 2)
        if k.punished_name:
            name = k.punished_name.translate(_NORM).strip()
            is_person = k.punished_is_person if k.punished_is_person is not None else _is_full_name(name)
            (self.punished if is_person else self.org_strings).add(name)

    # -- names --------------------------------------------------------------------------------------------

    def take_name(self, pos: int, mode: str) -> tuple[int, int] | None:
        """The span of a person's name starting at ``pos``, or None.

        ``mode``: "colon" (after 证人：, a name is expected: the longest plausible one), "lenient" (after a role
        word: the longest plausible one unless the shorter one is followed by a verb and the longer one is not),
        "strict" (a name-ending verb or punctuation must follow).
        """
        norm = self.norm
        surname = _surname_of(norm[pos:pos + 2])
        if surname is None:
            return None
        g = pos + len(surname)
        if g >= len(norm) or not _given_ok(norm[g]):
            return None
        long_ok = g + 1 < len(norm) and _given_ok(norm[g + 1], True) and norm[g + 1:g + 3] not in _FOLLOW_WORDS
        if not long_ok:
            end = g + 1
            if mode == "strict" and not self._follows_name(end, True):
                return None
        elif mode == "colon":
            end = g + 2
        elif mode == "lenient":
            end = g + 1 if self._follows_name(g + 1, verbs=True) and not self._follows_name(g + 2) else g + 2
        else:
            end = g + 2 if self._follows_name(g + 2, True) else g + 1 if self._follows_name(g + 1, True) else -1
            if end < 0:
                return None
        name = norm[pos:end]
        if name in _NON_NAMES or name[:2] in _NON_NAMES or norm[g:g + 2] in _NON_GIVEN:
            return None
        return pos, end

    def _follows_name(self, end: int, verbs: bool = False) -> bool:
        if end >= len(self.norm):
            return True
        ch = self.norm[end]
        return (not _is_han(ch) or ch in _STOP_CHARS or ch in _SOFT_STOP or ch in "一家也"
                or (verbs and ch in _VERB_CHARS)
                or self.norm[end:end + 2] in _FOLLOW_WORDS)

    def in_org(self, start: int, end: int) -> bool:
        if _ORG_TAIL_RE.match(self.norm, end):
            return True
        for org in self.org_strings:
            i = self.norm.find(org, max(0, start - len(org)), end + len(org))
            if i != -1 and i <= start and end <= i + len(org):
                return True
        return False

    def names_pass(self) -> None:
        norm = self.norm
        found: dict[tuple[int, int], str] = {}  # span → rule
        roles: list[tuple[int, str]] = []  # (position, "party"|"officer"|"other")

        for m in _PARTY_RE.finditer(norm):
            seg_m = _SEGMENT_RE.match(norm, m.end())
            seg = seg_m.group() if seg_m else ""
            roles.append((m.start(), "party"))
            if _is_full_name(seg):
                self.punished.add(seg)
                self.person_marks.append(m.end() + len(seg))
            elif len(seg) >= 4 or (seg and _ORG_SUFFIX_RE.search(seg)):
                self.org_strings.add(seg)
                self.org_marks.append(m.end() + len(seg))
        for m in _PARTY_BARE_RE.finditer(norm):
            seg_m = _SEGMENT_RE.match(norm, m.end())
            if seg_m and _is_full_name(seg_m.group()):
                roles.append((m.start(), "party"))
                self.punished.add(seg_m.group())
                self.person_marks.append(seg_m.end())

        for m in _ROLE_RE.finditer(norm):
            role = m.group("role")
            cls = "officer" if role in _OFFICER_ROLES else "other"
            roles.append((m.start(), cls))
            sep = m.group("sep")
            mode = "colon" if ":" in sep else "strict" if role in _WEAK_ROLES else "lenient"
            span = self.take_name(m.end(), mode)
            if span is None or self.in_org(*span):
                continue
            if role == "联系人" and _AGENCY_CTX_RE.search(norm, span[1], norm.find("\n", span[1]) % (len(norm) + 1)):
                cls = "officer"  # the agency's contact person (联系人：周敏，本局办公电话…)
            if cls == "officer":
                self.officers.add(norm[span[0]:span[1]])
                for s, e in self._name_list(span[1], mode):
                    self.officers.add(norm[s:e])
                continue
            found.setdefault(span, "name_role_label")
            (self.rep_marks if role in _REPRESENTATIVE_ROLES else self.person_marks).append(span[1])
        roles.sort()
        role_pos = [p for p, _ in roles]

        for m in _NAME_FIELD_RE.finditer(norm):
            seg_m = _SEGMENT_RE.match(norm, m.end())
            seg = seg_m.group() if seg_m else ""
            if not _is_full_name(seg):
                continue
            i = bisect_right(role_pos, m.start()) - 1
            cls = roles[i][1] if i >= 0 and m.start() - role_pos[i] < 200 else "party"
            span = (m.end(), m.end() + len(seg))
            self.person_marks.append(span[1])
            if cls == "party":
                self.punished.add(seg)
            elif cls == "officer":
                self.officers.add(seg)
            else:
                found.setdefault(span, "name_field")

        for rx in (_NAME_CONTEXT_RE, _NAME_WEAK_CONTEXT_RE):
            weak = rx is _NAME_WEAK_CONTEXT_RE
            for m in rx.finditer(norm):
                span = self.right_anchored_name(m.start(), weak)
                if span is not None and not self.in_org(*span):
                    found.setdefault(span, "name_context")
                    if not weak:
                        self.person_marks.append(span[1])

        for m in _LEFT_TRIGGER_RE.finditer(norm):
            span = self.take_name(m.end(), "strict")
            if span is not None and _NAME_VERB_RE.match(norm, span[1]) and not self.in_org(*span):
                found.setdefault(span, "name_context")
        for m in _OBJECT_TRIGGER_RE.finditer(norm):  # 卖给了杨光辉。
            span = self.take_name(m.end(), "strict")
            if span is not None and not self.in_org(*span):
                found.setdefault(span, "name_context")

        for s, _e in self.number_spans:  # 覃海波 13974124567
            j = s
            while j > 0 and norm[j - 1] in " :":
                j -= 1
            if j < s or j == s:
                span = self.right_anchored_name(j, weak=True)
                if span is not None and not self.in_org(*span) and not self._after_label(span[0]):
                    found.setdefault(span, "name_context")

        for span in sorted(found):  # 张三、李四 / 雷浩然（14岁）、雷浩宇
            for extra in self._name_list(span[1], "lenient"):
                found.setdefault(extra, found[span])

        keep = set(self.officers)
        if not self.policy.mask_punished_name:
            keep |= self.punished
        to_mask: set[str] = set()
        for span in list(found):
            name = norm[span[0]:span[1]]
            if name in keep:
                del found[span]
            else:
                to_mask.add(name)
        known_names = {n.translate(_NORM).strip() for n in self.known.names if len(n.strip()) >= 2}
        to_mask |= known_names
        if self.policy.mask_punished_name:
            to_mask |= {n for n in self.punished if _surname_of(n)}
        to_mask -= keep - (self.punished if self.policy.mask_punished_name else set())
        repeated: dict[tuple[int, int], str] = {}
        taken = bytearray(len(norm) + 1)
        for s, e in found:
            taken[s:e] = b"\x01" * (e - s)
        for span in self._occurrences(to_mask, known_names):
            if span in found or taken.find(1, span[0], span[1]) != -1 or self.in_org(*span):
                continue
            taken[span[0]:span[1]] = b"\x01" * (span[1] - span[0])
            name = re.sub(r"\s", "", norm[span[0]:span[1]])
            repeated[span] = ("known_name" if name in known_names else
                              "punished_name_strict" if name in self.punished else "name_repeated")
        for (s, e), rule in (*found.items(), *repeated.items()):
            name = re.sub(r"\s", "", norm[s:e])
            if rule != "known_name" and name in self.punished:
                rule = "punished_name_strict"
            surname = _surname_of(name) or name[:1]
            self.add(s, e, "name", rule, 1 if rule == "known_name" else 4, surname + "某")

    def _occurrences(self, names: set[str], spaced: set[str]) -> list[tuple[int, int]]:
        """Every occurrence of each name, longest names first; names in ``spaced`` (what the case knows) also with a
        space or line break between their characters."""
        norm = self.norm
        out = []
        for name in sorted(names, key=len, reverse=True):
            i = norm.find(name)
            while i != -1:
                out.append((i, i + len(name)))
                i = norm.find(name, i + len(name))
        loose = [n for n in spaced if n in names and len(n) >= 2]
        if loose and (" " in norm or "\n" in norm):
            rx = re.compile("|".join(r"[ \n]?".join(re.escape(c) for c in n) for n in loose))
            out += [m.span() for m in rx.finditer(norm) if " " in m.group() or "\n" in m.group()]
        return out

    def _after_label(self, pos: int) -> bool:
        """``pos`` right after a field label (姓名：/ 户名：) or a role: then another rule decides."""
        return pos > 0 and self.norm[pos - 1] == ":"

    def _name_list(self, end: int, mode: str) -> list[tuple[int, int]]:
        """Further names after a name ending at ``end``: 、李四 / 和李四 / （女，14岁）、李四."""
        norm = self.norm
        out = []
        while True:
            paren = _PAREN_RE.match(norm, end)
            pos = paren.end() if paren else end
            if pos >= len(norm) or norm[pos] not in "、和及与":
                return out
            pos += 1
            while pos < len(norm) and norm[pos] == " ":
                pos += 1
            span = self.take_name(pos, mode if mode != "colon" else "colon")
            if span is None or self.in_org(*span):
                return out
            out.append(span)
            end = span[1]

    def right_anchored_name(self, end: int, weak: bool = False) -> tuple[int, int] | None:
        """The name ending at ``end`` (before ，男 / 的询问笔录 …): compound, 3-character or 2-character.

        ``weak``: the context (的询问笔录, 出具的…) also follows organisations, so the character before the name
        must end a word (punctuation, a role such as 证人/店员, a preposition such as 对/由/据).
        """
        norm = self.norm

        def left_ok(s: int) -> bool:
            return not weak or s == 0 or not _is_han(norm[s - 1]) or norm[s - 1] in _ROLE_END_CHARS

        for length in (4, 3):
            s = end - length
            if (s >= 0 and norm[s:s + 2] in _COMPOUND_SURNAMES
                    and all(_given_ok(c, i == 1) for i, c in enumerate(norm[s + 2:end]))
                    and left_ok(s)):
                return s, end
        s3, s2 = end - 3, end - 2
        ok3 = s3 >= 0 and _is_full_name(norm[s3:end]) and left_ok(s3)
        ok2 = s2 >= 0 and _is_full_name(norm[s2:end]) and left_ok(s2)
        if ok3 and not (ok2 and norm[s3] in _ROLE_END_CHARS):
            return s3, end
        if ok2:
            return s2, end
        return None

    # -- numbers ------------------------------------------------------------------------------------------

    def numbers_pass(self) -> None:
        norm = self.norm
        for m in _PAREN_LANDLINE_RE.finditer(norm):
            cls = self.label_before(m.start())
            if cls not in ("other", "org", "gov") and not self.agency_context(m.start(), m.end()):
                self.add(m.start(), m.end(), "phone", "landline_number" if cls != "phone" else "phone_labelled", 1)
                self.number_spans.append(m.span())
        for m in _PARTLY_MASKED_RE.finditer(norm):  # 4302**********0516 / 138****6621, still masked whole
            cls = self.label_before(m.start())
            if m.group("id") and cls == "id":
                self.add(m.start(), m.end(), "id_number", "id_number_labelled", 1)
            elif m.group("mobile") and cls not in ("other", "org", "gov"):
                self.add(m.start(), m.end(), "phone", "mobile_number", 1)
        for m in _RUN_RE.finditer(norm):
            start, end = m.span()
            if end - start < 7:  # too short for any number masked here
                continue
            if start > 0:
                prev = norm[start - 1]
                if prev.isascii() and prev.isalpha():
                    j = start - 1
                    while j > 0 and norm[j - 1].isascii() and norm[j - 1].isalpha():
                        j -= 1
                    if norm[j:start].lower() not in _LETTER_WORDS_OK:
                        continue
                elif prev in "._" and start > 1 and norm[start - 2].isdigit():
                    continue  # the decimals of a number
            if end < len(norm):
                nxt = norm[end]
                if (nxt.isascii() and nxt.isalpha()) or nxt == "_":
                    continue
                if nxt == "." and end + 1 < len(norm) and norm[end + 1].isdigit():
                    continue
            self._segment(start, [(g.start() + start, g.end() + start, g.group()) for g in
                                  _GROUP_RE.finditer(m.group())])

    def _segment(self, run_start: int, groups: list[tuple[int, int, str]]) -> None:
        norm = self.norm
        n = len(groups)
        i = 0
        while i < n:
            total = 0
            js = []
            for j in range(i, min(n, i + _MAX_GROUPS)):
                total += len(groups[j][2])
                if total > 19 + 4:
                    break
                if total >= 7:  # shorter is nothing masked here
                    js.append(j)
            label = self.label_before(groups[i][0])
            hit = None
            for j in reversed(js):
                parts = [g[2].replace(" ", "") for g in groups[i:j + 1]]
                seps = [norm[groups[k - 1][1]:groups[k][0]] for k in range(i + 1, j + 1)]
                rule = self._classify(parts, seps, label, groups[i][0])
                if rule:
                    hit = (j, rule)
                    break
            if hit is None:
                i += 1
                continue
            j, (kind, rule) = hit
            start, end = groups[i][0], groups[j][1]
            if rule in ("landline_number", "phone_labelled") and self.agency_context(start, end):
                i = j + 1
                continue
            if kind == "phone" and start > 0 and norm[start - 1] == "+":
                start -= 1
            self.add(start, end, kind, rule, 1)
            self.number_spans.append((start, end))
            i = j + 1

    def _classify(self, parts: list[str], seps: list[str], label: str | None, pos: int) -> tuple[str, str] | None:
        s = "".join(parts)
        has_x = s[-1:] in ("X", "x")
        digits = s[:-1] if has_x else s
        newline = any("\n" in sep for sep in seps)
        if label in ("org", "gov") or "X" in digits or "x" in digits or not digits.isdigit():
            return None
        if len(s) == 18 and _valid_id18(s):  # a valid ID number even after 从业资格证号/驾驶证号
            return "id_number", "id_number_gb11643"
        if label == "other":
            return None
        if newline:
            return None
        if has_x:
            if label == "id" and len(s) in (15, 16, 17, 18):
                return "id_number", "id_number_labelled"
            return None
        if label == "id":
            if len(s) == 15 and _valid_id15(s):
                return "id_number", "id_number_legacy15"
            if 15 <= len(s) <= 18:
                return "id_number", "id_number_labelled"
            return None
        if label == "phone":
            if _is_mobile(s):
                return "phone", "mobile_number"
            if _is_landline(parts, seps):
                return "phone", "landline_number"
            if 7 <= len(s) <= 13:
                return "phone", "phone_labelled"
            return None
        if label == "bank":
            if 8 <= len(s) <= 30 and not self.gov_context(pos):
                return "bank_account", "bank_account_labelled"
            return None
        if len(s) == 15 and _valid_id15(s):
            return "id_number", "id_number_legacy15"
        if _is_mobile(s):
            return "phone", "mobile_number"
        if _is_landline(parts, seps):
            return "phone", "landline_number"
        if 16 <= len(s) <= 19 and s.startswith(_CARD_PREFIXES) and _luhn(s) and not self.gov_context(pos):
            return "bank_account", "bank_card_luhn"
        return None

    # -- addresses ----------------------------------------------------------------------------------------

    def addresses_pass(self) -> None:
        norm = self.norm
        labels = list(_ADDRESS_LABEL_RE.finditer(norm))
        marks: list[tuple[int, str]] = []
        mark_pos: list[int] = []
        any_address: list[int] = []
        if any(m.group("label") in _CONTEXT_ADDRESS_LABELS for m in labels):
            marks = sorted([(p, "person") for p in self.person_marks] + [(p, "org") for p in self.org_marks]
                           + [(p, "rep") for p in self.rep_marks]
                           + [(m.end(), "person") for m in _PERSON_CTX_RE.finditer(norm)]
                           + [(m.end(), "org") for m in _ORG_CTX_RE.finditer(norm)])
            mark_pos = [p for p, _ in marks]
            any_address = [m.start() for m in _ANY_ADDRESS_LABEL_RE.finditer(norm)]
        for m in labels:
            if norm[max(0, m.start() - 4):m.start()].endswith(_NOT_HOME_PREFIXES):
                continue
            before = norm[m.start() - 1] if m.start() > 0 else ""
            if not m.group("sep") and before and _is_han(before) and before not in "其人现":
                continue  # 的住所楼顶: a word in a sentence, not a field
            if m.group("label") in _CONTEXT_ADDRESS_LABELS and not self._personal_address(m.start(), marks, mark_pos,
                                                                                           any_address):
                continue
            body = _ADDRESS_BODY_RE.match(norm, m.end())
            if body is None:
                continue
            start, end = body.span()
            end = self._address_end(start, end)
            if end - start < 2 or not _PLACE_RE.search(norm, start, end):
                continue
            if not m.group("sep") and not _ADMIN_RE.search(norm, start, min(end, start + 12)):
                continue
            self.add(start, end, "address", "address_labelled", 3)
        for rx in (_HOME_PAREN_RE, _HOME_AT_RE):  # 在其家中（株洲市…）/ 位于…的家中
            for m in rx.finditer(norm):
                if _PLACE_RE.search(m.group(1)):
                    self.add(m.start(1), m.end(1), "address", "address_labelled", 3)
        for m in _LIVES_AT_RE.finditer(norm):
            body = _ADDRESS_BODY_RE.match(norm, m.end())
            if body and _PLACE_RE.search(body.group()[:12]):
                start, end = body.span()
                end = self._address_end(start, end)
                if end - start >= 2:
                    self.add(start, end, "address", "address_labelled", 3)

    @staticmethod
    def _personal_address(pos: int, marks: list[tuple[int, str]], mark_pos: list[int], any_address: list[int]) -> bool:
        """住所/地址 is a person's when the nearest particulars before it are a person's; after an organisation's
        representative (法定代表人：张三) only when the organisation's own address was given before it."""
        i = bisect_right(mark_pos, pos) - 1
        if i < 0 or pos - mark_pos[i] >= 300:
            return True
        kind = marks[i][1]
        if kind != "rep":
            return kind == "person"
        org = [p for p, k in marks[:i] if k == "org" and pos - p < 400]
        if not org:
            return False
        j = bisect_right(any_address, org[-1])
        return j < len(any_address) and any_address[j] < mark_pos[i]

    def _address_end(self, start: int, end: int) -> int:
        """Where an address found from ``start`` to ``end`` really ends: before a following field label (… 送达方式：),
        before a closing parenthesis it did not open, without trailing spaces, and on the next line when it goes on
        there."""
        norm = self.norm
        if end < len(norm) and norm[end] == ":":
            cut = norm.rfind(" ", start, end)
            end = cut if cut > start else start
        depth = 0
        for i in range(start, end):
            if norm[i] == "(":
                depth += 1
            elif norm[i] == ")":
                if depth == 0:
                    end = i
                    break
                depth -= 1
        while end > start and norm[end - 1] == " ":
            end -= 1
        return self._continue_address(end) if end > start else end

    def _continue_address(self, end: int) -> int:
        """An address broken by a line break goes on on the next line when that line is its tail."""
        norm = self.norm
        if end < len(norm) and norm[end] == "\n" and not _ADDRESS_END_RE.search(norm, max(0, end - 1), end):
            tail = _ADDRESS_TAIL_RE.match(norm, end + 1)
            if tail:
                return tail.end()
        return end

    # -- assembly -----------------------------------------------------------------------------------------

    def masks(self) -> list[Mask]:
        taken = bytearray(len(self.norm) + 1)  # 1 where a mask already is
        out: list[Mask] = []
        for c in sorted(self.cands, key=lambda c: (c.priority, c.start - c.end, c.start)):
            pieces = [(c.start, c.end)]
            if c.kind == "address":  # an address keeps its parts around a number masked inside it
                pieces = self._free_pieces(c.start, c.end, taken)
            elif taken.find(1, c.start, c.end) != -1:
                continue
            for s, e in pieces:
                taken[s:e] = b"\x01" * (e - s)
                if self.pos_map is not None:
                    s, e = self.pos_map[s], self.pos_map[e - 1] + 1
                original = self.text[s:e]
                if not original.strip():
                    continue
                replacement = c.replacement if c.replacement is not None else default_replacement(c.kind, original)
                out.append(Mask(s, e, c.kind, original, replacement, c.rule))
        return sorted(out, key=lambda m: m.start)

    @staticmethod
    def _free_pieces(s: int, e: int, taken: bytearray) -> list[tuple[int, int]]:
        pieces = []
        pos = s
        while pos < e:
            busy = taken.find(1, pos, e)
            if busy == -1:
                pieces.append((pos, e))
                break
            if busy > pos:
                pieces.append((pos, busy))
            free = taken.find(0, busy, e)
            if free == -1:
                break
            pos = free
        return pieces


# --- name and address patterns ----------------------------------------------------------------------------

_OTHER_ROLES: Final = (
    "证人", "见证人", "委托代理人", "代理人", "法定代理人", "诉讼代理人", "受托人", "监护人", "法定代表人",
    "法人代表", "负责人", "主要负责人", "现场负责人", "实际经营者", "经营者", "投资人", "个人独资企业投资人", "股东",
    "实际控制人", "联系人", "被询问人", "询问对象", "被调查人", "陪同人员", "在场人", "在场人员", "举报人", "投诉人",
    "受害人", "被害人", "消费者", "购买人", "购买者", "顾客", "员工", "职工", "雇员", "店员", "服务员", "营业员",
    "收银员", "厨师", "帮厨", "驾驶员", "驾驶人", "司机", "车主", "房东", "业主", "租户", "承租人", "出租人",
    "翻译人员",
    "其妻", "其夫", "其子", "其女", "其父", "其母", "其兄", "其弟", "其姐", "其妹", "其妻子", "其丈夫", "其儿子",
    "其女儿", "其父亲", "其母亲", "其哥哥", "其弟弟", "其姐姐", "其妹妹", "其配偶", "其亲属", "妻子", "丈夫", "儿子",
    "女儿", "父亲", "母亲", "配偶", "亲属", "家属", "朋友", "同事", "邻居", "村民", "居民", "群众", "市民", "患者",
    "店长", "经理", "总经理", "副总经理", "会计", "出纳", "技术员", "保管员", "仓管员", "销售员", "销售人员", "业务员",
    "工作人员", "现场人员", "从业人员", "安全员", "质量负责人", "食品安全管理员", "执业药师", "药师", "医师", "医生",
    "护士", "乡村医生", "装卸工", "押运员", "挂靠人", "承包人", "施工负责人", "项目经理", "董事长", "监事", "合伙人",
    "管理人员", "值班人员", "当班人员", "操作人员", "操作工", "电工", "焊工", "车辆所有人", "实际使用人", "第三人",
    "利害关系人", "听证代理人", "签收人", "代收人", "所有人", "使用人", "未成年人", "学生", "之妻", "之夫", "之子",
    "之女", "之父",
    "之母", "之兄", "之弟", "之姐", "之妹", "之配偶", "的妻子", "的丈夫", "的儿子", "的女儿", "的父亲", "的母亲",
    "工人", "雇工", "帮工", "学徒", "同住人", "共同居住人", "孙子", "孙女", "外孙", "女婿", "儿媳", "主任", "车间主任",
    "厂长", "班长", "组长", "村医", "网管", "购药人", "就诊人", "送货人", "收货人", "发货人", "介绍人", "担保人",
    "报案人",
    "表哥", "表弟", "表姐", "表妹", "堂兄", "堂弟", "堂哥", "堂姐", "姐夫", "妹夫", "嫂子", "弟媳", "侄子", "侄女",
    "外甥", "舅舅", "叔叔", "伯父", "婆婆", "公公", "岳父", "岳母", "老板", "老板娘", "摊主", "店主", "货主", "户主",
    "经营户", "商户", "租客", "住户", "开户名", "户名", "账户名", "账户名称", "持卡人", "付款人", "供货人", "卖方",
    "买方", "出卖人", "买受人", "转让人", "受让人", "借款人", "出借人", "收款人", "其他股东", "法人", "合伙人",
    "包工头", "门卫", "保姆", "厨工", "杂工", "小工", "技工", "搬运工", "环保负责人", "安全负责人", "仓库管理员",
    "个体户", "养殖户", "种植户", "承运人", "托运人", "乘客", "旅客", "游客", "学员", "教练", "教练员", "保安",
    "保洁员",
)
_OFFICER_ROLES: Final = frozenset((
    "执法人员", "办案人员", "承办人员", "承办人", "办案人", "检查人员", "执法人", "调查人员", "询问人", "记录人",
    "审核人", "审批人", "主办人", "协办人", "执法员", "检查人", "送达人", "听证主持人", "主持人", "书记员",
    "案件承办人", "执法队员", "稽查人员", "抽样人员", "监督员", "核查人员", "执法工作人员", "执法检查人员",
))
_WEAK_ROLES: Final = frozenset((
    "村民", "居民", "群众", "市民", "朋友", "同事", "邻居", "学生", "工人", "患者", "家属", "亲属", "顾客", "员工",
    "职工",
    "消费者", "司机", "业主", "房东", "车主", "租户", "医生", "护士", "会计", "出纳", "经理", "老板", "主任", "商户",
    "所有人", "使用人",
))
"""Role words that also start ordinary phrases (居民楼, 员工宿舍): a verb or punctuation must follow the name."""
_REPRESENTATIVE_ROLES: Final = frozenset(("法定代表人", "法人代表", "负责人", "主要负责人", "经营者", "实际经营者",
                                          "投资人", "个人独资企业投资人", "股东", "董事长", "总经理", "经理"))
"""Roles of an organisation's people: their name does not make the next 住所/地址 a home address."""
_ROLE_RE: Final = re.compile(
    r"(?P<role>" + _alternation((*_OTHER_ROLES, *_OFFICER_ROLES))
    + r")(?P<sep>(?: ?\([^()\n]{1,10}\))? ?: ?| ?(?:为|是) ?| ?)"
)
_LEFT_TRIGGER_RE: Final = re.compile(
    r"(?:据|经|由|与|同|请|让|被|委托|雇佣|雇请|聘请|聘用|指派|安排|通知|告知|询问|找到|联系|向|和|及)(?=["
    + "".join(sorted(_SINGLE_SURNAMES | {c[0] for c in _COMPOUND_SURNAMES})) + r"])"
)
_OBJECT_TRIGGER_RE: Final = re.compile(
    r"(?:卖给|售给|交给|租给|借给|转给|转让给|出租给|出售给|赠送给|转交给|转卖给|转租给)了?(?=["
    + "".join(sorted(_SINGLE_SURNAMES | {c[0] for c in _COMPOUND_SURNAMES})) + r"])"
)
_NAME_VERB_RE: Final = re.compile(
    r"陈述|称|证实|确认|签字|签名|介绍|反映|说|表示|承认|提供|出具|驾驶|负责|在场|作证|供述|交代|担任|前往|从事|签订|"
    r"共同|一起|到场|购买|核实|辨认|指认"
)
_ROLE_END_CHARS: Final = frozenset("人者员客东妻夫子女父母主长师机工民众属友生士理计纳户板对向与和及由经据")
_PARTY_BARE_RE: Final = re.compile(
    r"(?:当事人|被处罚人)(?=[" + _HAN + r"]{2,4}[,(] ?(?:男|女|身份证|公民身份|居民身份|\d{4}年|汉族))"
)
_PAREN_RE: Final = re.compile(r"\([^()\n]{0,40}\)")
_SPACED_LABEL_RE: Final = re.compile(r"(?<![" + _HAN + r"])[" + _HAN + r"](?: +[" + _HAN + r"]){1,6} *(?=:)")
_NON_GIVEN: Final = _words(
    "机关 公司 部门 单位 中心 机构 人员 部分 内容 情况 问题 工作 生产 经营 管理 行为 规定 标准 产品 商品 食品 药品 "
    "车辆 设备 材料 项目 工程 建设 执法 监督 检查 调查 处罚 决定 通知 合同 协议 证明 材料 文件 资料 记录 报告 "
    "先生 女士 小姐 师傅 同志 老板 经理 主任 局长 科长 所长 队长 同学 老师 律师 会计 某某 政府 法院 银行"
)
_PARTY_RE: Final = re.compile(
    r"(?:当事人[一二三四五六七八九]|第[一二三四五]当事人|当事人[（(][一二三四五六七八九][)）]|当事人|被处罚人|被处罚"
    r"单位|违法行为人|当事人姓名|当事人名称|当事人\(姓名\)|当事人\(名称\)) ?: ?"
)
_NAME_FIELD_RE: Final = re.compile(r"姓 ?名 ?: ?")
_SEGMENT_RE: Final = re.compile(r"[^,.;:。、()\[\]\n 　]{1,40}")
_NAME_CONTEXT_RE: Final = re.compile(  # matched where the name ends
    r"(?:"
    r"[,、(] ?(?:男|女)(?:[,、)\s]|性)"
    r"|\( ?(?:身份证|公民身份|居民身份|证件号|系|该|证人|当事人的|当事人之|委托代理人|法定代表人|负责人|经营者|股东|"
    r"(?:联系)?电话|手机|联系方式)"
    r"|, ?(?:身份证|公民身份|(?:联系)?电话 ?:|手机 ?:|联系方式 ?:)"
    r"|, ?\d{4}年\d{1,2}月\d{1,2}日?出生|[,(] ?\d{1,3}(?:周)?岁"
    r"|等\d{1,2}人|等人|夫妇|夫妻二人|二人|两人"
    r"|系(?:该|本|当事人|其|涉案)[" + _HAN + r"]{0,8}?(?:员工|店员|经营者|负责人|股东|妻子|丈夫|儿子|女儿|父亲|母亲|"
    r"之妻|之夫|之子|之女|亲属|雇员|厨师|司机|驾驶员|收银员|店长|经理|会计|实际控制人|工作人员|朋友|邻居|房东|租户))"
)
_NAME_WEAK_CONTEXT_RE: Final = re.compile(
    r"(?:"
    r"的?(?:询问|调查)笔录|的?证人证言|的证言|出具的|的陈述|的身份证|身份证复印件|的证明|提供的|的电话|的手机|"
    r"的(?:妻子|丈夫|儿子|女儿|父亲|母亲|哥哥|弟弟|姐姐|妹妹|亲属|家属|朋友|邻居|同事)|家中|家里|的住处|的微信|"
    r"的银行卡|的账户|签字确认|签名确认|陈述|证实|称|供述|辨认|指认)"
)
_PERSON_CTX_RE: Final = re.compile(
    r"身份证|公民身份|性别|民族|出生|[,、(] ?[男女] ?[,、)\s]|代理人|证人|监护人|职业|户籍|文化程度"
)
_ORG_CTX_RE: Final = re.compile(
    r"统一社会信用代码|信用代码|营业执照|注册号|名称|执法机关|本机关|行政机关|单位|有限公司|公司|合作社|个体工商户|"
    r"经营部|商行|超市|本局|我局"
)
_AGENCY_CTX_RE: Final = re.compile(
    r"本机关|本局|我局|本委|本队|执法机关|行政机关|举报电话|投诉电话|监督电话|咨询电话|服务热线|热线|办公室|人民政府|"
    r"人民法院|复议机关|执法大队|执法支队|监督管理局|综合执法局|办公电话|值班电话"
)
_AGENCY_AFTER_RE: Final = re.compile(r" *\([^()\n]{0,20}?(?:" + _AGENCY_CTX_RE.pattern + r")")
_PARTY_WORD_RE: Final = re.compile(r"当事人|消费者|举报人|投诉人|证人")
_CONTEXT_ADDRESS_LABELS: Final = frozenset(("住所地", "住所", "地址", "联系地址", "通讯地址", "通信地址", "送达地址"))
_NOT_HOME_PREFIXES: Final = ("经营", "营业", "注册", "机关", "单位", "公司", "生产", "办公", "营业执照", "本局", "机构")
_ADDRESS_LABEL_RE: Final = re.compile(
    r"(?P<label>"
    + _alternation(("家庭住址", "家庭地址", "家庭住所", "现住址", "现住所", "现住", "现居住地", "现居住", "住址",
                    "户籍地址", "户籍所在地", "户籍地", "户口所在地", "户口地址", "居住地址", "居住地", "经常居住地",
                    "身份证住址", "身份证地址", "暂住地", "暂住", "家住", "住所地", "住所", "联系地址", "通讯地址",
                    "通信地址", "送达地址", "地址", "居住于", "居住在", "现居"))
    + r")(?: ?\([^()\n]{1,12}\))? ?(?P<sep>:|为|在|是)? ?"
)
_ADMIN_RE: Final = re.compile(r"[省市县区镇乡村路街]")
_ANY_ADDRESS_LABEL_RE: Final = re.compile(
    r"住所|住址|地址|经营场所|营业场所|经营地址|注册地址|生产地址|办公地址|经营地点|场所"
)
_HOME_PAREN_RE: Final = re.compile(r"(?:家中|住处|住宅|居所|家)\(([^()\n]{4,60})\)")
_HOME_AT_RE: Final = re.compile(
    r"位于([^,。;、\n:()]{4,60}?)的(?:家中|住宅|住处|居所|自建房|住所|房屋|出租屋|租住房|寓所|家)"
)
_STOP_FIELDS: Final = (
    "联系电话|电话|手机|联系方式|身份证|公民身份|证件号|邮编|邮政编码|统一社会信用代码|信用代码|法定代表人|负责人|经营者|"
    "性别|民族|出生|职务|职业|工作单位|籍贯|文化程度|政治面貌|户籍|电子邮箱|邮箱|微信|QQ|传真|送达方式|委托代理人"
)
_ADDRESS_BODY_RE: Final = re.compile(r"(?:(?!" + _STOP_FIELDS + r"|  )[^,。;、\n:])+")
_ADDRESS_END_RE: Final = re.compile(r"[号室组栋幢户楼院]$")
_ADDRESS_TAIL_RE: Final = re.compile(
    r"[^,。;、\n:]{0,30}?[号室组栋幢户楼院](?=[,。;、\n]|$|" + _STOP_FIELDS + r")"
)
_PLACE_RE: Final = re.compile(r"[省市县区镇乡村路街巷弄号组栋幢室楼苑庄屯坊院]|社区|小区|大道|公寓|花园|[0-9]")
_LIVES_AT_RE: Final = re.compile(
    r"(?:(?<=[,、;\s])住|家住|居住|租住|暂住|借住)(?!所|址|宿|院|房|户|处|地)(?:在|于)?(?=[" + _HAN + r"])"
)


# --- entry point ------------------------------------------------------------------------------------------


def redact(text: str, known: KnownData | None = None, policy: str = "default") -> RedactionResult:
    """Mask natural persons' data in ``text`` (a decision's full text) under ``policy`` (see ``POLICIES``)."""
    try:
        pol = POLICIES[policy]
    except KeyError:
        raise ValueError(f"unknown policy {policy!r}; one of {', '.join(POLICIES)}") from None
    r = _Redactor(text, known, pol)
    r.known_pass()
    r.numbers_pass()
    r.names_pass()
    r.addresses_pass()
    spans = r.masks()
    return RedactionResult(apply_masks(text, spans), spans, policy)


def is_credit_code(s: str) -> bool:
    """A unified social credit code (GB 32100): never masked."""
    return is_valid_credit_code(s.translate(_NORM).replace(" ", "").upper())
