import { PARAMETER_TYPES, type ParameterType } from './store';
import type { SeedParameters } from './server';

/** The seed file is not valid: the message names the file and the offending entry. */
export class InvalidSeedError extends Error {
  override readonly name = 'InvalidSeedError';
}

/**
 * Reads a seed file's JSON: `{ "<parameter name>": { "value": "...", "type": "SecureString" } }`,
 * `type` optional (String, SecureString or StringList; default SecureString).
 */
export function parseSeedParameters(json: string, source: string): SeedParameters {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    throw new InvalidSeedError(`${source}: not valid JSON`);
  }
  if (!isRecord(document)) {
    throw new InvalidSeedError(`${source}: must be an object of parameter name -> { value, type? }`);
  }
  const parameters: SeedParameters = {};
  for (const [name, entry] of Object.entries(document)) {
    const at = `${source}: ${JSON.stringify(name)}`;
    if (name === '') throw new InvalidSeedError(`${source}: a parameter name must not be empty`);
    if (!isRecord(entry)) throw new InvalidSeedError(`${at}: must be an object { value, type? }`);
    if (typeof entry.value !== 'string' || entry.value === '') {
      throw new InvalidSeedError(`${at}.value: must be a non-empty string`);
    }
    if (entry.type !== undefined && !PARAMETER_TYPES.includes(entry.type as ParameterType)) {
      throw new InvalidSeedError(`${at}.type: must be one of ${PARAMETER_TYPES.join(', ')}`);
    }
    parameters[name] = { value: entry.value, type: entry.type as ParameterType | undefined };
  }
  return parameters;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
