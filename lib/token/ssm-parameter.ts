import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { describeError, ParameterStoreError, redact } from './errors';

export type SsmSender = Pick<SSMClient, 'send'>;

/** Reads a SecureString in plaintext. Surrounding whitespace is dropped: a pasted newline is not part of a secret. */
export async function readSecureString(ssm: SsmSender, name: string): Promise<string> {
  let value: string | undefined;
  try {
    const reply = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    value = reply.Parameter?.Value;
  } catch (err) {
    throw new ParameterStoreError(name, 'read', describeError(err));
  }
  const trimmed = value?.trim();
  if (!trimmed) throw new ParameterStoreError(name, 'read', 'the parameter is empty');
  return trimmed;
}

/** Creates or overwrites a SecureString. AWS validation messages can echo the value, so it is redacted from them. */
export async function writeSecureString(ssm: SsmSender, name: string, value: string): Promise<void> {
  try {
    await ssm.send(
      new PutParameterCommand({ Name: name, Value: value, Type: 'SecureString', Overwrite: true }),
    );
  } catch (err) {
    throw new ParameterStoreError(name, 'write', redact(describeError(err), [value]));
  }
}
