"""A production-shaped stack on loopback for the deploy tests and `make deploy-check`:
nginx in front of two gunicorn app servers (deploy/gunicorn.conf.py, production settings), the
django-tasks worker, one PostgreSQL database, Redis and one shared media folder, plus a small
SMTP sink that receives what the worker sends. Everything listens on 127.0.0.1 and is stopped
by `Stack.stop()`.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import urlencode

import psycopg2

BASE_DIR = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SECRET_KEY = "stack-" + "k" * 20 + "-not-a-real-secret-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tool_missing() -> str | None:
    """Name of a tool the stack needs and this machine lacks, or None."""
    if not Path(NGINX).exists():
        return "nginx (apt-get install -y nginx)"
    if not Path(GUNICORN).exists():
        return "gunicorn (pip install -r requirements.txt)"
    return None


# --- a minimal SMTP server: enough for Django's SMTP backend ------------------------------------


class _SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 sink ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line.strip().split(b" ", 1)[0].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.server.messages.append(message_from_bytes(data))
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages = []
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for m in self.messages]


# --- an HTTP client that keeps cookies itself ----------------------------------------------------


class Browser:
    """Speaks to one address with any Host header; keeps cookies across servers.

    Every request says X-Forwarded-Proto: https, as the TLS-terminating nginx of deploy/ does,
    so production's secure cookies and CSRF checks run as they would for a real visitor. The
    cookies are kept here (not by http.cookiejar, which would withhold Secure cookies over the
    loopback's plain HTTP), so one login can be carried to the other app server.
    """

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port: int, host: str, method: str, path: str, data: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Host": host, "X-Forwarded-Proto": "https", "User-Agent": "stack-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{host}"
            headers["Referer"] = f"https://{host}{path}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response, content.decode("utf-8", "replace")

    def get(self, port, host, path):
        return self.request(port, host, "GET", path)

    def post(self, port, host, path, data):
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self.request(port, host, "POST", path, data)

    def login(self, port: int, host: str, username: str, password: str):
        self.get(port, host, "/admin/login/")
        return self.post(
            port,
            host,
            "/admin/login/",
            {"username": username, "password": password, "next": "/admin/"},
        )


# --- the stack -----------------------------------------------------------------------------------

NGINX_CONF = """
worker_processes 1;
{user}
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 25m;
    gzip on;
    upstream district_portal {{
        server 127.0.0.1:{app1} max_fails=3 fail_timeout=10s;
        server 127.0.0.1:{app2} max_fails=3 fail_timeout=10s;
        keepalive 8;
    }}
    server {{
        listen 127.0.0.1:{port};
        location /static/ {{ alias {static}/; gzip_static on; expires 1y; }}
        location /media/ {{ alias {media}/; }}
        location / {{
            proxy_pass http://district_portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # This nginx stands for the TLS-terminating one of deploy/nginx: the visitor used HTTPS.
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
"""


@dataclass
class Stack:
    tmp: Path
    database_url: str
    redis_url: str = "redis://127.0.0.1:6379/11"
    workers_per_app: int = 2
    # benchmarks/settings.py adds a trivial view (the benchmarks' ceiling) to production settings.
    settings_module: str = "district_site.settings.production"
    processes: dict = field(default_factory=dict)
    ports: dict = field(default_factory=dict)
    smtp: SmtpSink | None = None

    @property
    def media(self) -> Path:
        return self.tmp / "media"

    @property
    def static(self) -> Path:
        return self.tmp / "static"

    def env(self, **extra) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "AWS_", "SENTRY_", "PYTEST_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE=self.settings_module,
            SECRET_KEY=SECRET_KEY,
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            DISTRICT_BASE_DOMAIN="localhost",
            SITE_PORT="80",
            MEDIA_ROOT=str(self.media),
            STATIC_ROOT=str(self.static),
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp.port if self.smtp else 25),
            EMAIL_USE_TLS="false",
            WAGTAILADMIN_BASE_URL="https://localhost",
            CONN_MAX_AGE="60",
            APP_VERSION="deploy-check",
            LOG_LEVEL="WARNING",
        )
        env.update(extra)
        return env

    def manage(self, *args, stdin: str | None = None, timeout=600, **extra_env) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env(**extra_env),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout + result.stderr

    def manage_in_background(self, *args) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def _spawn(self, name: str, command: list[str], **extra_env) -> None:
        log = (self.tmp / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=self.env(**extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends it and its children
        )

    def start(self) -> None:
        self.media.mkdir(parents=True, exist_ok=True)
        self.smtp = SmtpSink()
        for name in ("app1", "app2", "nginx"):
            self.ports[name] = free_port()
        for name in ("app1", "app2"):
            self.start_app(name, self.ports[name])
        self._spawn(
            "worker",
            [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-startup-delay"],
        )
        conf = self.tmp / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                # As root, nginx's workers would switch to "nobody", who cannot read the test's
                # private temporary folder; unprivileged, the directive is ignored with a warning.
                user="user root;" if os.geteuid() == 0 else "",
                tmp=self.tmp,
                app1=self.ports["app1"],
                app2=self.ports["app2"],
                port=self.ports["nginx"],
                static=self.static,
                media=self.media,
            )
        )
        self._spawn("nginx", [NGINX, "-c", str(conf), "-p", str(self.tmp)])
        for name in ("app1", "app2", "nginx"):
            self.wait_ready(name)

    def start_app(self, name: str, port: int, **extra_env) -> None:
        """One gunicorn app server (deploy/gunicorn.conf.py); wait_ready(name) before use."""
        self.ports[name] = port
        self._spawn(
            name,
            [
                GUNICORN,
                "--config",
                str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(self.workers_per_app),
                "district_site.wsgi:application",
            ],
            **extra_env,
        )

    def wait_ready(self, name: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes[name]
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited: {self.log(name)}")
            try:
                response, body = Browser().get(self.ports[name], "127.0.0.1", "/readyz")
                if response.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{name} not ready after {timeout}s: {self.log(name)}")

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def worker_pids(self, name: str) -> list[int]:
        """The gunicorn workers of an app server (children of its master)."""
        master = self.processes[name].pid
        return [
            int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ]

    @staticmethod
    def cpu_seconds(pid: int) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    def pss_kib(self, name: str) -> list[int]:
        """Proportional memory of each worker: shared (copy-on-write) pages split between the
        processes that share them, so the sum over workers is what they really cost."""
        sizes = []
        for pid in self.worker_pids(name):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    sizes.append(int(line.split()[1]))
        return sizes

    def rss_kib(self, name: str) -> list[int]:
        """Resident memory of each gunicorn worker of an app server."""
        sizes = []
        for pid in self.worker_pids(name):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]))
        return sizes

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                # gunicorn and nginx: TERM is a fast shutdown; the worker finishes its task.
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if self.smtp is not None:
            self.smtp.shutdown()
            self.smtp.server_close()


def prepare(stack: Stack, mode: str) -> dict:
    """Migrate an empty database, collect the static files and seed it ("light" or "demo").

    Stores what the seed found in `stack.seed_info` and returns the time each step took.
    """
    timings = {}
    started = time.monotonic()
    # collectstatic needs no database: it runs while migrate does.
    collectstatic = stack.manage_in_background("collectstatic", "--noinput", "-v0")
    stack.manage("migrate", "--noinput", "-v0")
    output, _ = collectstatic.communicate(timeout=600)
    if collectstatic.returncode != 0:
        raise RuntimeError(f"collectstatic failed:\n{output}")
    timings["migrate+collectstatic"] = time.monotonic() - started
    started = time.monotonic()
    if mode == "demo":
        stack.manage("seed_demo", "--port", "80")
    stack.seed_info = seed(stack, mode)
    timings["seed"] = time.monotonic() - started
    return timings


def seed(stack: Stack, mode: str) -> dict:
    output = stack.manage(
        "shell", stdin=(Path(__file__).with_name("stack_seed.py")).read_text(), STACK_SEED=mode
    )
    line = next(line for line in output.splitlines() if line.startswith("STACK_JSON="))
    return json.loads(line.removeprefix("STACK_JSON="))


def create_database(admin_url_parts: dict, name: str, template: str | None = None) -> None:
    conn = psycopg2.connect(dbname="postgres", **admin_url_parts)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def drop_database(admin_url_parts: dict, name: str) -> None:
    conn = psycopg2.connect(dbname="postgres", **admin_url_parts)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()
