"""The Tam Nông demo's data: the seed letter, the schools and their people, contributor groups,
and the Vietnamese texts of the news, documents, lectures and albums `seed_demo` publishes.

Only data and the small frozen records that shape it live here; `district_site.demo.seeder` puts
it into the database and `district_site.demo.writer` writes each school's sections from it.
Texts are `str.format` templates; `seeder._Seeder.context` lists the names they may use.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from district_site.models import School
from school_site.models import ContributorGroup, LecturePage, NewsPage, OfficialDocumentPage

# The password printed for every demo account (the README and the seed_demo output show it).
DEMO_PASSWORD = "matkhau-2017"
# Seeds every random choice the demo makes, so two machines seed the same district.
DEMO_SEED = 2017
DISTRICT_NAME = "Phòng GD&ĐT Tam Nông"
DISTRICT_COLLECTION = "Phòng GD&ĐT Tam Nông"
NATIONAL_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc"

# ---------------------------------------------------------------------------------------------
# The seed letter (copied from the department's dispatch of 29/06/2017). The original reads
# "531/PGDDĐT-VP" in its header, a typing slip; the number is written correctly here.
# ---------------------------------------------------------------------------------------------

SEED_LETTER_NUMBER = "531/PGDĐT-VP"
SEED_LETTER_DATE = datetime.date(2017, 6, 29)
SEED_LETTER_SIGNER = "Lê Thanh Long"
SEED_LETTER_TITLE = "Tăng cường việc đăng tin, bài trên cổng thông tin điện tử của đơn vị"
SEED_LETTER_TEXT = """Số: 531/PGDĐT-VP

Tam Nông, ngày 29 tháng 6 năm 2017

V/v tăng cường việc đăng tin, bài trên cổng thông tin điện tử của đơn vị

Kính gửi: Hiệu trưởng các đơn vị trực thuộc Phòng GDĐT.

Thời gian qua, việc đăng tin, bài viết và khai thác các tiện ích trên cổng thông tin điện tử của các trường Tiểu học, THCS, TH&THCS còn nhiều hạn chế;

Nhằm khai thác có hiệu quả các tiện ích của cổng thông tin điện tử trong thời gian tới, Phòng Giáo dục và Đào tạo yêu cầu Hiệu trưởng các đơn vị thực hiện tốt các nội dung sau:

1. Thành lập Ban quản trị và Quy chế hoạt động cổng thông tin điện tử của đơn vị, phân công cụ thể nhiệm vụ của các thành viên trong Ban quản trị, đảm bảo trang thông tin điện tử của đơn vị hoạt động hiệu quả.

2. Hiệu trưởng khuyến khích tổ chức Công đoàn, Đoàn – Đội, các Tổ chuyên môn, giáo viên, nhân viên của trường phối hợp với cán bộ quản trị tăng cường viết tin, bài liên quan đến các hoạt động của trường, ngành, các văn bản, bài giảng, tin tức thời sự, chính trị, xã hội,... (đã được Ban quản trị kiểm duyệt) lên trang thông tin điện tử của đơn vị, góp phần làm phong phú nội dung, sức hấp dẫn của trang thông tin điện tử phục vụ tốt công tác dạy và học.

3. Đưa tiêu chí viết tin, bài được đăng trên cổng thông tin điện tử của các tổ chức, giáo viên, nhân viên vào bảng điểm thi đua của đơn vị. Các trường thực hiện khai thác tốt các tiện ích của cổng thông tin điện tử, đăng nhiều nội dung hay, phong phú là tiêu chí để Phòng GDĐT cộng điểm thi đua vào cuối năm học.

4. Các trường MN-MG sẽ được trang bị cổng thông tin điện tử dự kiến vào tháng 7/2017 theo chủ trương của UBND huyện (UBND huyện sẽ cấp bổ sung kinh phí). Đề nghị Hiệu trưởng các trường chuẩn bị tốt các điều kiện cần thiết để khai thác có hiệu quả khi được trang bị cổng thông tin điện tử, tránh lãng phí.

Phòng GDĐT yêu cầu thủ trưởng các đơn vị triển khai thực hiện nghiêm túc theo tinh thần công văn này./.

Nơi nhận:

- Các đ/v trực thuộc (để t/h);
- TP, các PTP (chỉ đạo);
- Các Tổ CM Phòng GD (để t/h);
- Lưu: VT.

KT. TRƯỞNG PHÒNG
PHÓ TRƯỞNG PHÒNG

Lê Thanh Long"""


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A demo user, stored as every user is (home/text.py): the given name in `first_name`,
    the family and middle names in `last_name`, shown "Nguyễn Văn Hiếu" by display_name."""

    family: str
    given: str
    female: bool
    position: str

    @property
    def full_name(self) -> str:
        return f"{self.family} {self.given}"

    @property
    def honorific(self) -> str:
        return "Cô" if self.female else "Thầy"


@dataclass(frozen=True)
class DemoSchool:
    name: str
    slug: str
    kind: str
    address: str
    short_code: str
    place: str
    phone: str
    founded: int
    classes: int
    pupils: int
    # principal, vice-principal (board), then two or three teachers / staff (editors)
    people: tuple[Person, ...]

    @property
    def login(self) -> str:
        return self.slug.replace("-", "")

    @property
    def preschool(self) -> bool:
        return self.kind == School.Kind.PRESCHOOL


ROLES = ("principal", "vice", "t1", "t2", "t3")
USERNAME_PREFIX = {
    "principal": "hieutruong",
    "vice": "phohieutruong",
    "t1": "giaovien1",
    "t2": "giaovien2",
    "t3": "giaovien3",
}

SCHOOLS: tuple[DemoSchool, ...] = (
    DemoSchool(
        name="Trường Mầm non Hoa Sen",
        slug="mn-hoasen",
        kind=School.Kind.PRESCHOOL,
        address="Khóm 1, thị trấn Tràm Chim, huyện Tam Nông, tỉnh Đồng Tháp",
        short_code="MNHS",
        place="thị trấn Tràm Chim",
        phone="0277 3827 215",
        founded=1998,
        classes=12,
        pupils=356,
        people=(
            Person("Nguyễn Thị Thu", "Hà", True, "Hiệu trưởng"),
            Person("Trần Thị Mỹ", "Linh", True, "Phó Hiệu trưởng"),
            Person("Lê Thị Ngọc", "Hân", True, "Giáo viên lớp Lá 1"),
            Person("Phạm Thị Kim", "Ngân", True, "Giáo viên lớp Chồi 2"),
            Person("Võ Thị Bé", "Ba", True, "Nhân viên nuôi dưỡng"),
        ),
    ),
    DemoSchool(
        name="Trường Mẫu giáo Phú Thành A",
        slug="mg-phuthanha",
        kind=School.Kind.PRESCHOOL,
        address="Ấp K10, xã Phú Thành A, huyện Tam Nông, tỉnh Đồng Tháp",
        short_code="MGPTA",
        place="xã Phú Thành A",
        phone="0277 3829 146",
        founded=2005,
        classes=8,
        pupils=214,
        people=(
            Person("Huỳnh Thị Thanh", "Thúy", True, "Hiệu trưởng"),
            Person("Đặng Thị Bích", "Trâm", True, "Phó Hiệu trưởng"),
            Person("Nguyễn Thị Cẩm", "Tú", True, "Giáo viên lớp Lá điểm K10"),
            Person("Lê Thị Hồng", "Nhung", True, "Giáo viên lớp Mầm"),
            Person("Trần Thị", "Diễm", True, "Nhân viên kế toán"),
        ),
    ),
    DemoSchool(
        name="Trường Tiểu học Phú Đức",
        slug="th-phuduc",
        kind=School.Kind.PRIMARY,
        address="Ấp Phú Thọ, xã Phú Đức, huyện Tam Nông, tỉnh Đồng Tháp",
        short_code="THPĐ",
        place="xã Phú Đức",
        phone="0277 3826 308",
        founded=1976,
        classes=18,
        pupils=512,
        people=(
            Person("Nguyễn Văn", "Hiếu", False, "Hiệu trưởng"),
            Person("Lê Thị Kim", "Phượng", True, "Phó Hiệu trưởng"),
            Person("Trần Văn", "Thành", False, "Giáo viên, Tổ trưởng Tổ 1"),
            Person("Võ Thị Thanh", "Tuyền", True, "Giáo viên lớp 3A"),
            Person("Phan Văn", "Lộc", False, "Giáo viên Tổng phụ trách Đội"),
        ),
    ),
    DemoSchool(
        name="Trường THCS Tràm Chim",
        slug="thcs-tramchim",
        kind=School.Kind.LOWER_SECONDARY,
        address="Khóm 3, thị trấn Tràm Chim, huyện Tam Nông, tỉnh Đồng Tháp",
        short_code="THCSTC",
        place="thị trấn Tràm Chim",
        phone="0277 3827 431",
        founded=1980,
        classes=24,
        pupils=896,
        people=(
            Person("Đỗ Minh", "Tuấn", False, "Hiệu trưởng"),
            Person("Nguyễn Thị Hồng", "Vân", True, "Phó Hiệu trưởng"),
            Person("Lê Hoàng", "Phúc", False, "Giáo viên Toán, Tổ trưởng Tổ Toán – Tin"),
            Person("Trương Thị Mỹ", "Duyên", True, "Giáo viên Ngữ văn"),
            Person("Nguyễn Quốc", "Khánh", False, "Giáo viên Tổng phụ trách Đội"),
        ),
    ),
    DemoSchool(
        name="Trường TH&THCS Phú Hiệp",
        slug="thcs-phuhiep",
        kind=School.Kind.COMBINED,
        address="Ấp Phú Lợi, xã Phú Hiệp, huyện Tam Nông, tỉnh Đồng Tháp",
        short_code="TH&THCSPH",
        place="xã Phú Hiệp",
        phone="0277 3828 572",
        founded=2008,
        classes=20,
        pupils=634,
        people=(
            Person("Phạm Văn", "Dũng", False, "Hiệu trưởng"),
            Person("Bùi Thị Ngọc", "Ánh", True, "Phó Hiệu trưởng"),
            Person("Huỳnh Văn", "Nam", False, "Giáo viên Toán – Lý"),
            Person("Nguyễn Thị Thu", "Trang", True, "Giáo viên lớp 2A"),
            Person("Lê Văn", "Sang", False, "Giáo viên Tổng phụ trách Đội"),
        ),
    ),
)

DISTRICT_ADMIN = Person("Võ Thanh", "Tùng", False, "Chuyên viên Phòng GD&ĐT")
DISTRICT_ADMIN_USERNAME = "quantri.phonggd"
SUPERUSER_USERNAME = "admin"
SUPERUSER = Person("Quản trị", "hệ thống", False, "Quản trị kỹ thuật")


@dataclass(frozen=True)
class GroupSpec:
    key: str  # how content specs refer to it: union, youth, pro, care
    name: str
    kind: str
    members: tuple[str, ...]  # roles
    leader: str


_UNION = GroupSpec("union", "Công đoàn", ContributorGroup.Kind.TRADE_UNION, ROLES, "t1")
GROUPS: dict[str, tuple[GroupSpec, ...]] = {
    # Preschools have no Youth Union or Pioneers; their kitchen team and age-group teams write.
    School.Kind.PRESCHOOL: (
        _UNION,
        GroupSpec(
            "pro", "Tổ Mẫu giáo lớn", ContributorGroup.Kind.PROFESSIONAL, ("vice", "t1", "t2"), "t2"
        ),
        GroupSpec("care", "Tổ Nuôi dưỡng", ContributorGroup.Kind.OTHER, ("vice", "t3"), "t3"),
    ),
    School.Kind.PRIMARY: (
        _UNION,
        GroupSpec("youth", "Đoàn – Đội", ContributorGroup.Kind.YOUTH_UNION, ("t2", "t3"), "t3"),
        GroupSpec("pro", "Tổ 1", ContributorGroup.Kind.PROFESSIONAL, ("t1", "t2"), "t1"),
        GroupSpec("pro", "Tổ 4–5", ContributorGroup.Kind.PROFESSIONAL, ("vice", "t3"), "vice"),
    ),
    School.Kind.LOWER_SECONDARY: (
        _UNION,
        GroupSpec("youth", "Đoàn – Đội", ContributorGroup.Kind.YOUTH_UNION, ("t2", "t3"), "t3"),
        GroupSpec("pro", "Tổ Toán – Tin", ContributorGroup.Kind.PROFESSIONAL, ("vice", "t1"), "t1"),
        GroupSpec(
            "pro",
            "Tổ Ngữ văn – Ngoại ngữ",
            ContributorGroup.Kind.PROFESSIONAL,
            ("t2", "t3"),
            "t2",
        ),
    ),
    School.Kind.COMBINED: (
        _UNION,
        GroupSpec("youth", "Đoàn – Đội", ContributorGroup.Kind.YOUTH_UNION, ("t1", "t3"), "t3"),
        GroupSpec("pro", "Tổ Tiểu học", ContributorGroup.Kind.PROFESSIONAL, ("vice", "t2"), "t2"),
        GroupSpec(
            "pro",
            "Tổ Khoa học tự nhiên",
            ContributorGroup.Kind.PROFESSIONAL,
            ("t1", "t3"),
            "t1",
        ),
    ),
}

# Names for the extra staff on each school's "Đội ngũ" page (people without an account).
STAFF_FAMILY_NAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Phan",
    "Trương",
    "Đặng",
    "Bùi",
    "Ngô",
)
STAFF_MIDDLE_NAMES_F = ("Thị", "Thị Ngọc", "Thị Kim", "Thị Thu", "Thị Mỹ", "Thị Thanh", "Thị Bích")
STAFF_MIDDLE_NAMES_M = ("Văn", "Minh", "Hoàng", "Quốc", "Thanh", "Hữu", "Công")
STAFF_GIVEN_NAMES_F = (
    "Lan",
    "Hương",
    "Thảo",
    "Ngân",
    "Trinh",
    "Diễm",
    "Loan",
    "Nhung",
    "Yến",
    "Phương",
)
STAFF_GIVEN_NAMES_M = ("Hùng", "Phúc", "Tài", "Lộc", "Nghĩa", "Tâm", "Khoa", "Toàn", "Hải", "Sơn")
EXTRA_STAFF = {
    True: ("Giáo viên lớp Mầm", "Giáo viên lớp Chồi", "Nhân viên y tế", "Nhân viên bảo vệ"),
    False: ("Giáo viên", "Giáo viên", "Nhân viên thư viện – thiết bị", "Nhân viên bảo vệ"),
}

# ---------------------------------------------------------------------------------------------
# Content. Texts are str.format templates; `seeder._Seeder.context` lists the names they may use.
# ---------------------------------------------------------------------------------------------

PRE = (School.Kind.PRESCHOOL,)
GENERAL = (School.Kind.PRIMARY, School.Kind.LOWER_SECONDARY, School.Kind.COMBINED)
ALL_KINDS = PRE + GENERAL
Cat = NewsPage.Category


@dataclass(frozen=True)
class NewsSpec:
    category: str
    title: str
    intro: str
    paragraphs: tuple[str, ...]
    kinds: tuple[str, ...] = ALL_KINDS
    group: str | None = None
    on: tuple[int, int] | None = None  # (month, day) of the event, if it has one
    quote: tuple[str, str] | None = None


NEWS: tuple[NewsSpec, ...] = (
    NewsSpec(
        Cat.SCHOOL_NEWS,
        "Lễ khai giảng năm học {year}",
        "Sáng ngày 05/9, {school} long trọng tổ chức Lễ khai giảng năm học {year} trong không khí vui tươi, phấn khởi.",
        (
            "Tham dự buổi lễ có đại diện lãnh đạo Đảng ủy, Ủy ban nhân dân {place}, Ban đại diện {parents} cùng toàn thể cán bộ, giáo viên, nhân viên và {pupils} {learners} của trường.",
            "Năm học {year}, nhà trường có {classes} lớp với {pupils} {learners}. Phát biểu tại buổi lễ, {principal_title} {principal}, Hiệu trưởng nhà trường, ôn lại những kết quả nổi bật của năm học {prev_year} và quán triệt các nhiệm vụ trọng tâm của năm học mới.",
            "Sau hồi trống khai trường, các tiết mục văn nghệ do giáo viên và {learners} biểu diễn mang lại nhiều cảm xúc cho người tham dự. Buổi lễ khép lại trong niềm tin về một năm học mới nhiều thành công.",
        ),
        on=(9, 5),
        quote=("Tất cả vì học sinh thân yêu.", "Khẩu hiệu năm học của nhà trường"),
    ),
    NewsSpec(
        Cat.SCHOOL_NEWS,
        "Hội nghị viên chức, người lao động năm học {year}",
        "{school} tổ chức Hội nghị viên chức, người lao động nhằm đánh giá kết quả năm học trước và thống nhất kế hoạch năm học mới.",
        (
            "Hội nghị do Hiệu trưởng phối hợp với Ban Chấp hành Công đoàn cơ sở tổ chức, với sự tham dự của toàn thể cán bộ, giáo viên, nhân viên nhà trường.",
            "Các đại biểu thảo luận, góp ý thẳng thắn vào báo cáo tổng kết, quy chế chi tiêu nội bộ, quy chế dân chủ ở cơ sở; đồng thời phát động phong trào thi đua “Dạy tốt – Học tốt” trong toàn trường.",
            "Hội nghị đã bầu Ban Thanh tra nhân dân nhiệm kỳ mới và ký kết giao ước thi đua giữa các tổ.",
        ),
        group="union",
        on=(10, 2),
    ),
    NewsSpec(
        Cat.SCHOOL_NEWS,
        "Họp mặt kỷ niệm {teachers_day} năm Ngày Nhà giáo Việt Nam 20/11",
        "Sáng ngày 20/11, Công đoàn {school} tổ chức họp mặt kỷ niệm {teachers_day} năm Ngày Nhà giáo Việt Nam (20/11/1982 – 20/11/{y1}).",
        (
            "Đến dự có đại diện lãnh đạo địa phương, Ban đại diện {parents} và các thầy cô giáo đã nghỉ hưu của trường.",
            "Trong đợt thi đua chào mừng ngày 20/11, toàn trường có nhiều tiết dạy tốt, nhiều sáng kiến được áp dụng vào thực tế giảng dạy. Nhà trường đã khen thưởng các tập thể, cá nhân có thành tích xuất sắc.",
            "Buổi họp mặt diễn ra ấm cúng với những tiết mục văn nghệ, những bó hoa tươi thắm {learners} dành tặng thầy cô.",
        ),
        group="union",
        on=(11, 20),
    ),
    NewsSpec(
        Cat.SCHOOL_NEWS,
        "Hội thi giáo viên dạy giỏi cấp trường năm học {year}",
        "Nhằm nâng cao chất lượng đội ngũ, {school} tổ chức Hội thi giáo viên dạy giỏi cấp trường với nhiều tiết dạy chất lượng.",
        (
            "Hội thi thu hút sự tham gia của các giáo viên trong các tổ chuyên môn. Mỗi giáo viên dự thi thực hiện một tiết dạy thực hành và trình bày biện pháp nâng cao chất lượng giảng dạy.",
            "Ban giám khảo đánh giá cao việc ứng dụng công nghệ thông tin, tổ chức hoạt động nhóm và phát huy tính tích cực của {learners}. Kết quả, nhà trường chọn những giáo viên xuất sắc dự thi cấp huyện.",
        ),
        group="pro",
    ),
    NewsSpec(
        Cat.SCHOOL_NEWS,
        "Liên đội tổ chức “Vui Tết Trung thu” cho học sinh",
        "Tối ngày rằm tháng Tám, Liên đội {school} tổ chức chương trình “Vui Tết Trung thu” cho các em học sinh.",
        (
            "Chương trình gồm các hoạt động rước đèn, thi làm lồng đèn từ vật liệu tái chế và phá cỗ trông trăng.",
            "Nhân dịp này, nhà trường cùng các nhà hảo tâm trao tặng quà cho học sinh có hoàn cảnh khó khăn, giúp các em có một mùa trăng trọn vẹn.",
        ),
        kinds=GENERAL,
        group="youth",
        on=(9, 25),
    ),
    NewsSpec(
        Cat.SCHOOL_NEWS,
        "Bé vui đón Tết Trung thu",
        "Các bé {school} hân hoan đón Tết Trung thu với mâm cỗ, đèn lồng và những tiết mục múa hát đáng yêu.",
        (
            "Cô và trò cùng bày mâm ngũ quả, làm bánh trung thu, lồng đèn từ vật liệu sẵn có. Các bé được nghe kể sự tích chú Cuội, chị Hằng và hào hứng rước đèn quanh sân trường.",
            "Hoạt động giúp các bé hiểu thêm về ngày Tết cổ truyền của dân tộc và mạnh dạn hơn khi tham gia các hoạt động tập thể.",
        ),
        kinds=PRE,
        group="pro",
        on=(9, 25),
    ),
    NewsSpec(
        Cat.SECTOR_NEWS,
        "Phòng GD&ĐT Tam Nông tập huấn ứng dụng công nghệ thông tin trong quản lý và dạy học",
        "Phòng GD&ĐT Tam Nông vừa tổ chức lớp tập huấn ứng dụng công nghệ thông tin cho cán bộ quản lý và giáo viên cốt cán các trường.",
        (
            "Nội dung tập huấn gồm khai thác trang thông tin điện tử của đơn vị, quy trình viết, gửi duyệt và đăng tin, bài; sử dụng kho học liệu số và hồ sơ điện tử.",
            "Thực hiện Công văn số 531/PGDĐT-VP của Phòng GD&ĐT, tiêu chí đăng tin, bài trên trang thông tin điện tử được đưa vào bảng điểm thi đua cuối năm học của các đơn vị.",
        ),
    ),
    NewsSpec(
        Cat.SECTOR_NEWS,
        "Ngành giáo dục huyện Tam Nông triển khai nhiệm vụ năm học {year}",
        "Phòng GD&ĐT Tam Nông tổ chức hội nghị tổng kết năm học {prev_year} và triển khai nhiệm vụ năm học {year}.",
        (
            "Năm học {prev_year}, toàn ngành duy trì tốt kết quả phổ cập giáo dục, tỉ lệ huy động trẻ ra lớp và học sinh hoàn thành chương trình các cấp học đều đạt và vượt chỉ tiêu.",
            "Năm học {year}, ngành tập trung thực hiện Chương trình giáo dục phổ thông 2018, đẩy mạnh chuyển đổi số, xây dựng trường đạt chuẩn quốc gia và nâng cao chất lượng đội ngũ.",
        ),
        on=(8, 28),
    ),
    NewsSpec(
        Cat.ANNOUNCEMENT,
        "Thông báo lịch họp {parents} đầu năm học {year}",
        "{school} thông báo lịch họp {parents} đầu năm học {year}.",
        (
            "Thời gian: 7 giờ 30 phút, sáng Chủ nhật, ngày 21/9. Địa điểm: tại các phòng học của lớp.",
            "Nội dung: thông qua kế hoạch năm học, nội quy nhà trường, bầu Ban đại diện {parents} lớp. Kính mong quý phụ huynh sắp xếp thời gian đến dự đầy đủ, đúng giờ.",
        ),
        on=(9, 15),
    ),
    NewsSpec(
        Cat.ANNOUNCEMENT,
        "Thông báo lịch kiểm tra giữa học kì I năm học {year}",
        "Nhà trường thông báo lịch kiểm tra giữa học kì I để học sinh và phụ huynh chủ động ôn tập.",
        (
            "Kiểm tra giữa học kì I diễn ra từ ngày 03/11 đến ngày 07/11 theo lịch của từng khối lớp. Học sinh có mặt trước giờ kiểm tra 15 phút, mang đầy đủ dụng cụ học tập.",
            "Giáo viên chủ nhiệm thông báo cụ thể lịch kiểm tra từng môn đến học sinh và {parents}.",
        ),
        kinds=GENERAL,
        on=(10, 27),
    ),
    NewsSpec(
        Cat.ANNOUNCEMENT,
        "Thông báo lịch khám sức khỏe định kỳ cho trẻ đợt 1",
        "Nhà trường phối hợp với Trạm Y tế {place} tổ chức khám sức khỏe định kỳ cho trẻ.",
        (
            "Thời gian: sáng thứ Năm, ngày 16/10. Nội dung: cân, đo chiều cao, khám răng miệng, mắt, tai mũi họng và đánh giá tình trạng dinh dưỡng.",
            "Đề nghị {parents} cho trẻ đi học đúng giờ, ăn sáng đầy đủ. Kết quả khám được gửi đến gia đình qua sổ theo dõi sức khỏe của trẻ.",
        ),
        kinds=PRE,
        group="care",
        on=(10, 10),
    ),
    NewsSpec(
        Cat.CURRENT_AFFAIRS,
        "Phòng, chống đuối nước cho trẻ em trong mùa nước nổi",
        "Mùa nước nổi về trên các cánh đồng Tam Nông, nguy cơ đuối nước ở trẻ em tăng cao. Nhà trường khuyến cáo phụ huynh tăng cường quản lý con em.",
        (
            "Tuyệt đối không để trẻ tự đi bơi, chơi gần ao, kênh, mương khi không có người lớn đi kèm; khi đi đò, phương tiện thủy phải mặc áo phao.",
            "Nhà trường đã lồng ghép kỹ năng phòng tránh đuối nước vào các giờ sinh hoạt, phối hợp với địa phương tổ chức lớp dạy bơi an toàn cho {learners}.",
        ),
        group="youth",
        on=(9, 18),
    ),
    NewsSpec(
        Cat.CURRENT_AFFAIRS,
        "Chủ động phòng, chống sốt xuất huyết và bệnh tay chân miệng trong trường học",
        "Trước diễn biến của dịch sốt xuất huyết và bệnh tay chân miệng, nhà trường triển khai nhiều biện pháp phòng bệnh.",
        (
            "Hằng tuần, nhà trường tổ chức vệ sinh trường lớp, diệt lăng quăng, khử khuẩn đồ dùng, đồ chơi; hướng dẫn {learners} rửa tay đúng cách bằng xà phòng.",
            "Phụ huynh khi thấy trẻ sốt cao, nổi ban, loét miệng cần đưa trẻ đến cơ sở y tế và báo cho giáo viên chủ nhiệm để kịp thời phối hợp.",
        ),
        group="care",
    ),
    NewsSpec(
        Cat.CURRENT_AFFAIRS,
        "Tuyên truyền an toàn giao thông đầu năm học",
        "Liên đội phối hợp với Công an {place} tuyên truyền Luật Giao thông đường bộ cho học sinh.",
        (
            "Các em được hướng dẫn cách đội mũ bảo hiểm đúng quy cách, đi bộ an toàn, không đi xe đạp dàn hàng ngang và không điều khiển xe máy khi chưa đủ tuổi.",
            "Kết thúc buổi tuyên truyền, học sinh ký cam kết chấp hành an toàn giao thông cùng gia đình.",
        ),
        kinds=GENERAL,
        group="youth",
    ),
    NewsSpec(
        Cat.ARTICLE,
        "Một số biện pháp giúp trẻ 5 tuổi mạnh dạn, tự tin trong giao tiếp",
        "Chia sẻ kinh nghiệm của giáo viên lớp Lá giúp trẻ mạnh dạn, tự tin trước khi vào lớp 1.",
        (
            "Thứ nhất, tạo môi trường lớp học gần gũi, để trẻ được chọn góc chơi và tự giới thiệu sản phẩm của mình.",
            "Thứ hai, tổ chức trò chơi đóng vai “Bé làm người bán hàng”, “Bé làm hướng dẫn viên Tràm Chim” để trẻ luyện nói trước bạn bè.",
            "Thứ ba, phối hợp với gia đình: cha mẹ dành thời gian trò chuyện, khen ngợi khi trẻ có tiến bộ. Sau một học kì, phần lớn trẻ trong lớp đã mạnh dạn phát biểu và tham gia biểu diễn văn nghệ.",
        ),
        kinds=PRE,
        group="pro",
    ),
    NewsSpec(
        Cat.ARTICLE,
        "Kinh nghiệm rèn chữ viết cho học sinh lớp 1",
        "“Nét chữ – nết người”: những cách làm đơn giản giúp học sinh lớp 1 viết đúng, viết đẹp.",
        (
            "Giáo viên hướng dẫn học sinh tư thế ngồi viết, cách cầm bút và để vở đúng ngay từ những ngày đầu vào lớp 1.",
            "Mỗi ngày, các em luyện viết 10 phút theo mẫu chữ, giáo viên nhận xét từng nét để các em tự sửa. Cuối mỗi tháng, lớp trưng bày những trang vở sạch, chữ đẹp.",
        ),
        kinds=(School.Kind.PRIMARY, School.Kind.COMBINED),
        group="pro",
    ),
    NewsSpec(
        Cat.ARTICLE,
        "Đổi mới sinh hoạt tổ chuyên môn theo hướng nghiên cứu bài học",
        "Sinh hoạt chuyên môn theo nghiên cứu bài học giúp giáo viên tập trung vào việc học của học sinh thay vì đánh giá giờ dạy.",
        (
            "Tổ chuyên môn cùng chọn bài, thiết kế hoạt động; một giáo viên dạy minh họa, các thành viên quan sát việc học của từng nhóm học sinh.",
            "Sau giờ dạy, tổ thảo luận nguyên nhân những khó khăn của học sinh và điều chỉnh thiết kế bài học. Cách làm này giúp giáo viên học hỏi lẫn nhau và nâng cao chất lượng giờ dạy.",
        ),
        kinds=(School.Kind.LOWER_SECONDARY, School.Kind.COMBINED),
        group="pro",
    ),
    NewsSpec(
        Cat.ARTICLE,
        "Vườn quốc gia Tràm Chim – lớp học ngoài trời của {learners}",
        "Chỉ cách trường không xa, Vườn quốc gia Tràm Chim là nơi {learners} được học về thiên nhiên và bảo vệ môi trường.",
        (
            "Tràm Chim là khu Ramsar thứ 4 của Việt Nam, nơi có sếu đầu đỏ, nhiều loài chim nước quý hiếm và hệ sinh thái đặc trưng của vùng Đồng Tháp Mười.",
            "Qua các chuyến tham quan, {learners} được quan sát rừng tràm, đồng cỏ năng, lúa ma; hiểu vì sao cần giữ gìn môi trường sống của các loài chim.",
        ),
        group="union",
    ),
)


@dataclass(frozen=True)
class DocumentSpec:
    kind: str
    code: str  # the middle part of the number: KH, QĐ, BC…
    title: str
    summary: tuple[str, ...]
    author: str = "vice"  # a role, or a group key (the author is then one of its members)
    signer: str = "principal"
    body_name: str = "{school}"


Doc = OfficialDocumentPage.Kind
DOCUMENTS: tuple[DocumentSpec, ...] = (
    DocumentSpec(
        Doc.DECISION,
        "QĐ",
        "Quyết định thành lập Ban quản trị trang thông tin điện tử năm học {year}",
        (
            "Thành lập Ban quản trị trang thông tin điện tử {school} năm học {year}, gồm: {principal} – Hiệu trưởng, Trưởng ban; {vice} – Phó Hiệu trưởng, Phó Trưởng ban; {t1} – giáo viên, thành viên.",
            "Ban quản trị kiểm duyệt mọi tin, bài trước khi đăng, thực hiện Công văn số 531/PGDĐT-VP ngày 29/6/2017 của Phòng GD&ĐT Tam Nông.",
        ),
        author="principal",
    ),
    DocumentSpec(
        Doc.REGULATION,
        "QC",
        "Quy chế hoạt động trang thông tin điện tử",
        (
            "Quy chế quy định việc quản lý, cung cấp, đăng tải thông tin trên trang thông tin điện tử của {school}; trách nhiệm của Ban quản trị, các tổ chức, giáo viên, nhân viên.",
            "Tin, bài được đăng của các tổ chức, giáo viên, nhân viên được tính vào bảng điểm thi đua của đơn vị.",
        ),
    ),
    DocumentSpec(
        Doc.PLAN,
        "KH",
        "Kế hoạch thực hiện nhiệm vụ năm học {year}",
        (
            "Kế hoạch xác định các chỉ tiêu, nhiệm vụ trọng tâm và giải pháp thực hiện nhiệm vụ năm học {year} của {school}.",
            "Các tổ xây dựng kế hoạch của tổ, giáo viên xây dựng kế hoạch cá nhân trên cơ sở kế hoạch này.",
        ),
        author="principal",
    ),
    DocumentSpec(
        Doc.PLAN,
        "KH",
        "Kế hoạch tổ chức Hội thi giáo viên dạy giỏi cấp trường năm học {year}",
        (
            "Hội thi nhằm phát hiện, bồi dưỡng giáo viên dạy giỏi, tạo phong trào học tập, tự bồi dưỡng chuyên môn trong đội ngũ.",
            "Đối tượng: giáo viên có từ 3 năm công tác trở lên. Nội dung: một tiết dạy thực hành và một biện pháp nâng cao chất lượng giảng dạy.",
        ),
        author="pro",
        signer="vice",
    ),
    DocumentSpec(
        Doc.REPORT,
        "BC",
        "Báo cáo kết quả thực hiện nhiệm vụ tháng {last_month}",
        (
            "Trong tháng {last_month}, nhà trường duy trì tốt sĩ số {learners}, thực hiện đầy đủ chương trình, tổ chức các hoạt động chào mừng ngày lễ lớn.",
            "Phương hướng tháng tới: tiếp tục nâng cao chất lượng dạy học, đẩy mạnh đăng tin, bài trên trang thông tin điện tử của trường.",
        ),
    ),
    DocumentSpec(
        Doc.NOTICE,
        "TB",
        "Thông báo phân công nhiệm vụ cán bộ, giáo viên, nhân viên năm học {year}",
        (
            "Nhà trường thông báo phân công chủ nhiệm lớp, giảng dạy, kiêm nhiệm và nhiệm vụ trong Ban quản trị trang thông tin điện tử của cán bộ, giáo viên, nhân viên năm học {year}.",
        ),
        author="principal",
    ),
    DocumentSpec(
        Doc.PLAN,
        "KH-CĐ",
        "Kế hoạch hoạt động Công đoàn năm học {year}",
        (
            "Công đoàn cơ sở chăm lo đời sống, bảo vệ quyền lợi hợp pháp của đoàn viên; phối hợp với nhà trường tổ chức phong trào thi đua “Dạy tốt – Học tốt”.",
            "Vận động đoàn viên tích cực viết tin, bài về hoạt động của nhà trường trên trang thông tin điện tử.",
        ),
        author="union",
        signer="union",
        body_name="Công đoàn {school}",
    ),
)


@dataclass(frozen=True)
class LectureSpec:
    subject: str
    grade: int
    title: str
    intro: str
    goals: tuple[str, ...]
    steps: tuple[str, ...]


Sub = LecturePage.Subject
LECTURES_PRESCHOOL = (
    LectureSpec(
        Sub.PRESCHOOL,
        0,
        "Làm quen với toán: Đếm đến 5, nhận biết chữ số 5",
        "Hoạt động làm quen với toán dành cho trẻ mẫu giáo nhỡ.",
        (
            "Trẻ đếm đến 5, nhận biết các nhóm có 5 đối tượng",
            "Trẻ nhận biết chữ số 5",
            "Trẻ hứng thú tham gia trò chơi",
        ),
        (
            "Ôn nhận biết nhóm có 4 đối tượng qua trò chơi “Về đúng nhà”",
            "Tạo nhóm có 5 đối tượng, giới thiệu chữ số 5",
            "Trò chơi “Tìm bạn thân”, “Ai nhanh nhất”",
        ),
    ),
    LectureSpec(
        Sub.PRESCHOOL,
        0,
        "Khám phá: Các loài chim ở Vườn quốc gia Tràm Chim",
        "Hoạt động khám phá xã hội giúp trẻ biết về các loài chim quê hương.",
        (
            "Trẻ biết tên, đặc điểm nổi bật của sếu đầu đỏ, cò trắng, bồ nông",
            "Trẻ biết yêu quý, bảo vệ các loài chim",
        ),
        (
            "Xem video về Vườn quốc gia Tràm Chim",
            "Trò chuyện, so sánh đặc điểm các loài chim",
            "Trò chơi “Chim bay, cò bay”",
        ),
    ),
    LectureSpec(
        Sub.ARTS,
        0,
        "Âm nhạc: Dạy hát “Cháu yêu bà”",
        "Hoạt động âm nhạc cho trẻ mẫu giáo bé.",
        ("Trẻ hát đúng giai điệu, thuộc lời bài hát", "Trẻ biết yêu thương, kính trọng ông bà"),
        (
            "Trò chuyện về gia đình bé",
            "Cô hát mẫu, dạy trẻ hát theo tổ, nhóm",
            "Nghe hát “Bà còng đi chợ trời mưa”",
        ),
    ),
    LectureSpec(
        Sub.OTHER,
        0,
        "Góc cha mẹ: Chế độ dinh dưỡng hợp lý cho trẻ 3–5 tuổi",
        "Tài liệu hướng dẫn cha mẹ xây dựng bữa ăn cân đối cho trẻ tại gia đình.",
        (
            "Cha mẹ biết nhu cầu năng lượng, bốn nhóm thực phẩm của trẻ",
            "Cha mẹ biết phối hợp với nhà trường phòng chống suy dinh dưỡng, thừa cân",
        ),
        (
            "Bữa sáng đầy đủ trước khi đến trường",
            "Tăng rau xanh, trái cây; hạn chế nước ngọt, đồ ăn vặt",
            "Theo dõi cân nặng, chiều cao của trẻ hằng tháng",
        ),
    ),
)
LECTURES_PRIMARY = (
    LectureSpec(
        Sub.VIETNAMESE,
        1,
        "Tiếng Việt 1 – Ôn tập các vần đã học",
        "Bài ôn tập giúp học sinh lớp 1 củng cố các vần đã học qua đọc, viết và trò chơi.",
        ("Đọc đúng, viết đúng các vần đã học", "Tìm được tiếng, từ chứa vần"),
        ("Trò chơi “Ghép vần”", "Luyện đọc theo nhóm đôi", "Viết vào vở ô li"),
    ),
    LectureSpec(
        Sub.MATHS,
        3,
        "Toán 3 – Bảng nhân 6",
        "Học sinh lập được bảng nhân 6 và vận dụng giải bài toán có lời văn.",
        ("Lập và thuộc bảng nhân 6", "Vận dụng giải toán có một phép nhân"),
        (
            "Khởi động: trò chơi “Truyền điện” bảng nhân 5",
            "Lập bảng nhân 6 từ các tấm bìa 6 chấm tròn",
            "Luyện tập, giải bài toán về số hộp bánh",
        ),
    ),
    LectureSpec(
        Sub.HISTORY_GEOGRAPHY,
        4,
        "Lịch sử và Địa lí 4 – Thiên nhiên vùng Nam Bộ",
        "Tìm hiểu đặc điểm địa hình, sông ngòi, khí hậu của vùng Nam Bộ, liên hệ quê hương Đồng Tháp.",
        ("Nêu được đặc điểm thiên nhiên vùng Nam Bộ", "Chỉ được sông Tiền, sông Hậu trên bản đồ"),
        (
            "Quan sát bản đồ, lược đồ vùng Nam Bộ",
            "Thảo luận nhóm về mùa nước nổi",
            "Liên hệ Vườn quốc gia Tràm Chim",
        ),
    ),
    LectureSpec(
        Sub.ENGLISH,
        5,
        "Tiếng Anh 5 – Unit 4: Our free-time activities",
        "Bài học giúp học sinh hỏi và trả lời về hoạt động lúc rảnh rỗi.",
        ("Hỏi – đáp: What do you do in your free time?", "Phát âm đúng các từ vựng của bài"),
        (
            "Warm-up: hát bài “Days of the week”",
            "Luyện mẫu câu theo cặp",
            "Trò chơi “Lucky number”",
        ),
    ),
)
LECTURES_SECONDARY = (
    LectureSpec(
        Sub.MATHS,
        8,
        "Toán 8 – Những hằng đẳng thức đáng nhớ",
        "Bài giảng về bình phương của một tổng, một hiệu và hiệu hai bình phương.",
        ("Nhớ và viết được các hằng đẳng thức", "Vận dụng để tính nhanh, rút gọn biểu thức"),
        (
            "Hoạt động khởi động: tính diện tích hình vuông cạnh (a + b)",
            "Hình thành ba hằng đẳng thức đầu tiên",
            "Luyện tập, tính nhẩm 101² và 99²",
        ),
    ),
    LectureSpec(
        Sub.LITERATURE,
        9,
        "Ngữ văn 9 – Chị em Thúy Kiều (trích Truyện Kiều, Nguyễn Du)",
        "Đọc hiểu đoạn trích, cảm nhận nghệ thuật miêu tả nhân vật của Nguyễn Du.",
        (
            "Thấy được tài năng miêu tả nhân vật của Nguyễn Du",
            "Cảm nhận vẻ đẹp của chị em Thúy Kiều",
        ),
        (
            "Giới thiệu tác giả, tác phẩm",
            "Đọc, phân tích vẻ đẹp Thúy Vân, Thúy Kiều",
            "Tổng kết nghệ thuật ước lệ tượng trưng",
        ),
    ),
    LectureSpec(
        Sub.NATURAL_SCIENCE,
        7,
        "Khoa học tự nhiên 7 – Quang hợp ở thực vật",
        "Tìm hiểu quá trình quang hợp và các yếu tố ảnh hưởng đến quang hợp.",
        ("Nêu được khái niệm và phương trình quang hợp", "Giải thích vai trò của lá cây"),
        (
            "Thí nghiệm chứng minh cây tạo tinh bột khi có ánh sáng",
            "Thảo luận các yếu tố ảnh hưởng",
            "Liên hệ trồng cây xanh ở trường",
        ),
    ),
    LectureSpec(
        Sub.INFORMATICS,
        6,
        "Tin học 6 – Mạng máy tính và Internet",
        "Học sinh biết mạng máy tính là gì và sử dụng Internet an toàn.",
        ("Nêu được thành phần của mạng máy tính", "Biết một số quy tắc sử dụng Internet an toàn"),
        (
            "Quan sát mạng máy tính phòng tin học",
            "Thảo luận lợi ích và tác hại của Internet",
            "Xây dựng “Bộ quy tắc an toàn trên mạng” của lớp",
        ),
    ),
)
LECTURES = {
    School.Kind.PRESCHOOL: LECTURES_PRESCHOOL,
    School.Kind.PRIMARY: LECTURES_PRIMARY,
    School.Kind.LOWER_SECONDARY: LECTURES_SECONDARY,
    School.Kind.COMBINED: LECTURES_PRIMARY[1:3] + LECTURES_SECONDARY[:2],
}


@dataclass(frozen=True)
class GallerySpec:
    title: str
    intro: str
    captions: tuple[str, ...]
    kinds: tuple[str, ...] = ALL_KINDS
    group: str | None = None
    on: tuple[int, int] | None = None


GALLERIES: tuple[GallerySpec, ...] = (
    GallerySpec(
        "Lễ khai giảng năm học {year}",
        "Những hình ảnh đẹp trong ngày hội đến trường.",
        (
            "Lễ chào cờ đầu năm học",
            "Hiệu trưởng đánh trống khai trường",
            "Tiết mục văn nghệ chào mừng",
            "{Learners} đầu cấp bước vào năm học mới",
            "Đại biểu trao quà cho {learners}",
        ),
        on=(9, 5),
    ),
    GallerySpec(
        "Đêm hội trăng rằm",
        "Rước đèn, phá cỗ trông trăng cùng thầy cô và bạn bè.",
        ("Rước đèn quanh sân trường", "Mâm cỗ Trung thu", "Thi làm lồng đèn", "Múa lân vui nhộn"),
        group="youth",
        on=(9, 25),
    ),
    GallerySpec(
        "Chào mừng ngày Nhà giáo Việt Nam 20/11",
        "Hoạt động thi đua chào mừng ngày Nhà giáo Việt Nam.",
        ("Hội diễn văn nghệ", "Tặng hoa thầy cô", "Trưng bày báo tường", "Chụp ảnh lưu niệm"),
        group="union",
        on=(11, 20),
    ),
    GallerySpec(
        "Trải nghiệm tại Vườn quốc gia Tràm Chim",
        "Chuyến học tập ngoài trời tìm hiểu hệ sinh thái Đồng Tháp Mười.",
        (
            "Đi xuồng qua rừng tràm",
            "Quan sát đàn cò",
            "Tìm hiểu về sếu đầu đỏ",
            "Nhặt rác bảo vệ môi trường",
        ),
        kinds=GENERAL,
        group="pro",
    ),
    GallerySpec(
        "Bé tham quan Vườn quốc gia Tràm Chim",
        "Các bé lớp Lá làm quen với thiên nhiên quê hương.",
        ("Bé ngắm đàn chim", "Cô kể chuyện về sếu đầu đỏ", "Bé vẽ tranh rừng tràm"),
        kinds=PRE,
        group="pro",
    ),
    GallerySpec(
        "Hội khỏe Phù Đổng cấp trường",
        "Các nội dung thi đấu sôi nổi: điền kinh, kéo co, bóng đá mini.",
        ("Thi chạy cự li ngắn", "Kéo co", "Bóng đá mini", "Trao giải"),
        kinds=GENERAL,
        group="youth",
    ),
    GallerySpec(
        "Bữa ăn bán trú của bé",
        "Bếp ăn một chiều, thực đơn đa dạng, đủ chất cho trẻ.",
        ("Bếp ăn một chiều", "Chuẩn bị bữa trưa", "Bé tự xúc ăn", "Giờ ngủ trưa"),
        kinds=PRE,
        group="care",
    ),
)

DISTRICT_DOCUMENTS = (
    DocumentSpec(
        Doc.DISPATCH,
        "PGDĐT",
        "Hướng dẫn thực hiện nhiệm vụ năm học {year}",
        (
            "Phòng GD&ĐT hướng dẫn các trường mầm non, mẫu giáo, tiểu học, trung học cơ sở thực hiện nhiệm vụ năm học {year}, trong đó có tiêu chí khai thác trang thông tin điện tử của đơn vị.",
        ),
    ),
    DocumentSpec(
        Doc.PLAN,
        "KH-PGDĐT",
        "Kế hoạch tổ chức Hội thi giáo viên dạy giỏi cấp huyện năm học {year}",
        (
            "Các trường chọn cử giáo viên đạt giải cấp trường dự thi cấp huyện; hồ sơ gửi về Phòng GD&ĐT trước ngày 15/12.",
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# Report
