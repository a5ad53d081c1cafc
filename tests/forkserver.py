"""Run `python -c CODE` or `python SCRIPT ARGS` in a fresh process, faster.

Tests of start-up (settings, `manage.py check --deploy`, the WSGI module) need a new
interpreter each time: settings are read once per process. Most of such a process's time is
Python and Django importing themselves. A server process imports what needs no settings
(Django's HTTP, URL, ORM, form and template modules, Celery) once; for each run it forks, and
the child replaces its environment, working directory and arguments with the run's before
running the code as `__main__`, as a new interpreter would. Nothing the tests configure is
imported before the fork: no settings module, no project module, no installed app.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SERVER = r"""
import json, os, runpy, signal, sys, tempfile, traceback

import django, django.conf, django.core.serializers.json, django.db.models, django.forms
import django.http, django.template, django.urls, django.utils.log
import celery, celery.app

for line in sys.stdin:
    run = json.loads(line)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            os.environ.clear()
            os.environ.update(run["env"])
            os.chdir(run["cwd"])
            signal.alarm(run["timeout"])
            status = 0
            try:
                if run["code"] is not None:
                    sys.argv = ["-c"]
                    exec(compile(run["code"], "<string>", "exec"), {"__name__": "__main__"})
                else:
                    sys.argv = run["argv"]
                    sys.path[0] = os.path.dirname(os.path.abspath(run["argv"][0]))
                    runpy.run_path(run["argv"][0], run_name="__main__")
            except SystemExit as exit:
                if exit.code is None or isinstance(exit.code, int):
                    status = exit.code or 0
                else:
                    print(exit.code, file=sys.stderr)
                    status = 1
            except BaseException:
                traceback.print_exc()
                status = 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
        _pid, wait_status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        reply = {
            "returncode": os.waitstatus_to_exitcode(wait_status),
            "stdout": out.read().decode(errors="replace"),
            "stderr": err.read().decode(errors="replace"),
        }
    print(json.dumps(reply), flush=True)
"""


class ForkServer:
    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        """`env`: the server's own environment (without the variables the runs set)."""
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(
        self,
        *,
        code: str | None = None,
        argv: list[str] | None = None,
        cwd: Path,
        env: dict[str, str],
        timeout: int,
    ) -> subprocess.CompletedProcess:
        request = {"code": code, "argv": argv, "cwd": str(cwd), "env": env, "timeout": timeout}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        reply = json.loads(self.process.stdout.readline())
        return subprocess.CompletedProcess(
            argv or ["-c", code], reply["returncode"], reply["stdout"], reply["stderr"]
        )

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
