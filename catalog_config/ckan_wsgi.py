"""CKAN 2.11 as a WSGI application, for gunicorn: ``ckan_wsgi:application``.

CKAN's wheel does not install the ``wsgi.py`` of its source tree, so this is that file: it
reads the ini named by ``CKAN_INI`` (gunicorn's ``--env CKAN_INI=...``, which also puts the
path on the master's command line, where the stack finds its process). Each worker imports it
after the fork (no ``--preload``), so every worker opens its own database connections.
"""

import os
from logging.config import fileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app


def _config_path() -> str:
    path = os.environ.get("CKAN_INI", "")
    if not path or not os.path.isfile(path):
        raise RuntimeError(f"CKAN_INI={path!r} names no file; start gunicorn with "
                           "--env CKAN_INI=/path/to/ckan.ini")
    return path


_PATH = _config_path()
fileConfig(_PATH, disable_existing_loggers=False)
application = make_app(CKANConfigLoader(_PATH).get_config())
