"""Build the sample nominee spreadsheets in tests/data/ (good, and each kind of bad), deterministically.

    .venv/bin/python tests/data/make_sheets.py            # rewrite the files next to this script
    .venv/bin/python tests/data/make_sheets.py --out DIR  # write them elsewhere (the test compares bytes)

Every file is built from code here: timestamps inside the zips and in docProps are fixed, so running the
script twice gives the same bytes. The tests in tests/nominations/test_readers.py assert the exact
errors each file produces, as seen on TODAY (2026-02-15).
"""
from __future__ import annotations

import argparse
import io
import re
import struct
import sys
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from election.nominations.template import FIRST_DATA_ROW, render_nominee_template
from workflow.common.idcard import check_character, make_id
from workflow.common.vocab import DEFAULT_CATEGORY_LEAVES

TODAY = date(2026, 2, 15)
UNIT = "第一街道党工委"
TITLE = "出席全市第十二次党代会代表"
CATEGORIES = DEFAULT_CATEGORY_LEAVES
HEADERS = ("姓名", "性别", "民族", "身份证号", "出生年月", "籍贯", "学历", "入党时间", "参加工作时间",
           "工作单位及职务", "身份类别", "备注")
FIXED_TIME = (2026, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Person:
    name: str
    male: bool
    ethnicity: str
    region: str
    birth: date
    seq: int
    native_place: str
    education: str
    joined: str
    started: str
    workplace_title: str
    category: str
    remark: str = ""

    @property
    def id_number(self) -> str:
        return make_id(self.region, self.birth, self.seq, self.male)

    def values(self) -> list[object]:
        return [self.name, "男" if self.male else "女", self.ethnicity, self.id_number, f"{self.birth:%Y-%m}",
                self.native_place, self.education, self.joined, self.started, self.workplace_title, self.category,
                self.remark]


# 17 = 11 推荐名额 with a ≥50% margin (docs/rules.md §2 seed): 局级 6, 处级 3, 一线 8
PEOPLE = (
    Person("王建国", True, "汉族", "110101", date(1968, 5, 12), 11, "河北保定", "硕士研究生", "1990-06", "1990-07",
           "第一街道党工委书记", "局级领导干部"),
    Person("李秀梅", False, "汉族", "110102", date(1971, 9, 3), 22, "山东济南", "大学本科", "1995-07", "1993-08",
           "第一街道办事处主任", "局级领导干部"),
    Person("马文斌", True, "回族", "640104", date(1973, 1, 20), 5, "宁夏银川", "大学本科", "1996-12", "1995-07",
           "第一街道党工委副书记", "局级领导干部"),
    Person("张丽华", False, "汉族", "110105", date(1975, 3, 2), 12, "北京", "博士研究生", "1999-05", "2004-07",
           "区卫生健康委员会主任", "局级领导干部"),
    Person("赵志刚", True, "满族", "210102", date(1969, 11, 30), 34, "辽宁沈阳", "大学本科", "1991-04", "1989-09",
           "区发展和改革委员会主任", "局级领导干部"),
    Person("刘芳", False, "汉族", "110108", date(1976, 2, 29), 40, "湖南长沙",
           "硕士研究生", "2000-06", "1998-07", "区教育委员会主任", "局级领导干部"),
    Person("陈明", True, "汉族", "320102", date(1978, 7, 15), 7, "江苏南京", "大学本科", "2001-07", "2000-08",
           "第一街道社区建设办公室主任", "处级领导干部"),
    Person("孙静", False, "汉族", "110106", date(1980, 12, 1), 18, "北京", "硕士研究生", "2003-06", "2005-07",
           "第一街道党建工作办公室主任", "处级领导干部"),
    Person("周海涛", True, "汉族", "370102", date(1977, 4, 8), 3, "山东济南", "大学本科", "2000-12", "1999-07",
           "第一街道平安建设办公室主任", "处级领导干部"),
    Person("吴桂英", False, "汉族", "110111", date(1974, 6, 18), 26, "北京", "高中", "1998-07", "1992-03",
           "某机械厂数控车工", "工人", "全国劳动模范"),
    Person("郑小平", True, "汉族", "110112", date(1970, 10, 10), 9, "北京", "初中", "1994-06", "1986-05",
           "某村党支部书记、种植大户", "农民"),
    Person("阿依古丽·买买提", False, "维吾尔族", "650102", date(1985, 8, 23), 14, "新疆乌鲁木齐", "硕士研究生",
           "2007-11", "2010-07", "区人民医院主治医师", "专业技术人员"),
    Person("黄磊", True, "汉族", "110105", date(1983, 3, 9), 45, "安徽合肥", "博士研究生", "2006-05", "2012-07",
           "某科技公司高级工程师", "专业技术人员"),
    Person("何婷", False, "汉族", "110108", date(1990, 1, 17), 8, "四川成都", "大学本科", "2012-06", "2013-08",
           "第一中学高级教师", "专业技术人员"),
    Person("林晓东", True, "汉族", "350102", date(1987, 5, 5), 30, "福建福州", "大学本科", "2010-04", "2009-07",
           "区公证处公证员", "专业技术人员"),
    Person("朱红", False, "汉族", "110101", date(1979, 9, 9), 16, "北京", "大学专科", "2002-07", "1999-09",
           "花园社区党委书记、居委会主任", "其他一线"),
    Person("胡军", True, "蒙古族", "150102", date(1982, 12, 25), 2, "内蒙古呼和浩特", "大学本科", "2005-06",
           "2004-07", "某物业公司党支部书记", "其他一线"),
)


# --------------------------------------------------------------------------------------------- helpers


def deterministic(data: bytes) -> bytes:
    """Same content, fixed timestamps: zip entry times and docProps/core.xml dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", body)
            entry = zipfile.ZipInfo(info.filename, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, body)
    return out.getvalue()


def save(wb: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return deterministic(buffer.getvalue())


def from_template(rows: list[list[object]]) -> openpyxl.Workbook:
    wb = openpyxl.load_workbook(io.BytesIO(render_nominee_template(UNIT, CATEGORIES, TITLE)))
    ws = wb["名单"]
    for r, values in enumerate(rows, start=FIRST_DATA_ROW):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(r, c, value)
    return wb


def plain_sheet(header: list[str], rows: list[list[object]], title: str | None = None) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if title:
        ws.append([title])
    ws.append(header)
    for values in rows:
        ws.append(values)
    return wb


def good_rows() -> list[list[object]]:
    return [p.values() for p in PEOPLE]


def replace_member(data: bytes, name: str, body: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, body if info.filename == name else src.read(info.filename))
        for extra_name, extra_body in (extra or {}).items():
            entry = zipfile.ZipInfo(extra_name, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, extra_body)
    return out.getvalue()


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (CFB v3, 512-byte sectors) holding ``streams``.

    Streams are padded to 4,096 bytes so none goes to the mini stream. Enough for anything that reads
    the directory (olefile opens it); what Office needs inside the streams is not attempted.
    """
    end, free, fat_sect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    payloads = [body.ljust(max(4096, -(-len(body) // 512) * 512), b"\0") for body in streams.values()]
    fat = [fat_sect, end]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for body in payloads:
        count = len(body) // 512
        start = len(fat)
        starts.append(start)
        fat.extend(range(start + 1, start + count))
        fat.append(end)
    assert len(fat) <= 128, "one FAT sector only"
    fat.extend([free] * (128 - len(fat)))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB3I", len(raw), kind, 1, free, right, child)
                + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))

    names = list(streams)
    # siblings as a right-leaning chain, ordered like CFB compares names: by length, then upper-case
    order = sorted(range(len(names)), key=lambda i: (len(names[i]), names[i].upper()))
    entries = [entry("Root Entry", 5, order[0] + 1 if names else free, free, end, 0)]
    for i, name in enumerate(names):
        position = order.index(i)
        right = order[position + 1] + 1 if position + 1 < len(order) else free
        entries.append(entry(name, 2, free, right, starts[i], len(streams[name])))
    directory = b"".join(entries).ljust(512, b"\0")
    assert len(entries) <= 4, "one directory sector only"

    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    assert len(header) == 512
    return header + struct.pack("<128I", *fat) + directory + b"".join(payloads)


# --------------------------------------------------------------------------------------------- the files


def build_good() -> bytes:
    return save(from_template(good_rows()))


def build_bad_ids() -> bytes:
    rows = good_rows()[:10]
    ok = PEOPLE[0].id_number
    rows[0][3] = ok[:17] + ("0" if ok[17] != "0" else "1")  # row 4: wrong check character
    rows[1][3] = PEOPLE[1].id_number[:17]  # row 5: 17 characters
    rows[2][3] = "110101730120051"  # row 6: old 15-digit number
    rows[3][3] = PEOPLE[3].id_number[:10] + "O" + PEOPLE[3].id_number[11:]  # row 7: letter O for zero
    body = "11010519750230012"  # row 8: 30 February
    rows[4][3] = body + check_character(body)
    body = "11010520300302012"  # row 9: born in the future (and 出生年月 1975-03 disagrees: not reported)
    rows[5][3] = body + check_character(body)
    rows[6][3] = float(PEOPLE[6].id_number[:15] + "000")  # row 10: typed as a number, Excel kept 15 digits
    rows[7][1] = "男"  # row 11: 孙静 is a woman
    rows[8][4] = "1977-05"  # row 12: ID says 1977-04
    body = "00010519770408003"  # row 13: no such province
    rows[9][3] = body + check_character(body)
    # row 14: a valid ID with a lower-case x — accepted and normalised
    x_person = Person("钱晓", True, "汉族", "110101", date(1981, 1, 1), 0, "北京", "大学本科", "2004-06", "2003-07",
                      "某公司职员", "其他一线")
    seq = next(s for s in range(500) if make_id("110101", date(1981, 1, 1), s, True).endswith("X"))
    x_person = Person(**{**x_person.__dict__, "seq": seq})
    row = x_person.values()
    row[3] = x_person.id_number.lower()
    rows.append(row)
    return save(from_template(rows))


def build_bad_dates() -> bytes:
    rows = [p.values() for p in PEOPLE[:11]]
    # 王建国 born 1968-05-12 → 18 on 1986-05-12
    rows[0][7] = "1986-04"  # row 4: the month before his 18th birthday
    rows[1][7] = "1989-09"  # row 5: 李秀梅 born 1971-09-03 → 1989-09 contains her 18th birthday: accepted
    rows[2][7] = "2026-03"  # row 6: next month (today 2026-02-15)
    rows[3][7] = "一九九九年五月"  # row 7: Chinese numerals
    rows[4][7] = "1991.13"  # row 8: month 13
    rows[5][8] = "2019-02-30"  # row 9: 参加工作时间 30 February
    rows[6][7] = "2001"  # row 10: year only
    rows[7][7] = 2003.1  # row 11: 2003.10 typed in a General cell
    rows[8][4] = "2026-03"  # row 12: 出生年月 in the future
    rows[9][8] = "1973-01"  # row 13: work started before birth (1974-06)
    rows[10][7] = "2026-02"  # row 14: this month: accepted
    return save(from_template(rows))


def build_bad_values() -> bytes:
    rows = [p.values() for p in PEOPLE[:8]]
    rows[0][0] = None  # row 4: no name
    rows[1][1] = "F"  # row 5: 'F' is accepted as 女 — no error
    rows[2][1] = "未知"  # row 6: not a gender
    rows[3][2] = "汉"  # row 7: accepted as 汉族
    rows[4][2] = "穿青人"  # row 8: not one of the 56
    rows[5][6] = "研究生"  # row 9: ambiguous 学历
    rows[6][10] = "一般干部"  # row 10: not an allowed category
    rows[7][5] = None  # row 11: no 籍贯, no 工作单位及职务, no 性别
    rows[7][9] = None
    rows[7][1] = None
    return save(from_template(rows))


def build_missing_columns() -> bytes:
    header = ["姓名", "性别", "身份证号", "出生年月", "籍贯", "入党时间", "工作单位及职务", "身份类别", "姓名"]
    rows = [[p.name, "男" if p.male else "女", p.id_number, f"{p.birth:%Y-%m}", p.native_place, p.joined,
             p.workplace_title, p.category, p.name] for p in PEOPLE[:3]]
    return save(plain_sheet(header, rows, title="推荐人选名册"))


def build_duplicates() -> bytes:
    rows = good_rows()[:6]
    twin = list(rows[0])
    twin[3] = twin[3].translate(str.maketrans("0123456789", "０１２３４５６７８９"))  # same ID, full-width digits
    rows.append(twin)  # row 10 duplicates row 4 by ID
    namesake = Person("李秀梅", False, "汉族", "370102", date(1971, 9, 3), 60, "山东济南", "大学本科", "1995-07",
                      "1993-08", "某公司会计", "其他一线")
    rows.append(namesake.values())  # row 11: same name and birth date as row 5, another ID
    rows.append(list(rows[2]))  # row 12: exact copy of row 6
    copy = list(rows[3])
    copy[6] = "研究生"
    rows.append(copy)  # row 13: copy of row 7 with another error as well: both reported
    return save(from_template(rows))


def build_reordered_fullwidth() -> bytes:
    """Sloppy but valid: headers shuffled, spaced, aliased, below a title; full-width text; Excel dates."""
    header = [" 身份证号码 ", "姓　名", "性 别", "出生日期（年月）", "民族", "学历", "籍贯",
              "入党时间", "参加工作时间", "工作单位及职务", "身份类别", "备注", "序号"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "推荐名单"
    ws.append(["第一街道党工委推荐人选名册"])
    ws.append([])
    ws.append(["推荐单位：第一街道党工委"])
    ws.append(header)
    full = str.maketrans("0123456789-X", "０１２３４５６７８９－Ｘ")
    for i, p in enumerate(PEOPLE[:8], start=1):
        name = p.name if len(p.name) != 2 else f"{p.name[0]}　{p.name[1]}"  # 王　芳 aligned with a full-width space
        birth: object = f"{p.birth:%Y-%m}".translate(full)
        joined: object = p.joined
        started: object = p.started
        if i % 3 == 1:
            birth = datetime(p.birth.year, p.birth.month, 1)  # an Excel date shown as 年月
            joined = f"{p.joined[:4]}年{int(p.joined[5:])}月"
        elif i % 3 == 2:
            birth = datetime(p.birth.year, p.birth.month, p.birth.day)  # a full Excel date matching the ID
            joined = p.joined.replace("-", ".")
            started = p.started.replace("-", "")
        else:
            joined = f"{p.joined[:4]}/{p.joined[5:]}/1"
        edu = {"大学本科": "本科", "大学专科": "大专"}.get(p.education, p.education)
        ws.append([f" {p.id_number.translate(full)} ", name, "男性" if p.male else "女", birth,
                   p.ethnicity.removesuffix("族") if p.ethnicity == "汉族" else p.ethnicity, edu, p.native_place,
                   joined, started, f" {p.workplace_title}\u3000", p.category, p.remark, i])
        row = ws.max_row
        if isinstance(birth, datetime):
            ws.cell(row, 4).number_format = 'yyyy"年"m"月"' if i % 3 == 1 else "yyyy-mm-dd"
        if i == 4:
            ws.append([])  # an empty row in the middle
    ws.append([None] * 12 + [9])  # a pre-numbered row left blank: only 序号
    ws.append([])
    ws.append(["填表人：张三    联系电话：12345678"])
    return save(wb)


def build_formulas() -> bytes:
    """性别 and 出生年月 computed from the ID by formulas; the file carries Excel's cached results."""
    rows = good_rows()[:4]
    cached: dict[str, tuple[str, str]] = {}
    for r, values in enumerate(rows, start=FIRST_DATA_ROW):
        values[1] = f'=IF(MOD(MID(D{r},17,1),2)=1,"男","女")'
        values[4] = f'=MID(D{r},7,4)&"-"&MID(D{r},11,2)'
        person = PEOPLE[r - FIRST_DATA_ROW]
        cached[f"B{r}"] = ("str", "男" if person.male else "女")
        cached[f"E{r}"] = ("str", f"{person.birth:%Y-%m}")
    last = FIRST_DATA_ROW + len(rows) - 1
    rows[-1][2] = '=VLOOKUP(A7,民族表!A:B,2,FALSE)'  # a lookup that failed: cached #N/A
    cached[f"C{last}"] = ("e", "#N/A")
    data = save(from_template(rows))
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()

    def with_value(match: re.Match) -> str:
        ref, style, formula = match.group(1), match.group(2) or "", match.group(3)
        kind, value = cached[ref]
        return f'<c r="{ref}"{style} t="{kind}"><f>{formula}</f><v>{value}</v></c>'

    sheet = re.sub(r'<c r="([A-Z]+\d+)"( s="\d+")?><f>(.*?)</f><v\s*/?>(?:</v>)?</c>', with_value, sheet)
    return replace_member(data, "xl/worksheets/sheet1.xml", sheet.encode())


def build_hidden_sheet_extra_columns() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["序号", *HEADERS[:6], "联系电话", *HEADERS[6:], "是否党代表"])
    for i, p in enumerate(PEOPLE[:5], start=1):
        v = p.values()
        ws.append([i, *v[:6], "13800000000", *v[6:], "否"])
    draft = wb.create_sheet("草稿")
    draft.sheet_state = "hidden"
    draft.append(list(HEADERS))
    draft.append(["草稿人", "男"])
    notes = wb.create_sheet("统计")
    notes.append(["合计", 5])
    return save(wb)


def build_macro() -> bytes:
    data = build_good()
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").decode()
    types = types.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                          "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    types = types.replace("<Default ", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                          "<Default ", 1)
    vba = compound_file({"PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nName="VBAProject"\r\n'})
    return replace_member(data, "[Content_Types].xml", types.encode(), {"xl/vbaProject.bin": vba})


def build_fake_xls() -> bytes:
    # BIFF8 BOF record (0x0809) for a workbook globals substream, then EOF
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06)
    return compound_file({"Workbook": bof + struct.pack("<HH", 0x000A, 0)})


def build_encrypted() -> bytes:
    # ECMA-376 §2.3.4.10 agile encryption: EncryptionInfo (version 4.4) + EncryptedPackage (size + ciphertext)
    info = struct.pack("<HHI", 4, 4, 0x40) + (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                              b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
                                              b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
                                              b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" '
                                              b'hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>')
    package = struct.pack("<Q", 8192) + bytes((i * 73 + 41) % 256 for i in range(8192))
    return compound_file({"EncryptionInfo": info, "EncryptedPackage": package})


def build_csv() -> bytes:
    lines = [",".join(HEADERS)] + [",".join(str(v) for v in p.values()) for p in PEOPLE[:3]]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def build_corrupt() -> bytes:
    data = build_good()
    return data[: len(data) * 2 // 3]  # cut short, as by an interrupted download: no central directory


def build_too_many_rows() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(list(HEADERS[:4]))
    for i in range(5_100):
        ws.append([f"人员{i}", "男", "汉族", make_id("110101", date(1970 + i % 30, 1 + i % 12, 1 + i % 28), i % 500, True)])
    return save(wb)


def build_zipbomb() -> bytes:
    """A well-formed .xlsx whose sheet inflates to 80 MB of blank rows from about 80 KB."""
    data = build_good()
    blank = b'<row r="%d"/>'
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    filler = b" " * (80 * 1024 * 1024)
    body = head + blank % 1 + filler + b"</sheetData></worksheet>"
    return replace_member(data, "xl/worksheets/sheet1.xml", body)


FILES = {
    "good.xlsx": build_good,
    "bad_ids.xlsx": build_bad_ids,
    "bad_dates.xlsx": build_bad_dates,
    "bad_values.xlsx": build_bad_values,
    "missing_columns.xlsx": build_missing_columns,
    "duplicates.xlsx": build_duplicates,
    "reordered_headers_fullwidth.xlsx": build_reordered_fullwidth,
    "formulas.xlsx": build_formulas,
    "hidden_sheet_extra_columns.xlsx": build_hidden_sheet_extra_columns,
    "macro.xlsm": build_macro,
    "fake.xls": build_fake_xls,
    "plain.csv": build_csv,
    "corrupt.xlsx": build_corrupt,
    "encrypted.xlsx": build_encrypted,
    "too_many_rows.xlsx": build_too_many_rows,
    "zipbomb.xlsx": build_zipbomb,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("names", nargs="*", help="only these files")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, build in FILES.items():
        if args.names and name not in args.names:
            continue
        data = build()
        (args.out / name).write_bytes(data)
        print(f"{name:36} {len(data):>9,} bytes")


if __name__ == "__main__":
    main()
