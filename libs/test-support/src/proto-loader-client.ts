import { credentials, loadPackageDefinition, Metadata, type ChannelCredentials, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { workspaceRoot } from './spawned-app';

/**
 * A client built at run time from the .proto files alone with
 * @grpc/proto-loader (`keepCase`, 64-bit integers as strings), as a user
 * without our generated code would build one. Wire-contract tests compare
 * its answers with the generated client's.
 *
 * `service` is fully qualified, e.g. "eventlog.v1.EventLogService".
 */
export function createProtoLoaderClient<T extends Client = Client>(
  protoFile: string,
  service: string,
  address: string,
  channelCredentials: ChannelCredentials = credentials.createInsecure(),
): T {
  const definition = loadSync(protoFile, {
    keepCase: true,
    longs: String,
    defaults: true,
    oneofs: true,
    includeDirs: [join(workspaceRoot, 'proto')],
  });
  let node: unknown = loadPackageDefinition(definition);
  for (const part of service.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'function') throw new Error(`${service} is not a service of ${protoFile}`);
  const Constructor = node as new (address: string, creds: ChannelCredentials) => T;
  return new Constructor(address, channelCredentials);
}

type LooseUnaryMethod = (
  request: object,
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: ServiceError | null, response: Record<string, unknown>) => void,
) => void;

/** Calls unary `method` ("Append", "GetState", …) of a proto-loader client, with a deadline. */
export function callProtoLoaderUnary(
  client: Client,
  method: string,
  request: object,
  timeoutMs = 20_000,
  metadata: Metadata = new Metadata(),
): Promise<Record<string, unknown>> {
  const candidate = (client as unknown as Record<string, unknown>)[method];
  if (typeof candidate !== 'function') return Promise.reject(new Error(`no method ${method}`));
  const unary = (candidate as LooseUnaryMethod).bind(client);
  return new Promise((resolve, reject) => {
    unary(request, metadata, { deadline: Date.now() + timeoutMs }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}
