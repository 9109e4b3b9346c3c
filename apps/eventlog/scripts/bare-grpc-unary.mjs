// Reference: a bare grpc-js unary server and client in one process (no storage,
// no logic), 64 calls in flight; the transport limit the Append rate compares to.
//   node apps/eventlog/scripts/bare-grpc-unary.mjs
import grpc from '@grpc/grpc-js';
const def = { append: { path: '/x.X/Append', requestStream: false, responseStream: false, requestSerialize: (b) => b, requestDeserialize: (b) => b, responseSerialize: (b) => b, responseDeserialize: (b) => b } };
const server = new grpc.Server();
server.addService(def, { append: (call, cb) => setImmediate(() => cb(null, Buffer.from([8, 1, 16, 2]))) });
const port = await new Promise((r) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => r(p)));
const Client = grpc.makeGenericClientConstructor(def);
const client = new Client('127.0.0.1:' + port, grpc.credentials.createInsecure());
let sent = 0; const total = 40000; const t = process.hrtime.bigint();
await Promise.all(Array.from({ length: 64 }, async () => { while (sent < total) { sent++; await new Promise((res, rej) => client.append(Buffer.from([8, 2]), (e, r) => e ? rej(e) : res(r))); } }));
console.log('bare grpc-js unary, client+server in one process, 64 in flight:', Math.round(total / (Number(process.hrtime.bigint() - t) / 1e9)), '/s');
client.close(); server.forceShutdown();
