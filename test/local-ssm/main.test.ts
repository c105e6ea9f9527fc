import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { createLocalSsmClient } from '../../local/ssm';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(ROOT, 'local', 'ssm', 'main.ts');

function start(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(TSX, [MAIN, ...args], { cwd: ROOT, env: { ...process.env, PORT: '0', ...env } });
}

async function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return line;
}

async function stderrOf(
  child: ChildProcessWithoutNullStreams,
): Promise<{ stderr: string; code: number | null }> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { stderr, code };
}

describe('local/ssm/main.ts', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-ssm-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints its URL as a JSON line, serves the seeded parameters, and stops on SIGTERM', async () => {
    // Prepare
    const seed = join(dir, 'seed.json');
    await writeFile(seed, JSON.stringify({ '/cli/secret': { value: 'from-file' } }));
    const child = start([seed]);

    try {
      // Act
      const { url } = JSON.parse(await firstLine(child)) as { url: string };
      const client = createLocalSsmClient(url);
      const reply = await client.send(new GetParameterCommand({ Name: '/cli/secret', WithDecryption: true }));
      client.destroy();
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];

      // Assess
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(reply.Parameter).toMatchObject({ Value: 'from-file', Type: 'SecureString' });
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 1 with a message naming the entry when the seed file is invalid', async () => {
    const seed = join(dir, 'bad.json');
    await writeFile(seed, JSON.stringify({ '/cli/secret': { value: '' } }));

    const { stderr, code } = await stderrOf(start([seed]));

    expect(code).toBe(1);
    expect(stderr).toContain('"/cli/secret".value: must be a non-empty string');
  });

  it('exits 1 naming PORT when it is not a port number', async () => {
    const { stderr, code } = await stderrOf(start([], { PORT: 'http' }));

    expect(code).toBe(1);
    expect(stderr).toContain('PORT: must be an integer from 0 to 65535');
  });
});
