import { readFileSync, unlinkSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PORT_ENV, PORT_NAMES, type ServicePorts } from './options';
import { describeBusyPort, moveCommand, type BusyPort } from './ports';
import { prepareLocalDir } from './secrets';

/**
 * One `npm start` per secrets folder. The running one leaves its pid in `<dir>/npm-start.json` (claimed
 * with an exclusive create, so two starting at once cannot both have it) and removes it when it stops; a
 * second one reads it and refuses before it starts anything or writes a secret, since rewriting the
 * folder's secrets would make the first one's signed requests fail.
 */
export const RUNNING_FILE = 'npm-start.json';

export interface RunningStart {
  pid: number;
  ports: ServicePorts;
  /** ISO time */
  startedAt: string;
}

/** Whether a process with this pid is alive (EPERM: alive, someone else's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseRunning(text: string): RunningStart | undefined {
  try {
    const value = JSON.parse(text) as Partial<RunningStart>;
    return Number.isSafeInteger(value.pid) && typeof value.ports === 'object' && value.ports !== null
      ? (value as RunningStart)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The npm start that holds `dir`, if it is still alive; a file left by one that died is not one. */
export async function runningStart(
  dir: string,
  alive: (pid: number) => boolean = isAlive,
): Promise<RunningStart | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, RUNNING_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const running = parseRunning(text);
  return running !== undefined && running.pid !== process.pid && alive(running.pid) ? running : undefined;
}

/** Another npm start holds the secrets folder: the message names its pid, its ports and every busy port. */
export class AnotherStartError extends Error {
  override readonly name = 'AnotherStartError';
  constructor(
    readonly running: RunningStart,
    readonly busy: readonly BusyPort[],
    dir: string,
  ) {
    const theirs = PORT_NAMES.map((name) => `${PORT_ENV[name]}=${running.ports[name]}`).join(' ');
    const moved = busy.length > 0 ? `${moveCommand(busy).replace(/ npm start$/, '')} ` : '';
    super(
      [
        `another npm start, pid ${running.pid}, is running (since ${running.startedAt}, on ${theirs}), ` +
          `with its secrets in ${dir}.`,
        busy.length > 0
          ? `Ports in use: ${busy.map(describeBusyPort).join(', ')}.`
          : 'None of the ports this one asks for is in use.',
        `Stop it (Ctrl-C in its terminal, or kill ${running.pid}), or run this one beside it on ` +
          `${busy.length > 0 ? 'other ports and ' : ''}its own secrets folder: ${moved}LOCAL_SECRETS_DIR=.local-2 npm start`,
      ].join('\n'),
    );
  }
}

export interface StartClaim {
  readonly file: string;
  /** removes the file, if it is still this process's; synchronous, so that it can run on process exit */
  release(): void;
}

/**
 * Claims `dir` for this npm start, or throws AnotherStartError (without ports: the caller knows them)
 * when a live one holds it. A file left by a dead one is taken over.
 */
export async function claimStart(
  dir: string,
  ports: ServicePorts,
  alive: (pid: number) => boolean = isAlive,
): Promise<StartClaim> {
  await prepareLocalDir(dir);
  const file = path.join(dir, RUNNING_FILE);
  const mine: RunningStart = { pid: process.pid, ports, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt += 1) {
    try {
      await writeFile(file, `${JSON.stringify(mine)}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
    }
    const other = await runningStart(dir, alive);
    if (other !== undefined) throw new AnotherStartError(other, [], dir);
    // Left by one that is gone: take it over (another starter may race us to it; the create decides).
    await unlink(file).catch(() => undefined);
  }
  return {
    file,
    release() {
      try {
        if (parseRunning(readFileSync(file, 'utf8'))?.pid === process.pid) unlinkSync(file);
      } catch {
        // Gone already.
      }
    },
  };
}
