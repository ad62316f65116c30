"""``python -m solr_compat``: run the search service (see :mod:`solr_compat.cli`)."""

import sys

from solr_compat.cli import main

sys.exit(main())
