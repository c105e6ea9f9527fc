import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/**
 * The floor of rotateToken (issue 21): an SSM client alone, constructed at load, with the two commands
 * a rotation sends; bundled with the same esbuild settings as the service's functions.
 */
const ssm = new SSMClient({});

export async function handler(event: { name?: string }): Promise<{ version: number }> {
  const name = event.name ?? '/floor/token';
  const read = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  const written = await ssm.send(
    new PutParameterCommand({
      Name: name,
      Value: read.Parameter?.Value ?? '',
      Type: 'SecureString',
      Overwrite: true,
    }),
  );
  return { version: written.Version ?? 0 };
}
