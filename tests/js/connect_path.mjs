// Joins each namespace given (argv[3..]) of the server at argv[2] with the official
// socket.io-client and prints, per namespace, what it saw in order: every event
// (binary data as {"bytes": [...]}), "connect", the connect_error's message and data,
// the disconnect reason.
import { io } from "socket.io-client";

const url = process.argv[2];
const opts = { transports: ["websocket"], reconnection: false, timeout: 5000, forceNew: true };

function plain(value) {
  if (value instanceof ArrayBuffer) return { bytes: Array.from(new Uint8Array(value)) };
  if (ArrayBuffer.isView(value)) {
    return { bytes: Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
  }
  return value;
}

function join(namespace) {
  return new Promise((resolve) => {
    const socket = io(url + namespace, opts);
    const seen = [];
    const finish = () => {
      socket.off("disconnect");
      socket.close();
      resolve(seen);
    };
    socket.onAny((event, ...args) => seen.push([event, ...args.map(plain)]));
    socket.on("connect", () => {
      seen.push(["connect"]);
      setTimeout(finish, 500);
    });
    socket.on("connect_error", (err) => {
      seen.push(["connect_error", err.message, err.data ?? null]);
      finish();
    });
    socket.on("disconnect", (reason) => seen.push(["disconnect", reason]));
  });
}

const out = {};
for (const namespace of process.argv.slice(3)) out[namespace] = await join(namespace);
console.log(JSON.stringify(out));
