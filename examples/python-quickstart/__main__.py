"""Serves the Greeter on port 9080 (h2c and HTTP/1.1), what `uv run .` starts.

BIND overrides the address (the sdk-tests IT gives 127.0.0.1:0 and reads the port Hypercorn
prints in its "Running on" line).
"""

import asyncio
import os

import hypercorn
import hypercorn.asyncio
import restate

from app.greeter import greeter

app = restate.app(services=[greeter])


def main() -> None:
    conf = hypercorn.Config()
    conf.bind = [os.environ.get("BIND", "0.0.0.0:9080")]
    asyncio.run(hypercorn.asyncio.serve(app, conf))


if __name__ == "__main__":
    main()
