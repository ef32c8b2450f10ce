// Drives an official Engine.IO client against a server under test.
//
//   node client.js <url> <scenario> [v3]
//
// The scenario runs with engine.io-client 6 (or 3 when the third argument
// is "v3") and prints one JSON line: {"ok":true,...} or {"ok":false,"error":...}.
// engineio/interop_test.go starts the server, runs this and checks the line.
"use strict";

const [url, scenario, flavour] = process.argv.slice(2);
const v3 = flavour === "v3";
const eio = v3 ? require("eio3") : require("engine.io-client");

function open(opts) {
  return v3 ? new eio.Socket(url, opts) : new eio.Socket(url, opts);
}

function done(result) {
  process.stdout.write(JSON.stringify(result) + "\n");
  // Give the clients' close packets (a polling POST) time to leave: the Go
  // test checks that the server saw every session end.
  setTimeout(() => process.exit(0), 150);
}

function fail(err) {
  done({ ok: false, error: String(err && err.stack ? err.stack : err) });
}

function toBuffer(data) {
  if (typeof data === "string") return null;
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

// echoRound opens a socket, sends msgs, waits for them all back (echo
// server) and checks them in order. onSocket (optional) sees the socket
// right after it is created.
// echoRound sends msgs once the socket emits sendOn ("open", or "upgrade"
// for a round meant to travel on the upgraded transport: sent at "open", the
// echoes could all come back over polling before the upgrade completes).
function echoRound(opts, msgs, timeoutMs, onSocket, sendOn = "open") {
  return new Promise((resolve, reject) => {
    const s = open(opts);
    if (onSocket) onSocket(s);
    const got = [];
    const timer = setTimeout(() => {
      s.close();
      reject(new Error(`timeout: ${got.length}/${msgs.length} echoed`));
    }, timeoutMs);
    s.on(sendOn, () => msgs.forEach((m) => s.send(m)));
    s.on("error", (e) => { clearTimeout(timer); reject(e); });
    s.on("message", (data) => {
      got.push(data);
      if (got.length < msgs.length) return;
      clearTimeout(timer);
      const transport = s.transport.name;
      s.close();
      for (let i = 0; i < msgs.length; i++) {
        const want = msgs[i];
        const have = got[i];
        if (typeof want === "string") {
          if (have !== want) return reject(new Error(`message ${i}: got ${String(have).slice(0, 40)}`));
        } else {
          const b = toBuffer(have);
          if (!b || !b.equals(want)) return reject(new Error(`binary message ${i} differs`));
        }
      }
      resolve({ transport, count: got.length });
    });
  });
}

const scenarios = {
  // Text over polling only.
  async polling() {
    const msgs = ["hello", "€ and 😀", "x".repeat(3000), "last"];
    return echoRound({ transports: ["polling"] }, msgs, 10000);
  },
  // Text over WebSocket only.
  async websocket() {
    const msgs = ["hello", "€ and 😀", "x".repeat(70000), "last"];
    return echoRound({ transports: ["websocket"] }, msgs, 10000);
  },
  // Binary both ways, on each transport.
  async binary() {
    const all = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) all[i] = i;
    const msgs = [all, Buffer.from([]), "text between", Buffer.alloc(5000, 0xab)];
    const p = await echoRound({ transports: ["polling"] }, msgs, 10000);
    const w = await echoRound({ transports: ["websocket"] }, msgs, 10000);
    return { polling: p, websocket: w };
  },
  // Messages as large as maxPayload allows (the server advertises 100000):
  // one filling a whole WebSocket message or POST body, and several that
  // the client must split into separate POSTs.
  async maxpayload() {
    const max = 100000;
    const one = ["y".repeat(max - 1)];
    const w = await echoRound({ transports: ["websocket"] }, one, 10000);
    const p = await echoRound({ transports: ["polling"] }, one, 10000);
    const several = [0, 1, 2, 3, 4].map((i) => String(i).repeat(max * 0.4));
    const s = await echoRound({ transports: ["polling"] }, several, 10000);
    return { websocket: w, polling: p, split: s };
  },
  // Polling → WebSocket upgrade while 1000 messages flow each way: the
  // server sends s0..s999 itself; the client sends c0..c999 (the Go test
  // checks what the server received).
  async upgrade() {
    const n = 1000;
    return new Promise((resolve, reject) => {
      const s = open({});
      const got = [];
      let upgradeAt = -1;
      let sent = 0;
      const timer = setTimeout(() => reject(new Error(`timeout: ${got.length}/${n}, sent ${sent}, upgradeAt ${upgradeAt}`)), 20000);
      s.on("error", reject);
      s.on("upgrade", () => { upgradeAt = sent; });
      s.on("open", () => {
        const pump = () => {
          for (let k = 0; k < 10 && sent < n; k++) s.send("c" + sent++);
          if (sent < n) setTimeout(pump, 1);
          else s.send("done");
        };
        pump();
      });
      s.on("message", (data) => {
        if (data === "verdict:ok" || String(data).startsWith("verdict:")) {
          clearTimeout(timer);
          const verdict = String(data).slice(8);
          const transport = s.transport.name;
          s.close();
          for (let i = 0; i < n; i++) {
            if (got[i] !== "s" + i) return reject(new Error(`client got ${got[i]} at ${i}`));
          }
          if (got.length !== n) return reject(new Error(`client got ${got.length} messages`));
          return resolve({ transport, upgradeAt, serverVerdict: verdict });
        }
        got.push(data);
      });
    });
  },
  // Many clients at once, each on its own session with the default
  // transports (polling, then upgrade).
  async concurrent() {
    const n = 200;
    const rounds = [];
    for (let i = 0; i < n; i++) {
      rounds.push(echoRound({}, ["a" + i, "b" + i, Buffer.from([i & 255])], 20000));
    }
    const res = await Promise.all(rounds);
    return { clients: res.length };
  },
  // permessage-deflate: large messages both ways with the client's default
  // perMessageDeflate ({threshold: 1024}, which makes its "ws" offer the
  // extension), WebSocket-only and after an upgrade. Reports the extensions
  // the "ws" socket negotiated ("" when the server declined).
  async deflate() {
    const msgs = [
      "z".repeat(50000),
      "€ and 😀 ".repeat(3000),
      Buffer.alloc(20000, 7),
      "small",
      JSON.stringify({ big: "q".repeat(5000), n: [1, 2, 3] }),
    ];
    const extOf = (s) => (s.transport && s.transport.ws && s.transport.ws.extensions) || "";
    let wsExt = "";
    const w = await echoRound({ transports: ["websocket"] }, msgs, 10000, (s) => {
      s.on("open", () => { wsExt = extOf(s); });
    });
    let upExt = "";
    const u = await echoRound({}, msgs, 10000, (s) => {
      s.on("upgrade", () => { upExt = extOf(s); });
    }, "upgrade");
    return { websocket: w, upgraded: u, wsExtensions: wsExt, upgradeExtensions: upExt };
  },
  // Heartbeats with a short pingInterval: the session must stay up.
  async heartbeat() {
    return new Promise((resolve, reject) => {
      const s = open({ transports: [process.argv[5] || "websocket"] });
      let closed = null;
      s.on("close", (reason) => { closed = reason; });
      s.on("error", reject);
      s.on("open", () => {
        setTimeout(() => {
          if (closed) return reject(new Error(`${s.transport ? s.transport.name : "?"} closed: ${closed}`));
          s.send("still");
        }, 1200);
      });
      s.on("message", (d) => {
        if (d !== "still") return;
        s.close();
        resolve({ transport: s.transport ? s.transport.name : "" });
      });
    });
  },
  // The server closes the session: the client sees a close.
  async serverclose() {
    return new Promise((resolve, reject) => {
      const s = open({ transports: [process.argv[5] || "polling"] });
      const timer = setTimeout(() => reject(new Error("no close")), 5000);
      s.on("open", () => s.send("close me"));
      s.on("close", (reason) => { clearTimeout(timer); resolve({ reason }); });
    });
  },
};

const run = scenarios[scenario];
if (!run) fail("unknown scenario " + scenario);
run().then((r) => done(Object.assign({ ok: true }, r)), fail);
