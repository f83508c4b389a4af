"""The provisioning commands, run as a district admin would: real process, exit code, stderr."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Site

from district_site.models import School

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def counts():
    return (School.objects.count(), Site.objects.count(), Page.objects.count())


def run_manage(*args: str) -> subprocess.CompletedProcess:
    """Run manage.py in a child process to see the exit code and what a person would read."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "district_site.settings.test", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def test_provision_school_creates_and_reports(school_a, capsys):
    call_command(
        "provision_school",
        name="Trường Mầm non Hoa Sen",
        kind="preschool",
        hostname="mn-hs.localhost",
    )
    school = School.objects.get(site__hostname="mn-hs.localhost")
    assert school.kind == "preschool"
    assert "Đã tạo trang web" in capsys.readouterr().out
    call_command(
        "provision_school",
        name="Trường Mầm non Hoa Sen",
        kind="preschool",
        hostname="mn-hs.localhost",
    )
    assert "không thay đổi gì" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"name": "Trường X", "kind": "daihoc", "hostname": "x.localhost"}, "Cấp học"),
        ({"name": "Trường X", "kind": "primary", "hostname": "x.other.org"}, "tên miền con"),
        ({"name": "  ", "kind": "primary", "hostname": "x.localhost"}, "Thiếu tên trường"),
        (
            {"name": "Trường Tiểu học A", "kind": "primary", "hostname": "y.localhost"},
            "Đã có trường",
        ),
    ],
)
def test_provision_school_bad_input(school_a, school_b, options, message):
    before = counts()
    with pytest.raises(CommandError, match=message):
        call_command("provision_school", **options)
    assert counts() == before


def test_provision_school_exit_code_and_one_vietnamese_line():
    result = run_manage(
        "provision_school", "--name", "Trường X", "--kind", "bad", "--hostname", "x.localhost"
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "Cấp học “bad” không hợp lệ; chọn một trong: mam_non, tieu_hoc, thcs, lien_cap "
        "(hoặc preschool, primary, lower_secondary, combined)."
    ]


def test_missing_argument_is_reported_in_vietnamese():
    result = run_manage("provision_school", "--name", "Trường X")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Lỗi tham số: thiếu tham số bắt buộc: --kind, --hostname. Xem --help để biết cách dùng."
    ]


GOOD_CSV = """name,kind,hostname
Trường Mầm non Sen Hồng,preschool,mn-senhong.localhost
Trường Tiểu học Phú Cường,primary,th-phucuong.localhost
"""

BAD_CSV = """name,kind,hostname
Trường Mầm non Sen Hồng,preschool,mn-senhong.localhost
Trường Tiểu học Phú Cường,dai-hoc,th-phucuong.localhost
Trường THCS An Long,lower_secondary,mn-senhong.localhost
,primary,trong.localhost
"""


def write(tmp_path, text, name="truong.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_provision_schools_csv_creates_every_row(tmp_path, school_a, capsys):
    call_command("provision_schools", str(write(tmp_path, GOOD_CSV)))
    assert set(School.objects.values_list("site__hostname", flat=True)) == {
        school_a.site.hostname,
        "mn-senhong.localhost",
        "th-phucuong.localhost",
    }
    assert "tạo mới 2 trường" in capsys.readouterr().out
    # Idempotent: the same file again creates nothing.
    before = counts()
    call_command("provision_schools", str(write(tmp_path, GOOD_CSV)))
    assert counts() == before


def test_provision_schools_csv_with_bad_rows_creates_nothing(tmp_path, school_a, school_b, capsys):
    before = counts()
    with pytest.raises(CommandError, match="Có 3 dòng sai"):
        call_command("provision_schools", str(write(tmp_path, BAD_CSV)))
    assert counts() == before
    err = capsys.readouterr().err
    assert "Dòng 3: Cấp học “dai-hoc” không hợp lệ" in err
    assert "Dòng 4: Tên miền “mn-senhong.localhost” trùng với dòng 2." in err
    assert "Dòng 5: Thiếu tên trường." in err
    assert "Dòng 2" not in err.replace("dòng 2", "")


def test_provision_schools_dry_run_only_validates(tmp_path, school_a, capsys):
    before = counts()
    call_command("provision_schools", str(write(tmp_path, GOOD_CSV)), dry_run=True)
    assert counts() == before
    assert "2 trường sẵn sàng" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ten,cap,mien\nA,primary,a.localhost\n", "Thiếu cột"),
        ("name,kind,hostname\n", "không có dòng dữ liệu"),
    ],
)
def test_provision_schools_bad_files(tmp_path, school_a, text, message, capsys):
    before = counts()
    with pytest.raises(CommandError):
        call_command("provision_schools", str(write(tmp_path, text)))
    assert message in capsys.readouterr().err
    assert counts() == before


def test_provision_schools_missing_or_binary_file(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("provision_schools", str(tmp_path / "khong-co.csv"))
    binary = tmp_path / "anh.csv"
    binary.write_bytes(b"\xff\xfe\x00\xd8garbage")
    with pytest.raises(CommandError, match="không phải văn bản UTF-8"):
        call_command("provision_schools", str(binary))


def test_archive_and_restore(client, school_a, school_b, board_a):
    host = school_a.site.hostname
    pages_before = Page.objects.descendant_of(school_a.site.root_page, inclusive=True).count()
    assert client.get("/", HTTP_HOST=host).status_code == 200
    assert school_a.site.root_page.permissions_for_user(board_a).can_edit()

    call_command("archive_school", host)
    school_a.refresh_from_db()
    assert school_a.status == School.Status.ARCHIVED
    assert client.get("/", HTTP_HOST=host).status_code == 404
    # Content and history are kept; the school's people lose their edit rights.
    pages = Page.objects.descendant_of(school_a.site.root_page, inclusive=True)
    assert pages.count() == pages_before
    board_a = type(board_a).objects.get(pk=board_a.pk)  # drop cached permissions
    assert not school_a.site.root_page.permissions_for_user(board_a).can_edit()
    # The other school is untouched.
    assert client.get("/", HTTP_HOST=school_b.site.hostname).status_code == 200

    call_command("archive_school", host, restore=True)
    school_a.refresh_from_db()
    assert school_a.status == School.Status.ACTIVE
    assert client.get("/", HTTP_HOST=host).status_code == 200
    board_a = type(board_a).objects.get(pk=board_a.pk)
    assert school_a.site.root_page.permissions_for_user(board_a).can_edit()


def test_archive_unknown_host_is_refused():
    with pytest.raises(CommandError, match="Không có trường nào"):
        call_command("archive_school", "khong-co.localhost")
    with pytest.raises(CommandError, match="Không có trường nào"):
        call_command("restore_school", "khong-co.localhost")
