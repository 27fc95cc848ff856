// The Go SDK deployment of the sdk-tests ITs: the core scenarios every SDK's deployment serves under
// the same names (see ../README.md). The counters below live in this process only, so a test can
// tell a journaled step (run once) from a replayed one (never re-run).
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	restate "github.com/restatedev/sdk-go"
	"github.com/restatedev/sdk-go/server"
)

// sideEffects counts how often each restate.Run closure executed in this process, by key.
var (
	mu          sync.Mutex
	sideEffects = map[string]uint64{}
)

func bump(key string) uint64 {
	mu.Lock()
	defer mu.Unlock()
	sideEffects[key]++
	return sideEffects[key]
}

func count(key string) uint64 {
	mu.Lock()
	defer mu.Unlock()
	return sideEffects[key]
}

type Steps struct {
	Ran   string `json:"ran"`
	Total uint64 `json:"total"`
}

func add(ctx restate.ObjectContext, value uint64) (uint64, error) {
	current, err := restate.Get[uint64](ctx, "count")
	if err != nil {
		return 0, err
	}
	restate.Set(ctx, "count", current+value)
	return current + value, nil
}

func get(ctx restate.ObjectSharedContext, _ restate.Void) (uint64, error) {
	return restate.Get[uint64](ctx, "count")
}

// steps: a journaled side effect, a durable sleep, a call and a delayed send; each is replayed,
// not re-run.
func steps(ctx restate.Context, key string) (Steps, error) {
	ran, err := restate.Run(ctx, func(restate.RunContext) (string, error) {
		bump(key)
		return "ran-" + key, nil
	}, restate.WithName("effect"))
	if err != nil {
		return Steps{}, err
	}
	if err := restate.Sleep(ctx, 50*time.Millisecond); err != nil {
		return Steps{}, err
	}
	total, err := restate.Object[uint64](ctx, "Counter", key, "add").Request(10)
	if err != nil {
		return Steps{}, err
	}
	restate.ObjectSend(ctx, "Counter", key+"-later", "add").Send(1, restate.WithDelay(100*time.Millisecond))
	return Steps{Ran: ran, Total: total}, nil
}

func sideEffectCount(_ restate.Context, key string) (uint64, error) {
	return count(key), nil
}

// flaky: a run that fails twice with a retryable error and succeeds on its third attempt.
func flaky(ctx restate.Context, key string) (uint64, error) {
	return restate.Run(ctx, func(restate.RunContext) (uint64, error) {
		n := bump(key)
		if n < 3 {
			return 0, fmt.Errorf("attempt %d", n)
		}
		return n, nil
	}, restate.WithName("flaky"), restate.WithInitialRetryInterval(10*time.Millisecond))
}

// crash: a journaled run, then a long durable sleep during which a test kills the server.
func crash(ctx restate.Context, key string) (string, error) {
	if err := restate.RunVoid(ctx, func(restate.RunContext) error {
		bump(key)
		return nil
	}, restate.WithName("effect")); err != nil {
		return "", err
	}
	if err := restate.Sleep(ctx, 3*time.Second); err != nil {
		return "", err
	}
	return "done-" + key, nil
}

func hold(ctx restate.ObjectContext, id string) (restate.Void, error) {
	restate.Set(ctx, "id", id)
	return restate.Void{}, nil
}

func getID(ctx restate.ObjectSharedContext, _ restate.Void) (string, error) {
	return restate.Get[string](ctx, "id")
}

// waitFor publishes an awakeable's id to AwakeableHolder/{key} and returns what resolves it.
func waitFor(ctx restate.Context, key string) (string, error) {
	awakeable := restate.Awakeable[string](ctx)
	restate.ObjectSend(ctx, "AwakeableHolder", key, "hold").Send(awakeable.Id())
	value, err := awakeable.Result()
	if err != nil {
		return "", err
	}
	return "resolved:" + value, nil
}

func run(ctx restate.WorkflowContext, email string) (string, error) {
	approval, err := restate.Promise[string](ctx, "approval").Result()
	if err != nil {
		return "", err
	}
	return email + ":" + approval, nil
}

func approve(ctx restate.WorkflowSharedContext, decision string) (restate.Void, error) {
	return restate.Void{}, restate.Promise[string](ctx, "approval").Resolve(decision)
}

func main() {
	r := server.NewRestate().
		Bind(restate.NewObject("Counter").
			Handler("add", restate.NewObjectHandler(add)).
			Handler("get", restate.NewObjectSharedHandler(get))).
		Bind(restate.NewService("Flow").
			Handler("steps", restate.NewServiceHandler(steps)).
			Handler("sideEffects", restate.NewServiceHandler(sideEffectCount)).
			Handler("flaky", restate.NewServiceHandler(flaky)).
			Handler("crash", restate.NewServiceHandler(crash))).
		Bind(restate.NewObject("AwakeableHolder").
			Handler("hold", restate.NewObjectHandler(hold)).
			Handler("getId", restate.NewObjectSharedHandler(getID))).
		Bind(restate.NewService("Waiter").
			Handler("waitFor", restate.NewServiceHandler(waitFor))).
		Bind(restate.NewWorkflow("Signup").
			Handler("run", restate.NewWorkflowHandler(run)).
			Handler("approve", restate.NewWorkflowSharedHandler(approve)))
	handler, err := r.Handler()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// port 0: the test reads the bound port from the line printed below
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", listener.Addr())
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	srv := &http.Server{Handler: handler, Protocols: &protocols, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.Serve(listener); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
