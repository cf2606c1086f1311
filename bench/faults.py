"""Faults under load, on loopback, and a table of what readers and editors saw.

    make faults

Starts the production shape in a scratch folder: an embedded PostgreSQL server
of its own, gunicorn with production settings (3 workers, as the Docker image),
the background worker (`manage.py worker`) and an SMTP server on loopback, with
the demo content and confirmed readers. Then:

1. SMTP refusing connections, then hanging (a server that takes the connection
   and never greets), then back: readers sign up meanwhile; every sign-up must be
   answered at once and its email delivered exactly once, through the worker's
   retries, once the server is back.
2. 100 connections for 60 s, each a confirmed reader, mixing page views with 5%
   comment posts (a reader whose post fails sends the same form again, as a
   browser's back-and-resend does). PostgreSQL is stopped for 8 s and started
   again mid-load. Afterwards every accepted comment must be stored once.
3. A reader signs up after the outage: the worker must still be sending.
4. An editor uploads a picture into a read-only media folder, then into a full
   one: a form error each time, and no new row or file.

Every loop is bounded in time and count. The media faults are real where the
system allows: the immutable attribute (chattr +i, which stops root too) or
mode 0555 for a read-only folder, a full 512 KB tmpfs mounted over the upload
folder for a full disk (mounting needs root; otherwise that row says so).
"""

import errno
import http.client
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable

CONNECTIONS = 100
LOAD_SECONDS = 60
OUTAGE_AT = 20  # seconds into the load
OUTAGE_SECONDS = 8
COMMENT_SHARE = 0.05
THINK_SECONDS = (0.05, 0.4)  # between a reader's requests
MAX_REQUESTS_PER_CONNECTION = 2000
SIGNUPS_PER_SMTP_STATE = 2
SMTP_STATE_SECONDS = 10
EMAIL_WAIT_SECONDS = 240  # the worker retries after 1, then 2 minutes
PAGES = [
    "/",
    "/articles/{article}/",
    "/articles/{article}/",
    "/tags/mosul/",
    "/search/?q=water",
    "/feeds/latest/",
    "/corrections/",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The production shape ---------------------------------------------------------


class Shape:
    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="newsroom-faults-"))
        self.base.chmod(0o755)  # as root, pgserver runs the server as its own user
        self.data_dir = self.base / "pg"
        self.media = self.base / "media"
        self.logs = self.base / "logs"
        self.logs.mkdir()
        self.port = free_port()
        self.smtp_port = free_port()
        self.processes = {}
        from newsroom import embedded_postgres

        self.pg = embedded_postgres
        self.database_url = embedded_postgres.database_url(self.data_dir)
        self.env = {
            k: v for k, v in os.environ.items() if k not in {"EMBEDDED_POSTGRES"}
        } | {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "0",
            "SECRET_KEY": "faults-only-" + "f" * 48,
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "DATABASE_URL": self.database_url,
            "MEDIA_ROOT": str(self.media),
            "STATIC_ROOT": str(self.base / "static"),
            "SERVE_MEDIA": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "EMAIL_TIMEOUT": "3",
            "LOG_LEVEL": "WARNING",
            # The run measures faults, not the limits readers normally meet.
            "COMMENT_RATE_LIMIT": "100000/m/user,1000000/m/ip",
        }

    def manage(self, *args, **kwargs):
        return subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            text=True,
            capture_output=True,
            timeout=600,
            **kwargs,
        )

    def prepare(self):
        self.manage("migrate", "--noinput", "-v0")
        self.manage("demo_content")
        self.manage("collectstatic", "--noinput", "-v0")
        made = self.manage("shell", "-c", SETUP_CODE.replace("COUNT", str(CONNECTIONS)))
        return json.loads(made.stdout.strip().splitlines()[-1])

    def start(self, name, args):
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 (closed on exit)
        self.processes[name] = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def start_site(self):
        gunicorn = str(Path(PYTHON).parent / "gunicorn")
        self.start(
            "web",
            [
                gunicorn,
                "newsroom.wsgi:application",
                *("--workers", "3", "--bind", f"127.0.0.1:{self.port}"),
            ],
        )
        self.start("worker", [PYTHON, "manage.py", "worker"])
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("gunicorn did not start; see " + str(self.logs))

    def query(self, sql, args=()):
        import psycopg2

        parts = urlsplit(self.database_url)
        conn = psycopg2.connect(
            dbname=parts.path.lstrip("/"),
            user="postgres",
            host=unquote(parts.netloc.split("@")[1]),
        )
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, args)
                return cursor.fetchall()
        finally:
            conn.close()

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.pg.release(self.data_dir)
        self.pg.stop(self.data_dir)


SETUP_CODE = """
import json
from allauth.account.models import EmailAddress
from django.contrib.auth import (
    BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
)
from django.contrib.sessions.backends.db import SessionStore
from articles.models import Article
from readers.models import Reader

User = get_user_model()

def session(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

readers = []
for n in range(COUNT):
    user = User.objects.create_user(f"faults-{n}", f"faults-{n}@example.org")
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    Reader.objects.create(user=user, display_name=f"Reader {n}")
    readers.append(session(user))
editor = session(User.objects.get(username="editor"))
open_articles = Article.objects.published().filter(comments_open=True)
articles = list(open_articles.values_list("slug", flat=True))
print(json.dumps({"readers": readers, "editor": editor, "articles": articles}))
"""


# --- A reader's connection ---------------------------------------------------------


class Browser:
    """One keep-alive connection with a session, as a reader's browser."""

    def __init__(self, port, session):
        self.port = port
        self.cookies = {"sessionid": session} if session else {}
        self.conn = None

    def request(self, method, path, body=None, headers=None, timeout=30):
        path = quote(path, safe="/?=&%")  # the Arabic report's address, say
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):  # a connection the server closed is opened again
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=timeout
                )
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                continue
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";")[0]
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, data, response.getheader("Location", "")
        raise OSError("unreachable")

    def form_post(self, path, fields):
        token = self.cookies.get("csrftoken", "")
        body = urlencode(fields | {"csrfmiddlewaretoken": token})
        return self.request(
            "POST",
            path,
            body=body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


class Load:
    def __init__(self, shape, sessions, articles):
        self.shape = shape
        self.sessions = sessions
        self.articles = articles
        self.lock = threading.Lock()
        self.records = []  # (started, finished, kind, status)
        self.comments = {}  # token -> accepted?
        self.outage = None  # (stopped_at, started_at)

    def run(self):
        stop_at = time.monotonic() + LOAD_SECONDS
        threads = [
            threading.Thread(target=self.reader, args=(session, stop_at), daemon=True)
            for session in self.sessions
        ]
        for thread in threads:
            thread.start()
        time.sleep(OUTAGE_AT)
        stopped = time.monotonic()
        self.shape.pg.stop(self.shape.data_dir)
        time.sleep(OUTAGE_SECONDS)
        self.shape.pg.database_url(self.shape.data_dir)
        self.outage = (stopped, time.monotonic())
        for thread in threads:
            thread.join(timeout=LOAD_SECONDS + 60)

    def record(self, started, kind, status):
        with self.lock:
            self.records.append((started, time.monotonic(), kind, status))

    def reader(self, session, stop_at):
        browser = Browser(self.shape.port, session)
        rng = random.Random(session)
        pending = None  # a comment whose post failed: sent again, as is
        for _ in range(MAX_REQUESTS_PER_CONNECTION):
            if time.monotonic() >= stop_at:
                break
            article = rng.choice(self.articles)
            started = time.monotonic()
            try:
                if pending or (
                    "csrftoken" in browser.cookies and rng.random() < COMMENT_SHARE
                ):
                    pending = pending or self.new_comment(article)
                    status, _, location = browser.form_post(
                        f"/articles/{pending['article']}/comments/", pending["fields"]
                    )
                    self.record(started, "comment", status)
                    if status == 302 and "/accounts/login/" not in location:
                        with self.lock:  # the reader is told it is taken
                            self.comments[pending["token"]] = True
                    if status != 503:  # sent again only after a 503
                        pending = None
                else:
                    path = rng.choice(PAGES).format(article=article)
                    status, _, _ = browser.request("GET", path)
                    self.record(started, "page", status)
            except OSError:
                self.record(started, "comment" if pending else "page", "no answer")
            except Exception as error:  # counted, never fatal
                self.record(started, "comment" if pending else "page", repr(error))
            time.sleep(rng.uniform(*THINK_SECONDS))

    def new_comment(self, article):
        token = uuid.uuid4().hex
        with self.lock:
            self.comments[token] = False
        return {
            "token": token,
            "article": article,
            "fields": {
                "body": f"A reader writes {token}",
                "submission_id": str(uuid.uuid4()),
                "website": "",
                "parent": "",
            },
        }


# --- SMTP that refuses, hangs, then answers ----------------------------------------


class MailServer:
    def __init__(self, port):
        self.port = port
        self.received = Counter()  # recipient -> messages
        self.lock = threading.Lock()
        self.silent = None
        self.controller = None

    def refuse(self):
        self._close()  # nothing listens: connections are refused

    def hang(self):
        self._close()
        self.silent = socket.socket()
        self.silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.silent.bind(("127.0.0.1", self.port))
        self.silent.listen(64)  # connections complete; no greeting ever comes

    def answer(self):
        from aiosmtpd.controller import Controller

        self._close()
        server = self

        class Handler:
            async def handle_DATA(self, smtp, session, envelope):
                with server.lock:
                    for recipient in envelope.rcpt_tos:
                        server.received[recipient] += 1
                return "250 Message accepted"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def _close(self):
        if self.silent is not None:
            self.silent.close()
            self.silent = None
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def sign_up(port, email):
    browser = Browser(port, None)
    status, _, _ = browser.request("GET", "/accounts/signup/")
    if status != 200:
        return status
    started = time.monotonic()
    status, _, _ = browser.form_post(
        "/accounts/signup/",
        {
            "email": email,
            "display_name": "New reader",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "website": "",
        },
    )
    return status, time.monotonic() - started


# --- Media faults -------------------------------------------------------------------


def picture() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 800), "white")
    ImageDraw.Draw(image).rectangle([0, 0, 600, 200], fill="red")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def upload(port, editor_session):
    browser = Browser(port, editor_session)
    status, _, _ = browser.request("GET", "/admin/images/image/add/")
    if status != 200:
        return status, ""
    boundary = uuid.uuid4().hex
    fields = {
        "csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
        "alt_text": "A street in the old city",
        "caption": "",
        "credit": "",
        "content_warning": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
    }
    body = b""
    for name, value in fields.items():
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n"
        ).encode()
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        'filename="street.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
    ).encode()
    body += picture() + f"\r\n--{boundary}--\r\n".encode()
    status, data, _ = browser.request(
        "POST",
        "/admin/images/image/add/",
        body=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    text = data.decode(errors="replace")
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', text)
    return status, errors[0] if errors else ""


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def read_only(folder: Path):
    """Make every folder under `folder` unwritable for real; returns how, and a
    function that undoes it, or (None, reason)."""
    folders = [folder, *(p for p in folder.rglob("*") if p.is_dir())]
    if os.geteuid() == 0:
        done = []
        for path in folders:
            if subprocess.run(
                ["chattr", "+i", str(path)], capture_output=True
            ).returncode:
                for undo in done:
                    subprocess.run(["chattr", "-i", str(undo)], check=False)
                return None, "needs chattr +i (root ignores modes) on an ext4-like disk"
            done.append(path)
        return "chattr +i", lambda: [
            subprocess.run(["chattr", "-i", str(p)], check=False) for p in done
        ]
    for path in folders:
        path.chmod(0o555)
    return "mode 0555", lambda: [path.chmod(0o755) for path in folders]


def full(folder: Path):
    """Mount a small tmpfs over `folder` and fill it; returns how and an undo."""
    result = subprocess.run(
        [
            "mount",
            "-t",
            "tmpfs",
            "-o",
            "size=512k,mode=0755",
            "newsroom-faults",
            str(folder),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        return None, "needs root to mount a small filesystem"
    with open(folder / "filler", "wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError as error:
            if error.errno != errno.ENOSPC:
                raise
    return "512 KB tmpfs, filled", lambda: subprocess.run(
        ["umount", str(folder)], check=False
    )


def media_fault(shape, editor, kind):
    images_before = shape.query("select count(*) from images_image")[0][0]
    target = shape.media / "images" if kind == "full" else shape.media
    target.mkdir(parents=True, exist_ok=True)
    how, undo = (full if kind == "full" else read_only)(target)
    if how is None:
        return {"how": "not run", "answer": undo, "left": "-"}
    try:
        files_before = files_under(shape.media)
        status, error = upload(shape.port, editor)
        files_after = files_under(shape.media)
    finally:
        undo()
    images_after = shape.query("select count(*) from images_image")[0][0]
    answer = (
        f"{status} form error: {error[:48]}…"
        if status == 200 and error
        else str(status)
    )
    return {
        "how": how,
        "answer": answer,
        "ok": status == 200 and bool(error),
        "left": f"{images_after - images_before} rows, "
        f"{len(files_after - files_before)} files",
        "clean": images_after == images_before and files_after == files_before,
    }


# --- The run ------------------------------------------------------------------------


def main():
    shape = Shape()
    mail = MailServer(shape.smtp_port)
    keep = False
    began = time.monotonic()
    try:
        print(f"Preparing the production shape in {shape.base} …", flush=True)
        made = shape.prepare()
        shape.start_site()

        print("SMTP refusing, hanging, then back; readers sign up …", flush=True)
        signups = []
        for state in ["refuse", "hang", "answer"]:
            getattr(mail, state)()
            state_ends = time.monotonic() + SMTP_STATE_SECONDS
            for n in range(SIGNUPS_PER_SMTP_STATE):
                email = f"new-{state}-{n}@example.org"
                signups.append((state, email, sign_up(shape.port, email)))
            time.sleep(max(0.0, state_ends - time.monotonic()))

        print(
            f"{CONNECTIONS} readers for {LOAD_SECONDS} s; PostgreSQL stopped for "
            f"{OUTAGE_SECONDS} s at {OUTAGE_AT} s …",
            flush=True,
        )
        load = Load(shape, made["readers"], made["articles"])
        load.run()
        worker_alive_after_outage = shape.processes["worker"].poll() is None

        print("A reader signs up after the outage …", flush=True)
        after = "after-the-outage@example.org"
        answered = sign_up(shape.port, after)
        sent_at = time.monotonic()
        while time.monotonic() < sent_at + 60 and not mail.received[after]:
            time.sleep(0.2)
        delivered = isinstance(answered, tuple) and mail.received[after]
        after_seconds = time.monotonic() - sent_at if delivered else None

        print("Media faults during an upload …", flush=True)
        media = {
            kind: media_fault(shape, made["editor"], kind)
            for kind in ["read-only", "full"]
        }

        print(
            "Waiting for the delayed emails (the worker retries after 1, 2 minutes) …",
            flush=True,
        )
        expected = [email for _, email, _ in signups]
        deadline = time.monotonic() + EMAIL_WAIT_SECONDS
        while time.monotonic() < deadline and not all(
            mail.received[e] for e in expected
        ):
            time.sleep(1)
        time.sleep(3)  # a late duplicate would show now

        stored = Counter(
            re.search(r"writes ([0-9a-f]{32})", body).group(1)
            for (body,) in shape.query(
                "select body from comments_comment where body like 'A reader writes %%'"
            )
        )
        keep = report(
            {
                "load": load,
                "stored": stored,
                "signups": signups,
                "after_seconds": after_seconds,
                "mail": mail,
                "media": media,
                "worker_alive_after_outage": worker_alive_after_outage,
                "worker_alive_at_end": shape.processes["worker"].poll() is None,
                "seconds": time.monotonic() - began,
            }
        )
    finally:
        mail._close()
        shape.stop()
        if keep:
            print(f"Logs kept in {shape.logs}")
        else:
            shutil.rmtree(shape.base, ignore_errors=True)


def report(run) -> bool:
    """Print the table; returns whether a goal was missed."""
    load = run["load"]
    stopped, started = load.outage
    records = sorted(load.records)
    statuses = Counter(str(r[3]) for r in records)
    # Answers to requests sent while the server was down.
    during = Counter(str(s) for (t0, _, _, s) in records if stopped <= t0 < started)
    first_ok = min(
        (t1 for (t0, t1, _, s) in records if t0 >= started and s in {200, 302}),
        default=None,
    )
    recovery = first_ok - started if first_ok else None
    after = [s for (t0, _, _, s) in records if first_ok and t0 >= first_ok]
    errors_after = sum(1 for s in after if s not in {200, 302})
    stored = run["stored"]
    accepted = {token for token, ok in load.comments.items() if ok}
    lost = len(accepted - set(stored))
    duplicated = sum(count - 1 for count in stored.values() if count > 1)
    posts = Counter(str(s) for (_, _, kind, s) in records if kind == "comment")
    signups = run["signups"]
    answered = [r for _, _, r in signups if isinstance(r, tuple) and r[0] == 302]
    slowest = max((r[1] for _, _, r in signups if isinstance(r, tuple)), default=0)
    delivered = {email: run["mail"].received[email] for _, email, _ in signups}
    once = sum(1 for count in delivered.values() if count == 1)
    extra = sum(count - 1 for count in delivered.values() if count > 1)
    sending = run["after_seconds"]
    five_hundreds = statuses.get("500", 0)

    def counts(counter):
        return ", ".join(f"{k}: {v}" for k, v in sorted(counter.items()))

    rows = []

    def row(area, measure, result, goal="", ok=None):
        mark = "" if ok is None else ("ok" if ok else "FAIL")
        rows.append((area, measure, str(result), goal, mark))

    row(
        f"{len(load.sessions)} readers, {LOAD_SECONDS} s",
        "answers",
        f"{len(records)} ({counts(statuses)})",
    )
    row("", "comment posts", f"{sum(posts.values())} ({counts(posts)})")
    total_stored = sum(stored.values())
    row(
        "",
        "comments accepted / stored",
        f"{len(accepted)} / {total_stored}",
        "equal",
        len(accepted) == total_stored,
    )
    row("", "comments lost", lost, "0", lost == 0)
    row("", "comments duplicated", duplicated, "0", duplicated == 0)
    row(
        f"PostgreSQL stopped {OUTAGE_SECONDS} s",
        "answers sent while down",
        counts(during),
        "503, no 500",
        "503" in during and not set(during) - {"503", "200", "302"},
    )
    row(
        "",
        "seconds to recovery",
        f"{recovery:.2f}" if recovery is not None else "never",
        "< 5",
        recovery is not None and recovery < 5,
    )
    row("", "errors after recovery", errors_after, "0", errors_after == 0)
    alive = run["worker_alive_after_outage"]
    row("", "worker alive after", "yes" if alive else "no", "yes", alive)
    row(
        "SMTP refusing, hanging, back",
        "sign-ups answered",
        f"{len(answered)} / {len(signups)} (slowest {slowest:.2f} s)",
        "all",
        len(answered) == len(signups),
    )
    row(
        "",
        "emails delivered exactly once",
        f"{once} / {len(delivered)} ({extra} extra)",
        "all, 0 extra",
        once == len(delivered) and extra == 0,
    )
    row(
        "",
        "worker sending after the outage",
        f"yes, {sending:.1f} s after sign-up" if sending is not None else "no",
        "yes",
        sending is not None,
    )
    for kind, result in run["media"].items():
        row(
            f"Media folder {kind}",
            f"upload ({result['how']})",
            result["answer"],
            "form error",
            result.get("ok"),
        )
        row("", "left behind", result["left"], "nothing", result.get("clean"))
    row("Whole run", "answers of 500", five_hundreds, "0", five_hundreds == 0)
    alive = run["worker_alive_at_end"]
    row("", "worker alive at the end", "yes" if alive else "no", "yes", alive)

    load1, load5, load15 = os.getloadavg()
    print(
        f"\nFault run in {run['seconds']:.0f} s; load average {load1:.2f}, "
        f"{load5:.2f}, {load15:.2f} on {os.cpu_count()} cores (shared)\n"
    )
    header = ("", "measure", "result", "goal", "")
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(5)]
    for line in [header, *rows]:
        cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        print("  ".join(cells).rstrip())
    failed = [r for r in rows if r[4] == "FAIL"]
    print("\nAll goals met." if not failed else f"\n{len(failed)} goal(s) missed.")
    return bool(failed)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    main()
