"""`zhifa demo`: the district of 渌口 with its bureaus and towns, their people and credentials.

Deterministic: the same seed gives the same data; a second run finds the data and keeps it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import transaction

from zhifa.catalog.demo import load_demo_catalog
from zhifa.demo.cases import create_demo_cases
from zhifa.demo.disclosure import load_demo_disclosure
from zhifa.demo.names import NameGenerator
from zhifa.law import identifiers
from zhifa.people import actions
from zhifa.people.models import Agency, AgencyKind, AgencyLevel, CredentialStatus, LegalQualification, Role, Unit, User
from zhifa.publicity.demo import load_demo_publicity
from zhifa.reports.demo import load_demo_reports

DEMO_PASSWORD = "lukou-demo-2026"
SEED = 20190903  # the day the seed policy was issued
AREA_CODE = "430212"  # 株洲市渌口区
DEMO_TODAY = dt.date(2026, 11, 26)


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    short_name: str
    level: str
    fields: tuple[str, ...]
    officers: int
    reviewers: int
    duties: str
    kind: str = AgencyKind.ADMINISTRATIVE
    supervises: bool = False


AGENCIES = [
    AgencySpec("lk-gov", "株洲市渌口区人民政府", "渌政", AgencyLevel.COUNTY, (), 0, 0,
               "领导全区行政执法工作，组织推行行政执法公示、执法全过程记录、重大执法决定法制审核制度。"),
    AgencySpec("lk-sfj", "株洲市渌口区司法局", "渌司", AgencyLevel.COUNTY, ("司法行政",), 3, 1,
               "承担全区行政执法协调监督工作，督促各行政执法部门严格规范实施三项制度。", supervises=True),
    AgencySpec("lk-scjg", "株洲市渌口区市场监督管理局", "渌市监", AgencyLevel.COUNTY,
               ("市场监管", "食品安全", "药品监管", "质量技术监督"), 14, 1,
               "负责市场综合监督管理，统一登记市场主体，组织市场监管综合执法。"),
    AgencySpec("lk-cgzf", "株洲市渌口区城市管理和综合执法局", "渌城管", AgencyLevel.COUNTY,
               ("城市管理", "市容环境卫生", "城乡规划"), 12, 1,
               "负责城市管理和综合行政执法，集中行使市容环境卫生、城乡规划等方面的行政处罚权。"),
    AgencySpec("lk-xzsp", "株洲市渌口区行政审批服务局", "渌审批", AgencyLevel.COUNTY, ("行政审批",), 4, 0,
               "集中办理行政许可等依申请事项，推行“最多跑一次”改革。"),
    AgencySpec("lk-czj", "株洲市渌口区财政局", "渌财", AgencyLevel.COUNTY, ("财政监督",), 3, 0,
               "负责财政收支管理和会计监督检查，严格执行罚缴分离、收支两条线制度。"),
    AgencySpec("lk-fgj", "株洲市渌口区发展和改革局", "渌发改", AgencyLevel.COUNTY, ("价格监督", "节能监察"), 3, 0,
               "负责国民经济和社会发展规划，依法开展节能监察等行政执法。"),
]
TOWNS = ["渌口镇", "南洲镇", "淦田镇", "古岳峰镇", "朱亭镇", "龙船镇", "龙门镇"]
TOWN_CODES = ["lukou", "nanzhou", "gantian", "guyuefeng", "zhuting", "longchuan", "longmen"]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    role_label: str
    agency: str
    name: str


def _credit_code(rng: random.Random, category: str) -> str:
    """A synthetic 统一社会信用代码 with a correct GB 32100 check character (1x = 机关)."""
    organisation = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    first17 = category + AREA_CODE + organisation
    return first17 + identifiers.credit_code_check_char(first17)


def _specs() -> list[AgencySpec]:
    towns = [
        AgencySpec(f"lk-{code}", f"株洲市渌口区{town}人民政府", town.removesuffix("镇"), AgencyLevel.TOWN,
                   ("乡镇综合执法",), 2, 0, "依法行使赋予乡镇的行政处罚权及相关行政检查、行政强制措施权。")
        for town, code in zip(TOWNS, TOWN_CODES, strict=True)
    ]
    return AGENCIES + towns


def _make_user(username: str, name: str, role: str, agency: Agency | None, unit: Unit | None, **extra) -> User:
    user = User(username=username, full_name=name, role=role, agency=agency, unit=unit, **extra)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@transaction.atomic
def _create() -> None:
    rng = random.Random(SEED)
    names = NameGenerator(SEED)
    admin = _make_user("admin", names.person(), Role.ADMIN, None, None, is_staff=True, is_superuser=True)
    government = None
    credential_serial = 0
    for spec in _specs():
        agency = Agency.objects.create(
            code=spec.code, name=spec.name, short_name=spec.short_name, credit_code=_credit_code(rng, "11"),
            kind=spec.kind, level=spec.level, parent=government, jurisdiction="株洲市渌口区",
            duties=spec.duties, supervises=spec.supervises, address=f"株洲市渌口区{spec.short_name}办公地址",
            phone=f"0731-2{rng.randrange(1000000, 9999999)}",
        )
        if spec.code == "lk-gov":
            government = agency
            continue
        handling = Unit.objects.create(agency=agency, name="执法大队" if spec.officers > 4 else "综合执法组")
        legal = Unit.objects.create(agency=agency, name="法制股", kind="legal")
        Unit.objects.create(agency=agency, name="服务窗口", kind="window")
        slug = spec.code.removeprefix("lk-")
        if spec.supervises:
            _make_user(f"{slug}.supervisor", names.person(), Role.SUPERVISOR, agency, legal)
        _make_user(f"{slug}.head", names.person(), Role.AGENCY_HEAD, agency, None)
        if spec.officers > 4:
            _make_user(f"{slug}.unithead", names.person(), Role.UNIT_HEAD, agency, handling)
        for number in range(1, spec.reviewers + 1):
            reviewer = _make_user(f"{slug}.reviewer{number}", names.person(), Role.REVIEWER, agency, legal,
                                  first_reviewed_on=dt.date(2020, 3, 2) if number > 1 else None)
            LegalQualification.objects.create(holder=reviewer, number=f"A2017{rng.randrange(10**8, 10**9)}",
                                              obtained_on=dt.date(2017, 12, 20))
        for number in range(1, spec.officers + 1):
            officer = _make_user(f"{slug}.officer{number:02d}", names.person(), Role.OFFICER, agency, handling)
            credential_serial += 1
            issued = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 600))
            valid_to = issued + dt.timedelta(days=365 * 5 - 1)
            if credential_serial % 13 == 0:  # some credentials lapsed
                issued, valid_to = dt.date(2020, 6, 1), dt.date(2025, 5, 31)
            credential = actions.issue_credential(
                admin, officer, f"43021226{credential_serial:05d}", list(spec.fields[:2]),
                "株洲市渌口区人民政府", issued, valid_to,
            )
            if credential_serial % 17 == 0:
                actions.set_credential_status(admin, credential, CredentialStatus.SUSPENDED, "涉嫌违纪，暂扣执法证")
            elif credential_serial == 29:
                actions.set_credential_status(admin, credential, CredentialStatus.REVOKED, "调离执法岗位，注销执法证")
    load_demo_catalog()
    create_demo_cases(rng, names.person)
    load_demo_disclosure()


def load_demo(data_dir: Path) -> list[DemoAccount]:
    """Create the demo data unless it is there already; write and return the demo accounts."""
    if not Agency.objects.filter(code="lk-sfj").exists():
        _create()
        load_demo_publicity(data_dir)
        load_demo_reports(history_cases=400)
        from zhifa.record.checkpoints import make_checkpoint

        make_checkpoint()
    accounts = [
        DemoAccount(u.username, DEMO_PASSWORD, u.role, str(Role(u.role).label), u.agency.name if u.agency else "—",
                    u.full_name)
        for u in User.objects.select_related("agency").order_by("pk")
    ]
    path = data_dir / "demo-accounts.json"
    path.write_text(json.dumps([asdict(a) for a in accounts], ensure_ascii=False, indent=1), encoding="utf-8")
    path.chmod(0o600)
    return accounts


def print_accounts(accounts: list[DemoAccount], data_dir: Path) -> None:
    """The accounts to try first, one of each role; all of them are in demo-accounts.json."""
    shown: dict[tuple[str, str], DemoAccount] = {}
    for account in accounts:
        if account.role != Role.OFFICER or (account.role, account.agency) not in shown:
            shown.setdefault((account.role, account.agency), account)
    print(f"\n演示账户 / demo accounts (密码 password: {DEMO_PASSWORD})")
    print(f"{'用户名 username':<26}{'角色 role':<16}执法主体 agency")
    for account in list(shown.values())[:16]:
        print(f"{account.username:<26}{account.role_label:<16}{account.agency}")
    print(f"… {len(accounts)} 个账户 accounts in {data_dir / 'demo-accounts.json'}")
