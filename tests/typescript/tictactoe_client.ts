// Plays one tic-tac-toe game against the demo server with socket.io-client, typed by the
// contract `python -m sioschema typescript examples.tictactoe.api:TicTacToe` writes to
// contract.ts, then prints what it saw as one JSON object.
import { io } from "socket.io-client";
import type {
  ErrorAck,
  ErrorCode,
  MakeMove,
  MakeMoveAck,
  MoveMade,
  TicTacToeSocket,
} from "./contract.js";

declare const process: { argv: string[] };
const url = process.argv[2] ?? "http://127.0.0.1:5000";

function isErrorAck(value: unknown): value is ErrorAck {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  return typeof value.error === "object" && value.error !== null;
}

function connect(): Promise<TicTacToeSocket> {
  return new Promise((resolve, reject) => {
    const socket: TicTacToeSocket = io(url, {
      transports: ["websocket"],
      reconnection: false,
      timeout: 5000,
      ackTimeout: 5000,
    });
    socket.on("connect", () => resolve(socket));
    socket.on("connect_error", reject);
  });
}

async function play(socket: TicTacToeSocket, move: MakeMove): Promise<MakeMoveAck> {
  const res = await socket.emitWithAck("make_move", move);
  if (isErrorAck(res)) throw new Error(`${res.error.code}: ${res.error.message}`);
  return res;
}

const x = await connect();
const o = await connect();
const moves: MoveMade[] = []; // as O sees them: every move, X's first one too
o.on("move_made", (move) => {
  moves.push(move);
});
const errors: ErrorCode[] = [];
x.on("error", (err) => {
  errors.push(err.error.code);
});
const won = new Promise<string>((resolve) => {
  o.on("game_won", (end) => resolve(end.winner));
});

const created = await x.emitWithAck("create_game");
if (isErrorAck(created)) throw new Error(created.error.message);
const id: number = created.game_id;
const turn: "X" | "O" = created.turn;

const acks: boolean[] = [];
const first = await x.emitWithAck("make_move", { game_id: id, x: 0, y: 0 });
acks.push(!isErrorAck(first) && first.ok);
for (const [socket, mx, my] of [
  [o, 1, 0],
  [x, 0, 1],
  [o, 1, 1],
  [x, 0, 2],
] as const) {
  acks.push((await play(socket, { game_id: id, x: mx, y: my })).ok);
}
const winner = await won;

const refused = await x.emitWithAck("make_move", { game_id: id, x: 5, y: 0 });
const refusedCode: ErrorCode | null = isErrorAck(refused) ? refused.error.code : null;

x.disconnect();
o.disconnect();
const last = moves[moves.length - 1];
console.log(
  JSON.stringify({ id, turn, acks, moves: moves.length, last, winner, refusedCode, errors }),
);
