"""The files in deploy/ are valid: nginx accepts the site, every systemd unit runs a command
that exists, the example environment names the settings the code reads."""

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def test_nginx_accepts_the_site_configuration(tmp_path):
    if not Path(NGINX).exists() or not shutil.which("openssl"):
        if os.environ.get("CI") == "true":
            pytest.fail("nginx and openssl are needed (apt-get install -y nginx openssl)")
        pytest.skip("nginx or openssl missing")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=example.edu.vn",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "district-portal.conf").read_text()
    # Only the machine-specific paths change; every directive is checked as shipped.
    site = (
        site.replace(
            "/etc/letsencrypt/live/example.edu.vn/fullchain.pem", str(tmp_path / "cert.pem")
        )
        .replace("/etc/letsencrypt/live/example.edu.vn/privkey.pem", str(tmp_path / "key.pem"))
        .replace(
            "/etc/nginx/district-portal-proxy.conf",
            str(DEPLOY / "nginx" / "district-portal-proxy.conf"),
        )
        .replace("listen 80 default_server", "listen 127.0.0.1:18080 default_server")
        .replace("listen [::]:80 default_server;", "")
        .replace("listen [::]:443 ssl http2;", "")
        .replace("listen 443 ssl http2", "listen 127.0.0.1:18443 ssl http2")
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\nhttp {\n include /etc/nginx/mime.types;\n"
        f" access_log off;\n client_body_temp_path {tmp_path}/cb;\n proxy_temp_path {tmp_path}/p;\n"
        f" include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [NGINX, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.mark.parametrize("unit", sorted(p.name for p in (DEPLOY / "systemd").iterdir()))
def test_systemd_units_run_commands_that_exist(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / unit)
    if unit.endswith(".timer"):
        assert parser.has_option("Timer", "OnCalendar")
        assert (DEPLOY / "systemd" / unit.replace(".timer", ".service")).exists()
        return
    service = parser["Service"]
    assert service["EnvironmentFile"] == "/etc/district-portal/env"
    text = (DEPLOY / "systemd" / unit).read_text()
    commands = re.findall(r"manage\.py (\w+)", text)
    gunicorn = "gunicorn --config" in text
    assert commands or gunicorn, unit
    for command in commands:
        assert command in get_commands(), f"{unit}: manage.py {command} does not exist"


# Daily jobs nothing else runs. The sheet totals' check runs as the app (its environment file,
# so the app's database role): the check only, since a rebuild writes the totals, which only
# the owner role may. Without the reminders' timer no reminder ever leaves.
DAILY_JOBS = [
    ("district-portal-sheet-totals", "manage.py sheet_totals"),
    ("district-portal-reminders", "manage.py remind_reviews"),
]


@pytest.mark.parametrize("unit, command", DAILY_JOBS)
def test_daily_jobs_have_a_oneshot_service_a_daily_timer_and_a_line_in_the_docs(unit, command):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / f"{unit}.service")
    assert parser["Service"]["Type"] == "oneshot"
    assert parser["Service"]["ExecStart"].endswith(command)
    parser.read(DEPLOY / "systemd" / f"{unit}.timer")
    assert parser["Timer"]["OnCalendar"].startswith("*-*-* ")  # daily
    assert parser["Install"]["WantedBy"] == "timers.target"
    docs = (DEPLOY.parent / "docs" / "deploy.md").read_text()
    assert f"{unit}.timer" in docs


def test_env_example_names_what_the_settings_read():
    names = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (DEPLOY / "env.example").read_text(), re.M))
    code = "".join(
        p.read_text()
        for p in [
            *(DEPLOY.parent / "district_site" / "settings").glob("*.py"),
            DEPLOY.parent / "district_site" / "storage.py",
            DEPLOY / "gunicorn.conf.py",
        ]
    )
    read = set(re.findall(r'environ(?:\.get)?\(\s*"([A-Z0-9_]+)"', code))
    read |= set(re.findall(r'env_(?:bool|list)\("([A-Z0-9_]+)"', code))
    read |= set(re.findall(r'environ\["([A-Z0-9_]+)"\]', code))
    unknown = names - read - {"DJANGO_SETTINGS_MODULE", "BACKUP_DIR"}
    assert not unknown, f"env.example sets variables nothing reads: {unknown}"
