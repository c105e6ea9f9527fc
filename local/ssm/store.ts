/**
 * The parameter store behind the local SSM stand-in: the subset of SSM's semantics this project relies
 * on, with no HTTP in it. Request bodies arrive as `unknown` (decoded JSON) and are checked here, so a
 * caller that sends the wrong shape gets SSM's own error name and a message naming the field.
 */

export const PARAMETER_TYPES = ['String', 'SecureString', 'StringList'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
/** SSM's own limit on GetParameters: code that asks for more fails in AWS, so it fails here too. */
const MAX_NAMES_PER_CALL = 10;

/** An error SSM would return: `type` goes on the wire as `__type`, which the SDK turns into the error name. */
export class SsmFault extends Error {
  override readonly name = 'SsmFault';
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface StoredParameter {
  type: ParameterType;
  value: string;
  version: number;
  modifiedAtMs: number;
}

export interface ParameterReply {
  Name: string;
  Type: ParameterType;
  Value: string;
  Version: number;
  /** Epoch seconds: the wire format the SDK's JSON 1.1 codec reads timestamps in. */
  LastModifiedDate: number;
  ARN: string;
  DataType: 'text';
}

type Body = Record<string, unknown>;

function asBody(input: unknown): Body {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SsmFault('SerializationException', 'the request body must be a JSON object');
  }
  return input as Body;
}

function requiredName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new SsmFault('ValidationException', `${field}: must be a non-empty string`);
  }
  return value;
}

function optionalBoolean(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new SsmFault('ValidationException', `${field}: must be a boolean`);
  return value;
}

function parameterType(value: unknown, field: string): ParameterType {
  if (!PARAMETER_TYPES.includes(value as ParameterType)) {
    throw new SsmFault('ValidationException', `${field}: must be one of ${PARAMETER_TYPES.join(', ')}`);
  }
  return value as ParameterType;
}

function arnOf(name: string): string {
  return `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${name.replace(/^\//, '')}`;
}

/**
 * What SSM returns for a SecureString read without decryption: not the plaintext. Code that forgets
 * WithDecryption then gets a string that is obviously not the secret and fails visibly downstream.
 */
function ciphertextOf(value: string): string {
  return Buffer.from(`kms:${value}`, 'utf8').toString('base64');
}

export class ParameterStore {
  private readonly parameters = new Map<string, StoredParameter>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Creates or overwrites, as PutParameter with Overwrite does; used to seed and by tests. */
  set(name: string, value: string, type: ParameterType): number {
    return this.putParameter({ Name: name, Value: value, Type: type, Overwrite: true }).Version;
  }

  plaintext(name: string): string | undefined {
    return this.parameters.get(name)?.value;
  }

  getParameter(input: unknown): { Parameter: ParameterReply } {
    const body = asBody(input);
    const name = requiredName(body.Name, 'Name');
    const withDecryption = optionalBoolean(body.WithDecryption, 'WithDecryption');
    const reply = this.reply(name, withDecryption);
    if (!reply) throw new SsmFault('ParameterNotFound', `Parameter ${name} not found.`);
    return { Parameter: reply };
  }

  getParameters(input: unknown): { Parameters: ParameterReply[]; InvalidParameters: string[] } {
    const body = asBody(input);
    if (!Array.isArray(body.Names) || body.Names.length === 0 || body.Names.length > MAX_NAMES_PER_CALL) {
      throw new SsmFault(
        'ValidationException',
        `Names: must be an array of 1 to ${MAX_NAMES_PER_CALL} parameter names`,
      );
    }
    const names = body.Names.map((name, index) => requiredName(name, `Names[${index}]`));
    const withDecryption = optionalBoolean(body.WithDecryption, 'WithDecryption');
    const parameters: ParameterReply[] = [];
    const invalid: string[] = [];
    for (const name of new Set(names)) {
      const reply = this.reply(name, withDecryption);
      if (reply) parameters.push(reply);
      else invalid.push(name);
    }
    return { Parameters: parameters, InvalidParameters: invalid };
  }

  putParameter(input: unknown): { Version: number; Tier: 'Standard' } {
    const body = asBody(input);
    const name = requiredName(body.Name, 'Name');
    if (typeof body.Value !== 'string' || body.Value.length === 0) {
      throw new SsmFault('ValidationException', 'Value: must be a non-empty string');
    }
    const overwrite = optionalBoolean(body.Overwrite, 'Overwrite');
    const existing = this.parameters.get(name);
    if (existing && !overwrite) {
      throw new SsmFault(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    if (!existing && body.Type === undefined) {
      throw new SsmFault(
        'ValidationException',
        'Type: a parameter type is required when you create a parameter',
      );
    }
    const type = body.Type === undefined && existing ? existing.type : parameterType(body.Type, 'Type');
    const version = (existing?.version ?? 0) + 1;
    this.parameters.set(name, { type, value: body.Value, version, modifiedAtMs: this.now() });
    return { Version: version, Tier: 'Standard' };
  }

  deleteParameter(input: unknown): Record<string, never> {
    const body = asBody(input);
    const name = requiredName(body.Name, 'Name');
    if (!this.parameters.delete(name)) {
      throw new SsmFault('ParameterNotFound', `Parameter ${name} not found.`);
    }
    return {};
  }

  private reply(name: string, withDecryption: boolean): ParameterReply | undefined {
    const stored = this.parameters.get(name);
    if (!stored) return undefined;
    const hidden = stored.type === 'SecureString' && !withDecryption;
    return {
      Name: name,
      Type: stored.type,
      Value: hidden ? ciphertextOf(stored.value) : stored.value,
      Version: stored.version,
      LastModifiedDate: stored.modifiedAtMs / 1000,
      ARN: arnOf(name),
      DataType: 'text',
    };
  }
}
