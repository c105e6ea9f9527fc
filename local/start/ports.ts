import { createServer, type AddressInfo } from 'node:net';
import { PORT_ENV, PORT_NAMES, PORT_ROLE, type PortName, type ServicePorts } from './options';

/** A listener cannot have its port: the message names the port, what wanted it and how to move it. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly portName: PortName,
  ) {
    super(
      `port ${port} on 127.0.0.1 is in use, so ${PORT_ROLE[portName]} cannot listen there. Stop whatever ` +
        `holds it (an earlier npm start?), or move it: ${PORT_ENV[portName]}=<another port> npm start`,
    );
  }
}

// By its code, not instanceof: errors from Node's core may come from another realm (a test's vm context).
const isAddressInUse = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === 'EADDRINUSE';

/** Listens on host:port and closes again: resolves the port it got, rejects as listen() does. */
function probe(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      const { port: bound } = server.address() as AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * Fails fast with PortInUseError for the first fixed port that is taken, before anything starts: better
 * than a stand-in half up and serverless-offline failing after a minute of bundling. Port 0 is skipped.
 */
export async function assertPortsFree(ports: ServicePorts, host = '127.0.0.1'): Promise<void> {
  for (const name of PORT_NAMES) {
    if (ports[name] === 0) continue;
    try {
      await probe(host, ports[name]);
    } catch (err) {
      if (isAddressInUse(err)) throw new PortInUseError(ports[name], name);
      throw err;
    }
  }
}

/** The listen() failure as PortInUseError when it is one, so a race lost after assertPortsFree reads the same. */
export function asPortInUse(err: unknown, ports: ServicePorts): unknown {
  if (!isAddressInUse(err)) return err;
  const port = (err as NodeJS.ErrnoException & { port?: number }).port;
  const name = PORT_NAMES.find((candidate) => ports[candidate] === port);
  return name === undefined ? err : new PortInUseError(ports[name], name);
}

/** `count` distinct ports that were free a moment ago (for listeners that must be told a number). */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    // All open at once, so the kernel cannot hand out the same port twice.
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.once('error', reject);
            server.listen({ host, port: 0, exclusive: true }, () =>
              resolve((server.address() as AddressInfo).port),
            );
          }),
      ),
    );
  } finally {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
      ),
    );
  }
}
