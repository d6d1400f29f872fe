"""Serves only the demo page routes (console.site) for the browser test:
``python -m tests.integration.channels.site_server PORT``."""
from __future__ import annotations

import sys

import uvicorn
from starlette.applications import Starlette

from console.site import site_routes

if __name__ == "__main__":
    uvicorn.run(Starlette(routes=site_routes()), host="127.0.0.1", port=int(sys.argv[1]),
                log_level="warning", ws="none")
