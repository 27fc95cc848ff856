// The TypeScript SDK deployment of the sdk-tests ITs (plain ES modules, no compile step): the core
// scenarios every SDK's deployment serves under the same names, plus the TypeScript-only ones
// (state keys, combinators, attach, cancel, terminal errors with metadata, determinism). See
// ../README.md. The counters below live in this process only, so a test can tell a journaled step
// (run once) from a replayed one (never re-run).
//
//   node services.mjs            serves on a free loopback port, printed as "listening on HOST:PORT"
//   SDK=restate-sdk-1.17 node --import ./with-resolvers.mjs services.mjs   the same with SDK 1.17.2
import http2 from "node:http2";

const sdkName = process.env.SDK ?? "@restatedev/restate-sdk";
const restate = await import(sdkName);
const { TerminalError, RestatePromise } = restate;

/** How often each ctx.run action executed in this process, by key. */
const sideEffects = new Map();
const bump = (key) => {
  const n = (sideEffects.get(key) ?? 0) + 1;
  sideEffects.set(key, n);
  return n;
};

const counter = restate.object({
  name: "Counter",
  handlers: {
    add: async (ctx, value) => {
      const total = ((await ctx.get("count")) ?? 0) + value;
      ctx.set("count", total);
      return total;
    },
    get: restate.handlers.object.shared(async (ctx) => (await ctx.get("count")) ?? 0),
    put: async (ctx, { key, value }) => {
      ctx.set(key, value);
    },
    clear: async (ctx, key) => {
      ctx.clear(key);
    },
    clearAll: async (ctx) => {
      ctx.clearAll();
    },
    keys: restate.handlers.object.shared(async (ctx) => (await ctx.stateKeys()).sort()),
  },
});

const flow = restate.service({
  name: "Flow",
  handlers: {
    // a journaled side effect, a durable sleep, a call and a delayed send; each is replayed, not re-run
    steps: async (ctx, key) => {
      const ran = await ctx.run("effect", () => {
        bump(key);
        return "ran-" + key;
      });
      await ctx.sleep(50);
      const total = await ctx.genericCall({
        service: "Counter",
        method: "add",
        key,
        parameter: 10,
        inputSerde: restate.serde.json,
        outputSerde: restate.serde.json,
      });
      ctx.genericSend({
        service: "Counter",
        method: "add",
        key: key + "-later",
        parameter: 1,
        inputSerde: restate.serde.json,
        delay: 100,
        idempotencyKey: "later-" + key,
      });
      return { ran, total };
    },
    sideEffects: async (ctx, key) => sideEffects.get(key) ?? 0,
    // a run that fails twice with a retryable error and succeeds on its third attempt
    flaky: async (ctx, key) =>
      ctx.run(
        "flaky",
        () => {
          const n = bump(key);
          if (n < 3) throw new Error("attempt " + n);
          return n;
        },
        { initialRetryInterval: 10 },
      ),
    // a run whose retries run out: its failure becomes terminal
    exhausted: async (ctx, key) =>
      ctx.run(
        "exhausted",
        () => {
          bump(key);
          throw new Error("always");
        },
        { maxRetryAttempts: 2, initialRetryInterval: 10 },
      ),
    // a journaled run, then a long durable sleep during which a test kills the server
    crash: async (ctx, key) => {
      await ctx.run("effect", () => {
        bump(key);
      });
      await ctx.sleep(3000);
      return "done-" + key;
    },
    echoLater: async (ctx, value) => {
      await ctx.sleep(100);
      return value;
    },
  },
});

const holder = restate.object({
  name: "AwakeableHolder",
  handlers: {
    hold: async (ctx, id) => {
      ctx.set("id", id);
    },
    getId: restate.handlers.object.shared(async (ctx) => (await ctx.get("id")) ?? ""),
  },
});

const waiter = restate.service({
  name: "Waiter",
  handlers: {
    // publishes an awakeable's id to AwakeableHolder/{key} and returns what resolves it
    waitFor: async (ctx, key) => {
      const { id, promise } = ctx.awakeable();
      ctx.genericSend({
        service: "AwakeableHolder",
        method: "hold",
        key,
        parameter: id,
        inputSerde: restate.serde.json,
      });
      return "resolved:" + (await promise);
    },
    resolve: async (ctx, { id, value }) => {
      ctx.resolveAwakeable(id, value);
    },
    reject: async (ctx, { id, message }) => {
      ctx.rejectAwakeable(id, message);
    },
  },
});

const signup = restate.workflow({
  name: "Signup",
  handlers: {
    run: async (ctx, email) => {
      const approval = await ctx.promise("approval").get();
      return email + ":" + approval;
    },
    approve: async (ctx, decision) => {
      await ctx.promise("approval").resolve(decision);
    },
    peek: async (ctx) => (await ctx.promise("approval").peek()) ?? null,
  },
});

const combinators = restate.service({
  name: "Combinators",
  handlers: {
    all: async (ctx, key) => {
      const [a, b, c] = await RestatePromise.all([
        ctx.run("a", () => "a-" + key),
        ctx.genericCall({
          service: "Flow",
          method: "echoLater",
          parameter: "b",
          inputSerde: restate.serde.json,
          outputSerde: restate.serde.json,
        }),
        ctx.sleep(20).map(() => "c"),
      ]);
      return [a, b, c];
    },
    race: async (ctx) => {
      const never = ctx.awakeable().promise;
      return RestatePromise.race([ctx.sleep(20).map(() => "timer"), never]);
    },
    any: async (ctx) => {
      const failing = ctx.run("fails", () => {
        throw new TerminalError("no");
      });
      return RestatePromise.any([failing, ctx.sleep(20).map(() => "slept")]);
    },
    allSettled: async (ctx) => {
      const settled = await RestatePromise.allSettled([
        ctx.run("ok", () => "fine"),
        ctx.run("bad", () => {
          throw new TerminalError("bad", { errorCode: 409 });
        }),
      ]);
      return settled.map((s) => (s.status === "fulfilled" ? s.value : s.reason.message));
    },
    timeout: async (ctx) => {
      try {
        await ctx.awakeable().promise.orTimeout(20);
        return "resolved";
      } catch (e) {
        return e.name + ":" + e.code;
      }
    },
    // sends a slow call and attaches to it from the handler
    attach: async (ctx, value) => {
      const handle = ctx.genericSend({
        service: "Flow",
        method: "echoLater",
        parameter: value,
        inputSerde: restate.serde.json,
      });
      const id = await handle.invocationId;
      return "attached:" + (await ctx.attach(id, restate.serde.json));
    },
    // starts a waiter that never completes, cancels it, and reports what attaching to it gives
    cancel: async (ctx, key) => {
      const handle = ctx.genericSend({
        service: "Waiter",
        method: "waitFor",
        parameter: key,
        inputSerde: restate.serde.json,
      });
      const id = await handle.invocationId;
      await ctx.sleep(50);
      ctx.cancel(id);
      try {
        await ctx.attach(id, restate.serde.json);
        return "not cancelled";
      } catch (e) {
        return { code: e.code, message: e.message };
      }
    },
  },
});

const errors = restate.service({
  name: "Errors",
  handlers: {
    fail: async (ctx, { code, message, metadata }) => {
      throw new TerminalError(message, { errorCode: code, metadata });
    },
    // calls fail and reports the failure it received
    callFail: async (ctx, request) => {
      try {
        await ctx.genericCall({
          service: "Errors",
          method: "fail",
          parameter: request,
          inputSerde: restate.serde.json,
          outputSerde: restate.serde.json,
        });
        return "no failure";
      } catch (e) {
        return { code: e.code, message: e.message, metadata: e.metadata ?? {} };
      }
    },
    // an awakeable rejected with a terminal error that carries metadata
    rejected: async (ctx) => {
      const { id, promise } = ctx.awakeable();
      ctx.rejectAwakeable(id, new TerminalError("nope", { errorCode: 422, metadata: { why: "test" } }));
      try {
        await promise;
        return "resolved";
      } catch (e) {
        return { code: e.code, message: e.message, metadata: e.metadata ?? {} };
      }
    },
  },
});

const random = restate.service({
  name: "Random",
  handlers: {
    // values drawn before a suspension point equal the journaled ones after a replay
    check: async (ctx) => {
      const uuid = ctx.rand.uuidv4();
      const number = ctx.rand.random();
      const now = await ctx.date.now();
      const journaled = await ctx.run("journal", () => ({ uuid, number, now }));
      await ctx.sleep(20);
      const again = await ctx.date.now();
      return {
        sameUuid: journaled.uuid === uuid,
        sameNumber: journaled.number === number,
        sameNow: journaled.now === now,
        clockMoves: again >= now,
      };
    },
  },
});

const ep = restate
  .endpoint()
  .bind(counter)
  .bind(flow)
  .bind(holder)
  .bind(waiter)
  .bind(signup)
  .bind(combinators)
  .bind(errors)
  .bind(random);
const server = http2.createServer(ep.http2Handler());
// port 0: the test reads the bound port from the line printed below
server.listen(0, "127.0.0.1", () => {
  const { address, port } = server.address();
  console.log(`listening on ${address}:${port}`);
});
