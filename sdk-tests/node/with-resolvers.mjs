// Promise.withResolvers (Node 22+, used by restate-sdk 1.15 and later) for Node 20, loaded with
// `node --import ./with-resolvers.mjs`. Nothing else differs between the two Node versions for the SDK.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
