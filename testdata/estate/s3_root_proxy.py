#!/usr/bin/env python3
"""A loopback HTTP proxy in front of moto that renames two S3 XML roots moto gets wrong
(GetBucketVersioningResponse, GetBucketNotificationResponse), so the AWS SDK parses them.

Usage: s3_root_proxy.py PORT UPSTREAM_URL
"""
import http.server, urllib.request, sys
UP = sys.argv[2]
FIX = [("GetBucketVersioningResponse", "VersioningConfiguration"), ("GetBucketNotificationResponse", "NotificationConfiguration")]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def go(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        req = urllib.request.Request(UP + self.path, data=body, method=self.command)
        for k, v in self.headers.items():
            if k.lower() not in ("host", "content-length", "connection", "transfer-encoding"): req.add_header(k, v)
        req.add_header("Host", self.headers.get("Host"))
        try: r = urllib.request.urlopen(req); code = r.status
        except urllib.error.HTTPError as e: r = e; code = e.code
        data = r.read()
        for a, b in FIX: data = data.replace(f"<{a}".encode(), f"<{b}".encode()).replace(f"</{a}>".encode(), f"</{b}>".encode())
        self.send_response(code)
        for k, v in r.headers.items():
            if k.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"): self.send_header(k, v)
        self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = go
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
