"""Run the web process: ``python -m console``."""
import uvicorn

from clinic.settings import get_settings
from console.app import create_app

if __name__ == "__main__":
    settings = get_settings()
    uvicorn.run(create_app(settings), host=settings.web_host, port=settings.web_port,
                log_level="info", access_log=False, server_header=False,
                # open live streams (/console/api/stream) would otherwise hold a shutdown forever
                timeout_graceful_shutdown=5,
                # uvicorn would believe X-Forwarded-For from loopback (FORWARDED_ALLOW_IPS):
                # the app believes it only from CONSOLE_TRUSTED_PROXIES (console/app.py)
                proxy_headers=False,
                # Rasa pins websockets < 11, which uvicorn's websocket support cannot use
                ws="none")
