"""The Python SDK deployment the sdk-tests ITs drive against Resolute and restate-server.

Served by Hypercorn over h2c: ``python -m hypercorn services:app --bind 127.0.0.1:PORT``.
Every handler is written the way the Restate Python documentation shows them; the module-level
counters below live in this process only, so a test can tell a journaled step (run once) from a
replayed one (never re-run).
"""

from datetime import timedelta
from typing import Dict

import restate
from restate import (Context, ObjectContext, ObjectSharedContext, Service, VirtualObject, Workflow,
                     WorkflowContext, WorkflowSharedContext)

# How often each ctx.run side effect executed in this process, by key.
side_effects: Dict[str, int] = {}
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
    return {"ran": ran, "total": total}


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


signup = Workflow("Signup")


@signup.main()
async def run(ctx: WorkflowContext, email: str) -> str:
    approval = await ctx.promise("approval", type_hint=str).value()
    return email + ":" + approval


@signup.handler()
async def approve(ctx: WorkflowSharedContext, decision: str) -> None:
    await ctx.promise("approval", type_hint=str).resolve(decision)


non_deterministic = VirtualObject("NonDeterministic")


@non_deterministic.handler(name="setDifferentKey")
async def set_different_key(ctx: ObjectContext) -> None:
    """Writes a different state key on every other start: a replay cannot match its journal."""
    attempts[ctx.key()] = attempts.get(ctx.key(), 0) + 1
    ctx.set("a" if attempts[ctx.key()] % 2 == 1 else "b", "value")
    await ctx.sleep(timedelta(milliseconds=100))
    ctx.object_send(add, key=ctx.key(), arg=1)


app = restate.app(services=[counter, flow, holder, waiter, signup, non_deterministic])
