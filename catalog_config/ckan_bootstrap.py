"""Ensure the pipeline's sysadmin and write a fresh API token to a 0600 file.

Runs inside CKAN's virtualenv (``.stack/ckan-venv/bin/python ckan_bootstrap.py CKAN_INI``),
in-process, because CKAN's CLI would take three slow start-ups and put the password in argv.
Input comes as JSON on stdin: {"user", "email", "password", "token_file", "token_name"}.
The token is written to ``token_file`` and never printed.
"""

from __future__ import annotations

import json
import os
import sys


def main(ini_path: str) -> int:
    request = json.load(sys.stdin)
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini_path))
    with app._wsgi_app.test_request_context():  # actions need a request context
        _ensure_sysadmin(request)
        token = _new_token(request["user"], request["token_name"])
    _write_private(request["token_file"], token)
    print(f"sysadmin {request['user']} ready; API token written to {request['token_file']}")
    return 0


def _ensure_sysadmin(request: dict) -> None:
    import ckan.model as model
    from ckan.logic import get_action

    user = model.User.by_name(request["user"])
    if user is None:
        site_user = get_action("get_site_user")({"ignore_auth": True}, {})
        get_action("user_create")(
            {"ignore_auth": True, "user": site_user["name"]},
            {"name": request["user"], "email": request["email"],
             "password": request["password"], "fullname": request.get("fullname", "")})
        user = model.User.by_name(request["user"])
    if not user.sysadmin:
        user.sysadmin = True
        model.Session.add(user)
        model.repo.commit_and_remove()


def _new_token(user: str, name: str) -> str:
    from ckan.logic import get_action

    return get_action("api_token_create")({"ignore_auth": True}, {"user": user, "name": name})["token"]


def _write_private(path: str, text: str) -> None:
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
