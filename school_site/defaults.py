"""Vietnamese starter texts for a new school site. Preschools get their own wording.

The texts are rich-text HTML stored straight into the pages (not through the editor, which would
clean them), so every value a user typed (the school's name) is escaped here before it goes in.
"""

from django.utils.html import escape

PRESCHOOL = "preschool"

_COLOURS = {
    # #d5426e, the pink first chosen, reaches only 4.3:1 on white (WCAG AA needs 4.5:1).
    "preschool": ("#c2185b", "#f6b26b"),
    "primary": ("#0b5394", "#e69138"),
    "lower_secondary": ("#134f5c", "#f1c232"),
    "combined": ("#38761d", "#e69138"),
}

REGULATIONS_TEMPLATE = """
<h2>Chương I. Quy định chung</h2>
<p><b>Điều 1. Phạm vi, đối tượng.</b> Quy chế này quy định việc quản lý, cung cấp, đăng tải thông tin
trên trang thông tin điện tử của {name}; áp dụng đối với cán bộ, giáo viên, nhân viên và các tổ chức
đoàn thể trong nhà trường.</p>
<p><b>Điều 2. Mục đích.</b> Trang thông tin điện tử là kênh thông tin chính thức của nhà trường, phục vụ
công tác quản lý, dạy và học, và kết nối nhà trường với cha mẹ học sinh.</p>
<h2>Chương II. Ban quản trị và quy trình đăng tin</h2>
<p><b>Điều 3. Ban quản trị.</b> Ban quản trị do Hiệu trưởng thành lập, Hiệu trưởng làm Trưởng ban.
Mỗi thành viên được phân công nhiệm vụ cụ thể: biên tập, kiểm duyệt, đăng tin, quản lý tài khoản.</p>
<p><b>Điều 4. Quy trình.</b> Tác giả soạn tin, bài và gửi duyệt. Thành viên Ban quản trị kiểm duyệt nội dung,
yêu cầu chỉnh sửa khi cần, và duyệt để xuất bản. Không thành viên nào tự duyệt bài của chính mình.</p>
<p><b>Điều 5. Nội dung.</b> Tin, bài phải chính xác, đúng pháp luật, không vi phạm bản quyền; ảnh học sinh
chỉ đăng khi đã được cha mẹ học sinh đồng ý.</p>
<h2>Chương III. Thi đua, khen thưởng</h2>
<p><b>Điều 6.</b> Tin, bài được đăng của các tổ chức, giáo viên, nhân viên được đưa vào bảng điểm thi đua
của đơn vị theo hướng dẫn của Phòng GD&amp;ĐT.</p>
<h2>Chương IV. Tổ chức thực hiện</h2>
<p><b>Điều 7.</b> Quy chế có hiệu lực kể từ ngày ký. Trong quá trình thực hiện, nếu có vướng mắc,
các thành viên báo cáo Trưởng ban để sửa đổi, bổ sung.</p>
""".strip()


def colours(kind: str) -> tuple[str, str]:
    return _COLOURS.get(kind, _COLOURS["primary"])


def section_texts(kind: str, name: str) -> dict[str, str]:
    """Titles and starter texts of the standard sections of a new school's site."""
    preschool = kind == PRESCHOOL
    name = escape(name)
    learners = "các cháu" if preschool else "học sinh"
    return {
        "home_intro": (
            f"<p>Chào mừng quý cha mẹ {learners} và bạn đọc đến với trang thông tin điện tử của {name}.</p>"
        ),
        "news": "Tin tức – Hoạt động",
        "news_intro": f"<p>Tin tức về các hoạt động của {name} và của ngành giáo dục.</p>",
        # A preschool has no lectures as such: the section holds teaching activities and
        # guidance for parents, under a title parents recognise.
        "lectures": "Hoạt động chuyên môn – Góc cha mẹ" if preschool else "Bài giảng",
        "gallery": "Bé vui học – Thư viện ảnh" if preschool else "Thư viện ảnh",
        "about": (
            f"<p>{name} là đơn vị trực thuộc Phòng Giáo dục và Đào tạo, "
            f"thực hiện nhiệm vụ {'chăm sóc, nuôi dưỡng, giáo dục trẻ mầm non' if preschool else 'giáo dục học sinh'} "
            "trên địa bàn.</p>"
        ),
        "board_intro": (
            "<p>Ban quản trị trang thông tin điện tử do Hiệu trưởng thành lập, chịu trách nhiệm "
            "kiểm duyệt mọi tin, bài trước khi đăng.</p>"
        ),
        "regulations": REGULATIONS_TEMPLATE.format(name=name),
    }
