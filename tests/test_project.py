"""The foundation: configuration, the embedded database, lint, migrations and the
production shape, each checked the way a newcomer or an operator meets it."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def run(args, env=None, **kwargs):
    return subprocess.run(
        args,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


def clean_env(**values):
    """The process environment without Newsroom's own variables, plus `values`."""
    names = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "SITE_URL", "ALLOWED_HOSTS"}
    names |= {"EMBEDDED_POSTGRES", "EMBEDDED_POSTGRES_DIR"}
    names |= {"DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for the browser tests only
    env = {k: v for k, v in os.environ.items() if k not in names}
    return env | values


def unused_database_url(name="test_newsroom_unused"):
    """The test server, with a database name that nothing here connects to: these
    commands must start without touching the demo site's data."""
    db = connection.settings_dict
    host = db["HOST"].replace("/", "%2F")
    return f"postgres://{db['USER']}@{host}/{name}"


def suite_database_url():
    """The suite's own test database, for a server started in a subprocess that
    reads pages (public pages look up the next scheduled report)."""
    return unused_database_url(connection.settings_dict["NAME"])


def test_ruff_finds_nothing_to_fix_or_format():
    ruff = Path(PYTHON).parent / "ruff"
    check = run([ruff, "check", "."])
    assert check.returncode == 0, check.stdout
    fmt = run([ruff, "format", "--check", "."])
    assert fmt.returncode == 0, fmt.stdout


def test_templates_are_formatted():
    djhtml = Path(PYTHON).parent / "djhtml"
    result = run([djhtml, "--check", "--tabwidth", "2", "templates"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_apps_import_one_way():
    result = run([Path(PYTHON).parent / "lint-imports"])
    assert result.returncode == 0, result.stdout


def test_every_model_change_has_a_migration():
    result = run(
        [PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"],
        env=clean_env(DEBUG="1"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_is_silent_with_production_values():
    env = clean_env(
        SECRET_KEY="k3y-" + "x9Qz!m2Lp#7rT" * 5,
        SITE_URL="https://news.example.org",
        DATABASE_URL=unused_database_url(),
    )
    result = run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_URL": "mysql://u@h/db"},
            "DATABASE_URL must name a PostgreSQL database",
        ),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DEBUG": "0", "SECRET_KEY": ""}, "SECRET_KEY is not set"),
        (
            # Production settings: the test settings opt in to the embedded server.
            {
                "DEBUG": "0",
                "DATABASE_URL": "",
                "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            },
            "the embedded server is for development and tests only",
        ),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL must be a Redis address"),
        (
            {"DEBUG": "1", "SITE_URL": "news.example.org"},
            "SITE_URL must be an http(s) address",
        ),
    ],
)
def test_bad_configuration_stops_with_one_clear_sentence(env, message):
    base = {"DATABASE_URL": unused_database_url(), "SECRET_KEY": "x" * 50}
    result = run([PYTHON, "manage.py", "check"], env=clean_env(**(base | env)))
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_an_old_python_is_told_what_to_install():
    code = "import sys; sys.version_info = (3, 10, 0); sys.argv = ['manage.py']; "
    code += "exec(open('manage.py').read())"
    result = run([PYTHON, "-c", code])
    assert result.returncode == 1
    assert "Newsroom needs Python 3.11 or newer" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_tests_use_their_own_database_on_postgresql():
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"].startswith("test_")


def test_embedded_postgres_is_reused_by_a_second_process():
    code = "from newsroom.embedded_postgres import database_url; print(database_url())"
    first = run([PYTHON, "-c", code])
    second = run([PYTHON, "-c", code])
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout
    assert first.stdout.strip().endswith("/newsroom")


def test_embedded_postgres_starts_again_after_a_killed_run(tmp_path):
    data_dir = tmp_path / "pg"
    data_dir.mkdir()
    tmp_path.chmod(0o755)
    hold = (
        "import sys, time; from pathlib import Path; "
        "from newsroom.embedded_postgres import database_url; "
        f"print(database_url(Path({str(data_dir)!r})), flush=True); time.sleep(600)"
    )
    holder = subprocess.Popen(
        [PYTHON, "-c", hold], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        url = holder.stdout.readline().strip()
        assert url.endswith("/newsroom")
        # A crash of everything: the site process and the server itself.
        postmaster_pid = int((data_dir / "postmaster.pid").read_text().split()[0])
        holder.kill()
        os.kill(postmaster_pid, signal.SIGKILL)
        deadline = time.time() + 10
        while time.time() < deadline and Path(f"/proc/{postmaster_pid}").exists():
            time.sleep(0.1)
        assert (data_dir / "postmaster.pid").exists()  # stale, as after a crash

        query = (
            "from pathlib import Path; import psycopg2; "
            "from newsroom.embedded_postgres import database_url; "
            f"database_url(Path({str(data_dir)!r})); "
            "c = psycopg2.connect(dbname='newsroom', user='postgres', "
            f"host={str(data_dir)!r}); cur = c.cursor(); "
            "cur.execute('select 41 + 1'); print(cur.fetchone()[0]); c.close()"
        )
        result = run([PYTHON, "-c", query])
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "42"
    finally:
        holder.kill()
        holder.wait()


@pytest.fixture(scope="module")
def compose_config(tmp_path_factory) -> dict:
    """docker-compose.yml as docker-compose reads it, with .env.example as .env."""
    tmp_path = tmp_path_factory.mktemp("compose")
    compose = shutil.which("docker-compose")
    assert compose, "Debian's docker-compose is needed: apt-get install docker-compose"
    for name in ["docker-compose.yml", "Dockerfile", ".env.example"]:
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    result = subprocess.run(
        [compose, "config", "-q"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [compose, "config"], cwd=tmp_path, capture_output=True, text=True
    )
    return yaml.safe_load(result.stdout)


def test_docker_compose_file_is_valid(compose_config):
    services = compose_config["services"]
    assert sorted(services) == [
        "db",
        "mail",
        "migrate",
        "nginx",
        "redis",
        "tor",
        "web",
        "worker",
    ]
    # Migrations run once per deploy, before any web server or worker starts.
    for name in ["web", "worker"]:
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["environment"]["REDIS_URL"] == "redis://redis:6379/0"


def test_the_onion_service_is_off_by_default_and_reaches_nginx(
    compose_config, tmp_path
):
    """`docker compose --profile onion up` starts Tor in nginx's network, with
    a torrc Debian's tor accepts (it refuses a host name as the target, so the
    proxy is reached on the shared loopback)."""
    tor = compose_config["services"]["tor"]
    assert tor["profiles"] == ["onion"]
    assert tor["network_mode"] == "service:nginx"
    assert tor["build"]["target"] == "tor"
    assert tor["volumes"] == ["tor-data:/var/lib/tor:rw"]
    binary = shutil.which("tor") or "/usr/sbin/tor"
    assert Path(binary).exists(), "Debian's tor is needed: apt-get install tor"
    torrc = (ROOT / "deploy" / "torrc").read_text()
    assert "HiddenServicePort 80 127.0.0.1:80" in torrc
    (tmp_path / "torrc").write_text(torrc.replace("/var/lib/tor", str(tmp_path)))
    result = subprocess.run(
        [binary, "--verify-config", "-f", str(tmp_path / "torrc")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_web_scales_behind_nginx(compose_config):
    """`docker compose up --scale web=3`: nothing pins a web container (no name,
    no host port); nginx alone is published and finds every one by the service
    name, through Docker's DNS."""
    services = compose_config["services"]
    web, nginx = services["web"], services["nginx"]
    assert "container_name" not in web and "ports" not in web
    assert "ports" not in services["worker"]
    assert nginx["ports"] == ["127.0.0.1:8000:80/tcp"]
    assert nginx["environment"]["NEWSROOM_UPSTREAM"] == "web:8000"
    assert web["environment"]["CLIENT_IP_HEADER"] == "X-Real-IP"
    assert "migrate" not in str(web.get("command", ""))


def test_nginx_accepts_the_configuration_docker_compose_renders(
    compose_config, tmp_path
):
    from deploy.nginx import nginx_binary, render

    nginx = compose_config["services"]["nginx"]
    environment = nginx["environment"]
    config = tmp_path / "nginx.conf"
    config.write_text(
        render(
            listen=environment["NEWSROOM_LISTEN"],
            upstream=environment["NEWSROOM_UPSTREAM"],
        )
    )
    result = run(
        [nginx_binary(), "-t", "-p", f"{tmp_path}/", "-c", config, "-e", "stderr"]
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_every_setting_read_from_the_environment_is_documented():
    source = (ROOT / "newsroom" / "settings.py").read_text()
    read = set(re.findall(r'env(?:_[a-z]+)?\(\s*"([A-Z_]+)"', source))
    documented = set(
        re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    assert read, "no variables found: the pattern is out of date"
    assert read - documented == set()


def test_collectstatic_works_with_production_storage(tmp_path):
    env = clean_env(
        SECRET_KEY="x" * 60,
        DATABASE_URL=unused_database_url(),
        STATIC_ROOT=str(tmp_path),
    )
    result = run([PYTHON, "manage.py", "collectstatic", "--noinput"], env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("css/site.*.css"))
