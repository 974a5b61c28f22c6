#!/usr/bin/env python3
"""A local HTTP server for bgm fetch's tests: serves DIR with Range support, plus the ways downloads go wrong.

The first part of the URL path picks the behaviour, the rest names the file in DIR:
  /ok/F          the file, honouring "Range: bytes=N-" with 206
  /drop-once/F   the first request for F sends half the body (full Content-Length) and drops the connection;
                 later requests are served as /ok/
  /drop-always/F every request sends half of what it promised and drops the connection
  /no-range/F    ignores Range: always 200 and the whole file
  /slow/F        as /ok/, the body in 10 pieces 0.2 s apart (two fetches at once overlap)
Each request is logged as "behaviour file range" (range "-" if none) to LOG, one line, flushed.
usage: serve_archives.py DIR PORT_FILE LOG   (binds 127.0.0.1 on a free port and writes it to PORT_FILE)
"""
import http.server
import os
import re
import sys
import time

root, port_file, log_file = sys.argv[1:4]
dropped = set()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        parts = self.path.lstrip("/").split("/", 1)
        behaviour, name = (parts + [""])[:2]
        byte_range = self.headers.get("Range", "-")
        with open(log_file, "a") as log:
            log.write(f"{behaviour} {name} {byte_range}\n")
        path = os.path.join(root, name)
        if behaviour not in ("ok", "drop-once", "drop-always", "no-range", "slow") or not os.path.isfile(path):
            self.send_error(404)
            return
        data = open(path, "rb").read()
        start = 0
        match = re.fullmatch(r"bytes=(\d+)-", byte_range)
        if match and behaviour != "no-range":
            start = int(match.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        drop = behaviour == "drop-always" or (behaviour == "drop-once" and name not in dropped)
        if drop:
            dropped.add(name)
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if behaviour == "slow":
            step = len(body) // 10 + 1
            for at in range(0, len(body), step):
                self.wfile.write(body[at:at + step])
                self.wfile.flush()
                time.sleep(0.2)
            return
        self.wfile.write(body)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
