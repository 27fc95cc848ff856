"""The Python SDK deployment the sdk-tests ITs drive against Resolute and restate-server.

Served by Hypercorn over h2c: ``python -m hypercorn services:app --bind 127.0.0.1:PORT``.
Every handler is written the way the Restate Python documentation shows them; the module-level
counters below live in this process only, so a test can tell a journaled step (run once) from a
replayed one (never re-run).
"""

import json
import os
from datetime import timedelta
from typing import Dict, List, Optional

import restate
from restate import (Context, ObjectContext, ObjectSharedContext, RunOptions, Service, TerminalError,
                     VirtualObject, Workflow, WorkflowContext, WorkflowSharedContext)

# How often each ctx.run side effect executed in this process, by key.
side_effects: Dict[str, int] = {}


def bump(key: str) -> int:
    side_effects[key] = side_effects.get(key, 0) + 1
    return side_effects[key]


# How often each non-deterministic handler started an attempt or a replay, by object key.
attempts: Dict[str, int] = {}

counter = VirtualObject("Counter")


@counter.handler()
async def add(ctx: ObjectContext, value: int) -> int:
    total = (await ctx.get("count") or 0) + value
    ctx.set("count", total)
    return total


@counter.handler(kind="shared")
async def get(ctx: ObjectSharedContext) -> int:
    return await ctx.get("count") or 0


@counter.handler()
async def put(ctx: ObjectContext, entry: dict) -> None:
    ctx.set(entry["key"], entry["value"])


@counter.handler()
async def clear(ctx: ObjectContext, name: str) -> None:
    ctx.clear(name)


@counter.handler(name="clearAll")
async def clear_all(ctx: ObjectContext) -> None:
    ctx.clear_all()


@counter.handler(kind="shared")
async def keys(ctx: ObjectSharedContext) -> List[str]:
    return sorted(await ctx.state_keys())


flow = Service("Flow")


@flow.handler()
async def steps(ctx: Context, key: str) -> dict:
    """A journaled side effect, a durable sleep and a call; each is replayed, not re-run."""

    def effect() -> str:
        side_effects[key] = side_effects.get(key, 0) + 1
        return "ran-" + key

    ran = await ctx.run_typed("effect", effect)
    await ctx.sleep(timedelta(milliseconds=50))
    total = await ctx.object_call(add, key=key, arg=10)
    ctx.generic_send("Counter", "add", json.dumps(1).encode(), key=key + "-later",
                     send_delay=timedelta(milliseconds=100), idempotency_key="later-" + key)
    return {"ran": ran, "total": total}


@flow.handler()
async def flaky(ctx: Context, key: str) -> int:
    """A run that fails twice with a retryable error and succeeds on its third attempt."""

    def attempt() -> int:
        n = bump(key)
        if n < 3:
            raise ValueError("attempt " + str(n))
        return n

    return await ctx.run_typed("flaky", attempt,
                               RunOptions(initial_retry_interval=timedelta(milliseconds=10)))


@flow.handler()
async def exhausted(ctx: Context, key: str) -> int:
    """A run whose retries run out: its failure becomes terminal."""

    def attempt() -> int:
        bump(key)
        raise ValueError("always")

    return await ctx.run_typed("exhausted", attempt,
                               RunOptions(max_attempts=2,
                                          initial_retry_interval=timedelta(milliseconds=10)))


@flow.handler(name="idempotentCalls")
async def idempotent_calls(ctx: Context, key: str) -> List[int]:
    """Two calls with the same idempotency key: the second gets the first's result, one add."""
    first = await ctx.object_call(add, key=key, arg=1, idempotency_key="once-" + key)
    second = await ctx.object_call(add, key=key, arg=1, idempotency_key="once-" + key)
    return [first, second]


@flow.handler(name="echoLater")
async def echo_later(ctx: Context, value: str) -> str:
    await ctx.sleep(timedelta(milliseconds=100))
    return value


@flow.handler()
async def crash(ctx: Context, key: str) -> str:
    """A journaled side effect, then a long durable sleep during which a test kills the server."""

    def effect() -> None:
        side_effects[key] = side_effects.get(key, 0) + 1

    await ctx.run_typed("effect", effect)
    await ctx.sleep(timedelta(seconds=3))
    return "done-" + key


@flow.handler(name="sideEffects")
async def side_effect_count(ctx: Context, key: str) -> int:
    return side_effects.get(key, 0)


holder = VirtualObject("AwakeableHolder")


@holder.handler()
async def hold(ctx: ObjectContext, awakeable_id: str) -> None:
    ctx.set("id", awakeable_id)


@holder.handler(kind="shared", name="getId")
async def get_id(ctx: ObjectSharedContext) -> str:
    return await ctx.get("id") or ""


waiter = Service("Waiter")


@waiter.handler(name="waitFor")
async def wait_for(ctx: Context, key: str) -> str:
    """Publishes an awakeable's id to AwakeableHolder/{key} and returns what resolves it."""
    awakeable_id, promise = ctx.awakeable(type_hint=str)
    ctx.object_send(hold, key=key, arg=awakeable_id)
    return "resolved:" + await promise


@waiter.handler()
async def resolve(ctx: Context, request: dict) -> None:
    ctx.resolve_awakeable(request["id"], request["value"])


@waiter.handler()
async def reject(ctx: Context, request: dict) -> None:
    ctx.reject_awakeable(request["id"], request["message"])


signup = Workflow("Signup")


@signup.main()
async def run(ctx: WorkflowContext, email: str) -> str:
    approval = await ctx.promise("approval", type_hint=str).value()
    return email + ":" + approval


@signup.handler()
async def approve(ctx: WorkflowSharedContext, decision: str) -> None:
    await ctx.promise("approval", type_hint=str).resolve(decision)


@signup.handler()
async def peek(ctx: WorkflowSharedContext) -> Optional[str]:
    return await ctx.promise("approval", type_hint=str).peek()


combinators = Service("Combinators")


def echo_later_call(ctx: Context, value: str):
    return ctx.generic_call("Flow", "echoLater", json.dumps(value).encode())


@combinators.handler(name="all")
async def all_of(ctx: Context, key: str) -> List[str]:
    """restate.gather over a run, a call and a sleep."""
    a = ctx.run_typed("a", lambda: "a-" + key)
    b = echo_later_call(ctx, "b")
    c = ctx.sleep(timedelta(milliseconds=20))
    await restate.gather(a, b, c)
    return [await a, json.loads(await b), "c"]


@combinators.handler()
async def race(ctx: Context) -> str:
    """restate.select: a timer against an awakeable nobody resolves."""
    _, never = ctx.awakeable(type_hint=str)
    match await restate.select(timer=ctx.sleep(timedelta(milliseconds=20)), never=never):
        case ["timer", _]:
            return "timer"
        case [name, value]:
            return name + ":" + str(value)
    return "unreachable"


@combinators.handler(name="any")
async def any_of(ctx: Context) -> str:
    """restate.wait_completed: the first of a failing run and a sleep that completes."""

    def fails() -> str:
        raise TerminalError("no")

    failing = ctx.run_typed("fails", fails)
    slept = ctx.sleep(timedelta(milliseconds=20))
    done, _ = await restate.wait_completed(failing, slept)
    try:
        await done[0]
        return "first:" + ("slept" if done[0] is slept else "failing")
    except TerminalError as e:
        await slept
        return "failed-then-slept:" + e.message


@combinators.handler(name="allSettled")
async def all_settled(ctx: Context) -> List[str]:
    """restate.gather over a run that succeeds and one that fails terminally with a code."""

    def bad() -> str:
        raise TerminalError("bad", status_code=409)

    ok = ctx.run_typed("ok", lambda: "fine")
    failed = ctx.run_typed("bad", bad)
    await restate.gather(ok, failed)
    results = []
    for f in (ok, failed):
        try:
            results.append(await f)
        except TerminalError as e:
            results.append(e.message + ":" + str(e.status_code))
    return results


@combinators.handler()
async def attach(ctx: Context, value: str) -> str:
    """Sends a slow call and attaches to it from the handler."""
    handle = ctx.generic_send("Flow", "echoLater", json.dumps(value).encode())
    invocation_id = await handle.invocation_id()
    return "attached:" + await ctx.attach_invocation(invocation_id, type_hint=str)


@combinators.handler()
async def cancel(ctx: Context, key: str) -> dict:
    """Starts a waiter that never completes, cancels it, and reports what attaching to it gives."""
    handle = ctx.service_send(wait_for, arg=key)
    invocation_id = await handle.invocation_id()
    await ctx.sleep(timedelta(milliseconds=50))
    ctx.cancel_invocation(invocation_id)
    try:
        await ctx.attach_invocation(invocation_id, type_hint=str)
        return {"result": "not cancelled"}
    except TerminalError as e:
        return {"code": e.status_code, "message": e.message}


errors = Service("Errors")


@errors.handler()
async def fail(ctx: Context, request: dict) -> str:
    raise TerminalError(request["message"], status_code=request["code"],
                        metadata=request.get("metadata"))


@errors.handler(name="callFail")
async def call_fail(ctx: Context, request: dict) -> dict:
    """Calls fail and reports the failure it received."""
    try:
        await ctx.service_call(fail, arg=request)
        return {"result": "no failure"}
    except TerminalError as e:
        return {"code": e.status_code, "message": e.message, "metadata": e.metadata or {}}


@errors.handler()
async def rejected(ctx: Context) -> dict:
    """An awakeable rejected from the handler itself, with a code."""
    awakeable_id, promise = ctx.awakeable(type_hint=str)
    ctx.reject_awakeable(awakeable_id, "nope", failure_code=422)
    try:
        await promise
        return {"result": "resolved"}
    except TerminalError as e:
        return {"code": e.status_code, "message": e.message}


random_service = Service("Random")


@random_service.handler()
async def check(ctx: Context) -> dict:
    """Values drawn before a suspension point equal the journaled ones after a replay."""
    uuid = str(ctx.uuid())
    number = ctx.random().random()
    now = await ctx.time()
    journaled = await ctx.run_typed("journal", lambda: {"uuid": uuid, "number": number, "now": now})
    await ctx.sleep(timedelta(milliseconds=20))
    again = await ctx.time()
    return {
        "sameUuid": journaled["uuid"] == uuid,
        "sameNumber": journaled["number"] == number,
        "sameNow": journaled["now"] == now,
        "clockMoves": again >= now,
    }


non_deterministic = VirtualObject("NonDeterministic")


@non_deterministic.handler(name="setDifferentKey")
async def set_different_key(ctx: ObjectContext) -> None:
    """Writes a different state key on every other start: a replay cannot match its journal."""
    attempts[ctx.key()] = attempts.get(ctx.key(), 0) + 1
    ctx.set("a" if attempts[ctx.key()] % 2 == 1 else "b", "value")
    await ctx.sleep(timedelta(milliseconds=100))
    ctx.object_send(add, key=ctx.key(), arg=1)


# IDENTITY_KEYS (comma-separated "publickeyv1_..." keys): the app then refuses every request that
# is not signed by one of them (request identity, see ../README.md).
_identity_keys = [k for k in os.environ.get("IDENTITY_KEYS", "").split(",") if k]

app = restate.app(services=[counter, flow, holder, waiter, signup, non_deterministic, combinators,
                            errors, random_service],
                  identity_keys=_identity_keys or None)
