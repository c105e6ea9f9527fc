import { createServer, type AddressInfo } from 'node:net';
import { PORT_ENV, PORT_NAMES, PORT_ROLE, type PortName, type ServicePorts } from './options';

/** A fixed port some listener cannot have, and which listener wanted it. */
export interface BusyPort {
  port: number;
  portName: PortName;
}

/** "3000 (the HTTP API (serverless-offline), LOCAL_HTTP_PORT)" */
export const describeBusyPort = ({ port, portName }: BusyPort): string =>
  `${port} (${PORT_ROLE[portName]}, ${PORT_ENV[portName]})`;

/** How to move every listener named: "LOCAL_HTTP_PORT=<another port> LOCAL_SSM_PORT=<another port> npm start" */
export const moveCommand = (busy: readonly BusyPort[]): string =>
  `${busy.map((b) => `${PORT_ENV[b.portName]}=<another port>`).join(' ')} npm start`;

/**
 * Listeners cannot have their ports: the message names every such port at once, what wanted it and how to
 * move it. `port` and `portName` are the first of them.
 */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  readonly port: number;
  readonly portName: PortName;
  constructor(readonly busy: readonly [BusyPort, ...BusyPort[]]) {
    const [first] = busy;
    super(
      busy.length === 1
        ? `port ${first.port} on 127.0.0.1 is in use, so ${PORT_ROLE[first.portName]} cannot listen there. Stop ` +
            `whatever holds it (an earlier npm start?), or move it: ${moveCommand(busy)}`
        : `ports ${busy.map(describeBusyPort).join(', ')} on 127.0.0.1 are in use. Stop whatever holds ` +
            `them (an earlier npm start?), or move them: ${moveCommand(busy)}`,
    );
    this.port = first.port;
    this.portName = first.portName;
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

/** Every fixed port of `ports` that something already listens on (port 0, any free port, is skipped). */
export async function busyPorts(ports: ServicePorts, host = '127.0.0.1'): Promise<BusyPort[]> {
  const busy: BusyPort[] = [];
  for (const portName of PORT_NAMES) {
    if (ports[portName] === 0) continue;
    try {
      await probe(host, ports[portName]);
    } catch (err) {
      if (!isAddressInUse(err)) throw err;
      busy.push({ port: ports[portName], portName });
    }
  }
  return busy;
}

/**
 * Fails fast with PortInUseError naming every fixed port that is taken, before anything starts: better than
 * a stand-in half up and serverless-offline failing after a minute of bundling, and than one port a try.
 */
export async function assertPortsFree(ports: ServicePorts, host = '127.0.0.1'): Promise<void> {
  const [first, ...rest] = await busyPorts(ports, host);
  if (first !== undefined) throw new PortInUseError([first, ...rest]);
}

/** The listen() failure as PortInUseError when it is one, so a race lost after assertPortsFree reads the same. */
export function asPortInUse(err: unknown, ports: ServicePorts): unknown {
  if (!isAddressInUse(err)) return err;
  const port = (err as NodeJS.ErrnoException & { port?: number }).port;
  const name = PORT_NAMES.find((candidate) => ports[candidate] === port);
  return name === undefined ? err : new PortInUseError([{ port: ports[name], portName: name }]);
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
