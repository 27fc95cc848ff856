// The ingress client library (@restatedev/restate-sdk-clients) against a server's ingress, the
// services of services.mjs registered there. Prints one JSON object: what each call returned, or
// the error it threw. The test runs it against both servers and compares the two outputs.
//   node clients.mjs INGRESS_URL
import * as clients from "@restatedev/restate-sdk-clients";

const rs = clients.connect({ url: process.argv[2] });
const out = {};
const attempt = async (name, f) => {
  try {
    out[name] = await f();
  } catch (e) {
    out[name] = { error: e.name, message: e.message, status: e.statusCode ?? e.status ?? null };
  }
};

const counter = { name: "Counter" };
const signup = { name: "Signup" };
const errors = { name: "Errors" };

await attempt("call", () => rs.objectClient(counter, "cl1").add(3));
await attempt("callAgain", () => rs.objectClient(counter, "cl1").add(4));
await attempt("get", () => rs.objectClient(counter, "cl1").get());
await attempt("idempotentCall", () =>
  rs.objectClient(counter, "cl2").add(5, clients.rpc.opts({ idempotencyKey: "ck" })),
);
await attempt("idempotentCallAgain", () =>
  rs.objectClient(counter, "cl2").add(5, clients.rpc.opts({ idempotencyKey: "ck" })),
);
let send;
await attempt("send", async () => {
  send = await rs
    .objectSendClient(counter, "cl3")
    .add(6, clients.rpc.sendOpts({ idempotencyKey: "sk", delay: 50 }));
  return { status: send.status, hasId: send.invocationId.startsWith("inv_") };
});
await attempt("sendResult", () => rs.result(send));
await attempt("workflowSubmit", async () => {
  const s = await rs.workflowClient(signup, "cw1").workflowSubmit("bob@example.com");
  return { status: s.status, hasId: s.invocationId.startsWith("inv_") };
});
const output = async () => {
  const o = await rs.workflowClient(signup, "cw1").workflowOutput();
  return o.ready ? { ready: true, result: o.result } : { ready: false };
};
await attempt("workflowOutputBefore", output);
await attempt("workflowApprove", () => rs.workflowClient(signup, "cw1").approve("yes"));
await attempt("workflowAttach", () => rs.workflowClient(signup, "cw1").workflowAttach());
await attempt("workflowOutputAfter", output);
await attempt("terminalError", () =>
  rs.serviceClient(errors).fail({ code: 418, message: "teapot", metadata: { a: "b" } }),
);
await attempt("genericCall", () =>
  rs.call({
    service: "Counter",
    handler: "add",
    key: "cl4",
    parameter: 2,
    inputSerde: clients.serde?.json,
  }),
);
console.log(JSON.stringify(out));
