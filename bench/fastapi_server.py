"""The seed's serving path, for `npm run bench`: FastAPI + uvicorn answering
GET /report?region=EMEA from a dict of precomputed answers (what fastapi-cached
did), with the bench's body read from BODY_FILE. Prints `LISTENING <port>`."""
import json
import os
import socket
import sys

import uvicorn
from fastapi import FastAPI

with open(os.environ["BODY_FILE"], encoding="utf-8") as handle:
    BODY = json.load(handle)

CACHE = {("EMEA",): BODY, ("APAC",): BODY}
app = FastAPI()


@app.get("/report")
def report(region: str):
    return CACHE[(region,)]


sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0))
sock.listen(1024)
print(f"LISTENING {sock.getsockname()[1]}", flush=True)
server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
server.run(sockets=[sock])
sys.exit(0)
