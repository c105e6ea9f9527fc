import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { ROOT } from './deploy-config';

/**
 * dynalite in a process of its own, on 127.0.0.1 and a free port: in the drain bench the table is the
 * busiest part, and sharing one event loop with the workers and the Order Center stand-in would measure
 * that loop, not the budget. (In AWS, DynamoDB is not in the Lambda's process either.)
 */
export interface DynamoProcess {
  endpoint: string;
  /** its process id: what its CPU is read by (bench/stats processCpuMs) */
  pid: number;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

const SCRIPT = `
const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0)).resume();
`;

export async function startDynamoProcess(): Promise<DynamoProcess> {
  // stdin open: the child ends when it closes (here, or when this process dies).
  const child = spawn(process.execPath, ['-e', SCRIPT], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dynalite exited with ${code} before listening`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const found = /port (\d+)/.exec(out);
      if (found) resolve(Number(found[1]));
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 4,
  });
  return {
    endpoint,
    pid: child.pid ?? 0,
    client,
    async stop() {
      client.destroy();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      await exited;
    },
  };
}
