"""Drives a sio-fast server with Debian's python3-socketio (a second,
independent client implementation) and prints one JSON line per case.

Usage: /usr/bin/python3 client.py http://127.0.0.1:PORT
"""
import json
import sys
import threading
import time

import socketio

URL = sys.argv[1]
TIMEOUT = 5  # seconds per wait; the Go test bounds the whole run too


def report(name, ok, detail):
    print(json.dumps({"case": name, "ok": ok, "detail": detail}), flush=True)


def run(name, fn):
    try:
        report(name, True, fn())
    except Exception as e:  # every failure becomes a failed case
        report(name, False, "%s: %s" % (type(e).__name__, e))


def client(transports, namespaces=None, auth=None):
    c = socketio.Client(reconnection=False)
    c.connect(URL, transports=transports, namespaces=namespaces, auth=auth,
              wait_timeout=TIMEOUT)
    return c


def expect(got, want):
    if got != want:
        raise AssertionError("got %r, want %r" % (got, want))


def echo_case(transports, want_transport):
    def fn():
        c = client(transports)
        try:
            if want_transport == "websocket" and c.transport() != "websocket":
                # the upgrade runs right after the handshake; give it a moment
                deadline = time.time() + TIMEOUT
                while c.transport() != "websocket" and time.time() < deadline:
                    time.sleep(0.02)
            expect(c.transport(), want_transport)
            payload = {"n": 123456789012, "s": "héllo", "l": [1, None, True]}
            expect(c.call("echo", payload, timeout=TIMEOUT), payload)
            # several arguments come back as several ack values (a tuple)
            expect(c.call("echo", ("a", 2), timeout=TIMEOUT), ("a", 2))
            return c.transport()
        finally:
            c.disconnect()
    return fn


def binary_case():
    c = client(["websocket"])
    try:
        blob = bytes(range(256))
        expect(c.call("echo-bin", blob, timeout=TIMEOUT), blob)
        return "%d bytes" % len(blob)
    finally:
        c.disconnect()


def broadcast_case():
    a = client(["websocket"])
    b = client(["polling"])
    try:
        got_a, got_b = [], []
        ev = threading.Event()
        a.on("shouted", lambda msg: (got_a.append(msg), ev.set()))
        b.on("shouted", lambda msg: got_b.append(msg))
        expect(b.call("shout", "from b", timeout=TIMEOUT), "sent")
        if not ev.wait(TIMEOUT):
            raise AssertionError("a got no broadcast")
        time.sleep(0.2)  # b must not get its own broadcast
        expect(got_a, ["from b"])
        expect(got_b, [])
        return got_a
    finally:
        a.disconnect()
        b.disconnect()


def namespace_case():
    c = client(["websocket"], namespaces=["/py"], auth={"token": "s3cret"})
    try:
        expect(c.call("whoami", namespace="/py", timeout=TIMEOUT),
               {"nsp": "/py", "auth": {"token": "s3cret"}})
        return "/py"
    finally:
        c.disconnect()


def namespace_refused_case():
    c = socketio.Client(reconnection=False)
    errors = []
    c.on("connect_error", errors.append, namespace="/py")
    try:
        # this client version waits wait_timeout for every namespace even
        # after a refusal, so keep it short
        c.connect(URL, transports=["websocket"], namespaces=["/py"],
                  auth={"token": "wrong"}, wait_timeout=1)
    except socketio.exceptions.ConnectionError:
        expect(errors, [{"message": "bad token"}])
        return errors
    finally:
        c.disconnect()
    raise AssertionError("connected with a wrong token")


def kick_case():
    c = client(["polling"])
    gone = threading.Event()
    c.on("disconnect", gone.set)
    c.emit("kick")
    if not gone.wait(TIMEOUT):
        c.disconnect()
        raise AssertionError("no disconnect after kick")
    return "disconnected"


run("echo-websocket", echo_case(["websocket"], "websocket"))
run("echo-polling", echo_case(["polling"], "polling"))
run("echo-upgrade", echo_case(["polling", "websocket"], "websocket"))
run("binary", binary_case)
run("broadcast", broadcast_case)
run("namespace-auth", namespace_case)
run("namespace-refused", namespace_refused_case)
run("server-disconnect", kick_case)
