// Plays a whole tic-tac-toe game against the demo with the official socket.io-client,
// then sends bad moves, and prints what it saw as one JSON object.
import { io } from "socket.io-client";

const url = process.argv[2];
const opts = { transports: ["websocket"], reconnection: false, timeout: 5000 };

function connect() {
  return new Promise((resolve, reject) => {
    const socket = io(url, opts);
    const seen = [];
    socket.onAny((event, ...args) => seen.push([event, ...args]));
    socket.on("connect", () => resolve({ socket, seen }));
    socket.on("connect_error", reject);
  });
}

function waitFor(seen, event, count = 1) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const found = seen.filter(([name]) => name === event);
      if (found.length >= count) return resolve(found[count - 1][1]);
      if (Date.now() - started > 5000) return reject(new Error(`no ${event} event`));
      setTimeout(poll, 5);
    };
    poll();
  });
}

const x = await connect();
const o = await connect();
const out = {};
const ack = (s, event, ...args) => s.socket.timeout(5000).emitWithAck(event, ...args);

const game = await ack(x, "create_game");
out.created = game;
out.createdEvent = await waitFor(o.seen, "game_created");
const id = game.game_id;

out.notYourTurn = await ack(o, "make_move", { game_id: id, x: 1, y: 1 });
const moves = [[x, 0, 0], [o, 1, 0], [x, 0, 1], [o, 1, 1]];
out.acks = [];
for (const [player, mx, my] of moves) {
  out.acks.push(await ack(player, "make_move", { game_id: id, x: mx, y: my }));
}
out.occupied = await ack(x, "make_move", { game_id: id, x: 1, y: 1 });
out.acks.push(await ack(x, "make_move", { game_id: id, x: 0, y: 2 }));
out.won = await waitFor(o.seen, "game_won");
out.oMoves = o.seen.filter(([name]) => name === "move_made").map(([, move]) => move);
out.lastMove = out.oMoves.at(-1);
out.afterWin = await ack(o, "make_move", { game_id: id, x: 2, y: 2 });
out.unknownGame = await ack(x, "make_move", { game_id: 999, x: 0, y: 0 });
out.badMove = await ack(x, "make_move", { game_id: id, x: 5, y: 0 });
out.badType = await ack(x, "make_move", { game_id: id, x: "1", y: 0 });
out.extraField = await ack(x, "make_move", { game_id: id, x: 1, y: 0, cheat: true });
out.unknownEvent = await ack(x, "resign", { game_id: id });
x.socket.emit("make_move", { game_id: 0, x: 0, y: 0 }); // no ack requested
out.errorEvent = await waitFor(x.seen, "error");
out.stillConnected = x.socket.connected && o.socket.connected;
x.socket.disconnect();
o.socket.disconnect();
console.log(JSON.stringify(out));
