// Plays the `/referee` namespace of tests/typescript/rejecting.py: node runs it, compiled
// under --strict with the contract; it prints one JSON line of what each ack was.
import { io } from "socket.io-client";
import { isError, type Move, type MoveAck, type RefereeSocket } from "./contract.js";

declare const process: { argv: string[] };

const socket: RefereeSocket = io(process.argv[2] + "/referee", { transports: ["websocket"] });

// the client answers an emit with a declared error of it
socket.on("ask", (payload, ack) => {
  const data = { type: "not_your_turn", expected: "O" } as const;
  ack({ error: { code: "not_your_turn", message: payload.mark, path: null, event: "ask", data } });
});

async function play(move: Move): Promise<unknown> {
  const res = await socket.emitWithAck("play", move);
  if (isError(res)) {
    switch (res.error.code) {
      case "not_your_turn":
        return { expected: res.error.data.expected, envelope: res };
      case "game_over":
        return { winner: res.error.data.winner, envelope: res };
      default:
        return { protocol: res.error.code, envelope: res };
    }
  }
  const ack: MoveAck = res;
  return { ok: ack.ok, note: ack.error };
}

const out: unknown[] = [];
for (const mark of ["X", "O", "done"]) {
  out.push(await play({ mark }));
}
out.push(await play({ mark: 1 } as unknown as Move));
console.log(JSON.stringify(out));
socket.disconnect();
