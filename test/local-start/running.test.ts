import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_PORTS } from '../../local/start/options';
import {
  AnotherStartError,
  claimStart,
  RUNNING_FILE,
  runningStart,
  type RunningStart,
} from '../../local/start/running';

let dir: string;
/** A live process that is not this one: what a running npm start looks like from a second one. */
let other: ChildProcess;

beforeAll(async () => {
  other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(other, 'spawn');
});

afterAll(async () => {
  other.kill('SIGKILL');
  await once(other, 'exit').catch(() => undefined);
});

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'npm-start-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = () => path.join(dir, RUNNING_FILE);
const theirs = (pid: number): RunningStart => ({
  pid,
  ports: { ...DEFAULT_PORTS },
  startedAt: '2026-11-30T03:41:00.000Z',
});
const leave = (running: RunningStart) => writeFile(file(), JSON.stringify(running));

describe('claimStart', () => {
  it('claims a free folder with this pid and its ports, and releases it', async () => {
    // Act
    const claim = await claimStart(dir, DEFAULT_PORTS);
    const held = JSON.parse(await readFile(file(), 'utf8')) as RunningStart;
    claim.release();

    // Assess
    expect(held).toMatchObject({ pid: process.pid, ports: DEFAULT_PORTS });
    await expect(readFile(file(), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readFile(path.join(dir, '.gitignore'), 'utf8')).resolves.toContain('*');
  });

  it('refuses a folder a live npm start holds, naming its pid, and leaves its file alone', async () => {
    // Prepare
    await leave(theirs(other.pid!));
    const before = await readFile(file(), 'utf8');

    // Act
    const failure = await claimStart(dir, DEFAULT_PORTS).catch((err: unknown) => err);

    // Assess
    expect(failure).toBeInstanceOf(AnotherStartError);
    expect((failure as Error).message).toContain(`another npm start, pid ${other.pid}, is running`);
    expect(await readFile(file(), 'utf8')).toBe(before);
  });

  it.each([
    ['a dead one', async () => leave(theirs(2 ** 22 + 12345))],
    ['an unreadable file', async () => writeFile(file(), 'not json')],
  ])('takes over a folder left by %s', async (_what, prepare) => {
    // Prepare
    await claimStart(dir, DEFAULT_PORTS).then((c) => c.release());
    await prepare();

    // Act
    const claim = await claimStart(dir, DEFAULT_PORTS);

    // Assess
    expect(JSON.parse(await readFile(file(), 'utf8'))).toMatchObject({ pid: process.pid });
    claim.release();
  });

  it('does not remove a file another start wrote after it', async () => {
    // Prepare
    const claim = await claimStart(dir, DEFAULT_PORTS);
    await leave(theirs(other.pid!));

    // Act
    claim.release();

    // Assess
    expect(JSON.parse(await readFile(file(), 'utf8'))).toMatchObject({ pid: other.pid });
  });
});

describe('runningStart', () => {
  it('is nothing for a folder never started, or left by a dead one', async () => {
    await expect(runningStart(dir)).resolves.toBeUndefined();
    await leave(theirs(2 ** 22 + 12345));
    await expect(runningStart(dir)).resolves.toBeUndefined();
  });

  it('is the live one that holds it', async () => {
    await leave(theirs(other.pid!));
    await expect(runningStart(dir)).resolves.toEqual(theirs(other.pid!));
  });
});

describe('AnotherStartError', () => {
  it('names the pid, its ports, every busy port and how to run beside it', () => {
    // Act
    const { message } = new AnotherStartError(
      theirs(4242),
      [
        { port: 3000, portName: 'http' },
        { port: 4012, portName: 'dynamo' },
      ],
      '.local',
    );

    // Assess
    expect(message).toContain('another npm start, pid 4242, is running');
    expect(message).toContain('LOCAL_HTTP_PORT=3000 LOCAL_LAMBDA_PORT=3002');
    expect(message).toContain('with its secrets in .local');
    expect(message).toContain(
      'Ports in use: 3000 (the HTTP API (serverless-offline), LOCAL_HTTP_PORT), 4012 (DynamoDB (dynalite), LOCAL_DYNAMO_PORT).',
    );
    expect(message).toContain('kill 4242');
    expect(message).toContain(
      'LOCAL_HTTP_PORT=<another port> LOCAL_DYNAMO_PORT=<another port> LOCAL_SECRETS_DIR=.local-2 npm start',
    );
  });
});
